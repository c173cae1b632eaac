"""Signing batches for the API and the pages: the cases waiting for a decree, and HR's
request for one collective decree over them (DecreeBatchWorkflow)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlmodel import col

from api.errors import ProblemError
from contracts.case import CollectiveIssued, CollectiveRequest
from contracts.enums import Stage
from models import Decree, MutationCase
from mutasi.infra.clock import today
from workflows.case import tmt_after
from workflows.decree_batch import DecreeBatchWorkflow

WAIT_SECONDS = 30


def pending_decree_cases(session, agency_code: str) -> list[MutationCase]:
    return list(
        session.execute(
            select(MutationCase)
            .where(
                MutationCase.agency_code == agency_code,
                MutationCase.stage == Stage.DECREE,
                col(MutationCase.outcome).is_(None),
                col(MutationCase.id).not_in(select(Decree.case_id)),
            )
            .order_by(MutationCase.nip)
        ).scalars()
    )


class BatchBody(BaseModel):
    agency_code: str = Field(..., max_length=32)
    case_ids: list[str] | None = Field(
        None, max_length=2000, description="bawaan: semua kasus yang menunggu SK"
    )
    decided_on: date | None = Field(None, description="tanggal penetapan (bawaan: hari ini)")
    tmt: date | None = Field(None, description="bawaan: tanggal 1 bulan berikutnya")


async def issue_batch(session, settings, temporal, body: BatchBody, actor: str) -> dict[str, Any]:
    waiting = {c.id for c in pending_decree_cases(session, body.agency_code)}
    wanted = body.case_ids if body.case_ids is not None else sorted(waiting)
    problems = [f"kasus {c} tidak menunggu SK di instansi ini" for c in wanted if c not in waiting]
    if not wanted:
        problems.append("tidak ada kasus yang menunggu SK")
    decided_on = body.decided_on or today()
    tmt = body.tmt or tmt_after(decided_on, 1)
    if decided_on > today():
        problems.append("tanggal penetapan tidak boleh di masa depan")
    if tmt < decided_on:
        problems.append("TMT tidak boleh sebelum tanggal penetapan")
    if problems:
        raise ProblemError(422, "Batch SK tidak sah", "; ".join(problems), errors=problems)
    batch = f"decree-batch-{body.agency_code}-{uuid.uuid4().hex[:12]}"
    session.close()
    handle = await temporal.start_workflow(
        DecreeBatchWorkflow.run,
        CollectiveRequest(
            batch, body.agency_code, list(wanted), decided_on, tmt, actor, datetime.now(UTC)
        ),
        id=batch,
        task_queue=settings.task_queue,
    )
    try:
        issued: CollectiveIssued = await asyncio.wait_for(handle.result(), WAIT_SECONDS)
    except TimeoutError:  # e.g. an embargo holds it: it is issued once allowed
        return {"batch_id": batch, "status": "processing"}
    return {
        "batch_id": batch,
        "status": "issued",
        "number": issued.number,
        "extracts": [d.notice.extract_number for d in issued.deliveries],
        "skipped": issued.skipped,
    }

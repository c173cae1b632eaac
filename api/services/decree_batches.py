"""Signing batches for the API and the pages: the cases waiting for a decree, and HR's
request for one collective decree over them (DecreeBatchWorkflow)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlmodel import Session, col
from temporalio.client import Client

from api.errors import ProblemError
from contracts.case import CollectiveIssued, CollectiveRequest
from contracts.enums import Stage
from contracts.messages import Msg
from models import Decree, Employee, MutationCase
from mutasi.infra.clock import today
from mutasi.infra.settings import Settings
from workflows.case_core import tmt_after
from workflows.decree_batch import DecreeBatchWorkflow

WAIT_SECONDS = 30


def pending_decree_cases(session: Session, agency_code: str) -> list[MutationCase]:
    return list(
        session.execute(
            select(MutationCase)
            .where(
                col(MutationCase.agency_code) == agency_code,
                col(MutationCase.stage) == Stage.DECREE,
                col(MutationCase.outcome).is_(None),
                col(MutationCase.id).not_in(select(col(Decree.case_id))),
            )
            .order_by(col(MutationCase.nip))
        ).scalars()
    )


class BatchBody(BaseModel):
    agency_code: str = Field(..., max_length=32)
    case_ids: list[str] | None = Field(
        None, max_length=2000, description="bawaan: semua kasus yang menunggu SK"
    )
    decided_on: date | None = Field(
        None,
        description="tidak dapat diisi: tanggal SK adalah tanggal penandatanganannya "
        "(diisi sistem); dipertahankan agar permintaan lama mendapat penjelasan",
    )
    tmt: date | None = Field(None, description="bawaan: tanggal 1 bulan berikutnya")


async def issue_batch(
    session: Session, settings: Settings, temporal: Client, body: BatchBody, actor: str
) -> dict[str, Any]:
    """One collective decree per ASN type among the cases (PNS and PPPK are moved under
    different rules and wording). The decree is dated the day it is signed, never typed."""
    waiting = {c.id: c for c in pending_decree_cases(session, body.agency_code)}
    wanted = body.case_ids if body.case_ids is not None else sorted(waiting)
    problems = [f"kasus {c} tidak menunggu SK di instansi ini" for c in wanted if c not in waiting]
    if not wanted:
        problems.append("tidak ada kasus yang menunggu SK")
    decided_on = today()
    if body.decided_on is not None and body.decided_on != decided_on:
        problems.append(
            "tanggal SK adalah tanggal penandatanganannya dan diisi sistem; kosongkan "
            "tanggal penetapan"
        )
    tmt = body.tmt or tmt_after(decided_on, 1)
    if tmt < decided_on:
        problems.append("TMT tidak boleh sebelum tanggal penetapan (hari ini)")
    if problems:
        raise ProblemError(
            422, Msg(code="problem.invalid_decree_batch"), "; ".join(problems), errors=problems
        )
    groups = asn_groups(session, [waiting[c] for c in wanted])
    session.close()
    results = [
        await _start_batch(settings, temporal, body.agency_code, ids, decided_on, tmt, actor)
        for ids in groups
    ]
    return {**results[0], "batches": results}


def asn_groups(session: Session, cases: list[MutationCase]) -> list[list[str]]:
    """The case ids by the employee's ASN type (PNS first), each group one decree."""
    types = dict(
        session.execute(
            select(col(Employee.nip), col(Employee.asn_type)).where(
                col(Employee.nip).in_([c.nip for c in cases])
            )
        ).all()
    )
    groups: dict[str, list[str]] = {}
    for case in cases:
        groups.setdefault(types.get(case.nip) or "PNS", []).append(case.id)
    return [groups[t] for t in sorted(groups, key=lambda t: (t != "PNS", t))]


async def _start_batch(
    settings: Settings,
    temporal: Client,
    agency_code: str,
    case_ids: list[str],
    decided_on: date,
    tmt: date,
    actor: str,
) -> dict[str, Any]:
    batch = f"decree-batch-{agency_code}-{uuid.uuid4().hex[:12]}"
    handle = await temporal.start_workflow(
        DecreeBatchWorkflow.run,
        CollectiveRequest(
            batch_id=batch,
            agency_code=agency_code,
            case_ids=case_ids,
            decided_on=decided_on,
            tmt=tmt,
            actor=actor,
            at=datetime.now(UTC),
        ),
        id=batch,
        task_queue=settings.task_queue,
    )
    try:
        issued: CollectiveIssued = await asyncio.wait_for(handle.result(), WAIT_SECONDS)
    except TimeoutError:  # e.g. an embargo holds it: it is issued once allowed
        return {"batch_id": batch, "status": "processing"}
    if issued.awaiting_signature:
        return {"batch_id": batch, "status": "awaiting_signature", "number": issued.number}
    return {
        "batch_id": batch,
        "status": "issued",
        "number": issued.number,
        "extracts": [d.notice.extract_number for d in issued.deliveries],
        "skipped": issued.skipped,
    }

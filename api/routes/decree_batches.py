"""Signing batches: HR gathers the cases waiting for a decree into one collective decree
(an extract for each employee); and the agency's coat of arms printed on its decrees."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, UploadFile
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlmodel import col

from api.auth import HR_ONLY, HrActor
from api.deps import SessionDep, SettingsDep, TemporalDep
from api.errors import ProblemError
from api.services.files import read_limited
from contracts.case import CollectiveIssued, CollectiveRequest
from contracts.enums import Stage
from models import Agency, CollectiveDecree, Decree, MutationCase
from mutasi.audit import chain as audit
from mutasi.dossier.content import RefusedFile, check_upload
from mutasi.infra.clock import today
from mutasi.infra.documents import store_of
from workflows.case import tmt_after
from workflows.decree_batch import DecreeBatchWorkflow

router = APIRouter(tags=["surat keputusan"], dependencies=[HR_ONLY])
WAIT_SECONDS = 30


def _agency_or_404(session, code: str) -> Agency:
    agency = session.get(Agency, code)
    if agency is None:
        raise ProblemError(404, "Tidak ditemukan", f"instansi '{code}' tidak ditemukan")
    return agency


def _pending(session, agency_code: str) -> list[MutationCase]:
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


@router.get("/decree-batches/pending", summary="Cases waiting for a collective decree")
def pending(
    session: SessionDep, agency_code: Annotated[str, Query(max_length=32)]
) -> list[dict[str, Any]]:
    _agency_or_404(session, agency_code)
    return [
        {"case_id": c.id, "nip": c.nip, "mutation_type": c.mutation_type}
        for c in _pending(session, agency_code)
    ]


class BatchBody(BaseModel):
    agency_code: str = Field(..., max_length=32)
    case_ids: list[str] | None = Field(
        None, max_length=2000, description="bawaan: semua kasus yang menunggu SK"
    )
    decided_on: date | None = Field(None, description="tanggal penetapan (bawaan: hari ini)")
    tmt: date | None = Field(None, description="bawaan: tanggal 1 bulan berikutnya")


@router.post("/decree-batches", status_code=201, summary="Issue one collective decree")
async def create_batch(
    body: BatchBody,
    session: SessionDep,
    settings: SettingsDep,
    temporal: TemporalDep,
    actor: HrActor,
) -> dict[str, Any]:
    _agency_or_404(session, body.agency_code)
    waiting = {c.id for c in _pending(session, body.agency_code)}
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
            batch, body.agency_code, list(wanted), decided_on, tmt, actor.name, datetime.now(UTC)
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


@router.get("/decree-batches/{batch_id}", summary="A batch's collective decree, once issued")
def get_batch(batch_id: str, session: SessionDep) -> dict[str, Any]:
    decree = session.execute(
        select(CollectiveDecree).where(CollectiveDecree.batch_id == batch_id)
    ).scalar_one_or_none()
    if decree is None:
        raise ProblemError(404, "Belum terbit", f"batch '{batch_id}' belum menerbitkan SK")
    return {
        "batch_id": batch_id,
        "number": decree.number,
        "decided_on": decree.decided_on,
        "tmt": decree.tmt,
        "employees": len(decree.annex["rows"]),
        "considering": decree.annex["considering"],
        "status": decree.status,
    }


@router.put("/agencies/{agency_code}/coat-of-arms", summary="The coat of arms printed on decrees")
async def put_coat_of_arms(
    agency_code: str,
    session: SessionDep,
    settings: SettingsDep,
    actor: HrActor,
    file: Annotated[UploadFile, File(description="PNG atau JPEG")],
) -> dict[str, Any]:
    agency = _agency_or_404(session, agency_code)
    limit = 1024 * 1024
    data = await read_limited(file, limit)
    try:
        kind = check_upload(data, limit)
    except RefusedFile as exc:
        raise ProblemError(415, "Berkas ditolak", str(exc)) from exc
    if kind == "application/pdf":
        raise ProblemError(415, "Berkas ditolak", "lambang harus gambar PNG atau JPEG")
    digest = store_of(settings).put(data)
    old, agency.coat_of_arms = agency.coat_of_arms, digest
    audit.append(
        session,
        audit.AuditInput(
            key=f"coat-of-arms/{agency_code}/{digest}",
            agency_code=agency_code,
            at=datetime.now(UTC),
            actor=actor.name,
            role="hr_admin",
            action="agency.coat_of_arms",
            subject_type="agency",
            subject_id=agency_code,
            old={"sha256": old},
            new={"sha256": digest},
        ),
    )
    session.commit()
    return {"agency_code": agency_code, "sha256": digest, "media_type": kind}

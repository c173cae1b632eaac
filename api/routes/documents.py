"""A case's dossier: the checklist and uploads (HR, and the employee for their own case),
HR's verification, the letters HR records outside offices' acts with, and the SPMT."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlmodel import Session

from api.auth import HR_ONLY, SIGNED_IN, ActorDep, HrActor, require
from api.deps import ROW_ID_MAX, RowId, SessionDep, SettingsDep, TemporalDep
from api.errors import ProblemError
from api.openapi import download
from api.schemas import Message
from api.schemas.documents import DocumentOut, Dossier
from api.services.cases import IdempotencyKey, get_case_or_404, update_case
from api.services.documents import (
    check_may_read,
    document_out,
    dossier,
    letter_for,
    store_upload,
    tell_case,
    verify_document,
)
from api.services.files import read_limited
from api.services.tasks import get_task_or_404
from contracts.case import RecordedAct, ReportingForDuty
from contracts.messages import Msg
from models import CaseDocument
from mutasi.dossier.checklist import SPMT_LETTER
from mutasi.infra.documents import DocumentCorrupt, DocumentMissing, store_of
from workflows.case import MutationCaseWorkflow

router = APIRouter(tags=["dokumen kasus"], dependencies=[SIGNED_IN])


@router.get("/cases/{case_id}/documents", summary="The case's checklist and uploads")
def case_documents(case_id: str, session: SessionDep, actor: ActorDep) -> Dossier:
    case = get_case_or_404(session, case_id)
    check_may_read(session, actor, case)
    return Dossier.model_validate(dossier(session, case))


@router.post(
    "/cases/{case_id}/documents",
    dependencies=[Depends(require("hr_admin", "approver", "employee"))],
    status_code=201,
    summary="Upload a document (PDF, JPEG or PNG; the type is read from the content)",
)
async def upload_document(
    case_id: str,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    kind: Annotated[str, Form(min_length=2, max_length=48)],
    file: Annotated[UploadFile, File(description="PDF, JPEG atau PNG")],
) -> DocumentOut:
    case = get_case_or_404(session, case_id)
    check_may_read(session, actor, case)
    limit = settings.case_document_max_bytes
    data = await read_limited(file, limit)
    doc = store_upload(
        session, store_of(settings), case, actor, kind, file.filename or "", data, limit
    )
    await tell_case(request, session, case)
    return DocumentOut.model_validate(document_out(doc))


@router.get(
    "/documents/{document_id}",
    summary="A document's file",
    response_class=Response,
    responses=download("application/pdf", "image/jpeg", "image/png"),
)
def document_file(
    document_id: RowId, session: SessionDep, settings: SettingsDep, actor: ActorDep
) -> Response:
    doc = _document_or_404(session, document_id)
    check_may_read(session, actor, get_case_or_404(session, doc.case_id))
    try:
        data = store_of(settings).get(doc.sha256)
    except (DocumentMissing, DocumentCorrupt) as exc:
        raise ProblemError(500, Msg(code="problem.document_damaged_or_missing"), str(exc)) from exc
    return Response(
        data,
        media_type=doc.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="dokumen-{doc.id}"',
            "X-Content-Type-Options": "nosniff",
        },
    )


class VerificationBody(BaseModel):
    accept: bool
    reason: str = Field("", max_length=1000)


@router.post(
    "/documents/{document_id}/verification",
    dependencies=[HR_ONLY],
    summary="HR accepts a document, or rejects it with a reason",
)
async def verify(
    document_id: RowId,
    body: VerificationBody,
    request: Request,
    session: SessionDep,
    actor: HrActor,
) -> DocumentOut:
    doc = _document_or_404(session, document_id)
    case = get_case_or_404(session, doc.case_id)
    doc = verify_document(session, doc, case, actor, body.accept, body.reason)
    await tell_case(request, session, case)
    return DocumentOut.model_validate(document_out(doc))


class RecordedActBody(BaseModel):
    approve: bool
    letter_number: str = Field(..., min_length=1, max_length=120)
    letter_date: date
    document_id: RowId
    comment: str = Field("", max_length=2000)


@router.post(
    "/tasks/{task_id}/record",
    dependencies=[HR_ONLY],
    summary="Record an act decided on paper (an outside office, or the PPK in person)",
)
async def record_act(
    task_id: str,
    body: RecordedActBody,
    session: SessionDep,
    temporal: TemporalDep,
    actor: HrActor,
    key: IdempotencyKey = None,
) -> Message:
    task = get_task_or_404(session, task_id)
    letter = letter_for(session, task, body.document_id)
    if letter.status == "rejected":
        raise ProblemError(
            422,
            Msg(code="problem.letter_refused"),
            Msg(code="problem.this_letter_was_refused_at_verification"),
        )
    return await update_case(
        session,
        temporal,
        task.case_id,
        MutationCaseWorkflow.record_act,
        RecordedAct(
            task_id=task.id,
            actor=actor.name,
            approve=body.approve,
            letter_number=body.letter_number.strip(),
            letter_date=body.letter_date,
            document_sha256=letter.sha256,
            comment=body.comment,
        ),
        key,
        actor.name,
    )


class ReportingBody(BaseModel):
    reported_on: date
    document_id: int = Field(
        ..., ge=1, le=ROW_ID_MAX, description="the uploaded SPMT (kind 'spmt')"
    )
    sworn_in_on: date | None = Field(None, description="pelantikan, for structural posts")


@router.post(
    "/cases/{case_id}/reporting",
    dependencies=[Depends(require("hr_admin", "approver"))],
    summary="Confirm the SPMT: the destination head (or delegate), or HR",
)
async def confirm_reporting(
    case_id: str,
    body: ReportingBody,
    session: SessionDep,
    temporal: TemporalDep,
    actor: ActorDep,
    key: IdempotencyKey = None,
) -> Message:
    case = get_case_or_404(session, case_id)
    if not actor.has("hr_admin"):
        check_may_read(session, actor, case)  # a case one is not part of reads as unknown
    # Anyone else is checked by the case itself: the destination head and their delegates.
    if not actor.has("hr_admin") and (not actor.nip or actor.nip == case.nip):
        raise ProblemError(
            403,
            Msg(code="problem.access_denied"),
            Msg(code="problem.only_the_head_of_the_destination_unit_or_bkpsdm"),
        )
    doc = session.get(CaseDocument, body.document_id)
    if doc is None or doc.case_id != case.id or doc.kind != SPMT_LETTER:
        raise ProblemError(
            422,
            Msg(code="problem.report_of_duty_not_found"),
            Msg(code="problem.upload_the_report_of_duty_type_spmt_for_this"),
        )
    return await update_case(
        session,
        temporal,
        case_id,
        MutationCaseWorkflow.confirm_reporting,
        ReportingForDuty(
            actor_nip="" if actor.has("hr_admin") else (actor.nip or ""),
            actor=actor.name,
            reported_on=body.reported_on,
            document_sha256=doc.sha256,
            sworn_in_on=body.sworn_in_on,
        ),
        key,
        actor.name,
    )


def _document_or_404(session: Session, document_id: int) -> CaseDocument:
    doc = session.get(CaseDocument, document_id)
    if doc is None:
        raise ProblemError(
            404,
            Msg(code="problem.not_found"),
            Msg(
                code="problem.document_document_id_not_found",
                params={"document_id": str(document_id)},
            ),
        )
    return doc

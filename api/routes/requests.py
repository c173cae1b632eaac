"""Moves outside cycles: an employee's own request (APS), the direct superior's opinion,
HR's screening, HR's individual move, the employee's withdrawal."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile
from sqlalchemy import select
from sqlmodel import Session, col

from api.auth import (
    APPROVER_ONLY,
    EMPLOYEE_ONLY,
    HR_ONLY,
    Actor,
    ApproverActor,
    EmployeeActor,
    HrActor,
    HrOrApproverActor,
    own_nip,
)
from api.deps import SessionDep, SettingsDep, TemporalDep
from api.errors import ProblemError
from api.schemas import Message
from api.schemas.requests import (
    OwnRequest,
    RequestView,
    ScreeningOutcome,
    ScreeningPreview,
    UploadedDocument,
)
from api.services.cases import IdempotencyKey
from api.services.files import read_limited
from api.services.requests import (
    ApsBody,
    IndividualBody,
    OpinionBody,
    ScreeningBody,
    WithdrawBody,
    add_document,
    employee_view,
    file_aps,
    get_request_or_404,
    give_opinion,
    hr_view,
    open_individual,
    screen,
    screening_preview,
    withdraw,
)
from contracts.messages import Msg
from models import TransferRequest
from mutasi.infra.db import must
from mutasi.infra.documents import store_of

router = APIRouter(tags=["permohonan"])


def _own(session: Session, request_id: str, actor: Actor) -> TransferRequest:
    row = get_request_or_404(session, request_id)
    if row.nip != own_nip(actor):  # another person's request does not exist for this user
        raise ProblemError(
            404,
            Msg(code="problem.not_found"),
            Msg(
                code="problem.request_request_id_not_found", params={"request_id": str(request_id)}
            ),
        )
    return row


@router.post(
    "/me/requests",
    status_code=201,
    dependencies=[EMPLOYEE_ONLY],
    summary="File my own transfer request (APS)",
)
async def file_request(
    body: ApsBody,
    session: SessionDep,
    settings: SettingsDep,
    temporal: TemporalDep,
    actor: EmployeeActor,
) -> OwnRequest:
    row = await file_aps(session, temporal, settings.task_queue, own_nip(actor), actor.name, body)
    return OwnRequest.model_validate(employee_view(session, row))


@router.get("/me/requests", summary="My requests, newest first")
def my_requests(session: SessionDep, actor: EmployeeActor) -> list[OwnRequest]:
    rows = session.execute(
        select(TransferRequest)
        .where(col(TransferRequest.nip) == own_nip(actor))
        .order_by(col(TransferRequest.created_at).desc())
    ).scalars()
    return [OwnRequest.model_validate(employee_view(session, r)) for r in rows]


@router.post(
    "/me/requests/{request_id}/documents",
    status_code=201,
    summary="Add a supporting document",
    dependencies=[EMPLOYEE_ONLY],
)
async def upload(
    request_id: str,
    session: SessionDep,
    settings: SettingsDep,
    actor: EmployeeActor,
    file: Annotated[UploadFile, File(description="PDF, JPEG atau PNG")],
) -> UploadedDocument:
    row = _own(session, request_id, actor)
    limit = settings.case_document_max_bytes
    data = await read_limited(file, limit)
    doc = add_document(session, store_of(settings), row, actor, file.filename or "", data, limit)
    return UploadedDocument(
        id=must(doc.id, "id dokumen"), filename=doc.filename, size=doc.size, sha256=doc.sha256
    )


@router.post(
    "/me/requests/{request_id}/withdraw",
    dependencies=[EMPLOYEE_ONLY],
    summary="Withdraw my request (or its case)",
)
async def withdraw_mine(
    request_id: str,
    body: WithdrawBody,
    session: SessionDep,
    temporal: TemporalDep,
    actor: EmployeeActor,
    key: IdempotencyKey = None,
) -> Message:
    row = _own(session, request_id, actor)
    return Message(message=await withdraw(session, temporal, row, actor, body, key))


def _visible(session: Session, request_id: str, actor: Actor) -> TransferRequest:
    """HR sees every request; an approver only those they were asked to give an opinion on."""
    row = get_request_or_404(session, request_id)
    if not actor.has("hr_admin") and (not actor.nip or row.superior_nip != actor.nip):
        raise ProblemError(
            404,
            Msg(code="problem.not_found"),
            Msg(
                code="problem.request_request_id_not_found", params={"request_id": str(request_id)}
            ),
        )
    return row


@router.get("/requests", summary="Requests (HR: all; a superior: those asked of them)")
def list_requests(
    session: SessionDep,
    actor: HrOrApproverActor,
    status: Annotated[str | None, Query(max_length=16)] = None,
    kind: Annotated[str | None, Query(max_length=16)] = None,
) -> list[RequestView]:
    query = select(TransferRequest).order_by(col(TransferRequest.created_at).desc())
    if not actor.has("hr_admin"):
        query = query.where(col(TransferRequest.superior_nip) == (actor.nip or ""))
    if status:
        query = query.where(col(TransferRequest.status) == status)
    if kind:
        query = query.where(col(TransferRequest.kind) == kind)
    return [
        RequestView.model_validate(hr_view(session, r))
        for r in session.execute(query.limit(500)).scalars()
    ]


@router.get(
    "/requests/{request_id}", summary="One request with the superior's opinion and screening"
)
def get_request(request_id: str, session: SessionDep, actor: HrOrApproverActor) -> RequestView:
    return RequestView.model_validate(hr_view(session, _visible(session, request_id, actor)))


@router.post(
    "/requests/{request_id}/opinion",
    dependencies=[APPROVER_ONLY],
    summary="The direct superior's opinion",
)
async def opinion(
    request_id: str,
    body: OpinionBody,
    session: SessionDep,
    temporal: TemporalDep,
    actor: ApproverActor,
    key: IdempotencyKey = None,
) -> Message:
    row = _visible(session, request_id, actor)
    return Message(message=await give_opinion(session, temporal, row, actor, body, key))


@router.get(
    "/requests/{request_id}/screening",
    summary="The eligibility rules for a destination, as the screening will judge them",
)
def preview(
    request_id: str,
    session: SessionDep,
    actor: HrActor,
    destination_position: Annotated[str, Query(max_length=32)],
) -> ScreeningPreview:
    row = get_request_or_404(session, request_id)
    return ScreeningPreview.model_validate(screening_preview(session, row, destination_position))


@router.post(
    "/requests/{request_id}/screening",
    dependencies=[HR_ONLY],
    summary="HR accepts (a case opens) or refuses",
)
async def decide(
    request_id: str,
    body: ScreeningBody,
    session: SessionDep,
    temporal: TemporalDep,
    actor: HrActor,
    key: IdempotencyKey = None,
) -> ScreeningOutcome:
    row = get_request_or_404(session, request_id)
    state = await screen(session, temporal, row, actor, body, key)
    return ScreeningOutcome(request_id=state.request_id, status=state.status, case_id=state.case_id)


@router.post(
    "/individual-moves",
    dependencies=[HR_ONLY],
    status_code=201,
    summary="HR opens one person's move outside a cycle",
)
async def individual(
    body: IndividualBody,
    session: SessionDep,
    settings: SettingsDep,
    temporal: TemporalDep,
    actor: HrActor,
) -> RequestView:
    row = await open_individual(session, temporal, settings.task_queue, actor.name, body)
    return RequestView.model_validate(hr_view(session, row))

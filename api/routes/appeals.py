"""After the decree: published results for signed-in staff, and the employee's formal
objection (keberatan) decided by the PPK with a reason."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile

from api.auth import (
    EMPLOYEE_ONLY,
    HR_ONLY,
    ActorDep,
    EmployeeActor,
    HrActor,
    HrOrApproverActor,
    own_nip,
)
from api.deps import RowId, SessionDep, SettingsDep, get_temporal
from api.errors import ProblemError
from api.schemas import Message
from api.schemas.people import AppealOut, PublishedMove
from api.services.appeals import (
    AppealDecisionBody,
    appeals_for,
    decide,
    lodge,
    published_results,
    revocation_of,
    start_revocation,
)
from api.services.cases import get_case_or_404
from api.services.files import read_limited
from contracts.messages import Msg
from models import DecreeAppeal
from mutasi.infra.documents import store_of

router = APIRouter(tags=["hasil & keberatan"])


def appeal_out(a: DecreeAppeal) -> AppealOut:
    return AppealOut.model_validate(a)


@router.get("/results", summary="Who moves where and from when, by issued decree")
def results(
    session: SessionDep,
    actor: ActorDep,
    agency_code: Annotated[str | None, Query(max_length=32)] = None,
) -> list[PublishedMove]:
    return [PublishedMove.model_validate(row) for row in published_results(session, agency_code)]


@router.post(
    "/me/cases/{case_id}/appeal",
    status_code=201,
    dependencies=[EMPLOYEE_ONLY],
    summary="Lodge a formal objection (keberatan) to my decree",
)
async def appeal(
    case_id: str,
    session: SessionDep,
    settings: SettingsDep,
    actor: EmployeeActor,
    reason: Annotated[str, Form(max_length=2000)],
    file: Annotated[UploadFile | None, File(description="PDF, JPEG atau PNG (opsional)")] = None,
) -> AppealOut:
    case = get_case_or_404(session, case_id)
    if case.nip != own_nip(actor):
        raise ProblemError(
            404,
            Msg(code="problem.not_found"),
            Msg(code="problem.case_case_id_not_found", params={"case_id": str(case_id)}),
        )
    upload = None
    if file is not None and file.filename:
        upload = (file.filename, await read_limited(file, settings.case_document_max_bytes))
    row = lodge(session, settings, store_of(settings), actor, case, reason, upload)
    return appeal_out(row)


@router.get("/appeals", summary="Objections waiting for my decision (HR: those it records)")
def list_appeals(
    session: SessionDep,
    actor: HrOrApproverActor,
    status: Annotated[str, Query(pattern="^(filed|upheld|dismissed)$")] = "filed",
) -> list[AppealOut]:
    return [appeal_out(a) for a in appeals_for(session, actor, status)]


@router.post("/appeals/{appeal_id}/decision", summary="Decide an objection, with a reason")
async def decide_appeal(
    appeal_id: RowId,
    body: AppealDecisionBody,
    request: Request,
    session: SessionDep,
    actor: HrOrApproverActor,
) -> Message:
    row = session.get(DecreeAppeal, appeal_id)
    if row is None:
        raise ProblemError(
            404,
            Msg(code="problem.not_found"),
            Msg(code="problem.objection_appeal_id_not_found", params={"appeal_id": str(appeal_id)}),
        )
    return Message(
        message=await decide(
            session,
            lambda: get_temporal(request),
            actor,
            row,
            body,
            request.app.state.settings.task_queue,
        )
    )


@router.post(
    "/appeals/{appeal_id}/revocation",
    dependencies=[HR_ONLY],
    summary="Start (again) the revoking decree of an upheld objection",
)
async def restart_revocation(
    appeal_id: RowId, request: Request, session: SessionDep, actor: HrActor
) -> Message:
    row = session.get(DecreeAppeal, appeal_id)
    if row is None:
        raise ProblemError(
            404,
            Msg(code="problem.not_found"),
            Msg(code="problem.objection_appeal_id_not_found", params={"appeal_id": str(appeal_id)}),
        )
    if row.status != "upheld":
        raise ProblemError(
            409,
            Msg(code="problem.not_upheld"),
            Msg(code="problem.only_an_upheld_objection_revokes_its_decree"),
        )
    request_ = revocation_of(row, actor.name)
    session.close()
    await start_revocation(
        await get_temporal(request), request.app.state.settings.task_queue, request_
    )
    return Message(message="SK pembatalan disiapkan melalui jalur penandatanganan SK.")

"""After the decree on the pages: the published results for signed-in staff, the
employee's objection from /saya, and its decision by the PPK's side (the inbox) or HR."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from api.deps import RowId, SessionDep, get_temporal
from api.errors import ProblemError
from api.pages.common import (
    AnyPage,
    EmployeePage,
    HrOrApproverPage,
    checked_form,
    redirect,
    refusal,
    render,
)
from api.pages.employee import my_page
from api.services.appeals import AppealDecisionBody, decide, lodge, published_results
from models import DecreeAppeal, MutationCase
from mutasi.infra.documents import store_of

router = APIRouter(include_in_schema=False)


@router.get("/hasil")
def results(
    request: Request,
    session: SessionDep,
    actor: AnyPage,
    q: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    rows = published_results(session)
    if q:
        needle = q.lower()
        rows = [
            r
            for r in rows
            if needle in (r["name"] or "").lower()
            or needle in (r["nip"] or "")
            or needle in (r["to_unit"] or "").lower()
        ]
    return render(request, "results.html", actor, rows=rows, q=q)


@router.post("/saya/keberatan/{case_id}")
async def lodge_appeal(
    case_id: str, request: Request, session: SessionDep, actor: EmployeePage
) -> Response:
    form = await checked_form(request, actor)
    case = session.get(MutationCase, case_id)
    if case is None or case.nip != actor.nip:
        return my_page(request, session, actor, "Kasus tidak ditemukan.", 404)
    settings = request.app.state.settings
    upload = form.get("file")
    file = None
    if isinstance(upload, UploadFile) and upload.filename:
        file = (upload.filename, await upload.read(settings.case_document_max_bytes + 1))
    try:
        lodge(
            session, settings, store_of(settings), actor, case, str(form.get("reason") or ""), file
        )
    except ProblemError as exc:
        return my_page(request, session, actor, refusal(request, exc), exc.status)
    return redirect(
        "/saya",
        "Keberatan Anda tercatat dan diteruskan kepada PPK; Anda akan diberi tahu keputusannya.",
    )


@router.post("/keberatan/{appeal_id}")
async def decide_appeal(
    appeal_id: RowId, request: Request, session: SessionDep, actor: HrOrApproverPage
) -> Response:
    form = await checked_form(request, actor)
    back = "/hr/tindakan" if actor.has("hr_admin") else "/inbox"
    row = session.get(DecreeAppeal, appeal_id)
    if row is None:
        return redirect(back, "Keberatan tidak ditemukan.")
    try:
        body = AppealDecisionBody(
            uphold=form.get("action") == "uphold",
            reason=str(form.get("reason") or "").strip(),
            letter_number=str(form.get("letter_number") or ""),
        )
        message = await decide(
            session,
            lambda: get_temporal(request),
            actor,
            row,
            body,
            request.app.state.settings.task_queue,
        )
    except ValidationError:
        return redirect(back, "Tulis alasan keputusan atas keberatan (minimal 3 karakter).")
    except ProblemError as exc:
        return redirect(back, refusal(request, exc))
    return redirect(back, message)

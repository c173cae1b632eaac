"""Requests outside cycles on the pages: the employee files, follows and withdraws their own
(APS) on /saya; the direct superior gives an opinion from the inbox; HR screens requests and
opens individual moves on /hr/permohonan. Every action goes through api.services.requests,
the same path as the API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlmodel import Session, col
from starlette.datastructures import UploadFile

from api.auth import Actor
from api.deps import SessionDep, get_temporal
from api.errors import ProblemError
from api.pages.common import (
    ApproverPage,
    EmployeePage,
    HrPage,
    checked_form,
    redirect,
    refusal,
    render,
)
from api.pages.employee import my_page
from api.services.requests import (
    ApsBody,
    IndividualBody,
    OpinionBody,
    ScreeningBody,
    WithdrawBody,
    add_document,
    file_aps,
    get_request_or_404,
    give_opinion,
    hr_view,
    open_individual,
    screen,
    screening_preview,
    withdraw,
)
from api.validation_text import pesan
from contracts.requests import INDIVIDUAL_CATEGORIES, OPEN_STATUSES, RequestStatus
from models import Position, TransferRequest
from mutasi.infra.documents import store_of

router = APIRouter(include_in_schema=False)
LIST_LIMIT = 200


FIELD_LABELS = {
    "reason": "Alasan",
    "category": "Kategori",
    "wishes": "Unit tujuan",
    "nip": "NIP",
    "destination_position": "Jabatan tujuan",
    "override_reason": "Alasan override",
}


def _problem_text(exc: ValidationError) -> str:
    """Each refused field named as the form names it, with what is wrong."""
    return "; ".join(
        f"{FIELD_LABELS.get(str(e['loc'][0]), str(e['loc'][0])) if e.get('loc') else 'Isian'}: "
        f"{pesan(e)}"
        for e in exc.errors()
    )


# -- the employee ---------------------------------------------------------------------
@router.post("/saya/permohonan")
async def file_request(request: Request, session: SessionDep, actor: EmployeePage) -> Response:
    form = await checked_form(request, actor)
    wishes = [w for w in (form.get(f"wish{i}") or "" for i in (1, 2, 3)) if w]
    try:
        body = ApsBody(
            category=form.get("category") or "",
            reason=(form.get("reason") or "").strip(),
            wishes=wishes,
        )
        temporal = await get_temporal(request)
        settings = request.app.state.settings
        row = await file_aps(
            session, temporal, settings.task_queue, actor.nip or "", actor.name, body
        )
        upload = form.get("file")
        if isinstance(upload, UploadFile) and upload.filename:
            limit = settings.case_document_max_bytes
            data = await upload.read(limit + 1)
            add_document(session, store_of(settings), row, actor, upload.filename, data, limit)
    except ValidationError as exc:
        return my_page(request, session, actor, _problem_text(exc), 422)
    except ProblemError as exc:
        return my_page(request, session, actor, refusal(request, exc), exc.status)
    return redirect(
        "/saya",
        f"Permohonan {row.id} terkirim. Atasan langsung Anda memberi pendapat lebih dulu, lalu "
        "BKPSDM memeriksanya; Anda akan diberi tahu hasilnya.",
    )


@router.post("/saya/permohonan/{request_id}/tarik")
async def withdraw_request(
    request_id: str, request: Request, session: SessionDep, actor: EmployeePage
) -> Response:
    form = await checked_form(request, actor)
    row = session.get(TransferRequest, request_id)
    if row is None or row.nip != actor.nip:
        return my_page(request, session, actor, "Permohonan tidak ditemukan.", 404)
    try:
        body = WithdrawBody(reason=(form.get("reason") or "").strip())
        await withdraw(session, await get_temporal(request), row, actor, body, None)
    except ValidationError:
        return my_page(request, session, actor, "Tulis alasan penarikan (minimal 3 huruf).", 422)
    except ProblemError as exc:
        return my_page(request, session, actor, refusal(request, exc), exc.status)
    return redirect("/saya", f"Permohonan {request_id} Anda tarik; tidak ada yang diproses lagi.")


# -- the direct superior --------------------------------------------------------------
def asked_of(session: Session, nip: str | None) -> list[dict[str, Any]]:
    """Requests waiting for this superior's opinion."""
    rows = session.execute(
        select(TransferRequest)
        .where(
            col(TransferRequest.superior_nip) == (nip or ""),
            col(TransferRequest.status) == RequestStatus.OPINION,
        )
        .order_by(col(TransferRequest.opinion_due))
    ).scalars()
    return [hr_view(session, r) for r in rows]


@router.post("/inbox/permohonan/{request_id}")
async def opinion(
    request_id: str, request: Request, session: SessionDep, actor: ApproverPage
) -> Response:
    form = await checked_form(request, actor)
    support = form.get("action") == "support"
    reason = (form.get("reason") or "").strip()
    if not support and len(reason) < 3:
        return redirect("/inbox", "Pendapat tidak mendukung wajib disertai alasan.")
    try:
        row = get_request_or_404(session, request_id)
        await give_opinion(
            session,
            await get_temporal(request),
            row,
            actor,
            OpinionBody(support=support, reason=reason),
            None,
        )
    except ProblemError as exc:
        return redirect("/inbox", refusal(request, exc))
    said = "mendukung" if support else "tidak mendukung"
    return redirect("/inbox", f"Pendapat Anda ({said}) atas permohonan {request_id} tercatat.")


# -- HR -------------------------------------------------------------------------------
def hr_page(
    request: Request,
    session: Session,
    actor: Actor,
    status: str = "open",
    error: str | None = None,
    code: int = 200,
    checks: dict[str, Any] | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    query = select(TransferRequest).order_by(col(TransferRequest.created_at).desc())
    if status == "open":
        query = query.where(col(TransferRequest.status).in_(OPEN_STATUSES))
    elif status:
        query = query.where(col(TransferRequest.status) == status)
    rows = [hr_view(session, r) for r in session.execute(query.limit(LIST_LIMIT)).scalars()]
    positions = session.execute(
        select(col(Position.code), col(Position.title), col(Position.unit_code)).order_by(
            col(Position.unit_code), col(Position.title)
        )
    ).all()
    return render(
        request,
        "hr/requests.html",
        actor,
        code,
        rows=rows,
        status=status,
        positions=positions,
        categories=INDIVIDUAL_CATEGORIES,
        error=error,
        checks=checks or {},
        typed=typed or {},
    )


def _again(
    request: Request,
    session: Session,
    actor: Actor,
    typed: dict[str, Any],
    form_id: str,
    error: str,
    code: int,
    checks: dict[str, Any] | None = None,
) -> Response:
    """The page again with the refusal in place and what was typed still in its form."""
    return hr_page(
        request,
        session,
        actor,
        error=error,
        code=code,
        checks=checks,
        typed={**typed, "id": form_id},
    )


@router.get("/hr/permohonan")
def requests_page(
    request: Request,
    session: SessionDep,
    actor: HrPage,
    status: Annotated[str, Query(pattern="^(open|accepted|refused|withdrawn|)$")] = "open",
) -> Response:
    return hr_page(request, session, actor, status)


@router.post("/hr/permohonan/{request_id}")
async def screen_request(
    request_id: str, request: Request, session: SessionDep, actor: HrPage
) -> Response:
    form = await checked_form(request, actor)
    action = form.get("action") or ""
    typed = {
        k: str(form.get(k) or "") for k in ("destination_position", "reason", "override_reason")
    }
    row = session.get(TransferRequest, request_id)
    if row is None:
        return hr_page(request, session, actor, error="Permohonan tidak ditemukan.", code=404)
    if action == "check":  # the rules for the chosen post, shown beside the form
        preview = screening_preview(session, row, typed["destination_position"])
        return hr_page(
            request, session, actor, checks={request_id: preview}, typed={**typed, "id": request_id}
        )
    try:
        body = ScreeningBody(
            accept=action == "accept",
            reason=typed["reason"].strip(),
            destination_position=typed["destination_position"],
            override_reason=typed["override_reason"].strip(),
        )
        state = await screen(session, await get_temporal(request), row, actor, body, None)
    except ValidationError as exc:
        return _again(request, session, actor, typed, request_id, _problem_text(exc), 422)
    except ProblemError as exc:
        checks = (
            {request_id: screening_preview(session, row, typed["destination_position"])}
            if typed["destination_position"]
            else None
        )
        return _again(
            request, session, actor, typed, request_id, refusal(request, exc), exc.status, checks
        )
    if state.status == RequestStatus.ACCEPTED:
        return redirect(
            "/hr/permohonan", f"Permohonan {request_id} diterima; kasus {state.case_id} dibuka."
        )
    return redirect(
        "/hr/permohonan", f"Permohonan {request_id} ditolak; pemohon diberi tahu alasannya."
    )


@router.post("/hr/mutasi-individual")
async def individual(request: Request, session: SessionDep, actor: HrPage) -> Response:
    form = await checked_form(request, actor)
    typed = {
        k: str(form.get(k) or "").strip()
        for k in ("nip", "destination_position", "category", "reason", "override_reason")
    }
    try:
        body = IndividualBody(**typed)
        row = await open_individual(
            session,
            await get_temporal(request),
            request.app.state.settings.task_queue,
            actor.name,
            body,
        )
    except ValidationError as exc:
        return _again(request, session, actor, typed, "individual", _problem_text(exc), 422)
    except ProblemError as exc:
        return _again(
            request, session, actor, typed, "individual", refusal(request, exc), exc.status
        )
    return redirect(
        "/hr/permohonan?status=accepted",
        f"Mutasi individual {row.id} dibuka untuk {body.nip}; pegawai diminta tanggapannya lebih dulu.",
    )

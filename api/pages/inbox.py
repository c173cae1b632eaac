"""Approver pages: the inbox (deadlines highlighted, bulk approve) and one task with its
case context and a decision form. Decisions go through the same path as the API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlmodel import Session, col

from api.auth import Actor
from api.deps import SessionDep, get_temporal
from api.errors import ProblemError
from api.pages.common import ApproverPage, checked_form, redirect, refusal, render
from api.pages.legal import spmt_from_form
from api.pages.requests import asked_of
from api.queries import acting_for, inbox_query, may_decide, task_context
from api.services.appeals import appeals_for
from api.services.committee import deliver, sign_sitting
from api.services.evaluations import EvaluationBody, evaluations_for, submit_evaluation
from api.services.inbox_rows import filtered, inbox_rows
from api.services.tasks import (
    DecisionBody,
    decide_each,
    decide_one,
    delegation_day,
    get_task_or_404,
)
from contracts.case import SERVICE_INDICATORS
from contracts.enums import EvaluationStatus, Stage, TaskStatus
from contracts.messages import Msg
from models import ApprovalTask, CommitteeSitting, MutationCase
from mutasi.infra.documents import store_of
from mutasi.org.directory import OrgDirectory, Unresolvable

router = APIRouter(include_in_schema=False)
INBOX_LIMIT = 200
DUE_SOON = timedelta(days=1)


@router.get("/inbox")
def inbox(
    request: Request,
    session: SessionDep,
    actor: ApproverPage,
    q: Annotated[str, Query(max_length=100)] = "",
    kind: Annotated[str, Query(max_length=24)] = "",
    step: Annotated[str, Query(max_length=200)] = "",
    sort: Annotated[str, Query(pattern="^(due|name|jpm)$")] = "due",
) -> Response:
    tasks = list(
        session.execute(
            inbox_query(session, actor.nip or "", TaskStatus.OPEN, delegation_day()).limit(
                INBOX_LIMIT
            )
        ).scalars()
    )
    everything = inbox_rows(session, tasks, actor.nip, datetime.now(UTC), DUE_SOON)
    rows = filtered(everything, q, kind, step, sort)
    evaluations = (
        session.execute(evaluations_for(session, actor.nip or "", EvaluationStatus.OPEN))
        .scalars()
        .all()
    )
    return render(
        request,
        "inbox/list.html",
        actor,
        tasks=rows,
        total=len(everything),
        kinds=sorted({r.mutation_type for r in everything}),
        steps=sorted({r.task.title for r in everything}),
        chosen={"q": q, "kind": kind, "step": step, "sort": sort},
        evaluations=evaluations,
        indicators=SERVICE_INDICATORS,
        sittings=sittings_to_sign(session, actor.nip),
        reporting=reporting_to_confirm(session, actor.nip),
        asked=asked_of(session, actor.nip),
        appeals=appeals_for(session, actor),
    )


def sittings_to_sign(session: Session, nip: str | None) -> list[CommitteeSitting]:
    """Minutes drafted by HR that this approver, as the committee's chair, must sign."""
    if not nip:
        return []
    return list(
        session.execute(
            select(CommitteeSitting).where(
                col(CommitteeSitting.chair_nip) == nip, col(CommitteeSitting.status) == "draft"
            )
        ).scalars()
    )


def reporting_to_confirm(session: Session, nip: str | None) -> list[MutationCase]:
    """Cases past TMT whose SPMT this approver (the destination head, or a delegate) owes."""
    if not nip:
        return []
    mine = set(acting_for(session, nip, delegation_day()))
    directory = OrgDirectory(session)
    owed = []
    for case in session.execute(
        select(MutationCase).where(col(MutationCase.stage) == Stage.REPORTING).limit(INBOX_LIMIT)
    ).scalars():
        try:
            if directory.head_of(case.destination_unit) in mine:
                owed.append(case)
        except Unresolvable:
            continue
    return owed


@router.post("/inbox/sittings/{number}/sign")
async def sign_minutes(
    number: str, request: Request, session: SessionDep, actor: ApproverPage
) -> Response:
    await checked_form(request, actor)
    sitting = session.get(CommitteeSitting, number)
    if sitting is None or sitting.chair_nip != actor.nip:
        return redirect("/inbox", "Berita acara tidak ditemukan atau bukan untuk Anda.")
    settings = request.app.state.settings
    try:
        sitting = sign_sitting(session, store_of(settings), sitting, actor.nip, actor.name)
        await deliver(await get_temporal(request), settings.task_queue, sitting)
    except ProblemError as exc:
        return redirect("/inbox", refusal(request, exc))
    return redirect(
        "/inbox",
        f"Berita acara {number} ditandatangani; rekomendasi dikirim ke {len(sitting.items)} kasus.",
    )


@router.post("/inbox/reporting/{case_id}")
async def confirm_spmt(
    case_id: str, request: Request, session: SessionDep, actor: ApproverPage
) -> Response:
    form = await checked_form(request, actor)
    case = session.get(MutationCase, case_id)
    try:
        if case is None or case not in reporting_to_confirm(session, actor.nip):
            raise ProblemError(
                403,
                Msg(code="problem.access_denied"),
                Msg(code="problem.this_report_of_duty_is_not_yours_to_confirm"),
            )
        message = await spmt_from_form(request, session, actor, case, form, actor.nip or "")
    except ValueError:
        return redirect("/inbox", "Tanggal tidak sah.")
    except ProblemError as exc:
        return redirect("/inbox", refusal(request, exc))
    return redirect("/inbox", message)


@router.post("/inbox/evaluation")
async def evaluate(request: Request, session: SessionDep, actor: ApproverPage) -> Response:
    form = await checked_form(request, actor)
    case_id = form.get("case_id") or ""
    try:
        body = EvaluationBody(
            indicators={k: form.get(k) for k in SERVICE_INDICATORS},
            adaptation_score=form.get("adaptation_score"),
            comment=(form.get("comment") or "").strip()[:2000],
        )
    except ValidationError:
        return redirect("/inbox", "Evaluasi belum lengkap: isi setiap nilai 1 sampai 5.")
    try:
        temporal = await get_temporal(request)
        message = await submit_evaluation(session, temporal, actor, case_id, body, None)
    except ProblemError as exc:
        return redirect("/inbox", refusal(request, exc))
    return redirect("/inbox", message)


@router.get("/inbox/task")
def show_task(request: Request, session: SessionDep, actor: ApproverPage, id: str) -> Response:
    return task_page(request, session, actor, id)


def task_page(
    request: Request,
    session: SessionDep,
    actor: Actor,
    id: str,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    """The task page, also re-shown with the error of a refused decision (never from the query string)."""
    try:
        task = get_task_or_404(session, id)
    except ProblemError:
        return render(request, "not_found.html", actor, 404, what=f"tugas {id}")
    if not may_decide(session, task, actor.nip, delegation_day()):
        return render(request, "forbidden.html", actor, 403)
    context = task_context(session, task)
    return render(request, "inbox/task.html", actor, status_code, ctx=context, error=error)


@router.post("/inbox/decide")
async def decide(request: Request, session: SessionDep, actor: ApproverPage) -> Response:
    form = await checked_form(request, actor)
    task_id = form.get("task_id") or ""
    approve = form.get("action") == "approve"
    comment = (form.get("comment") or "").strip()[:2000]
    if not approve and len(comment) < 3:
        return task_page(
            request,
            session,
            actor,
            task_id,
            "Penolakan wajib disertai alasan pada kolom catatan.",
            422,
        )
    try:
        temporal = await get_temporal(request)
        message = await decide_one(
            session,
            temporal,
            actor,
            task_id,
            DecisionBody(approve=approve, comment=comment),
            None,
        )
    except ProblemError as exc:
        return task_page(request, session, actor, task_id, refusal(request, exc), exc.status)
    return redirect("/inbox", message)


@router.post("/inbox/bulk")
async def bulk_approve(request: Request, session: SessionDep, actor: ApproverPage) -> Response:
    """First a confirmation listing what will be approved; approved once confirmed."""
    form = await checked_form(request, actor)
    ids = form.get("task_id") or []
    ids = ([ids] if isinstance(ids, str) else ids)[:100]
    if not ids:
        return redirect("/inbox", "Pilih minimal satu tugas.")
    comment = (form.get("comment") or "").strip()[:2000]
    if form.get("confirmed") != "ya":
        tasks = [t for t in (session.get(ApprovalTask, i) for i in ids) if t is not None]
        chosen = [t for t in tasks if may_decide(session, t, actor.nip, delegation_day())]
        rows = inbox_rows(session, chosen, actor.nip, datetime.now(UTC), DUE_SOON)
        return render(request, "inbox/confirm.html", actor, rows=rows, comment=comment)
    temporal = await get_temporal(request)
    body = DecisionBody(approve=True, comment=comment)
    decided = await decide_each(session, temporal, actor, [(i, body) for i in ids], None)
    done = sum(1 for _, status, _ in decided if status == 200)
    failed = [f"{task_id}: {why}" for task_id, status, why in decided if status != 200]
    message = f"{done} tugas disetujui." + (f" Gagal: {'; '.join(failed)}" if failed else "")
    return redirect("/inbox", message)

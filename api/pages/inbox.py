"""Approver pages: the inbox (deadlines highlighted, bulk approve) and one task with its
case context and a decision form. Decisions go through the same path as the API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError

from api.auth import Actor
from api.deps import SessionDep, get_temporal
from api.errors import ProblemError
from api.pages.common import checked_form, page_actor, redirect, render
from api.queries import inbox_query, may_decide, task_context
from api.services.evaluations import EvaluationBody, evaluations_for, submit_evaluation
from api.services.tasks import DecisionBody, decide_one, delegation_day, get_task_or_404
from contracts.case import SERVICE_INDICATORS
from contracts.enums import EvaluationStatus, TaskStatus
from mutasi.infra.db import as_utc

router = APIRouter(include_in_schema=False)
ApproverPage = Annotated[Actor, Depends(page_actor("approver"))]
INBOX_LIMIT = 200
DUE_SOON = timedelta(days=1)


@router.get("/inbox")
def inbox(request: Request, session: SessionDep, actor: ApproverPage):
    now = datetime.now(UTC)
    tasks = (
        session.execute(
            inbox_query(session, actor.nip or "", TaskStatus.OPEN, delegation_day()).limit(
                INBOX_LIMIT
            )
        )
        .scalars()
        .all()
    )
    rows = [
        {
            "task": t,
            "overdue": as_utc(t.due_at) < now,
            "due_soon": now <= as_utc(t.due_at) < now + DUE_SOON,
        }
        for t in tasks
    ]
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
        evaluations=evaluations,
        indicators=SERVICE_INDICATORS,
    )


@router.post("/inbox/evaluation")
async def evaluate(request: Request, session: SessionDep, actor: ApproverPage):
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
        return redirect("/inbox", exc.detail or exc.title)
    return redirect("/inbox", message)


@router.get("/inbox/task")
def show_task(request: Request, session: SessionDep, actor: ApproverPage, id: str):
    return task_page(request, session, actor, id)


def task_page(
    request: Request,
    session: SessionDep,
    actor: Actor,
    id: str,
    error: str | None = None,
    status_code: int = 200,
):
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
async def decide(request: Request, session: SessionDep, actor: ApproverPage):
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
        return task_page(request, session, actor, task_id, exc.detail or exc.title, exc.status)
    return redirect("/inbox", message)


@router.post("/inbox/bulk")
async def bulk_approve(request: Request, session: SessionDep, actor: ApproverPage):
    form = await checked_form(request, actor)
    ids = form.get("task_id") or []
    ids = [ids] if isinstance(ids, str) else ids
    if not ids:
        return redirect("/inbox", "Pilih minimal satu tugas.")
    comment = (form.get("comment") or "").strip()[:2000]
    temporal = await get_temporal(request)
    done, failed = 0, []
    for task_id in ids[:100]:
        try:
            await decide_one(
                session,
                temporal,
                actor,
                task_id,
                DecisionBody(approve=True, comment=comment),
                None,
            )
            done += 1
        except ProblemError as exc:
            failed.append(f"{task_id}: {exc.detail or exc.title}")
    message = f"{done} tugas disetujui." + (f" Gagal: {'; '.join(failed)}" if failed else "")
    return redirect("/inbox", message)

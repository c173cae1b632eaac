"""What only HR can unblock, on one page: objections waiting for a decision, trainings to
mark completed, and withdrawing a case before its TMT. Each goes through the case's
workflow like the API does, and the confirmation says what happened in a full sentence."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy import select
from sqlmodel import Session, col
from temporalio.workflow import UpdateMethodMultiParam

from api.auth import Actor
from api.deps import SessionDep, get_temporal
from api.errors import ProblemError
from api.pages.common import HrPage, checked_form, redirect, refusal, render
from api.services.appeals import appeals_for
from api.services.cases import update_case
from api.updates import ArgT
from contracts.case import ObjectionResolution, TrainingCompletion, Withdrawal
from contracts.enums import Stage
from models import Consultation, Employee, MutationCase, TrainingAssignment
from planning.calendar import date_text
from workflows.case import MutationCaseWorkflow

router = APIRouter(include_in_schema=False)
LIMIT = 200


def work_page(
    request: Request,
    session: Session,
    actor: Actor,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    objections = session.execute(
        select(MutationCase, Consultation, col(Employee.name))
        .join(Consultation, col(Consultation.case_id) == col(MutationCase.id))
        .join(Employee, col(Employee.nip) == col(MutationCase.nip))
        .where(col(MutationCase.stage) == Stage.HR_REVIEW, col(MutationCase.outcome).is_(None))
        .order_by(col(Consultation.responded_at))
        .limit(LIMIT)
    ).all()
    trainings = session.execute(
        select(TrainingAssignment, MutationCase, col(Employee.name))
        .join(MutationCase, col(MutationCase.id) == col(TrainingAssignment.case_id))
        .join(Employee, col(Employee.nip) == col(MutationCase.nip))
        .where(col(TrainingAssignment.status) == "assigned", col(MutationCase.outcome).is_(None))
        .order_by(col(TrainingAssignment.due_on))
        .limit(LIMIT)
    ).all()
    return render(
        request,
        "hr/work.html",
        actor,
        status_code,
        objections=objections,
        trainings=trainings,
        appeals=appeals_for(session, actor),
        error=error,
    )


@router.get("/hr/tindakan")
def hr_work(request: Request, session: SessionDep, actor: HrPage) -> Response:
    return work_page(request, session, actor)


async def _act(
    request: Request,
    session: Session,
    actor: Actor,
    case_id: str,
    update: UpdateMethodMultiParam[[Any, ArgT], str],
    arg: ArgT,
    done: str,
) -> Response:
    """Send the change to the case; back to the page with its answer, or with the refusal."""
    try:
        temporal = await get_temporal(request)
        await update_case(session, temporal, case_id, update, arg, None, actor.name)
    except ProblemError as exc:
        return work_page(request, session, actor, refusal(request, exc), exc.status)
    return redirect("/hr/tindakan", done)


@router.post("/hr/tindakan/keberatan/{case_id}")
async def resolve_objection(
    case_id: str, request: Request, session: SessionDep, actor: HrPage
) -> Response:
    form = await checked_form(request, actor)
    reason = (form.get("reason") or "").strip()
    confirm = form.get("action") == "confirm"
    if len(reason) < 3:
        return work_page(request, session, actor, "Tulis alasan keputusan atas keberatan.", 422)
    outcome = (
        "Keberatan dijawab: mutasi tetap dilanjutkan ke tahap berikutnya."
        if confirm
        else "Keberatan diterima: usulan mutasi ditarik dan kasus ditutup."
    )
    return await _act(
        request,
        session,
        actor,
        case_id,
        MutationCaseWorkflow.resolve_objection,
        ObjectionResolution(actor=actor.name, confirm=confirm, reason=reason),
        f"{outcome} (kasus {case_id})",
    )


@router.post("/hr/tindakan/pelatihan/{case_id}")
async def complete_training(
    case_id: str, request: Request, session: SessionDep, actor: HrPage
) -> Response:
    form = await checked_form(request, actor)
    program = (form.get("program") or "").strip()
    try:
        completed_on = date.fromisoformat(form.get("completed_on") or "")
    except ValueError:
        return work_page(request, session, actor, "Isi tanggal selesai pelatihan.", 422)
    return await _act(
        request,
        session,
        actor,
        case_id,
        MutationCaseWorkflow.complete_training,
        TrainingCompletion(program=program, actor=actor.name, completed_on=completed_on),
        f"Pelatihan '{program}' kasus {case_id} dicatat selesai pada {date_text(completed_on)}.",
    )


@router.post("/hr/tindakan/tarik")
async def withdraw(request: Request, session: SessionDep, actor: HrPage) -> Response:
    form = await checked_form(request, actor)
    case_id = (form.get("case_id") or "").strip()
    reason = (form.get("reason") or "").strip()
    if len(reason) < 3:
        return work_page(request, session, actor, "Tulis alasan penarikan kasus.", 422)
    return await _act(
        request,
        session,
        actor,
        case_id,
        MutationCaseWorkflow.withdraw,
        Withdrawal(actor=actor.name, reason=reason),
        f"Kasus {case_id} ditarik: pelatihan dan tugas terbuka dibatalkan, SK (bila ada) dibatalkan.",
    )

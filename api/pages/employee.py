"""The employee's page: my proposed move and why, my answer (accept, or object with a
reason and preferred units), my trainings, my decree."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy import select
from sqlmodel import col

from api.auth import Actor
from api.deps import SessionDep, get_temporal
from api.errors import ProblemError
from api.pages.common import EmployeePage, checked_form, redirect, refusal, render
from api.queries import own_case_bundle
from api.services.appeals import appeal_state
from api.services.documents import dossier, tell_case, upload_from_form
from api.services.requests import employee_view
from api.updates import send_update
from contracts.case import ConsultationAnswer
from contracts.requests import APS_CATEGORIES
from models import MutationCase, TrainingAssignment, TransferRequest, Unit
from workflows.case import MutationCaseWorkflow

router = APIRouter(include_in_schema=False)


def my_page(
    request: Request,
    session: SessionDep,
    actor: Actor,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    cases = (
        session.execute(
            select(MutationCase)
            .where(col(MutationCase.nip) == (actor.nip or ""))
            .order_by(col(MutationCase.created_at).desc())
        )
        .scalars()
        .all()
    )
    days = request.app.state.settings.appeal_days
    bundles = [
        {
            **own_case_bundle(session, c),
            "dossier": dossier(session, c),
            **appeal_state(session, c, days),
        }
        for c in cases
    ]
    trainings = (
        session.execute(
            select(TrainingAssignment)
            .where(col(TrainingAssignment.nip) == (actor.nip or ""))
            .order_by(col(TrainingAssignment.due_on))
        )
        .scalars()
        .all()
    )
    requests = session.execute(
        select(TransferRequest)
        .where(col(TransferRequest.nip) == (actor.nip or ""))
        .order_by(col(TransferRequest.created_at).desc())
    ).scalars()
    return render(
        request,
        "employee/me.html",
        actor,
        status_code,
        bundles=bundles,
        trainings=trainings,
        error=error,
        requests=[employee_view(session, r) for r in requests],
        categories=APS_CATEGORIES,
        units=session.execute(
            select(col(Unit.code), col(Unit.name)).order_by(col(Unit.name))
        ).all(),
    )


@router.get("/saya")
def me(request: Request, session: SessionDep, actor: EmployeePage) -> Response:
    return my_page(request, session, actor)


@router.post("/saya/konsultasi")
async def respond(request: Request, session: SessionDep, actor: EmployeePage) -> Response:
    form = await checked_form(request, actor)
    case_id = form.get("case_id") or ""
    accept = form.get("action") == "accept"
    reason = (form.get("reason") or "").strip()[:1000]
    preferences = [p.strip() for p in (form.get("preferences") or "").split(",") if p.strip()][:3]
    if not accept and len(reason) < 3:
        return my_page(request, session, actor, "Keberatan wajib disertai alasan.", 422)
    case = session.get(MutationCase, case_id)
    if case is None or case.nip != actor.nip:
        return my_page(request, session, actor, "Konsultasi tidak ditemukan.", 404)
    workflow_id = case.workflow_id
    try:
        temporal = await get_temporal(request)
        await send_update(
            temporal,
            workflow_id,
            MutationCaseWorkflow.respond,
            ConsultationAnswer(
                actor_nip=actor.nip, accept=accept, reason=reason, preferences=preferences
            ),
            f"kasus '{case_id}'",
        )
    except ProblemError as exc:
        return my_page(request, session, actor, refusal(request, exc), exc.status)
    # Said in full: "tanggapan diterima" read as if the objection had been accepted.
    if accept:
        return redirect("/saya", "Anda menyetujui usulan mutasi; usulan diteruskan ke persetujuan.")
    return redirect(
        "/saya",
        "Keberatan Anda tercatat dan diteruskan ke BKPSDM; Anda akan diberi tahu keputusannya.",
    )


@router.post("/saya/dokumen")
async def upload_own_document(
    request: Request, session: SessionDep, actor: EmployeePage
) -> Response:
    """The employee files a checklist document for their own open case."""
    form = await checked_form(request, actor)
    case = session.get(MutationCase, form.get("case_id") or "")
    if case is None or case.nip != actor.nip or case.outcome is not None:
        return my_page(request, session, actor, "Kasus tidak ditemukan atau sudah selesai.", 404)
    try:
        doc = await upload_from_form(request, session, actor, case, form.get("kind") or "", form)
        await tell_case(request, session, case)
    except ProblemError as exc:
        return my_page(request, session, actor, refusal(request, exc), exc.status)
    return redirect("/saya", f"Dokumen {doc.kind} terkirim; BKPSDM akan memverifikasinya.")

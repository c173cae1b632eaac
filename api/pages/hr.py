"""HR pages: the dashboard (cycles with progress, start a cycle) and a cycle's page
(workload per unit before/after, proposals with their explanation, plan decision)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlmodel import Session

from api.auth import Actor
from api.deps import SessionDep, get_temporal
from api.errors import ProblemError
from api.pages.common import checked_form, page_actor, redirect, render
from api.queries import stage_counts
from api.services.cycles import (
    CasePolicyBody,
    CycleCreate,
    PlanDecisionBody,
    build_report,
    cycle_policy,
    decide_plan_for,
    start_cycle_for,
)
from api.validation_text import pesan
from models import Employee, Position, Proposal, TransferCycle, Unit
from mutasi.infra.clock import today

router = APIRouter(include_in_schema=False)
HrPage = Annotated[Actor, Depends(page_actor("hr_admin"))]
CHART_UNITS = 20
POLICY_FIELDS = tuple(CasePolicyBody.model_fields)


def org_counts(session) -> dict[str, int]:
    def count(model) -> int:
        return session.execute(select(func.count()).select_from(model)).scalar_one()

    return {"units": count(Unit), "positions": count(Position), "employees": count(Employee)}


def dashboard(
    request: Request,
    session: SessionDep,
    actor: Actor,
    errors: dict | None = None,
    values: dict | None = None,
    status_code: int = 200,
):
    cycles = (
        session.execute(select(TransferCycle).order_by(TransferCycle.created_at.desc()).limit(50))
        .scalars()
        .all()
    )
    progress = stage_counts(session, [c.id for c in cycles])
    counts = org_counts(session)
    defaults = {
        "as_of": today().isoformat(),
        **{k: str(v) for k, v in CasePolicyBody().model_dump().items()},
    }
    return render(
        request,
        "hr/dashboard.html",
        actor,
        status_code,
        cycles=cycles,
        progress=progress,
        counts=counts,
        errors=errors or {},
        values=values or defaults,
    )


@router.get("/hr")
def hr_home(request: Request, session: SessionDep, actor: HrPage):
    return dashboard(request, session, actor)


def field_errors(exc: ValidationError) -> dict[str, str]:
    return {str(e["loc"][-1]) if e["loc"] else "_": pesan(e) for e in exc.errors()}


@router.post("/hr/cycles")
async def start_cycle(request: Request, session: SessionDep, actor: HrPage):
    form = await checked_form(request, actor)
    values = {k: (form.get(k) or "").strip() for k in ("id", "name", "as_of", *POLICY_FIELDS)}
    policy = {k: values[k] for k in POLICY_FIELDS if values[k]}
    policy["training_blocks_approval"] = values["training_blocks_approval"] == "ya"
    try:
        body = CycleCreate(
            id=values["id"] or None,
            name=values["name"],
            as_of=values["as_of"] or None,
            case_policy=policy,
        )
    except ValidationError as exc:
        return dashboard(request, session, actor, field_errors(exc), values, 422)
    try:
        temporal = await get_temporal(request)
        with Session(request.app.state.engine, expire_on_commit=False) as session:
            cycle = await start_cycle_for(
                session, request.app.state.settings, temporal, body, actor.name
            )
    except ProblemError as exc:
        return dashboard(request, session, actor, {"_": exc.detail}, values, exc.status)
    return redirect(
        f"/hr/cycles/{cycle.id}", f"Siklus {cycle.id} dimulai: analisis kebutuhan berjalan."
    )


def chart_rows(report: dict) -> list[dict]:
    """The units whose workload changes most, with bar widths on a shared scale."""
    units = [u for u in report["units"] if u["ej_before"] is not None or u["ej_after"] is not None]
    units.sort(key=lambda u: -abs((u["ej_after"] or 0) - (u["ej_before"] or 0)))
    units = units[:CHART_UNITS]
    top = max([1.0] + [max(u["ej_before"] or 0, u["ej_after"] or 0) for u in units])
    return [
        {
            **u,
            "w_before": round(100 * (u["ej_before"] or 0) / top, 1),
            "w_after": round(100 * (u["ej_after"] or 0) / top, 1),
            "w_one": round(100 / top, 1),
        }
        for u in units
    ]


def cycle_page(
    request: Request,
    session: SessionDep,
    actor: Actor,
    cycle_id: str,
    error: str | None = None,
    status_code: int = 200,
):
    cycle = session.get(TransferCycle, cycle_id)
    if cycle is None:
        return render(request, "not_found.html", actor, 404, what=f"siklus {cycle_id}")
    try:
        report = build_report(session, cycle)
    except ProblemError:
        report = None
    proposals = (
        session.execute(
            select(Proposal)
            .where(Proposal.cycle_id == cycle_id)
            .order_by(Proposal.destination_unit, Proposal.nip)
            .limit(500)
        )
        .scalars()
        .all()
    )
    progress = stage_counts(session, [cycle_id]).get(cycle_id, {})
    return render(
        request,
        "hr/cycle.html",
        actor,
        status_code,
        cycle=cycle,
        report=report,
        chart=chart_rows(report) if report else [],
        proposals=proposals,
        progress=progress,
        error=error,
        policy=cycle_policy(cycle),
    )


@router.get("/hr/cycles/{cycle_id}")
def show_cycle(cycle_id: str, request: Request, session: SessionDep, actor: HrPage):
    return cycle_page(request, session, actor, cycle_id)


@router.post("/hr/cycles/{cycle_id}/decision")
async def decide_plan(cycle_id: str, request: Request, session: SessionDep, actor: HrPage):
    form = await checked_form(request, actor)
    approve = form.get("action") == "approve"
    reason = (form.get("reason") or "").strip()
    removed = form.get("remove") or []
    removed = [removed] if isinstance(removed, str) else removed
    if removed and len(reason) < 3:
        return cycle_page(
            request, session, actor, cycle_id, "Tulis alasan untuk usulan yang dikeluarkan.", 422
        )
    try:
        body = PlanDecisionBody(
            approve=approve,
            reason=reason,
            removals=[{"nip": nip, "reason": reason} for nip in removed],
        )
        temporal = await get_temporal(request)
        message = await decide_plan_for(session, temporal, cycle_id, body, actor)
    except ValidationError as exc:
        return cycle_page(
            request, session, actor, cycle_id, "; ".join(field_errors(exc).values()), 422
        )
    except ProblemError as exc:
        return cycle_page(request, session, actor, cycle_id, exc.detail or exc.title, exc.status)
    return redirect(f"/hr/cycles/{cycle_id}", message)

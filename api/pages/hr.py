"""HR pages: the dashboard (cycles with progress, start a cycle) and a cycle's page
(workload per unit before/after, proposals with their explanation, plan decision)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlmodel import Session, SQLModel, col

from api.auth import Actor
from api.deps import SessionDep, get_temporal
from api.errors import ProblemError
from api.pages.common import HrPage, checked_form, language, redirect, refusal, render
from api.pages.i18n import translator
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
from api.services.plan_review import (
    FLAGS,
    ReviewFilter,
    clear,
    mark,
    marked_removals,
    parse_back,
    review,
    unmark,
)
from api.validation_text import pesan
from models import Employee, Position, TransferCycle, Unit
from mutasi.infra.clock import today
from mutasi.reports.stage_timeline import chart_rows as timeline_rows
from mutasi.reports.stage_timeline import stage_timeline

router = APIRouter(include_in_schema=False)
CHART_UNITS = 20
POLICY_FIELDS = tuple(CasePolicyBody.model_fields)


def org_counts(session: Session) -> dict[str, int]:
    def count(model: type[SQLModel]) -> int:
        found: int = session.execute(select(func.count()).select_from(model)).scalar_one()
        return found

    return {"units": count(Unit), "positions": count(Position), "employees": count(Employee)}


def dashboard(
    request: Request,
    session: SessionDep,
    actor: Actor,
    errors: dict[str, Any] | None = None,
    values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    cycles = (
        session.execute(
            select(TransferCycle).order_by(col(TransferCycle.created_at).desc()).limit(50)
        )
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
def hr_home(request: Request, session: SessionDep, actor: HrPage) -> Response:
    return dashboard(request, session, actor)


def field_errors(exc: ValidationError) -> dict[str, str]:
    return {str(e["loc"][-1]) if e["loc"] else "_": pesan(e) for e in exc.errors()}


@router.post("/hr/cycles")
async def start_cycle(request: Request, session: SessionDep, actor: HrPage) -> Response:
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
        return dashboard(request, session, actor, {"_": refusal(request, exc)}, values, exc.status)
    return redirect(
        f"/hr/cycles/{cycle.id}", f"Siklus {cycle.id} dimulai: analisis kebutuhan berjalan."
    )


def chart_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
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
    chosen: ReviewFilter | None = None,
) -> Response:
    cycle = session.get(TransferCycle, cycle_id)
    if cycle is None:
        return render(request, "not_found.html", actor, 404, what=f"siklus {cycle_id}")
    lang = language(request)
    try:
        report = build_report(session, cycle)
    except ProblemError:
        report = None
    chosen = chosen or ReviewFilter()
    progress = stage_counts(session, [cycle_id]).get(cycle_id, {})
    return render(
        request,
        "hr/cycle.html",
        actor,
        status_code,
        cycle=cycle,
        report=report,
        chart=chart_rows(report) if report else [],
        plan=review(session, cycle_id, chosen, lang, translator(lang)),
        timeline=timeline_rows(stage_timeline(session, cycle_id, today())),
        chosen=chosen,
        flags=FLAGS,
        progress=progress,
        error=error,
        policy=cycle_policy(cycle),
    )


@router.get("/hr/cycles/{cycle_id}")
def show_cycle(
    cycle_id: str,
    request: Request,
    session: SessionDep,
    actor: HrPage,
    q: Annotated[str, Query(max_length=100)] = "",
    unit: Annotated[str, Query(max_length=32)] = "",
    opd: Annotated[str, Query(max_length=32)] = "",
    position: Annotated[str, Query(max_length=32)] = "",
    kind: Annotated[str, Query(max_length=24)] = "",
    flag: Annotated[str, Query(max_length=16)] = "",
    sort: Annotated[str, Query(pattern="^(unit|name|jpm|jpm_desc)$")] = "unit",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    chosen = ReviewFilter(q, unit, opd, position, kind, flag, sort, page)
    return cycle_page(request, session, actor, cycle_id, chosen=chosen)


@router.post("/hr/cycles/{cycle_id}/keluarkan")
async def mark_removals(
    cycle_id: str, request: Request, session: SessionDep, actor: HrPage
) -> Response:
    """Mark (or unmark) proposals to leave out; kept until the plan is decided."""
    form = await checked_form(request, actor)
    nips = form.get("nip") or []
    nips = [nips] if isinstance(nips, str) else list(nips)
    back = f"/hr/cycles/{cycle_id}" + (f"?{form['back']}" if form.get("back") else "")
    if not nips:
        return redirect(back, "Pilih usulan lebih dulu.")
    if form.get("action") == "unmark":
        done = unmark(session, cycle_id, nips)
        return redirect(back, f"{done} usulan tidak lagi ditandai keluar.")
    reason = str(form.get("reason") or "").strip()
    if len(reason) < 3:
        chosen = ReviewFilter(**parse_back(str(form.get("back") or "")))
        return cycle_page(
            request,
            session,
            actor,
            cycle_id,
            "Tulis alasan untuk usulan yang dikeluarkan.",
            422,
            chosen,
        )
    done = mark(session, cycle_id, nips, reason[:500], actor.name)
    return redirect(back, f"{done} usulan ditandai keluar; dikeluarkan saat rencana disetujui.")


@router.post("/hr/cycles/{cycle_id}/decision")
async def decide_plan(
    cycle_id: str, request: Request, session: SessionDep, actor: HrPage
) -> Response:
    form = await checked_form(request, actor)
    approve = form.get("action") == "approve"
    reason = (form.get("reason") or "").strip()
    removals = marked_removals(session, cycle_id) if approve else []
    try:
        body = PlanDecisionBody(approve=approve, reason=reason, removals=removals)
        temporal = await get_temporal(request)
        message = await decide_plan_for(session, temporal, cycle_id, body, actor)
    except ValidationError as exc:
        return cycle_page(
            request, session, actor, cycle_id, "; ".join(field_errors(exc).values()), 422
        )
    except ProblemError as exc:
        return cycle_page(request, session, actor, cycle_id, refusal(request, exc), exc.status)
    if approve:  # the draft is now the decision
        clear(session, cycle_id)
    return redirect(f"/hr/cycles/{cycle_id}", message)

"""Transfer cycles: start one, read its needs analysis, plan, findings and report, and
steer it (re-plan, decide the plan). State changes go to the cycle's workflow."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy import select

from api.auth import HR_ONLY, HR_OR_AUDITOR, HrActor
from api.deps import SessionDep, SettingsDep, TemporalDep
from api.errors import ProblemError
from api.pagination import Page, PageDep, page_of
from api.queries import stage_counts
from api.schemas import CompetencyOut, CycleView, NeedOut, ProposalOut
from api.services.cycles import (
    CycleCreate,
    PlanDecisionBody,
    build_report,
    cycle_or_404,
    decide_plan_for,
    start_cycle_for,
    update_cycle,
)
from api.services.files import XLSX
from contracts.cycle import (
    CycleCancel,
    ReplanRequest,
)
from models import (
    CompetencySnapshot,
    CycleFinding,
    PositionLoadSnapshot,
    Proposal,
    TransferCycle,
)
from mutasi.reports.export import report_pdf, report_xlsx
from workflows.cycle import MutationCycleWorkflow

router = APIRouter(tags=["siklus mutasi"], dependencies=[HR_OR_AUDITOR])


@router.post(
    "/cycles",
    status_code=201,
    dependencies=[HR_ONLY],
    response_model=CycleView,
    summary="Start a transfer cycle",
)
async def start_cycle(
    body: CycleCreate,
    session: SessionDep,
    settings: SettingsDep,
    temporal: TemporalDep,
    actor: HrActor,
):
    return await start_cycle_for(session, settings, temporal, body, actor.name)


class CycleOut(BaseModel):
    cycle: CycleView
    progress: dict[str, int] = Field(description="cases per stage")


@router.get(
    "/cycles",
    response_model=Page[CycleOut],
    summary="List cycles, newest first, with progress by stage",
)
def list_cycles(session: SessionDep, page: PageDep, status: str | None = None):
    query = select(TransferCycle).order_by(TransferCycle.created_at.desc())
    if status:
        query = query.where(TransferCycle.status == status)
    result = page_of(session, query, page)
    progress = stage_counts(session, [c.id for c in result.items])
    result.items = [CycleOut(cycle=c, progress=progress.get(c.id, {})) for c in result.items]
    return result


@router.get(
    "/cycles/{cycle_id}",
    response_model=CycleOut,
    summary="One cycle: plan summary and progress by stage",
)
def get_cycle(cycle_id: str, session: SessionDep):
    cycle = cycle_or_404(session, cycle_id)
    return CycleOut(cycle=cycle, progress=stage_counts(session, [cycle.id]).get(cycle.id, {}))


@router.get(
    "/cycles/{cycle_id}/needs",
    response_model=Page[NeedOut],
    summary="Needs analysis (ABK) per position",
)
def cycle_needs(
    cycle_id: str,
    session: SessionDep,
    page: PageDep,
    unit: str | None = None,
    balance: Annotated[str | None, Query(pattern="^(surplus|deficit|balanced)$")] = None,
):
    cycle_or_404(session, cycle_id)
    s = PositionLoadSnapshot
    query = select(s).where(s.cycle_id == cycle_id).order_by(s.unit_code, s.position_code)
    if unit:
        query = query.where(s.unit_code == unit)
    if balance == "surplus":
        query = query.where(s.current > s.required)
    elif balance == "deficit":
        query = query.where(s.current < s.required)
    elif balance == "balanced":
        query = query.where(s.current == s.required)
    return page_of(session, query, page)


@router.get(
    "/cycles/{cycle_id}/competencies",
    response_model=Page[CompetencyOut],
    summary="Competency mapping: JPM, gaps and training hours per employee",
)
def cycle_competencies(
    cycle_id: str,
    session: SessionDep,
    page: PageDep,
    unit: str | None = None,
    category: Annotated[
        str | None, Query(pattern="^(optimal|cukup optimal|kurang optimal)$")
    ] = None,
):
    cycle_or_404(session, cycle_id)
    c = CompetencySnapshot
    query = select(c).where(c.cycle_id == cycle_id).order_by(c.unit_code, c.nip)
    if unit:
        query = query.where(c.unit_code == unit)
    if category:
        query = query.where(c.category == category)
    return page_of(session, query, page)


@router.get(
    "/cycles/{cycle_id}/proposals", response_model=Page[ProposalOut], summary="Proposed moves"
)
def cycle_proposals(
    cycle_id: str,
    session: SessionDep,
    page: PageDep,
    unit: str | None = None,
    status: str | None = None,
):
    cycle_or_404(session, cycle_id)
    query = (
        select(Proposal)
        .where(Proposal.cycle_id == cycle_id)
        .order_by(Proposal.destination_unit, Proposal.nip)
    )
    if unit:
        query = query.where((Proposal.origin_unit == unit) | (Proposal.destination_unit == unit))
    if status:
        query = query.where(Proposal.status == status)
    return page_of(session, query, page)


@router.get(
    "/cycles/{cycle_id}/proposals/{nip}",
    response_model=ProposalOut,
    summary="One proposal, explained",
)
def cycle_proposal(cycle_id: str, nip: str, session: SessionDep):
    cycle_or_404(session, cycle_id)
    found = session.get(Proposal, (cycle_id, nip))
    if found is None:
        raise ProblemError(
            404, "Tidak ditemukan", f"tidak ada usulan mutasi untuk NIP {nip} dalam siklus ini"
        )
    return found


@router.get(
    "/cycles/{cycle_id}/findings", response_model=list[CycleFinding], summary="Data findings"
)
def cycle_findings(cycle_id: str, session: SessionDep):
    cycle_or_404(session, cycle_id)
    return (
        session.execute(
            select(CycleFinding)
            .where(CycleFinding.cycle_id == cycle_id)
            .order_by(CycleFinding.code, CycleFinding.subject)
        )
        .scalars()
        .all()
    )


@router.get(
    "/cycles/{cycle_id}/report",
    summary="Cycle report: load per unit before/after, moves, imbalance",
)
def cycle_report_data(cycle_id: str, session: SessionDep) -> dict[str, Any]:
    cycle = cycle_or_404(session, cycle_id)
    return build_report(session, cycle)


@router.get(
    "/cycles/{cycle_id}/report.xlsx",
    summary="The cycle report as an XLSX workbook (with chart)",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}},
)
def cycle_report_xlsx(cycle_id: str, session: SessionDep) -> Response:
    report = build_report(session, cycle_or_404(session, cycle_id))
    return Response(
        report_xlsx(report),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="laporan-{cycle_id}.xlsx"'},
    )


@router.get(
    "/cycles/{cycle_id}/report.pdf",
    summary="The cycle report as a PDF",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
def cycle_report_pdf(cycle_id: str, session: SessionDep) -> Response:
    report = build_report(session, cycle_or_404(session, cycle_id))
    return Response(
        report_pdf(report),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="laporan-{cycle_id}.pdf"'},
    )


class ReplanBody(BaseModel):
    reason: str = Field(..., min_length=3, max_length=500)
    excluded_nips: list[str] = Field(default_factory=list, max_length=5000)


class CancelBody(BaseModel):
    reason: str = Field(..., min_length=3, max_length=500)


@router.post(
    "/cycles/{cycle_id}/replan",
    dependencies=[HR_ONLY],
    summary="Re-run needs analysis and planning",
)
async def replan(
    cycle_id: str, body: ReplanBody, session: SessionDep, temporal: TemporalDep
) -> dict:
    cycle = cycle_or_404(session, cycle_id)
    message = await update_cycle(
        session,
        temporal,
        cycle,
        MutationCycleWorkflow.replan,
        ReplanRequest(excluded_nips=body.excluded_nips, reason=body.reason),
    )
    return {"message": message}


@router.post(
    "/cycles/{cycle_id}/plan-decision",
    dependencies=[HR_ONLY],
    summary="Approve the plan or cancel the cycle",
)
async def decide_plan(
    cycle_id: str,
    body: PlanDecisionBody,
    session: SessionDep,
    temporal: TemporalDep,
    actor: HrActor,
) -> dict:
    return {"message": await decide_plan_for(session, temporal, cycle_id, body, actor)}


@router.post(
    "/cycles/{cycle_id}/cancel",
    dependencies=[HR_ONLY],
    summary="Cancel a running cycle; its open cases are withdrawn",
)
async def cancel_cycle(
    cycle_id: str, body: CancelBody, session: SessionDep, temporal: TemporalDep, actor: HrActor
) -> dict:
    cycle = cycle_or_404(session, cycle_id)
    message = await update_cycle(
        session,
        temporal,
        cycle,
        MutationCycleWorkflow.cancel_cycle,
        CycleCancel(actor.name, body.reason),
    )
    return {"message": message}

"""Transfer cycles: start one, read its needs analysis, plan, findings and report, and
steer it (re-plan, decide the plan). State changes go to the cycle's workflow."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlmodel import col

from api.auth import HR_ONLY, HR_OR_AUDITOR, HrActor
from api.deps import SessionDep, SettingsDep, TemporalDep
from api.errors import ProblemError
from api.openapi import download
from api.pagination import Page, PageDep, page_of
from api.queries import stage_counts
from api.schemas import CompetencyOut, CycleView, Message, NeedOut, ProposalOut
from api.schemas.reports import CycleReport
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
from contracts.messages import Msg
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
) -> TransferCycle:
    return await start_cycle_for(session, settings, temporal, body, actor.name)


class CycleOut(BaseModel):
    cycle: CycleView
    progress: dict[str, int] = Field(description="cases per stage")


@router.get(
    "/cycles",
    response_model=Page[CycleOut],
    summary="List cycles, newest first, with progress by stage",
)
def list_cycles(session: SessionDep, page: PageDep, status: str | None = None) -> Page[Any]:
    query = select(TransferCycle).order_by(col(TransferCycle.created_at).desc())
    if status:
        query = query.where(col(TransferCycle.status) == status)
    result = page_of(session, query, page)
    progress = stage_counts(session, [c.id for c in result.items])
    result.items = [CycleOut(cycle=c, progress=progress.get(c.id, {})) for c in result.items]
    return result


@router.get(
    "/cycles/{cycle_id}",
    response_model=CycleOut,
    summary="One cycle: plan summary and progress by stage",
)
def get_cycle(cycle_id: str, session: SessionDep) -> CycleOut:
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
) -> Page[Any]:
    cycle_or_404(session, cycle_id)
    s = PositionLoadSnapshot
    query = (
        select(s)
        .where(col(s.cycle_id) == cycle_id)
        .order_by(col(s.unit_code), col(s.position_code))
    )
    if unit:
        query = query.where(col(s.unit_code) == unit)
    if balance == "surplus":
        query = query.where(col(s.current) > col(s.required))
    elif balance == "deficit":
        query = query.where(col(s.current) < col(s.required))
    elif balance == "balanced":
        query = query.where(col(s.current) == col(s.required))
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
) -> Page[Any]:
    cycle_or_404(session, cycle_id)
    c = CompetencySnapshot
    query = select(c).where(col(c.cycle_id) == cycle_id).order_by(col(c.unit_code), col(c.nip))
    if unit:
        query = query.where(col(c.unit_code) == unit)
    if category:
        query = query.where(col(c.category) == category)
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
) -> Page[Any]:
    cycle_or_404(session, cycle_id)
    query = (
        select(Proposal)
        .where(col(Proposal.cycle_id) == cycle_id)
        .order_by(col(Proposal.destination_unit), col(Proposal.nip))
    )
    if unit:
        query = query.where(
            (col(Proposal.origin_unit) == unit) | (col(Proposal.destination_unit) == unit)
        )
    if status:
        query = query.where(col(Proposal.status) == status)
    return page_of(session, query, page)


@router.get(
    "/cycles/{cycle_id}/proposals/{nip}",
    response_model=ProposalOut,
    summary="One proposal, explained",
)
def cycle_proposal(cycle_id: str, nip: str, session: SessionDep) -> Proposal:
    cycle_or_404(session, cycle_id)
    found = session.get(Proposal, (cycle_id, nip))
    if found is None:
        raise ProblemError(
            404,
            Msg(code="problem.not_found"),
            Msg(
                code="problem.there_is_no_proposed_move_for_nip_nip_in_this",
                params={"nip": str(nip)},
            ),
        )
    return found


@router.get(
    "/cycles/{cycle_id}/findings", response_model=list[CycleFinding], summary="Data findings"
)
def cycle_findings(cycle_id: str, session: SessionDep) -> Sequence[CycleFinding]:
    cycle_or_404(session, cycle_id)
    return (
        session.execute(
            select(CycleFinding)
            .where(col(CycleFinding.cycle_id) == cycle_id)
            .order_by(col(CycleFinding.code), col(CycleFinding.subject))
        )
        .scalars()
        .all()
    )


@router.get(
    "/cycles/{cycle_id}/report",
    summary="Cycle report: load per unit before/after, moves, imbalance",
)
def cycle_report_data(cycle_id: str, session: SessionDep) -> CycleReport:
    cycle = cycle_or_404(session, cycle_id)
    return CycleReport.model_validate(build_report(session, cycle))


@router.get(
    "/cycles/{cycle_id}/report.xlsx",
    summary="The cycle report as an XLSX workbook (with chart)",
    response_class=Response,
    responses=download(XLSX),
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
    responses=download("application/pdf"),
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
) -> Message:
    cycle = cycle_or_404(session, cycle_id)
    message = await update_cycle(
        session,
        temporal,
        cycle,
        MutationCycleWorkflow.replan,
        ReplanRequest(excluded_nips=body.excluded_nips, reason=body.reason),
    )
    return Message(message=message)


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
) -> Message:
    return Message(message=await decide_plan_for(session, temporal, cycle_id, body, actor))


@router.post(
    "/cycles/{cycle_id}/cancel",
    dependencies=[HR_ONLY],
    summary="Cancel a running cycle; its open cases are withdrawn",
)
async def cancel_cycle(
    cycle_id: str, body: CancelBody, session: SessionDep, temporal: TemporalDep, actor: HrActor
) -> Message:
    cycle = cycle_or_404(session, cycle_id)
    message = await update_cycle(
        session,
        temporal,
        cycle,
        MutationCycleWorkflow.cancel_cycle,
        CycleCancel(actor=actor.name, reason=body.reason),
    )
    return Message(message=message)

"""Cases for HR and auditors: search, read, audit history (with export); and HR's changes
to a running case: withdrawal, objection resolution, training completion. Reads come from
the database; every change is a workflow update, so the workflow's validators decide."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy import or_, select
from sqlmodel import col

from api.auth import HR_ONLY, HR_OR_AUDITOR, HrActor
from api.deps import SessionDep, SettingsDep, TemporalDep
from api.openapi import download
from api.pagination import Page, PageDep, page_of
from api.queries import HISTORY_COLUMNS, case_bundle, history_rows, temporal_link
from api.schemas import CaseOut, Message, without_workflow_ids
from api.schemas.cases import CaseBundle, CaseHistory, HistoryEvent
from api.services.cases import IdempotencyKey, get_case_or_404, update_case
from contracts.case import ObjectionResolution, TrainingCompletion, Withdrawal
from models import MutationCase
from mutasi.infra.safe_text import csv_cell
from workflows.case import MutationCaseWorkflow

router = APIRouter(tags=["kasus mutasi"], dependencies=[HR_OR_AUDITOR])


@router.get("/cases", response_model=Page[CaseOut], summary="Search cases")
def list_cases(
    session: SessionDep,
    page: PageDep,
    cycle_id: str | None = None,
    stage: str | None = None,
    nip: str | None = None,
    unit: str | None = None,
    q: Annotated[str | None, Query(max_length=100, description="cari NIP atau kode kasus")] = None,
) -> Page[Any]:
    query = select(MutationCase).order_by(col(MutationCase.cycle_id), col(MutationCase.nip))
    if cycle_id:
        query = query.where(col(MutationCase.cycle_id) == cycle_id)
    if stage:
        query = query.where(col(MutationCase.stage) == stage)
    if nip:
        query = query.where(col(MutationCase.nip) == nip)
    if unit:
        query = query.where(
            or_(col(MutationCase.origin_unit) == unit, col(MutationCase.destination_unit) == unit)
        )
    if q:
        query = query.where(col(MutationCase.id).contains(q, autoescape=True))
    return page_of(session, query, page)


@router.get(
    "/cases/{case_id}",
    summary="A case with its proposal, consultation, tasks, trainings and decree",
)
def get_case(case_id: str, session: SessionDep) -> CaseBundle:
    return CaseBundle.model_validate(
        without_workflow_ids(case_bundle(session, get_case_or_404(session, case_id)))
    )


@router.get(
    "/cases/{case_id}/history", summary="Every audit event of a case, with the Temporal Web UI link"
)
def case_history(case_id: str, session: SessionDep, settings: SettingsDep) -> CaseHistory:
    case = get_case_or_404(session, case_id)
    return CaseHistory(
        case_id=case.id,
        workflow_id=case.workflow_id,
        run_id=case.run_id,
        temporal_ui=temporal_link(settings, case.workflow_id, case.run_id),
        events=[HistoryEvent.model_validate(row) for row in history_rows(session, case)],
    )


@router.get(
    "/cases/{case_id}/history/export",
    summary="The audit history as a CSV or JSON download",
    response_class=Response,
    responses=download("text/csv", "application/json"),
)
def export_history(
    case_id: str, session: SessionDep, format: Annotated[str, Query(pattern="^(csv|json)$")] = "csv"
) -> Response:
    case = get_case_or_404(session, case_id)
    rows = history_rows(session, case)
    filename = f"riwayat-{case.id}.{format}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if format == "json":
        return Response(
            json.dumps(rows, default=str, ensure_ascii=False, indent=1),
            media_type="application/json",
            headers=headers,
        )
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HISTORY_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                k: csv_cell(json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v)
                for k, v in row.items()
            }
        )
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


class WithdrawBody(BaseModel):
    reason: str = Field(..., min_length=3, max_length=500)


@router.post(
    "/cases/{case_id}/withdraw",
    dependencies=[HR_ONLY],
    summary="Withdraw a case before its TMT (compensates)",
)
async def withdraw_case(
    case_id: str,
    body: WithdrawBody,
    session: SessionDep,
    temporal: TemporalDep,
    actor: HrActor,
    key: IdempotencyKey = None,
) -> Message:
    return await update_case(
        session,
        temporal,
        case_id,
        MutationCaseWorkflow.withdraw,
        Withdrawal(actor=actor.name, reason=body.reason),
        key,
        actor.name,
    )


class ResolutionBody(BaseModel):
    confirm: bool
    reason: str = Field(..., min_length=3, max_length=1000)


@router.post(
    "/cases/{case_id}/objection-resolution",
    dependencies=[HR_ONLY],
    summary="HR confirms the move or withdraws it",
)
async def resolve_objection(
    case_id: str,
    body: ResolutionBody,
    session: SessionDep,
    temporal: TemporalDep,
    actor: HrActor,
    key: IdempotencyKey = None,
) -> Message:
    return await update_case(
        session,
        temporal,
        case_id,
        MutationCaseWorkflow.resolve_objection,
        ObjectionResolution(actor=actor.name, confirm=body.confirm, reason=body.reason),
        key,
        actor.name,
    )


class TrainingDoneBody(BaseModel):
    program: str = Field(..., min_length=1, max_length=200)
    completed_on: date


@router.post(
    "/cases/{case_id}/trainings/complete",
    dependencies=[HR_ONLY],
    summary="Record a completed training",
)
async def complete_training(
    case_id: str,
    body: TrainingDoneBody,
    session: SessionDep,
    temporal: TemporalDep,
    actor: HrActor,
    key: IdempotencyKey = None,
) -> Message:
    return await update_case(
        session,
        temporal,
        case_id,
        MutationCaseWorkflow.complete_training,
        TrainingCompletion(program=body.program, actor=actor.name, completed_on=body.completed_on),
        key,
        actor.name,
    )

"""Cases and the people who move them: consultation answers, approval tasks (inbox and
decisions), objections, trainings, withdrawal, delegation. Reads come from the database;
every change is a workflow update, so the workflow's validators decide what is allowed."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query
from pydantic import BaseModel, Field, model_validator
from sqlalchemy import or_, select

from api.deps import ActorDep, SessionDep, TemporalDep
from api.errors import ProblemError
from api.pagination import Page, PageDep, page_of
from api.updates import send_update
from models import (
    ApprovalTask,
    Consultation,
    Decree,
    Delegation,
    Employee,
    MutationCase,
    TrainingAssignment,
)
from mutasi.org_directory import OrgDirectory
from workflows.case import MutationCaseWorkflow
from workflows.types import (
    ConsultationAnswer,
    DecidersChange,
    ObjectionResolution,
    TaskDecision,
    TaskReassignment,
    TrainingCompletion,
    Withdrawal,
)

router = APIRouter(tags=["kasus mutasi"])
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=100,
                                              description="kirim ulang dengan kunci yang sama: diproses sekali")]


def _case(session, case_id: str) -> MutationCase:
    case = session.get(MutationCase, case_id)
    if case is None:
        raise ProblemError(404, "Tidak ditemukan", f"kasus '{case_id}' tidak ditemukan")
    return case


def _task(session, task_id: str) -> ApprovalTask:
    task = session.get(ApprovalTask, task_id)
    if task is None:
        raise ProblemError(404, "Tidak ditemukan", f"tugas '{task_id}' tidak ditemukan")
    return task


async def _to_case(session, temporal, case_id: str, update, arg, key: str | None) -> dict:
    case = _case(session, case_id)
    return {"message": await send_update(temporal, case.workflow_id, update, arg, f"kasus '{case_id}'", key)}


def _need_nip(actor) -> str:
    if not actor.nip:
        raise ProblemError(403, "Akses ditolak", "tindakan ini memerlukan pegawai yang teridentifikasi (NIP)")
    return actor.nip


@router.get("/cases", response_model=Page[MutationCase], summary="Search cases")
def list_cases(session: SessionDep, page: PageDep, cycle_id: str | None = None, stage: str | None = None,
               nip: str | None = None, unit: str | None = None):
    query = select(MutationCase).order_by(MutationCase.cycle_id, MutationCase.nip)
    if cycle_id:
        query = query.where(MutationCase.cycle_id == cycle_id)
    if stage:
        query = query.where(MutationCase.stage == stage)
    if nip:
        query = query.where(MutationCase.nip == nip)
    if unit:
        query = query.where(or_(MutationCase.origin_unit == unit, MutationCase.destination_unit == unit))
    return page_of(session, query, page)


@router.get("/cases/{case_id}", summary="A case with consultation, tasks, trainings and decree")
def get_case(case_id: str, session: SessionDep) -> dict[str, Any]:
    case = _case(session, case_id)
    return {
        "case": case,
        "consultation": session.get(Consultation, case_id),
        "tasks": session.execute(select(ApprovalTask).where(ApprovalTask.case_id == case_id)
                                 .order_by(ApprovalTask.step, ApprovalTask.role)).scalars().all(),
        "trainings": session.execute(select(TrainingAssignment).where(TrainingAssignment.case_id == case_id)
                                     .order_by(TrainingAssignment.program)).scalars().all(),
        "decree": session.execute(select(Decree).where(Decree.case_id == case_id)).scalar_one_or_none(),
    }


class WithdrawBody(BaseModel):
    reason: str = Field(..., min_length=3, max_length=500)


@router.post("/cases/{case_id}/withdraw", summary="Withdraw a case before its TMT (compensates)")
async def withdraw_case(case_id: str, body: WithdrawBody, session: SessionDep, temporal: TemporalDep,
                        actor: ActorDep, key: IdempotencyKey = None) -> dict:
    return await _to_case(session, temporal, case_id, MutationCaseWorkflow.withdraw,
                          Withdrawal(actor.name, body.reason), key)


class ConsultationBody(BaseModel):
    accept: bool
    reason: str = Field("", max_length=1000)
    preferences: list[str] = Field(default_factory=list, max_length=3)


@router.post("/consultations/{case_id}/response", summary="The employee accepts or objects (with a reason)")
async def respond(case_id: str, body: ConsultationBody, session: SessionDep, temporal: TemporalDep,
                  actor: ActorDep, key: IdempotencyKey = None) -> dict:
    nip = _need_nip(actor)
    return await _to_case(session, temporal, case_id, MutationCaseWorkflow.respond,
                          ConsultationAnswer(nip, body.accept, body.reason, body.preferences), key)


class ResolutionBody(BaseModel):
    confirm: bool
    reason: str = Field(..., min_length=3, max_length=1000)


@router.post("/cases/{case_id}/objection-resolution", summary="HR confirms the move or withdraws it")
async def resolve_objection(case_id: str, body: ResolutionBody, session: SessionDep, temporal: TemporalDep,
                            actor: ActorDep, key: IdempotencyKey = None) -> dict:
    return await _to_case(session, temporal, case_id, MutationCaseWorkflow.resolve_objection,
                          ObjectionResolution(actor.name, body.confirm, body.reason), key)


class TrainingDoneBody(BaseModel):
    program: str = Field(..., min_length=1, max_length=200)
    completed_on: date


@router.post("/cases/{case_id}/trainings/complete", summary="Record a completed training")
async def complete_training(case_id: str, body: TrainingDoneBody, session: SessionDep, temporal: TemporalDep,
                            actor: ActorDep, key: IdempotencyKey = None) -> dict:
    return await _to_case(session, temporal, case_id, MutationCaseWorkflow.complete_training,
                          TrainingCompletion(body.program, actor.name, body.completed_on), key)


@router.get("/tasks", response_model=Page[ApprovalTask], summary="My inbox (own and delegated tasks)")
def my_tasks(session: SessionDep, page: PageDep, actor: ActorDep,
             status: Annotated[str, Query(pattern="^(open|approved|rejected|cancelled|all)$")] = "open"):
    nip = _need_nip(actor)
    today = datetime.now(UTC).date()
    delegators = select(Delegation.delegator_nip).where(
        Delegation.delegate_nip == nip, Delegation.starts_on <= today, Delegation.ends_on >= today,
        Delegation.revoked_at.is_(None))
    query = select(ApprovalTask).where(or_(ApprovalTask.assignee_nip == nip,
                                           ApprovalTask.assignee_nip.in_(delegators)))
    if status != "all":
        query = query.where(ApprovalTask.status == status)
    return page_of(session, query.order_by(ApprovalTask.due_at, ApprovalTask.id), page)


class DecisionBody(BaseModel):
    approve: bool
    comment: str = Field("", max_length=2000)


@router.post("/tasks/{task_id:path}/decision", summary="Approve or reject (a rejection needs a reason)")
async def decide(task_id: str, body: DecisionBody, session: SessionDep, temporal: TemporalDep, actor: ActorDep,
                 key: IdempotencyKey = None) -> dict:
    task = _task(session, task_id)
    nip = _need_nip(actor)
    case = _case(session, task.case_id)
    message = await send_update(temporal, case.workflow_id, MutationCaseWorkflow.decide,
                                TaskDecision(task.id, nip, body.approve, body.comment), f"tugas '{task_id}'",
                                key)
    return {"message": message}


class ReassignBody(BaseModel):
    assignee_nip: str = Field(..., min_length=18, max_length=18)
    reason: str = Field(..., min_length=3, max_length=500)


@router.post("/tasks/{task_id:path}/reassign", summary="HR reassigns a task to someone else")
async def reassign(task_id: str, body: ReassignBody, session: SessionDep, temporal: TemporalDep, actor: ActorDep,
                   key: IdempotencyKey = None) -> dict:
    task = _task(session, task_id)
    if session.get(Employee, body.assignee_nip) is None:
        raise ProblemError(422, "Pegawai tidak dikenal", f"NIP {body.assignee_nip} tidak ada")
    deciders = OrgDirectory(session).deciders(body.assignee_nip, datetime.now(UTC).date())
    case = _case(session, task.case_id)
    message = await send_update(temporal, case.workflow_id, MutationCaseWorkflow.reassign,
                                TaskReassignment(task.id, body.assignee_nip, deciders, actor.name, body.reason),
                                f"tugas '{task_id}'", key)
    return {"message": message}


class DelegationBody(BaseModel):
    delegator_nip: str = Field(..., min_length=18, max_length=18)
    delegate_nip: str = Field(..., min_length=18, max_length=18)
    starts_on: date
    ends_on: date
    reason: str = Field(..., min_length=3, max_length=500)

    @model_validator(mode="after")
    def _period(self):
        if self.ends_on < self.starts_on:
            raise ValueError("tanggal selesai sebelum tanggal mulai")
        if self.delegate_nip == self.delegator_nip:
            raise ValueError("pegawai tidak dapat mendelegasikan kepada dirinya sendiri")
        return self


@router.post("/delegations", status_code=201, response_model=Delegation,
             summary="A substitute approver for a period; open tasks follow at once")
async def create_delegation(body: DelegationBody, session: SessionDep, temporal: TemporalDep, actor: ActorDep):
    for nip in (body.delegator_nip, body.delegate_nip):
        if session.get(Employee, nip) is None:
            raise ProblemError(422, "Pegawai tidak dikenal", f"NIP {nip} tidak ada")
    delegation = Delegation(**body.model_dump(), created_by=actor.name, created_at=datetime.now(UTC))
    session.add(delegation)
    session.commit()
    session.refresh(delegation)
    today = datetime.now(UTC).date()
    if body.starts_on <= today <= body.ends_on:
        directory = OrgDirectory(session)
        for task in session.execute(select(ApprovalTask).where(
                ApprovalTask.assignee_nip == body.delegator_nip, ApprovalTask.status == "open")).scalars():
            case = _case(session, task.case_id)
            await send_update(temporal, case.workflow_id, MutationCaseWorkflow.change_deciders,
                              DecidersChange(task.id, directory.deciders(task.assignee_nip, today)),
                              f"tugas '{task.id}'", f"delegation-{delegation.id}-{task.id}")
    return delegation


@router.get("/delegations", response_model=Page[Delegation], summary="Delegations, newest first")
def list_delegations(session: SessionDep, page: PageDep, nip: str | None = None):
    query = select(Delegation).order_by(Delegation.created_at.desc())
    if nip:
        query = query.where(or_(Delegation.delegator_nip == nip, Delegation.delegate_nip == nip))
    return page_of(session, query, page)

"""Approvers' work: the inbox (own and delegated tasks), a task with its case context,
single and bulk decisions; and HR's reassignment of a task."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy import select

from api.auth import APPROVER_ONLY, HR_ONLY, Actor, ApproverActor, HrActor, require
from api.deps import SessionDep, TemporalDep
from api.errors import ProblemError
from api.pagination import Page, PageDep, page_of
from api.queries import inbox_query, may_decide, task_context
from api.routes.cases import IdempotencyKey, get_case_or_404
from api.updates import send_update
from contracts.case import TaskDecision, TaskReassignment
from models import ApprovalTask, Employee, UserAccount
from mutasi.org_directory import OrgDirectory
from workflows.case import MutationCaseWorkflow

router = APIRouter(tags=["tugas persetujuan"])
TASK_READERS = require("approver", "hr_admin", "auditor")


def get_task_or_404(session, task_id: str) -> ApprovalTask:
    task = session.get(ApprovalTask, task_id)
    if task is None:
        raise ProblemError(404, "Tidak ditemukan", f"tugas '{task_id}' tidak ditemukan")
    return task


def today() -> date:
    return datetime.now(UTC).date()


@router.get(
    "/tasks", response_model=Page[ApprovalTask], summary="My inbox (own and delegated tasks)"
)
def my_tasks(
    session: SessionDep,
    page: PageDep,
    actor: ApproverActor,
    status: Annotated[str, Query(pattern="^(open|approved|rejected|cancelled|all)$")] = "open",
):
    if not actor.nip:
        raise ProblemError(403, "Akses ditolak", "akun ini tidak terhubung dengan NIP pegawai")
    return page_of(session, inbox_query(session, actor.nip, status, today()), page)


class DecisionBody(BaseModel):
    approve: bool
    comment: str = Field("", max_length=2000)


class BulkItem(DecisionBody):
    task_id: str = Field(..., min_length=1, max_length=128)


class BulkBody(BaseModel):
    decisions: list[BulkItem] = Field(..., min_length=1, max_length=100)


class BulkOutcome(BaseModel):
    task_id: str
    status: int
    message: str


async def decide_one(
    session, temporal, actor, task_id: str, body: DecisionBody, key: str | None
) -> str:
    task = get_task_or_404(session, task_id)
    if not may_decide(session, task, actor.nip, today()):
        raise ProblemError(403, "Akses ditolak", "tugas ini bukan milik Anda atau delegasi Anda")
    case = get_case_or_404(session, task.case_id)
    # The task is in the database, so its workflow opens it at once if it has not yet: wait
    # for that inside the workflow (decide_when_open) rather than answer 404 in between.
    return await send_update(
        temporal,
        case.workflow_id,
        MutationCaseWorkflow.decide_when_open,
        TaskDecision(task.id, actor.nip, body.approve, body.comment),
        f"tugas '{task_id}'",
        key,
        release=session,
        actor=actor.name,
    )


@router.post(
    "/tasks/decisions",
    dependencies=[APPROVER_ONLY],
    response_model=list[BulkOutcome],
    summary="Bulk decisions: one outcome per item (status as an HTTP code)",
)
async def decide_many(
    body: BulkBody,
    session: SessionDep,
    temporal: TemporalDep,
    actor: ApproverActor,
    key: IdempotencyKey = None,
) -> list[BulkOutcome]:
    if len({d.task_id for d in body.decisions}) != len(body.decisions):
        raise ProblemError(422, "Masukan tidak valid", "tugas yang sama muncul lebih dari sekali")

    async def one(item: BulkItem) -> BulkOutcome:
        try:
            message = await decide_one(
                session,
                temporal,
                actor,
                item.task_id,
                item,
                f"{key}:{item.task_id}" if key else None,
            )
            return BulkOutcome(task_id=item.task_id, status=200, message=message)
        except ProblemError as exc:
            return BulkOutcome(
                task_id=item.task_id, status=exc.status, message=exc.detail or exc.title
            )

    outcomes = []
    for start in range(
        0, len(body.decisions), 10
    ):  # Temporal admits 10 in-flight updates per workflow
        outcomes += await asyncio.gather(*(one(i) for i in body.decisions[start : start + 10]))
    return outcomes


@router.post(
    "/tasks/{task_id:path}/decision",
    dependencies=[APPROVER_ONLY],
    summary="Approve or reject (a rejection needs a reason)",
)
async def decide(
    task_id: str,
    body: DecisionBody,
    session: SessionDep,
    temporal: TemporalDep,
    actor: ApproverActor,
    key: IdempotencyKey = None,
) -> dict:
    return {"message": await decide_one(session, temporal, actor, task_id, body, key)}


class ReassignBody(BaseModel):
    assignee_nip: str = Field(..., pattern=r"^\d{18}$")
    reason: str = Field(..., min_length=3, max_length=500)


def check_can_approve(session, nip: str) -> None:
    if session.get(Employee, nip) is None:
        raise ProblemError(422, "Pegawai tidak dikenal", f"NIP {nip} tidak ada")
    account = session.execute(
        select(UserAccount).where(UserAccount.nip == nip)
    ).scalar_one_or_none()
    if account is None or not account.active or "approver" not in account.role_set:
        raise ProblemError(
            422,
            "Bukan pemberi persetujuan",
            f"NIP {nip} tidak memiliki akun aktif dengan peran approver; tambahkan perannya dulu",
        )


@router.post(
    "/tasks/{task_id:path}/reassign",
    dependencies=[HR_ONLY],
    summary="HR reassigns a task to someone else",
)
async def reassign(
    task_id: str,
    body: ReassignBody,
    session: SessionDep,
    temporal: TemporalDep,
    actor: HrActor,
    key: IdempotencyKey = None,
) -> dict:
    task = get_task_or_404(session, task_id)
    check_can_approve(session, body.assignee_nip)
    deciders = OrgDirectory(session).deciders(body.assignee_nip, today())
    case = get_case_or_404(session, task.case_id)
    message = await send_update(
        temporal,
        case.workflow_id,
        MutationCaseWorkflow.reassign,
        TaskReassignment(task.id, body.assignee_nip, deciders, actor.name, body.reason),
        f"tugas '{task_id}'",
        key,
        release=session,
        actor=actor.name,
    )
    return {"message": message}


@router.get(
    "/tasks/{task_id:path}",
    summary="A task with its case context (explanation, workload, JPM, answer)",
)
def get_task(
    task_id: str, session: SessionDep, actor: Annotated[Actor, Depends(TASK_READERS)]
) -> dict[str, Any]:
    task = get_task_or_404(session, task_id)
    if not actor.has("hr_admin", "auditor") and not may_decide(session, task, actor.nip, today()):
        raise ProblemError(403, "Akses ditolak", "tugas ini bukan milik Anda atau delegasi Anda")
    return task_context(session, task)

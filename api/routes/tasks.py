"""Approvers' work: the inbox (own and delegated tasks), a task with its case context,
single and bulk decisions; and HR's reassignment of a task."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from api.auth import APPROVER_ONLY, HR_ONLY, Actor, ApproverActor, HrActor, require
from api.deps import SessionDep, TemporalDep
from api.errors import ProblemError
from api.pagination import Page, PageDep, page_of
from api.queries import inbox_query, task_context
from api.schemas import Message, TaskOut, without_workflow_ids
from api.schemas.cases import TaskContext
from api.services.cases import IdempotencyKey, get_case_or_404
from api.services.tasks import (
    DecisionBody,
    check_can_approve,
    decide_each,
    decide_one,
    delegation_day,
    get_decidable_task_or_404,
    get_task_or_404,
)
from api.updates import send_update
from contracts.case import TaskReassignment
from contracts.messages import Msg
from mutasi.org.directory import OrgDirectory
from workflows.case import MutationCaseWorkflow

router = APIRouter(tags=["tugas persetujuan"])
TASK_READERS = require("approver", "hr_admin", "auditor")


@router.get("/tasks", response_model=Page[TaskOut], summary="My inbox (own and delegated tasks)")
def my_tasks(
    session: SessionDep,
    page: PageDep,
    actor: ApproverActor,
    status: Annotated[str, Query(pattern="^(open|approved|rejected|cancelled|all)$")] = "open",
) -> Page[Any]:
    if not actor.nip:
        raise ProblemError(
            403,
            Msg(code="problem.access_denied"),
            Msg(code="problem.this_account_is_not_linked_to_an_employee_nip"),
        )
    return page_of(session, inbox_query(session, actor.nip, status, delegation_day()), page)


class BulkItem(DecisionBody):
    task_id: str = Field(..., min_length=1, max_length=128)


class BulkBody(BaseModel):
    decisions: list[BulkItem] = Field(..., min_length=1, max_length=100)


class BulkOutcome(BaseModel):
    task_id: str
    status: int
    message: str


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
        raise ProblemError(
            422,
            Msg(code="problem.invalid_input"),
            Msg(code="problem.the_same_task_appears_more_than_once"),
        )

    decided = await decide_each(
        session, temporal, actor, [(d.task_id, d) for d in body.decisions], key
    )
    return [BulkOutcome(task_id=t, status=status, message=m) for t, status, m in decided]


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
) -> Message:
    return Message(message=await decide_one(session, temporal, actor, task_id, body, key))


class ReassignBody(BaseModel):
    assignee_nip: str = Field(..., pattern=r"^\d{18}$")
    reason: str = Field(..., min_length=3, max_length=500)


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
) -> Message:
    task = get_task_or_404(session, task_id)
    check_can_approve(session, body.assignee_nip)
    deciders = OrgDirectory(session).deciders(body.assignee_nip, delegation_day())
    case = get_case_or_404(session, task.case_id)
    message = await send_update(
        temporal,
        case.workflow_id,
        MutationCaseWorkflow.reassign,
        TaskReassignment(
            task_id=task.id,
            assignee_nip=body.assignee_nip,
            deciders=deciders,
            actor=actor.name,
            reason=body.reason,
        ),
        f"tugas '{task_id}'",
        key,
        release=session,
        actor=actor.name,
    )
    return Message(message=message)


@router.get(
    "/tasks/{task_id:path}",
    summary="A task with its case context (explanation, workload, JPM, answer)",
)
def get_task(
    task_id: str, session: SessionDep, actor: Annotated[Actor, Depends(TASK_READERS)]
) -> TaskContext:
    if actor.has("hr_admin", "auditor"):
        task = get_task_or_404(session, task_id)
    else:
        task = get_decidable_task_or_404(session, task_id, actor)
    return TaskContext.model_validate(without_workflow_ids(task_context(session, task)))

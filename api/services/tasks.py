"""Approval tasks: find, decide (one at a time or in bulk), who may approve."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlmodel import Session, col
from temporalio.client import Client

from api.auth import Actor, own_nip
from api.errors import ProblemError
from api.queries import may_decide
from api.services.cases import get_case_or_404
from api.updates import send_update
from contracts.case import TaskDecision
from contracts.messages import Msg
from models import ApprovalTask, Employee, UserAccount
from workflows.case import MutationCaseWorkflow


def get_task_or_404(session: Session, task_id: str) -> ApprovalTask:
    task = session.get(ApprovalTask, task_id)
    if task is None:
        raise ProblemError(
            404,
            Msg(code="problem.not_found"),
            Msg(code="problem.task_task_id_not_found", params={"task_id": str(task_id)}),
        )
    return task


def get_decidable_task_or_404(session: Session, task_id: str, actor: Actor) -> ApprovalTask:
    """The task when this actor may decide it. Someone else's task answers exactly like a
    task that does not exist: an approver cannot probe which case or task ids exist."""
    task = session.get(ApprovalTask, task_id)
    if task is None or not may_decide(session, task, actor.nip, delegation_day()):
        raise ProblemError(
            404,
            Msg(code="problem.not_found"),
            Msg(code="problem.task_task_id_not_found", params={"task_id": str(task_id)}),
        )
    return task


def delegation_day() -> date:
    """The day delegations and inboxes are read for: the UTC date, as the activities date the
    deciders they record (a delegation ends for both at the same instant)."""
    return datetime.now(UTC).date()


class DecisionBody(BaseModel):
    approve: bool
    comment: str = Field("", max_length=2000)


async def decide_one(
    session: Session,
    temporal: Client,
    actor: Actor,
    task_id: str,
    body: DecisionBody,
    key: str | None,
) -> str:
    task = get_decidable_task_or_404(session, task_id, actor)
    case = get_case_or_404(session, task.case_id)
    # The task is in the database, so its workflow opens it at once if it has not yet: wait
    # for that inside the workflow (decide_when_open) rather than answer 404 in between.
    return await send_update(
        temporal,
        case.workflow_id,
        MutationCaseWorkflow.decide_when_open,
        TaskDecision(
            task_id=task.id, actor_nip=own_nip(actor), approve=body.approve, comment=body.comment
        ),
        f"tugas '{task_id}'",
        key,
        release=session,
        actor=actor.name,
    )


# The tasks of a bulk decision belong to different cases, each its own workflow: they go at
# once, at most this many together. Temporal admits 10 in-flight updates per workflow, and
# one case never has that many tasks open at a time.
BULK_IN_FLIGHT = 50


async def decide_each(
    session: Session,
    temporal: Client,
    actor: Actor,
    decisions: list[tuple[str, DecisionBody]],
    key: str | None,
) -> list[tuple[str, int, str]]:
    """Each (task id, decision) decided, concurrently: (task id, HTTP status, message)."""
    gate = asyncio.Semaphore(BULK_IN_FLIGHT)

    async def one(task_id: str, body: DecisionBody) -> tuple[str, int, str]:
        async with gate:
            try:
                message = await decide_one(
                    session, temporal, actor, task_id, body, f"{key}:{task_id}" if key else None
                )
                return task_id, 200, message
            except ProblemError as exc:
                return task_id, exc.status, exc.detail or exc.title

    return list(await asyncio.gather(*(one(t, b) for t, b in decisions)))


def check_can_approve(session: Session, nip: str) -> None:
    if session.get(Employee, nip) is None:
        raise ProblemError(
            422,
            Msg(code="problem.unknown_employee"),
            Msg(code="problem.nip_nip_does_not_exist", params={"nip": str(nip)}),
        )
    account = session.execute(
        select(UserAccount).where(col(UserAccount.nip) == nip)
    ).scalar_one_or_none()
    if account is None or not account.active or "approver" not in account.role_set:
        raise ProblemError(
            422,
            Msg(code="problem.not_an_approver"),
            Msg(
                code="problem.nip_nip_has_no_active_account_with_the_approver",
                params={"nip": str(nip)},
            ),
        )

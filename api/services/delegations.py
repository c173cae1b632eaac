"""Delegations (Plt./Plh.) for the API and the pages: created or revoked by HR with a
reason, audited in the delegator's agency chain, and followed at once by the open tasks."""

from __future__ import annotations

from datetime import UTC, date, datetime

from fastapi import Request
from pydantic import BaseModel, Field, model_validator
from sqlalchemy import select
from sqlmodel import Session, col

from api.deps import get_temporal
from api.errors import ProblemError
from api.services.tasks import check_can_approve, delegation_day
from api.updates import send_update
from contracts.case import DecidersChange
from contracts.enums import TaskStatus
from contracts.messages import Msg
from models import ApprovalTask, Delegation, Employee, MutationCase
from mutasi.audit import chain as audit
from mutasi.org.directory import OrgDirectory
from workflows.case import MutationCaseWorkflow


class DelegationBody(BaseModel):
    delegator_nip: str = Field(..., pattern=r"^\d{18}$")
    delegate_nip: str = Field(..., pattern=r"^\d{18}$")
    starts_on: date
    ends_on: date
    reason: str = Field(..., min_length=3, max_length=500)

    @model_validator(mode="after")
    def _period(self) -> DelegationBody:
        if self.ends_on < self.starts_on:
            raise ValueError("tanggal selesai sebelum tanggal mulai")
        if self.delegate_nip == self.delegator_nip:
            raise ValueError("pegawai tidak dapat mendelegasikan kepada dirinya sendiri")
        return self


def audit_delegation(
    session: Session, delegation: Delegation, action: str, actor: str, reason: str
) -> None:
    """A delegation is the HR user's act, with its reason, in the delegator's agency chain."""
    audit.append(
        session,
        audit.AuditInput(
            key=f"delegation/{delegation.id}/{action}",
            agency_code=OrgDirectory(session).agency_of(delegation.delegator_nip),
            at=datetime.now(UTC),
            actor=actor,
            role="hr_admin",
            action=f"delegation.{action}",
            subject_type="delegation",
            subject_id=str(delegation.id),
            reason=reason,
            new={
                "delegator": delegation.delegator_nip,
                "delegate": delegation.delegate_nip,
                "starts_on": delegation.starts_on.isoformat(),
                "ends_on": delegation.ends_on.isoformat(),
                "revoked": delegation.revoked_at is not None,
            },
        ),
    )


async def refresh_deciders(
    session: Session, request: Request, delegator_nip: str, key_prefix: str, actor: str, reason: str
) -> None:
    """Open tasks of the delegator follow a delegation change at once (Temporal is only
    needed when there are such tasks); each change is recorded as the HR user's act."""
    today = delegation_day()
    directory = OrgDirectory(session)
    tasks = session.execute(
        select(col(ApprovalTask.id), col(ApprovalTask.assignee_nip), col(MutationCase.workflow_id))
        .join(MutationCase, col(MutationCase.id) == col(ApprovalTask.case_id))
        .where(
            col(ApprovalTask.assignee_nip) == delegator_nip,
            col(ApprovalTask.status) == TaskStatus.OPEN,
        )
    ).all()
    changes = [
        (
            workflow_id,
            DecidersChange(
                task_id=task_id,
                deciders=directory.deciders(assignee, today),
                actor=actor,
                role="hr_admin",
                reason=reason,
            ),
        )
        for task_id, assignee, workflow_id in tasks
    ]
    session.close()  # no pooled connection held while the workflows answer
    if not changes:
        return
    temporal = await get_temporal(request)
    for workflow_id, change in changes:
        await send_update(
            temporal,
            workflow_id,
            MutationCaseWorkflow.change_deciders,
            change,
            f"tugas '{change.task_id}'",
            f"{key_prefix}-{change.task_id}",
        )


async def create(
    session: Session, request: Request, body: DelegationBody, actor: str
) -> Delegation:
    if session.get(Employee, body.delegator_nip) is None:
        raise ProblemError(
            422,
            Msg(code="problem.unknown_employee"),
            Msg(
                code="problem.nip_delegator_nip_does_not_exist",
                params={"delegator_nip": str(body.delegator_nip)},
            ),
        )
    check_can_approve(session, body.delegate_nip)
    delegation = Delegation(**body.model_dump(), created_by=actor, created_at=datetime.now(UTC))
    session.add(delegation)
    session.flush()
    audit_delegation(session, delegation, "created", actor, body.reason)
    session.commit()
    session.refresh(delegation)
    if body.starts_on <= delegation_day() <= body.ends_on:
        await refresh_deciders(
            session,
            request,
            body.delegator_nip,
            f"delegation-{delegation.id}",
            actor,
            f"delegasi {delegation.id} kepada {body.delegate_nip}: {body.reason}",
        )
    return delegation


async def revoke(
    session: Session, request: Request, delegation_id: int, actor: str, reason: str
) -> Delegation:
    delegation = session.get(Delegation, delegation_id)
    if delegation is None:
        raise ProblemError(
            404,
            Msg(code="problem.not_found"),
            Msg(
                code="problem.delegation_delegation_id_not_found",
                params={"delegation_id": str(delegation_id)},
            ),
        )
    if delegation.revoked_at is None:
        delegation.revoked_at = datetime.now(UTC)
        session.add(delegation)
        audit_delegation(session, delegation, "revoked", actor, reason)
        session.commit()
        session.refresh(delegation)
    await refresh_deciders(
        session,
        request,
        delegation.delegator_nip,
        f"revoke-{delegation.id}",
        actor,
        f"delegasi {delegation.id} dicabut: {reason}",
    )
    return delegation

"""HR's settings of the approval process: delegations (substitute approvers for a period)
and approval-chain templates per mutation type."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi import Path as FastApiPath
from pydantic import BaseModel, Field, model_validator
from sqlalchemy import or_, select

from api.auth import HR_ONLY, HR_OR_AUDITOR, HrActor
from api.deps import SessionDep, get_temporal
from api.errors import ProblemError
from api.pagination import Page, PageDep, page_of
from api.schemas import DelegationOut
from api.services.tasks import check_can_approve, delegation_day
from api.updates import send_update
from contracts.case import DecidersChange
from contracts.chain import (
    DEFAULT_TEMPLATES,
    MAX_STEPS,
    ROLE_TITLES,
    STEP_KINDS,
    ChainStep,
    position_of,
    validate_steps,
)
from contracts.enums import TaskStatus
from models import ApprovalTask, ApprovalTemplate, Delegation, Employee, MutationCase, Position
from mutasi.audit import chain as audit
from mutasi.org.directory import OrgDirectory
from workflows.case import MutationCaseWorkflow

router = APIRouter(tags=["pengaturan persetujuan"], dependencies=[HR_OR_AUDITOR])


class DelegationBody(BaseModel):
    delegator_nip: str = Field(..., pattern=r"^\d{18}$")
    delegate_nip: str = Field(..., pattern=r"^\d{18}$")
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


def audit_delegation(session, delegation: Delegation, action: str, actor: str, reason: str) -> None:
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
    session, request: Request, delegator_nip: str, key_prefix: str, actor: str, reason: str
) -> None:
    """Open tasks of the delegator follow a delegation change at once (Temporal is only
    needed when there are such tasks); each change is recorded as the HR user's act."""
    today = delegation_day()
    directory = OrgDirectory(session)
    tasks = session.execute(
        select(ApprovalTask.id, ApprovalTask.assignee_nip, MutationCase.workflow_id)
        .join(MutationCase, MutationCase.id == ApprovalTask.case_id)
        .where(ApprovalTask.assignee_nip == delegator_nip, ApprovalTask.status == TaskStatus.OPEN)
    ).all()
    changes = [
        (
            workflow_id,
            DecidersChange(task_id, directory.deciders(assignee, today), actor, "hr_admin", reason),
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


@router.post(
    "/delegations",
    status_code=201,
    response_model=DelegationOut,
    dependencies=[HR_ONLY],
    summary="A substitute approver for a period; open tasks follow at once",
)
async def create_delegation(
    body: DelegationBody, session: SessionDep, request: Request, actor: HrActor
):
    if session.get(Employee, body.delegator_nip) is None:
        raise ProblemError(422, "Pegawai tidak dikenal", f"NIP {body.delegator_nip} tidak ada")
    check_can_approve(session, body.delegate_nip)
    delegation = Delegation(
        **body.model_dump(), created_by=actor.name, created_at=datetime.now(UTC)
    )
    session.add(delegation)
    session.flush()
    audit_delegation(session, delegation, "created", actor.name, body.reason)
    session.commit()
    session.refresh(delegation)
    if body.starts_on <= delegation_day() <= body.ends_on:
        await refresh_deciders(
            session,
            request,
            body.delegator_nip,
            f"delegation-{delegation.id}",
            actor.name,
            f"delegasi {delegation.id} kepada {body.delegate_nip}: {body.reason}",
        )
    return delegation


@router.get(
    "/delegations",
    response_model=Page[DelegationOut],
    summary="Delegations, newest first (HR, auditors)",
)
def list_delegations(session: SessionDep, page: PageDep, nip: str | None = None):
    query = select(Delegation).order_by(Delegation.created_at.desc())
    if nip:
        query = query.where(or_(Delegation.delegator_nip == nip, Delegation.delegate_nip == nip))
    return page_of(session, query, page)


@router.delete(
    "/delegations/{delegation_id}",
    response_model=DelegationOut,
    dependencies=[HR_ONLY],
    summary="Revoke a delegation; open tasks return to the delegator alone",
)
async def revoke_delegation(
    delegation_id: Annotated[int, FastApiPath(ge=1, le=2_147_483_647)],
    session: SessionDep,
    request: Request,
    actor: HrActor,
    reason: Annotated[str, Query(min_length=3, max_length=500)] = "delegasi dicabut",
):
    delegation = session.get(Delegation, delegation_id)
    if delegation is None:
        raise ProblemError(404, "Tidak ditemukan", f"delegasi {delegation_id} tidak ditemukan")
    if delegation.revoked_at is None:
        delegation.revoked_at = datetime.now(UTC)
        session.add(delegation)
        audit_delegation(session, delegation, "revoked", actor.name, reason)
        session.commit()
        session.refresh(delegation)
    await refresh_deciders(
        session,
        request,
        delegation.delegator_nip,
        f"revoke-{delegation.id}",
        actor.name,
        f"delegasi {delegation.id} dicabut: {reason}",
    )
    return delegation


class TemplateBody(BaseModel):
    name: str = Field(..., min_length=3, max_length=200)
    steps: list[ChainStep] = Field(..., min_length=1, max_length=MAX_STEPS)


class TemplateOut(BaseModel):
    mutation_type: str
    name: str
    steps: list[ChainStep]
    customised: bool


@router.get(
    "/approval-templates",
    response_model=list[TemplateOut],
    dependencies=[HR_ONLY],
    summary="Approval chain per mutation type (stored, else the default)",
)
def list_templates(session: SessionDep) -> list[TemplateOut]:
    stored = {t.mutation_type: t for t in session.execute(select(ApprovalTemplate)).scalars()}
    out = []
    for kind, default in DEFAULT_TEMPLATES.items():
        if kind in stored:
            out.append(
                TemplateOut(
                    mutation_type=kind,
                    name=stored[kind].name,
                    steps=stored[kind].steps,
                    customised=True,
                )
            )
        else:
            out.append(
                TemplateOut(
                    mutation_type=kind,
                    name=default.name,
                    steps=[asdict(s) for s in default.steps],
                    customised=False,
                )
            )
    return out


@router.put(
    "/approval-templates/{mutation_type}",
    response_model=TemplateOut,
    dependencies=[HR_ONLY],
    summary="Replace a mutation type's approval chain (applies to cases opened afterwards)",
)
def put_template(mutation_type: str, body: TemplateBody, session: SessionDep) -> TemplateOut:
    if mutation_type not in DEFAULT_TEMPLATES:
        raise ProblemError(
            404,
            "Tidak ditemukan",
            f"jenis mutasi '{mutation_type}' tidak dikenal",
            choices=sorted(DEFAULT_TEMPLATES),
        )
    problems = validate_steps(body.steps) + [
        f"langkah {i}: jabatan {code} tidak ada"
        for i, step in enumerate(body.steps, start=1)
        for code in filter(None, map(position_of, step.roles))
        if session.get(Position, code) is None
    ]
    if problems:
        raise ProblemError(
            422,
            "Rantai persetujuan tidak valid",
            "; ".join(problems),
            errors=problems,
            roles=sorted(ROLE_TITLES),
            step_kinds=STEP_KINDS,
        )
    steps = [asdict(s) for s in body.steps]
    template = session.get(ApprovalTemplate, mutation_type) or ApprovalTemplate(
        mutation_type=mutation_type, name=body.name, steps=steps, updated_at=datetime.now(UTC)
    )
    template.name, template.steps, template.updated_at = body.name, steps, datetime.now(UTC)
    session.add(template)
    session.commit()
    return TemplateOut(
        mutation_type=mutation_type, name=body.name, steps=body.steps, customised=True
    )

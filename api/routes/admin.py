"""HR's settings of the approval process: delegations (substitute approvers for a period)
and approval-chain templates per mutation type."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi import Path as FastApiPath
from pydantic import BaseModel, Field
from sqlalchemy import or_, select

from api.auth import HR_ONLY, HR_OR_AUDITOR, HrActor
from api.deps import SessionDep
from api.errors import ProblemError
from api.pagination import Page, PageDep, page_of
from api.schemas import DelegationOut
from api.services.delegations import DelegationBody, create, revoke
from contracts.chain import (
    DEFAULT_TEMPLATES,
    MAX_STEPS,
    ROLE_TITLES,
    STEP_KINDS,
    ChainStep,
    position_of,
    validate_steps,
)
from models import ApprovalTemplate, Delegation, Position

router = APIRouter(tags=["pengaturan persetujuan"], dependencies=[HR_OR_AUDITOR])


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
    return await create(session, request, body, actor.name)


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
    return await revoke(session, request, delegation_id, actor.name, reason)


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

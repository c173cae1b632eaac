"""HR's settings of the approval process: delegations (substitute approvers for a period)
and approval-chain templates per mutation type."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from sqlalchemy import or_, select
from sqlmodel import col

from api.auth import HR_ONLY, HR_OR_AUDITOR, HrActor
from api.deps import RowId, SessionDep
from api.pagination import Page, PageDep, page_of
from api.schemas import DelegationOut
from api.services.delegations import DelegationBody, create, revoke
from api.services.templates import TemplateBody, TemplateOut, save_template, templates
from models import Delegation

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
) -> Delegation:
    return await create(session, request, body, actor.name)


@router.get(
    "/delegations",
    response_model=Page[DelegationOut],
    summary="Delegations, newest first (HR, auditors)",
)
def list_delegations(session: SessionDep, page: PageDep, nip: str | None = None) -> Page[Any]:
    query = select(Delegation).order_by(col(Delegation.created_at).desc())
    if nip:
        query = query.where(
            or_(col(Delegation.delegator_nip) == nip, col(Delegation.delegate_nip) == nip)
        )
    return page_of(session, query, page)


@router.delete(
    "/delegations/{delegation_id}",
    response_model=DelegationOut,
    dependencies=[HR_ONLY],
    summary="Revoke a delegation; open tasks return to the delegator alone",
)
async def revoke_delegation(
    delegation_id: RowId,
    session: SessionDep,
    request: Request,
    actor: HrActor,
    reason: Annotated[str, Query(min_length=3, max_length=500)] = "delegasi dicabut",
) -> Delegation:
    return await revoke(session, request, delegation_id, actor.name, reason)


@router.get(
    "/approval-templates",
    response_model=list[TemplateOut],
    dependencies=[HR_ONLY],
    summary="Approval chain per mutation type (stored, else the default)",
)
def list_templates(session: SessionDep) -> list[TemplateOut]:
    return templates(session)


@router.put(
    "/approval-templates/{mutation_type}",
    response_model=TemplateOut,
    dependencies=[HR_ONLY],
    summary="Replace a mutation type's approval chain (applies to cases opened afterwards)",
)
def put_template(mutation_type: str, body: TemplateBody, session: SessionDep) -> TemplateOut:
    return save_template(session, mutation_type, body)

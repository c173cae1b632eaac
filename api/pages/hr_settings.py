"""HR's settings pages: delegations (Plt./Plh.) recorded and revoked with a reason, and
each mutation type's approval chain. Both go through the services the API uses."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlmodel import Session, col

from api.auth import Actor
from api.deps import RowId, SessionDep
from api.errors import ProblemError
from api.pages.common import HrPage, checked_form, redirect, refusal, render
from api.services.delegations import DelegationBody, create, revoke
from api.services.tasks import delegation_day
from api.services.templates import TemplateBody, save_template, templates
from api.validation_text import pesan
from contracts.chain import MAX_STEPS, ROLE_TITLES, STEP_KINDS
from models import Delegation, Employee
from planning.calendar import date_text

router = APIRouter(include_in_schema=False)
LIMIT = 200


def delegations_page(
    request: Request,
    session: Session,
    actor: Actor,
    error: str | None = None,
    values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    rows = session.execute(
        select(Delegation).order_by(col(Delegation.created_at).desc()).limit(LIMIT)
    ).scalars()
    names: dict[str, str] = {}
    listed = list(rows)
    nips = {n for d in listed for n in (d.delegator_nip, d.delegate_nip)}
    if nips:
        names = dict(
            session.execute(
                select(col(Employee.nip), col(Employee.name)).where(col(Employee.nip).in_(nips))
            ).all()
        )
    return render(
        request,
        "hr/delegations.html",
        actor,
        status_code,
        delegations=listed,
        names=names,
        today=delegation_day(),
        error=error,
        values=values or {},
    )


@router.get("/hr/delegasi")
def delegations(request: Request, session: SessionDep, actor: HrPage) -> Response:
    return delegations_page(request, session, actor)


@router.post("/hr/delegasi")
async def create_delegation(request: Request, session: SessionDep, actor: HrPage) -> Response:
    form = await checked_form(request, actor)
    values = {
        k: (form.get(k) or "").strip()
        for k in ("delegator_nip", "delegate_nip", "starts_on", "ends_on", "reason")
    }
    try:
        body = DelegationBody(**values)
        made = await create(session, request, body, actor.name)
    except ValidationError as exc:
        problems = "; ".join(pesan(e) for e in exc.errors())
        return delegations_page(request, session, actor, problems, values, 422)
    except ProblemError as exc:
        return delegations_page(request, session, actor, refusal(request, exc), values, exc.status)
    return redirect(
        "/hr/delegasi",
        f"Delegasi dicatat: {made.delegate_nip} memutus atas nama {made.delegator_nip} "
        f"dari {date_text(made.starts_on)} sampai {date_text(made.ends_on)}; tugas terbuka ikut beralih.",
    )


@router.post("/hr/delegasi/{delegation_id}/cabut")
async def revoke_delegation(
    delegation_id: RowId, request: Request, session: SessionDep, actor: HrPage
) -> Response:
    form = await checked_form(request, actor)
    reason = (form.get("reason") or "").strip()
    if len(reason) < 3:
        return delegations_page(request, session, actor, "Tulis alasan pencabutan.", None, 422)
    try:
        await revoke(session, request, delegation_id, actor.name, reason)
    except ProblemError as exc:
        return delegations_page(request, session, actor, refusal(request, exc), None, exc.status)
    return redirect(
        "/hr/delegasi",
        f"Delegasi {delegation_id} dicabut; tugas terbuka kembali hanya kepada pejabat asal.",
    )


EXTRA_ROWS = 2  # blank steps offered below a template's own, to add one


def chains_page(
    request: Request,
    session: Session,
    actor: Actor,
    error: str | None = None,
    edited: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "hr/chains.html",
        actor,
        status_code,
        chains=templates(session),
        tokens=sorted(ROLE_TITLES.items()),
        step_kinds=STEP_KINDS,
        error=error,
        edited=edited or {},
        extra=EXTRA_ROWS,
    )


@router.get("/hr/rantai")
def chains(request: Request, session: SessionDep, actor: HrPage) -> Response:
    return chains_page(request, session, actor)


@router.post("/hr/rantai/{mutation_type}")
async def save_chain(
    mutation_type: str, request: Request, session: SessionDep, actor: HrPage
) -> Response:
    form = await checked_form(request, actor)
    rows = []
    for i in range(MAX_STEPS):
        name = (form.get(f"name{i}") or "").strip()
        roles = [r.strip() for r in (form.get(f"roles{i}") or "").split(",") if r.strip()]
        if not name and not roles:
            continue
        rows.append(
            {
                "name": name,
                "roles": roles,
                "quorum": form.get(f"quorum{i}") or 0,
                "deadline_days": form.get(f"deadline{i}") or 3,
                "reminder_days": form.get(f"reminder{i}") or 1.5,
            }
        )
    edited = {"type": mutation_type, "name": form.get("name") or "", "steps": rows}
    try:
        body = TemplateBody(name=(form.get("name") or "").strip(), steps=rows)
        save_template(session, mutation_type, body)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {pesan(e)}" for e in exc.errors())
        return chains_page(request, session, actor, problems, edited, 422)
    except ProblemError as exc:
        return chains_page(request, session, actor, refusal(request, exc), edited, exc.status)
    return redirect(
        "/hr/rantai",
        f"Rantai persetujuan {mutation_type} disimpan ({len(rows)} langkah); "
        "berlaku untuk kasus yang dibuka sesudah ini.",
    )

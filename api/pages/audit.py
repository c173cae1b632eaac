"""Auditor pages (read-only): case search and a case's timeline with exports and the
link to its workflow in the Temporal Web UI."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy import select
from sqlmodel import col

from api.auth import Actor
from api.deps import SessionDep
from api.pages.audit_changes import changed_fields
from api.pages.common import language, page_actor, render
from api.queries import case_bundle, history_rows, temporal_link
from models import MutationCase
from mutasi.i18n.catalogs import label

router = APIRouter(include_in_schema=False)
AuditPage = Annotated[Actor, Depends(page_actor("auditor", "hr_admin"))]
SEARCH_LIMIT = 100


@router.get("/audit")
def search(
    request: Request,
    session: SessionDep,
    actor: AuditPage,
    q: Annotated[str, Query(max_length=100)] = "",
    stage: Annotated[str, Query(max_length=24)] = "",
) -> Response:
    query = select(MutationCase).order_by(col(MutationCase.created_at).desc(), col(MutationCase.id))
    if q.strip():
        query = query.where(col(MutationCase.id).contains(q.strip(), autoescape=True))
    if stage:
        query = query.where(col(MutationCase.stage) == stage)
    cases = session.execute(query.limit(SEARCH_LIMIT)).scalars().all()
    return render(request, "audit/search.html", actor, cases=cases, q=q, stage=stage)


@router.get("/audit/case")
def timeline(
    request: Request,
    session: SessionDep,
    actor: AuditPage,
    id: Annotated[str, Query(max_length=96)],
) -> Response:
    case = session.get(MutationCase, id)
    if case is None:
        return render(request, "not_found.html", actor, 404, what=f"kasus {id}")
    bundle = case_bundle(session, case)
    events = history_rows(session, case)
    link = temporal_link(request.app.state.settings, case.workflow_id, case.run_id)
    lang, zone = language(request), request.app.state.settings.timezone
    return render(
        request,
        "audit/case.html",
        actor,
        b=bundle,
        events=events,
        temporal_link=link,
        changes=lambda old, new: changed_fields(old, new, lang, zone),
        subject_label=lambda kind: label("subject", kind, lang),
    )

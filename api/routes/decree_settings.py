"""How an agency's decrees are worded: its decree profile (legal bases, tembusan, the
certifier of extracts, an acting PPK) and its own versions of the decree templates, each
checked by rendering a sample before it is kept, audited, and shown as a preview."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path
from fastapi.responses import Response
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import select
from sqlmodel import col

from api.auth import HR_ONLY, HR_OR_AUDITOR, HrActor
from api.deps import SessionDep, SettingsDep
from api.errors import ProblemError
from api.openapi import download
from api.services.agencies import agency_or_404, audit_agency_change
from contracts.messages import Msg
from models import DocumentTemplate
from mutasi.committee.samples import template_sample
from mutasi.decree.frozen import render
from mutasi.decree.profile import DecreeProfile, profile_of
from mutasi.decree.templates import (
    MAX_TEMPLATE_CHARS,
    TemplateRefused,
    current_template,
    save_template,
)
from mutasi.infra.documents import store_of

router = APIRouter(tags=["instansi"])
TemplateName = Annotated[
    Literal["decree", "revocation", "minutes"], Path(description="decree | revocation | minutes")
]


@router.get(
    "/agencies/{agency_code}/decree-profile",
    dependencies=[HR_OR_AUDITOR],
    summary="What the agency's decrees cite and whom they are copied to",
)
def get_profile(agency_code: str, session: SessionDep) -> DecreeProfile:
    return profile_of(agency_or_404(session, agency_code).decree_profile)


@router.put(
    "/agencies/{agency_code}/decree-profile",
    dependencies=[HR_ONLY],
    summary="Replace the decree profile (applies to decrees issued afterwards; audited)",
)
def put_profile(
    agency_code: str, body: DecreeProfile, session: SessionDep, actor: HrActor
) -> DecreeProfile:
    agency = agency_or_404(session, agency_code)
    if body.acting and body.acting_official is None:
        raise ProblemError(
            422,
            Msg(code="problem.invalid_decree_profile"),
            Msg(code="problem.plt_plh_needs_the_acting_official_s_name_and"),
        )
    old = agency.decree_profile
    agency.decree_profile = body.model_dump()
    session.add(agency)
    audit_agency_change(
        session,
        agency_code,
        actor.name,
        "agency.decree_profile_changed",
        "decree-profile",
        old,
        agency.decree_profile,
    )
    session.commit()
    return profile_of(agency.decree_profile)


class TemplateBody(BaseModel):
    body: str = Field(..., min_length=1, max_length=MAX_TEMPLATE_CHARS)


class TemplateRef(BaseModel):
    name: str
    version: int = Field(description="0: templat bawaan")
    sha256: str


class TemplateVersion(BaseModel):
    version: int
    created_by: str
    created_at: datetime


class TemplateOut(TemplateRef):
    body: str
    versions: list[TemplateVersion]


@router.get(
    "/agencies/{agency_code}/templates/{name}",
    dependencies=[HR_OR_AUDITOR],
    summary="The template in use (the agency's newest version, or the default) and its versions",
)
def get_template(agency_code: str, name: TemplateName, session: SessionDep) -> TemplateOut:
    agency_or_404(session, agency_code)
    current = current_template(session, agency_code, name)
    versions = session.execute(
        select(
            col(DocumentTemplate.version),
            col(DocumentTemplate.created_by),
            col(DocumentTemplate.created_at),
        )
        .where(col(DocumentTemplate.agency_code) == agency_code, col(DocumentTemplate.name) == name)
        .order_by(col(DocumentTemplate.version))
    ).all()
    return TemplateOut(
        **current.reference(),
        body=current.body,
        versions=[
            TemplateVersion(version=v, created_by=by, created_at=at) for v, by, at in versions
        ],
    )


@router.put(
    "/agencies/{agency_code}/templates/{name}",
    dependencies=[HR_ONLY],
    summary="Save a new version of a template (checked by rendering a sample; audited)",
)
def put_template(
    agency_code: str, name: TemplateName, body: TemplateBody, session: SessionDep, actor: HrActor
) -> TemplateRef:
    agency_or_404(session, agency_code)
    try:
        saved = save_template(
            session,
            agency_code,
            name,
            body.body,
            template_sample(session, agency_code, name),
            actor.name,
        )
    except (TemplateRefused, ValidationError) as exc:
        raise ProblemError(422, Msg(code="problem.invalid_template"), str(exc)) from exc
    audit_agency_change(
        session,
        agency_code,
        actor.name,
        "agency.template_saved",
        "template",
        None,
        saved.reference(),
    )
    session.commit()
    return TemplateRef(**saved.reference())


@router.get(
    "/agencies/{agency_code}/templates/{name}/preview",
    dependencies=[HR_OR_AUDITOR],
    summary="The template in use rendered over a sample decree (PDF)",
    response_class=Response,
    responses=download("application/pdf"),
)
def preview_template(
    agency_code: str, name: TemplateName, session: SessionDep, settings: SettingsDep
) -> Response:
    agency_or_404(session, agency_code)
    template = current_template(session, agency_code, name)
    pdf = render(store_of(settings), template, template_sample(session, agency_code, name))
    return Response(pdf, media_type="application/pdf")

"""An agency's legal settings: who the PPK is (and whether the Sekda decides on their behalf),
its decree number format, and the document checklist per mutation type."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.auth import HR_ONLY, HR_OR_AUDITOR, HrActor
from api.deps import SessionDep
from api.errors import ProblemError
from api.services.agencies import agency_or_404, audit_agency_change
from contracts.enums import MutationType
from contracts.messages import Msg
from models import Agency, DocumentChecklist
from mutasi.decree.numbers import format_problems
from mutasi.dossier.checklist import ChecklistItem, as_rows, validate_items
from mutasi.dossier.records import checklist_for

router = APIRouter(tags=["instansi"])


class AgencySettings(BaseModel):
    ppk_title: str | None = Field(None, min_length=3, max_length=200)
    ppk_name: str | None = Field(None, min_length=3, max_length=200)
    ppk_delegation: Literal["", "sekda"] | None = None
    decree_number_format: str | None = Field(None, min_length=5, max_length=120)


class AgencyOut(BaseModel):
    code: str
    name: str
    ppk_title: str | None
    ppk_name: str | None
    ppk_delegation: str | None = Field(description="'' | sekda")
    decree_number_format: str | None
    coat_of_arms: str | None = Field(description="SHA-256 gambar lambang di penyimpanan")


def _agency_out(agency: Agency) -> AgencyOut:
    return AgencyOut(
        code=agency.code,
        name=agency.name,
        ppk_title=agency.ppk_title,
        ppk_name=agency.ppk_name,
        ppk_delegation=agency.ppk_delegation,
        decree_number_format=agency.decree_number_format,
        coat_of_arms=agency.coat_of_arms,
    )


@router.get(
    "/agencies/{agency_code}/settings",
    dependencies=[HR_OR_AUDITOR],
    summary="The PPK, the delegation to the Sekda and the decree number format",
)
def get_settings(agency_code: str, session: SessionDep) -> AgencyOut:
    return _agency_out(agency_or_404(session, agency_code))


@router.patch(
    "/agencies/{agency_code}/settings",
    dependencies=[HR_ONLY],
    summary="Change the PPK, the delegation or the number format (audited)",
)
def patch_settings(
    agency_code: str, body: AgencySettings, session: SessionDep, actor: HrActor
) -> AgencyOut:
    agency = agency_or_404(session, agency_code)
    changes = body.model_dump(exclude_none=True)
    if "decree_number_format" in changes:
        problems = format_problems(changes["decree_number_format"])
        if problems:
            raise ProblemError(
                422, Msg(code="problem.invalid_number_format"), "; ".join(problems), errors=problems
            )
    old = {k: getattr(agency, k) for k in changes}
    for key, value in changes.items():
        setattr(agency, key, value)
    audit_agency_change(
        session, agency_code, actor.name, "agency.settings_changed", "settings", old, changes
    )
    session.commit()
    return _agency_out(agency)


class ChecklistItemBody(BaseModel):
    code: str = Field(..., max_length=48)
    title: str = Field(..., max_length=200)
    required: bool = True


class ChecklistBody(BaseModel):
    items: list[ChecklistItemBody] = Field(..., max_length=30)


class ChecklistOut(BaseModel):
    mutation_type: str
    customised: bool = Field(description="false: daftar bawaan")
    items: list[ChecklistItemBody]


@router.get(
    "/document-checklists/{mutation_type}",
    dependencies=[HR_OR_AUDITOR],
    summary="The required documents of a mutation type (the agency's own, or the default)",
)
def get_checklist(mutation_type: MutationType, session: SessionDep) -> ChecklistOut:
    return ChecklistOut.model_validate(
        {
            "mutation_type": mutation_type,
            "customised": session.get(DocumentChecklist, mutation_type) is not None,
            "items": as_rows(checklist_for(session, mutation_type)),
        }
    )


@router.put(
    "/document-checklists/{mutation_type}",
    dependencies=[HR_ONLY],
    summary="Replace a mutation type's checklist (applies to cases opened afterwards)",
)
def put_checklist(
    mutation_type: MutationType, body: ChecklistBody, session: SessionDep, actor: HrActor
) -> ChecklistOut:
    items = [ChecklistItem(i.code, i.title, i.required) for i in body.items]
    problems = validate_items(items)
    if problems:
        raise ProblemError(
            422, Msg(code="problem.invalid_checklist"), "; ".join(problems), errors=problems
        )
    row = session.get(DocumentChecklist, mutation_type) or DocumentChecklist(
        mutation_type=mutation_type, updated_by=actor.name, updated_at=datetime.now(UTC)
    )
    row.items, row.updated_by, row.updated_at = as_rows(items), actor.name, datetime.now(UTC)
    session.add(row)
    session.commit()
    return ChecklistOut.model_validate(
        {"mutation_type": mutation_type, "customised": True, "items": row.items}
    )

"""Embargo windows: HR records them (an election, an inauguration, or any period) and the
Minister's written approval when one is given; starting a cycle and issuing decrees
follow them (mutasi.org.embargo)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field, model_validator
from sqlalchemy import select
from sqlmodel import Session, col

from api.auth import HR_ONLY, HR_OR_AUDITOR, HrActor
from api.deps import RowId, SessionDep
from api.errors import ProblemError
from api.pagination import Page, PageDep, page_of
from api.schemas import EmbargoWindowOut
from contracts.messages import Msg
from models import Agency, EmbargoWindow
from mutasi.audit import chain as audit
from mutasi.org.embargo import election_window, inauguration_window

router = APIRouter(tags=["masa larangan"], dependencies=[HR_OR_AUDITOR])


class WindowBody(BaseModel):
    agency_code: str = Field(..., min_length=1, max_length=32)
    kind: Literal["pilkada", "pelantikan", "lainnya"]
    reason: str = Field(..., min_length=3, max_length=500)
    # pilkada: candidates_set_on and term_ends_on; pelantikan: inaugurated_on; lainnya: starts_on/ends_on.
    candidates_set_on: date | None = None
    term_ends_on: date | None = None
    inaugurated_on: date | None = None
    starts_on: date | None = None
    ends_on: date | None = None

    @model_validator(mode="after")
    def _dates(self) -> WindowBody:
        needed = {
            "pilkada": ("candidates_set_on", "term_ends_on"),
            "pelantikan": ("inaugurated_on",),
            "lainnya": ("starts_on", "ends_on"),
        }[self.kind]
        missing = [name for name in needed if getattr(self, name) is None]
        if missing:
            raise ValueError(f"masa {self.kind} membutuhkan {', '.join(missing)}")
        start, end = self.period()
        if end < start:
            raise ValueError("tanggal selesai sebelum tanggal mulai")
        return self

    def period(self) -> tuple[date, date]:
        if self.kind == "pilkada":
            return election_window(self.candidates_set_on, self.term_ends_on)  # type: ignore[arg-type]
        if self.kind == "pelantikan":
            return inauguration_window(self.inaugurated_on)  # type: ignore[arg-type]
        return self.starts_on, self.ends_on  # type: ignore[return-value]


class ApprovalBody(BaseModel):
    number: str = Field(
        ..., min_length=3, max_length=120, description="nomor surat persetujuan Mendagri"
    )
    approved_on: date
    document: str = Field(
        ..., min_length=3, max_length=300, description="rujukan dokumen (berkas atau arsip)"
    )


@router.post(
    "/embargo-windows",
    status_code=201,
    response_model=EmbargoWindowOut,
    dependencies=[HR_ONLY],
    summary="Record an embargo window (election, inauguration or another period)",
)
def create_window(body: WindowBody, session: SessionDep, actor: HrActor) -> EmbargoWindow:
    if session.get(Agency, body.agency_code) is None:
        raise ProblemError(
            422,
            Msg(code="problem.unknown_agency"),
            Msg(
                code="problem.agency_agency_code_does_not_exist",
                params={"agency_code": str(body.agency_code)},
            ),
        )
    start, end = body.period()
    window = EmbargoWindow(
        agency_code=body.agency_code,
        kind=body.kind,
        starts_on=start,
        ends_on=end,
        reason=body.reason,
        created_by=actor.name,
        created_at=datetime.now(UTC),
    )
    session.add(window)
    session.flush()
    _audit(session, window, "embargo.recorded", actor.name, body.reason)
    session.commit()
    session.refresh(window)
    return window


@router.get(
    "/embargo-windows",
    response_model=Page[EmbargoWindowOut],
    summary="Embargo windows, latest first",
)
def list_windows(session: SessionDep, page: PageDep) -> Page[Any]:
    return page_of(
        session, select(EmbargoWindow).order_by(col(EmbargoWindow.starts_on).desc()), page
    )


@router.post(
    "/embargo-windows/{window_id}/approval",
    response_model=EmbargoWindowOut,
    dependencies=[HR_ONLY],
    summary="Record the Minister of Home Affairs' written approval for a window",
)
def record_approval(
    window_id: RowId,
    body: ApprovalBody,
    session: SessionDep,
    actor: HrActor,
) -> EmbargoWindow:
    window = session.get(EmbargoWindow, window_id)
    if window is None:
        raise ProblemError(
            404,
            Msg(code="problem.not_found"),
            Msg(
                code="problem.moratorium_window_id_not_found", params={"window_id": str(window_id)}
            ),
        )
    if window.approval_number is not None:
        raise ProblemError(
            409,
            Msg(code="problem.already_recorded"),
            Msg(
                code="problem.approval_number_approval_number_is_already",
                params={"approval_number": str(window.approval_number)},
            ),
        )
    window.approval_number, window.approval_date = body.number, body.approved_on
    window.approval_document, window.approval_recorded_by = body.document, actor.name
    session.add(window)
    _audit(
        session,
        window,
        "embargo.approved",
        actor.name,
        f"persetujuan Mendagri {body.number} "
        f"tanggal {body.approved_on.isoformat()} ({body.document})",
    )
    session.commit()
    session.refresh(window)
    return window


def _audit(session: Session, window: EmbargoWindow, action: str, actor: str, reason: str) -> None:
    audit.append(
        session,
        audit.AuditInput(
            key=f"embargo/{window.id}/{action}",
            agency_code=window.agency_code,
            at=datetime.now(UTC),
            actor=actor,
            role="hr_admin",
            action=action,
            subject_type="embargo",
            subject_id=str(window.id),
            reason=reason,
            new={
                "starts_on": window.starts_on.isoformat(),
                "ends_on": window.ends_on.isoformat(),
                "kind": window.kind,
                "approval": window.approval_number,
            },
        ),
    )

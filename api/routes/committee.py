"""Review committees (TPK / Baperjakat): their members, the cases waiting for a sitting,
HR's draft of a sitting, the chair's signature, and the minutes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlmodel import Session

from api.auth import HR_ONLY, HR_OR_AUDITOR, Actor, ActorDep, HrActor, require
from api.deps import SessionDep, SettingsDep, TemporalDep
from api.errors import ProblemError
from api.openapi import download
from api.schemas.committee import CommitteeOut, SittingOut, WaitingCase
from api.services.agencies import agency_or_404
from api.services.committee import (
    Kind,
    SittingBody,
    committee_or_422,
    committee_out,
    deliver,
    draft_sitting,
    pending_out,
    sign_sitting,
    sitting_out,
)
from contracts.messages import Msg
from models import CommitteeSitting, Employee, ReviewCommittee
from mutasi.committee.membership import membership_problems
from mutasi.infra.documents import DocumentCorrupt, DocumentMissing, store_of

router = APIRouter(tags=["tim penilai"])


@router.get(
    "/committees/{agency_code}/{kind}",
    dependencies=[HR_OR_AUDITOR],
    summary="A committee's members and quorum (configured, or formed from org data)",
)
def get_committee(agency_code: str, kind: Kind, session: SessionDep) -> CommitteeOut:
    agency_or_404(session, agency_code)
    return CommitteeOut.model_validate(
        committee_out(session, committee_or_422(session, agency_code, kind))
    )


class CommitteeBody(BaseModel):
    chair_nip: str = Field(..., pattern=r"^\d{18}$")
    members: list[str] = Field(..., min_length=2, max_length=30)
    quorum: int = Field(..., ge=2, le=30)


@router.put(
    "/committees/{agency_code}/{kind}",
    dependencies=[HR_ONLY],
    summary="Set a committee's chair, members and quorum",
)
def put_committee(
    agency_code: str, kind: Kind, body: CommitteeBody, session: SessionDep, actor: HrActor
) -> CommitteeOut:
    agency_or_404(session, agency_code)
    members = list(dict.fromkeys([body.chair_nip, *body.members]))
    problems = [f"NIP {nip} tidak dikenal" for nip in members if session.get(Employee, nip) is None]
    problems += membership_problems(body.chair_nip, members, body.quorum)
    if problems:
        raise ProblemError(
            422, Msg(code="problem.invalid_committee"), "; ".join(problems), errors=problems
        )
    row = session.get(ReviewCommittee, (agency_code, kind)) or ReviewCommittee(
        agency_code=agency_code,
        kind=kind,
        chair_nip=body.chair_nip,
        quorum=body.quorum,
        updated_by=actor.name,
        updated_at=datetime.now(UTC),
    )
    row.chair_nip, row.members, row.quorum = body.chair_nip, members, body.quorum
    row.updated_by, row.updated_at = actor.name, datetime.now(UTC)
    session.add(row)
    session.commit()
    return CommitteeOut.model_validate(
        committee_out(session, committee_or_422(session, agency_code, kind))
    )


@router.get(
    "/committee-sittings/pending",
    dependencies=[HR_ONLY],
    summary="Cases whose committee step waits for a sitting",
)
def pending(
    session: SessionDep,
    agency_code: Annotated[str, Query(max_length=32)],
    kind: Kind = "tpk",
) -> list[WaitingCase]:
    agency_or_404(session, agency_code)
    return [WaitingCase.model_validate(item) for item in pending_out(session, agency_code, kind)]


@router.post(
    "/committee-sittings",
    dependencies=[HR_ONLY],
    status_code=201,
    summary="Draft a sitting: attendance and a recommendation with a reason per case",
)
def create_sitting(body: SittingBody, session: SessionDep, actor: HrActor) -> SittingOut:
    agency_or_404(session, body.agency_code)
    return SittingOut.model_validate(sitting_out(draft_sitting(session, body, actor.name)))


def _sitting_or_404(session: Session, number: str, actor: Actor) -> CommitteeSitting:
    sitting = session.get(CommitteeSitting, number)
    if sitting is None or not (actor.has("hr_admin", "auditor") or actor.nip == sitting.chair_nip):
        raise ProblemError(
            404,
            Msg(code="problem.not_found"),
            Msg(code="problem.minutes_number_not_found", params={"number": str(number)}),
        )
    return sitting


@router.get(
    "/committee-sittings/{number}",
    dependencies=[Depends(require("hr_admin", "auditor", "approver"))],
    summary="A sitting (HR, auditors and its chair)",
)
def get_sitting(number: str, session: SessionDep, actor: ActorDep) -> SittingOut:
    return SittingOut.model_validate(sitting_out(_sitting_or_404(session, number, actor)))


@router.post(
    "/committee-sittings/{number}/sign",
    dependencies=[Depends(require("approver"))],
    summary="The chair signs the minutes; each case then hears its recommendation",
)
async def sign(
    number: str,
    session: SessionDep,
    settings: SettingsDep,
    temporal: TemporalDep,
    actor: ActorDep,
) -> SittingOut:
    sitting = _sitting_or_404(session, number, actor)
    sitting = sign_sitting(session, store_of(settings), sitting, actor.nip, actor.name)
    await deliver(temporal, settings.task_queue, sitting)
    return SittingOut.model_validate(sitting_out(sitting))


@router.get(
    "/committee-sittings/{number}/minutes",
    dependencies=[Depends(require("hr_admin", "auditor", "approver"))],
    summary="The signed minutes (berita acara) as PDF",
    response_class=Response,
    responses=download("application/pdf"),
)
def minutes(number: str, session: SessionDep, settings: SettingsDep, actor: ActorDep) -> Response:
    sitting = _sitting_or_404(session, number, actor)
    if sitting.minutes_sha256 is None:
        raise ProblemError(
            409,
            Msg(code="problem.not_signed_yet"),
            Msg(code="problem.the_minutes_are_not_signed_by_the_chair_yet"),
        )
    try:
        pdf = store_of(settings).get(sitting.minutes_sha256)
    except (DocumentMissing, DocumentCorrupt) as exc:
        raise ProblemError(500, Msg(code="problem.minutes_damaged_or_missing"), str(exc)) from exc
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="berita-acara-{number}.pdf"'},
    )

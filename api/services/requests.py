"""Requests outside cycles for the API and the pages: an employee files their own (APS),
HR opens an individual move, the superior gives an opinion, HR screens, the employee
withdraws. The row is written here and the request's workflow started beside it; every
later change goes through the workflow."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col
from temporalio.client import Client

from api.auth import Actor
from api.errors import ProblemError
from api.queries import employee_name
from api.updates import send_update
from contracts.case import Withdrawal
from contracts.enums import Stage
from contracts.messages import Msg
from contracts.requests import (
    APS,
    APS_CATEGORIES,
    INDIVIDUAL,
    INDIVIDUAL_CATEGORIES,
    OPEN_STATUSES,
    RequestInput,
    RequestScreening,
    RequestState,
    RequestStatus,
    RequestWithdrawal,
    SuperiorOpinion,
    category_label,
)
from models import Employee, MutationCase, Position, RequestDocument, TransferRequest, Unit
from mutasi.dossier.content import RefusedFile, check_upload
from mutasi.infra.documents import DocumentStore
from mutasi.org.directory import OrgDirectory, Unresolvable
from mutasi.org.open_cases import open_move_of
from mutasi.org.preferences import carry_over
from mutasi.org.request_screening import screening_problems
from workflows.case import MutationCaseWorkflow
from workflows.transfer_request import TransferRequestWorkflow

REQUEST_WORKFLOW_PREFIX = "request-"
# A case the employee may still take back by withdrawing their request: before the decree.
WITHDRAWABLE_STAGES = (Stage.CONSULTATION, Stage.HR_REVIEW, Stage.TRAINING, Stage.APPROVAL)


class ApsBody(BaseModel):
    category: str = Field(
        ..., description="; ".join(f"{k}: {v}" for k, v in APS_CATEGORIES.items())
    )
    reason: str = Field(..., min_length=10, max_length=2000)
    wishes: list[str] = Field(
        default_factory=list, max_length=3, description="kode unit tujuan, pilihan pertama dulu"
    )


class IndividualBody(BaseModel):
    nip: str = Field(..., min_length=18, max_length=18)
    destination_position: str = Field(..., max_length=32)
    category: str = Field(
        ..., description="; ".join(f"{k}: {v}" for k, v in INDIVIDUAL_CATEGORIES.items())
    )
    reason: str = Field(..., min_length=10, max_length=2000)
    override_reason: str = Field("", max_length=1000)


class OpinionBody(BaseModel):
    support: bool
    reason: str = Field("", max_length=1000)


class ScreeningBody(BaseModel):
    accept: bool
    reason: str = Field(..., min_length=3, max_length=1000)
    destination_position: str = Field("", max_length=32)
    override_reason: str = Field("", max_length=1000)


class WithdrawBody(BaseModel):
    reason: str = Field(..., min_length=3, max_length=1000)


def new_request_id(kind: str) -> str:
    prefix = "APS" if kind == APS else "IND"
    return f"{prefix}-{datetime.now(UTC):%Y%m%d}-{uuid.uuid4().hex[:8].upper()}"


def request_workflow_id(request_id: str) -> str:
    return REQUEST_WORKFLOW_PREFIX + request_id


def get_request_or_404(session: Session, request_id: str) -> TransferRequest:
    row = session.get(TransferRequest, request_id)
    if row is None:
        raise ProblemError(
            404,
            Msg(code="problem.not_found"),
            Msg(
                code="problem.request_request_id_not_found", params={"request_id": str(request_id)}
            ),
        )
    return row


def _check_person_free(session: Session, nip: str) -> None:
    busy = open_move_of(session, [nip])
    if nip in busy:
        raise ProblemError(
            409,
            Msg(code="problem.a_transfer_is_still_under_way"),
            Msg(
                code="problem.employee_nip_is_still_in_a_transfer_case_value",
                params={"nip": str(nip), "value": str(busy[nip])},
            ),
        )
    pending = session.execute(
        select(col(TransferRequest.id)).where(
            col(TransferRequest.nip) == nip, col(TransferRequest.status).in_(OPEN_STATUSES)
        )
    ).scalar_one_or_none()
    if pending is not None:
        raise ProblemError(
            409,
            Msg(code="problem.a_request_is_still_under_way"),
            Msg(
                code="problem.request_pending_for_employee_nip_is_not_finished",
                params={"pending": str(pending), "nip": str(nip)},
            ),
        )


def _agency_of(session: Session, nip: str) -> str:
    try:
        return OrgDirectory(session).agency_of(nip)
    except Unresolvable as exc:
        raise ProblemError(422, Msg(code="problem.employee_data_incomplete"), str(exc)) from exc


def _insert(session: Session, row: TransferRequest) -> None:
    session.add(row)
    try:
        session.commit()
    except IntegrityError as exc:  # the same person's other request landed a moment ago
        session.rollback()
        raise ProblemError(
            409,
            Msg(code="problem.a_request_is_still_under_way"),
            Msg(code="problem.employee_nip_already_has_a_request", params={"nip": str(row.nip)}),
        ) from exc


async def _start(temporal: Client, task_queue: str, inp: RequestInput) -> None:
    await temporal.start_workflow(
        TransferRequestWorkflow.run,
        inp,
        id=request_workflow_id(inp.request_id),
        task_queue=task_queue,
    )


async def file_aps(
    session: Session, temporal: Client, task_queue: str, nip: str, actor: str, body: ApsBody
) -> TransferRequest:
    """An employee's own request: to their direct superior for an opinion, then HR."""
    problems = []
    if body.category not in APS_CATEGORIES:
        problems.append(f"kategori '{body.category}' tidak dikenal")
    unknown = [u for u in body.wishes if session.get(Unit, u) is None]
    if unknown:
        problems.append("unit tujuan tidak dikenal: " + ", ".join(unknown))
    if len(set(body.wishes)) != len(body.wishes):
        problems.append("unit tujuan disebut lebih dari sekali")
    if problems:
        raise ProblemError(
            422, Msg(code="problem.invalid_request"), "; ".join(problems), errors=problems
        )
    _check_person_free(session, nip)
    agency = _agency_of(session, nip)
    try:
        superior = OrgDirectory(session).superior_of(nip, agency) or ""
    except Unresolvable:
        superior = ""
    now = datetime.now(UTC)
    rid = new_request_id(APS)
    row = TransferRequest(
        id=rid,
        kind=APS,
        nip=nip,
        agency_code=agency,
        category=body.category,
        reason=body.reason.strip(),
        wishes=list(body.wishes),
        status=RequestStatus.OPINION if superior else RequestStatus.SCREENING,
        superior_nip=superior or None,
        workflow_id=request_workflow_id(rid),
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    if body.wishes:  # the wishes count in the next plan too, whatever becomes of the request
        carry_over(session, nip, body.wishes, "request", now.date())
    _insert(session, row)
    await _start(
        temporal,
        task_queue,
        RequestInput(request_id=rid, kind=APS, nip=nip, agency_code=agency, superior_nip=superior),
    )
    return row


async def open_individual(
    session: Session, temporal: Client, task_queue: str, actor: str, body: IndividualBody
) -> TransferRequest:
    """HR moves one person outside a cycle: screened now, by the same rules; a case opens."""
    problems = []
    if body.category not in INDIVIDUAL_CATEGORIES:
        problems.append(f"kategori '{body.category}' tidak dikenal")
    if session.get(Employee, body.nip) is None:
        problems.append(f"pegawai {body.nip} tidak dikenal")
    if problems:
        raise ProblemError(
            422, Msg(code="problem.invalid_individual_move"), "; ".join(problems), errors=problems
        )
    _check_person_free(session, body.nip)
    agency = _agency_of(session, body.nip)
    now = datetime.now(UTC)
    rid = new_request_id(INDIVIDUAL)
    row = TransferRequest(
        id=rid,
        kind=INDIVIDUAL,
        nip=body.nip,
        agency_code=agency,
        category=body.category,
        reason=body.reason.strip(),
        wishes=[],
        status=RequestStatus.SCREENING,
        workflow_id=request_workflow_id(rid),
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    found, _ = screening_problems(session, row, body.destination_position, body.override_reason)
    if found:
        raise ProblemError(
            422, Msg(code="problem.invalid_individual_move"), "; ".join(found), errors=found
        )
    _insert(session, row)
    screening = RequestScreening(
        actor=actor,
        accept=True,
        reason=body.reason.strip(),
        destination_position=body.destination_position,
        override_reason=body.override_reason,
    )
    await _start(
        temporal,
        task_queue,
        RequestInput(
            request_id=rid,
            kind=INDIVIDUAL,
            nip=body.nip,
            agency_code=agency,
            superior_nip="",
            opinion_days=0,
            screening=screening,
        ),
    )
    return row


def screening_preview(session: Session, row: TransferRequest, destination: str) -> dict[str, Any]:
    """The rules for a request to `destination`, as HR's screening will judge them."""
    problems, checks = screening_problems(session, row, destination, "")
    return {"destination_position": destination, "rules": checks, "problems": problems}


async def give_opinion(
    session: Session,
    temporal: Client,
    row: TransferRequest,
    actor: Actor,
    body: OpinionBody,
    key: str | None,
) -> str:
    if not actor.nip or actor.nip != row.superior_nip:
        raise ProblemError(
            403,
            Msg(code="problem.access_denied"),
            Msg(code="problem.only_the_applicant_s_direct_superior_gives_the"),
        )
    return await send_update(
        temporal,
        row.workflow_id,
        TransferRequestWorkflow.give_opinion,
        SuperiorOpinion(actor_nip=actor.nip, support=body.support, reason=body.reason),
        f"permohonan '{row.id}'",
        key,
        release=session,
        actor=actor.name,
    )


async def screen(
    session: Session,
    temporal: Client,
    row: TransferRequest,
    actor: Actor,
    body: ScreeningBody,
    key: str | None,
) -> RequestState:
    if body.accept:
        problems, _ = screening_problems(
            session, row, body.destination_position, body.override_reason
        )
        if problems:
            raise ProblemError(
                422,
                Msg(code="problem.request_cannot_be_accepted"),
                "; ".join(problems),
                errors=problems,
            )
    state: RequestState = await send_update(
        temporal,
        row.workflow_id,
        TransferRequestWorkflow.screen,
        RequestScreening(
            actor=actor.name,
            accept=body.accept,
            reason=body.reason,
            destination_position=body.destination_position,
            override_reason=body.override_reason,
            actor_nip=actor.nip,
        ),
        f"permohonan '{row.id}'",
        key,
        release=session,
        actor=actor.name,
    )
    if state.problems:
        raise ProblemError(
            422,
            Msg(code="problem.request_cannot_be_accepted"),
            "; ".join(state.problems),
            errors=state.problems,
        )
    return state


async def withdraw(
    session: Session,
    temporal: Client,
    row: TransferRequest,
    actor: Actor,
    body: WithdrawBody,
    key: str | None,
) -> str:
    """The employee takes back their request: before HR's decision, the request ends; once
    it is a case, the case is withdrawn as long as no decree was issued."""
    if row.status in OPEN_STATUSES:
        return await send_update(
            temporal,
            row.workflow_id,
            TransferRequestWorkflow.withdraw,
            RequestWithdrawal(actor=actor.name, reason=body.reason),
            f"permohonan '{row.id}'",
            key,
            release=session,
            actor=actor.name,
        )
    case = session.get(MutationCase, row.case_id) if row.case_id else None
    if case is None or case.outcome is not None:
        raise ProblemError(
            409,
            Msg(code="problem.cannot_be_withdrawn"),
            Msg(code="problem.request_id_has_ended", params={"id": str(row.id)}),
        )
    if case.stage not in WITHDRAWABLE_STAGES:
        raise ProblemError(
            409,
            Msg(code="problem.cannot_be_withdrawn"),
            Msg(code="problem.the_transfer_decree_is_already_being_processed"),
        )
    return await send_update(
        temporal,
        case.workflow_id,
        MutationCaseWorkflow.withdraw,
        Withdrawal(
            actor=actor.name, reason=f"ditarik oleh pemohon: {body.reason}", role="employee"
        ),
        f"kasus '{case.id}'",
        key,
        release=session,
        actor=actor.name,
    )


def add_document(
    session: Session,
    store: DocumentStore,
    row: TransferRequest,
    actor: Actor,
    filename: str,
    data: bytes,
    limit: int,
) -> RequestDocument:
    if row.status not in OPEN_STATUSES:
        raise ProblemError(
            409,
            Msg(code="problem.request_already_decided"),
            Msg(code="problem.documents_can_no_longer_be_added"),
        )
    try:
        media_type = check_upload(data, limit)
    except RefusedFile as exc:
        raise ProblemError(
            413 if len(data) > limit else 415, Msg(code="problem.file_refused"), str(exc)
        ) from exc
    doc = RequestDocument(
        request_id=row.id,
        filename=filename[:200] or "berkas",
        media_type=media_type,
        size=len(data),
        sha256=store.put(data),
        uploaded_by=actor.name,
        uploaded_at=datetime.now(UTC),
    )
    session.add(doc)
    session.commit()
    return doc


def documents_of(session: Session, request_id: str) -> list[RequestDocument]:
    return list(
        session.execute(
            select(RequestDocument)
            .where(col(RequestDocument.request_id) == request_id)
            .order_by(col(RequestDocument.id))
        ).scalars()
    )


def employee_view(session: Session, row: TransferRequest) -> dict[str, Any]:
    """What the employee sees of their own request: its state and a plain reason; never the
    screening's rule-by-rule judgement."""
    post = session.get(Position, row.destination_position) if row.destination_position else None
    case = session.get(MutationCase, row.case_id) if row.case_id else None
    return {
        "id": row.id,
        "kind": row.kind,
        "category": row.category,
        "category_label": category_label(row.kind, row.category),
        "reason": row.reason,
        "wishes": row.wishes,
        "status": row.status,
        "opinion_given": row.opinion is not None,
        "decision_reason": row.decision_reason,
        "destination_position": row.destination_position,
        "destination_title": post.title if post else None,
        "case_id": row.case_id,
        "case_stage": case.stage if case else None,
        "may_withdraw": row.status in OPEN_STATUSES
        or (case is not None and case.outcome is None and case.stage in WITHDRAWABLE_STAGES),
        "created_at": row.created_at,
        "documents": [
            {"id": d.id, "filename": d.filename, "size": d.size}
            for d in documents_of(session, row.id)
        ],
    }


def hr_view(session: Session, row: TransferRequest) -> dict[str, Any]:
    view = employee_view(session, row)
    view.update(
        nip=row.nip,
        name=employee_name(session, row.nip),
        agency_code=row.agency_code,
        superior_nip=row.superior_nip,
        opinion=row.opinion,
        opinion_reason=row.opinion_reason,
        opinion_due=row.opinion_due,
        screening=row.screening,
        override_reason=row.override_reason,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        created_by=row.created_by,
    )
    return view

"""An employee's own data: my cases (proposal and why, consultation, trainings, decree),
my answer to the consultation. Nothing here reaches another employee's record."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlmodel import col

from api.auth import EMPLOYEE_ONLY, EmployeeActor, own_nip
from api.deps import SessionDep, TemporalDep
from api.errors import ProblemError
from api.queries import own_case_bundle
from api.schemas import Message, without_workflow_ids
from api.schemas.cases import OwnCase
from api.services.cases import IdempotencyKey, get_case_or_404
from api.updates import send_update
from contracts.case import ConsultationAnswer
from contracts.messages import Msg
from models import MutationCase, TrainingAssignment
from workflows.case import MutationCaseWorkflow

router = APIRouter(tags=["pegawai"], dependencies=[EMPLOYEE_ONLY])


@router.get("/me/cases", summary="My mutation cases, newest cycle first, each with its decree")
def my_cases(session: SessionDep, actor: EmployeeActor) -> list[OwnCase]:
    nip = own_nip(actor)
    cases = (
        session.execute(
            select(MutationCase)
            .where(col(MutationCase.nip) == nip)
            .order_by(col(MutationCase.created_at).desc())
        )
        .scalars()
        .all()
    )
    return [
        OwnCase.model_validate(without_workflow_ids(own_case_bundle(session, c))) for c in cases
    ]


@router.get(
    "/me/trainings", response_model=list[TrainingAssignment], summary="My training assignments"
)
def my_trainings(session: SessionDep, actor: EmployeeActor) -> Sequence[TrainingAssignment]:
    nip = own_nip(actor)
    return (
        session.execute(
            select(TrainingAssignment)
            .where(col(TrainingAssignment.nip) == nip)
            .order_by(col(TrainingAssignment.due_on))
        )
        .scalars()
        .all()
    )


class ConsultationBody(BaseModel):
    accept: bool
    reason: str = Field("", max_length=1000)
    preferences: list[str] = Field(default_factory=list, max_length=3)


@router.post(
    "/consultations/{case_id}/response", summary="My answer: accept, or object with a reason"
)
async def respond(
    case_id: str,
    body: ConsultationBody,
    session: SessionDep,
    temporal: TemporalDep,
    actor: EmployeeActor,
    key: IdempotencyKey = None,
) -> Message:
    nip = own_nip(actor)
    case = get_case_or_404(session, case_id)
    if case.nip != nip:
        raise ProblemError(
            403,
            Msg(code="problem.access_denied"),
            Msg(code="problem.this_consultation_belongs_to_another_employee"),
        )
    message = await send_update(
        temporal,
        case.workflow_id,
        MutationCaseWorkflow.respond,
        ConsultationAnswer(
            actor_nip=nip, accept=body.accept, reason=body.reason, preferences=body.preferences
        ),
        f"kasus '{case_id}'",
        key,
        release=session,
        actor=actor.name,
    )
    return Message(message=message)

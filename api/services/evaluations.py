"""Post-mutation evaluations: the evaluator's list and their submission."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.sql import Select
from sqlmodel import Session, col
from temporalio.client import Client

from api.auth import Actor
from api.errors import ProblemError
from api.queries import acting_for
from api.services.cases import get_case_or_404
from api.services.tasks import delegation_day
from api.updates import send_update
from contracts.case import SERVICE_INDICATORS, EvaluationSubmission
from contracts.messages import Msg
from models import PostMutationEvaluation
from workflows.case import MutationCaseWorkflow


def evaluations_for(session: Session, nip: str, status: str) -> Select[PostMutationEvaluation]:
    query = select(PostMutationEvaluation).where(
        col(PostMutationEvaluation.evaluator_nip).in_(acting_for(session, nip, delegation_day()))
    )
    if status != "all":
        query = query.where(col(PostMutationEvaluation.status) == status)
    return query.order_by(col(PostMutationEvaluation.due_at), col(PostMutationEvaluation.case_id))


class EvaluationBody(BaseModel):
    indicators: dict[str, Annotated[int, Field(ge=1, le=5)]] = Field(
        ..., description=f"nilai 1-5 untuk: {', '.join(SERVICE_INDICATORS)}"
    )
    adaptation_score: int = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=2000)


async def submit_evaluation(
    session: Session,
    temporal: Client,
    actor: Actor,
    case_id: str,
    body: EvaluationBody,
    key: str | None,
) -> str:
    case = get_case_or_404(session, case_id)
    if session.get(PostMutationEvaluation, case_id) is None:
        raise ProblemError(
            404,
            Msg(code="problem.not_found"),
            Msg(
                code="problem.case_case_id_has_no_post_transfer_evaluation_yet",
                params={"case_id": str(case_id)},
            ),
        )
    return await send_update(
        temporal,
        case.workflow_id,
        MutationCaseWorkflow.evaluate,
        EvaluationSubmission(
            actor_nip=actor.nip or "",
            indicators=dict(body.indicators),
            adaptation_score=body.adaptation_score,
            comment=body.comment,
        ),
        f"evaluasi '{case_id}'",
        key,
        release=session,
        actor=actor.name,
    )

"""Post-mutation evaluations: the evaluator's list and their submission."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field
from sqlalchemy import select

from api.errors import ProblemError
from api.queries import acting_for
from api.services.cases import get_case_or_404
from api.services.tasks import delegation_day
from api.updates import send_update
from contracts.case import SERVICE_INDICATORS, EvaluationSubmission
from models import PostMutationEvaluation
from workflows.case import MutationCaseWorkflow


def evaluations_for(session, nip: str, status: str):
    query = select(PostMutationEvaluation).where(
        PostMutationEvaluation.evaluator_nip.in_(acting_for(session, nip, delegation_day()))
    )
    if status != "all":
        query = query.where(PostMutationEvaluation.status == status)
    return query.order_by(PostMutationEvaluation.due_at, PostMutationEvaluation.case_id)


class EvaluationBody(BaseModel):
    indicators: dict[str, Annotated[int, Field(ge=1, le=5)]] = Field(
        ..., description=f"nilai 1-5 untuk: {', '.join(SERVICE_INDICATORS)}"
    )
    adaptation_score: int = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=2000)


async def submit_evaluation(
    session, temporal, actor, case_id: str, body: EvaluationBody, key: str | None
) -> str:
    case = get_case_or_404(session, case_id)
    if session.get(PostMutationEvaluation, case_id) is None:
        raise ProblemError(
            404, "Tidak ditemukan", f"kasus '{case_id}' belum memiliki evaluasi pascamutasi"
        )
    return await send_update(
        temporal,
        case.workflow_id,
        MutationCaseWorkflow.evaluate,
        EvaluationSubmission(
            actor.nip or "", dict(body.indicators), body.adaptation_score, body.comment
        ),
        f"evaluasi '{case_id}'",
        key,
        release=session,
        actor=actor.name,
    )

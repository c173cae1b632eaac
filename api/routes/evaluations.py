"""Post-mutation evaluations: the destination head's list and answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import select

from api.auth import APPROVER_ONLY, ApproverActor
from api.deps import SessionDep, TemporalDep
from api.errors import ProblemError
from api.pagination import Page, PageDep, page_of
from api.queries import acting_for
from api.routes.cases import IdempotencyKey, get_case_or_404
from api.routes.tasks import today
from api.updates import send_update
from contracts.case import SERVICE_INDICATORS, EvaluationSubmission
from models import PostMutationEvaluation
from workflows.case import MutationCaseWorkflow

router = APIRouter(tags=["evaluasi pascamutasi"], dependencies=[APPROVER_ONLY])


def evaluations_for(session, nip: str, status: str):
    query = select(PostMutationEvaluation).where(
        PostMutationEvaluation.evaluator_nip.in_(acting_for(session, nip, today()))
    )
    if status != "all":
        query = query.where(PostMutationEvaluation.status == status)
    return query.order_by(PostMutationEvaluation.due_at, PostMutationEvaluation.case_id)


@router.get(
    "/evaluations",
    response_model=Page[PostMutationEvaluation],
    summary="My post-mutation evaluations",
)
def my_evaluations(
    session: SessionDep,
    page: PageDep,
    actor: ApproverActor,
    status: Annotated[str, Query(pattern="^(open|submitted|expired|all)$")] = "open",
):
    if not actor.nip:
        raise ProblemError(403, "Akses ditolak", "akun ini tidak terhubung dengan NIP pegawai")
    return page_of(session, evaluations_for(session, actor.nip, status), page)


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


@router.post(
    "/evaluations/{case_id}", summary="Submit the evaluation (destination head or delegate)"
)
async def evaluate(
    case_id: str,
    body: EvaluationBody,
    session: SessionDep,
    temporal: TemporalDep,
    actor: ApproverActor,
    key: IdempotencyKey = None,
) -> dict:
    return {"message": await submit_evaluation(session, temporal, actor, case_id, body, key)}

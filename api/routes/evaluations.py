"""Post-mutation evaluations: the destination head's list and answer."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.auth import APPROVER_ONLY, ApproverActor
from api.deps import SessionDep, TemporalDep
from api.errors import ProblemError
from api.pagination import Page, PageDep, page_of
from api.schemas import EvaluationOut, Message
from api.services.cases import IdempotencyKey
from api.services.evaluations import EvaluationBody, evaluations_for, submit_evaluation
from contracts.messages import Msg

router = APIRouter(tags=["evaluasi pascamutasi"], dependencies=[APPROVER_ONLY])


@router.get(
    "/evaluations",
    response_model=Page[EvaluationOut],
    summary="My post-mutation evaluations",
)
def my_evaluations(
    session: SessionDep,
    page: PageDep,
    actor: ApproverActor,
    status: Annotated[str, Query(pattern="^(open|submitted|expired|all)$")] = "open",
) -> Page[Any]:
    if not actor.nip:
        raise ProblemError(
            403,
            Msg(code="problem.access_denied"),
            Msg(code="problem.this_account_is_not_linked_to_an_employee_nip"),
        )
    return page_of(session, evaluations_for(session, actor.nip, status), page)


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
) -> Message:
    return Message(message=await submit_evaluation(session, temporal, actor, case_id, body, key))

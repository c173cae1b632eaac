"""Case reads and changes shared by the API and the pages."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Header
from sqlmodel import Session
from temporalio.client import Client
from temporalio.workflow import UpdateMethodMultiParam

from api.errors import ProblemError
from api.schemas import Message
from api.updates import ArgT, send_update
from contracts.messages import Msg
from models import MutationCase

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=100,
        description="kirim ulang dengan kunci yang sama: diproses sekali",
    ),
]


def get_case_or_404(session: Session, case_id: str) -> MutationCase:
    case = session.get(MutationCase, case_id)
    if case is None:
        raise ProblemError(
            404,
            Msg(code="problem.not_found"),
            Msg(code="problem.case_case_id_not_found", params={"case_id": str(case_id)}),
        )
    return case


async def update_case(
    session: Session,
    temporal: Client,
    case_id: str,
    update: UpdateMethodMultiParam[[Any, ArgT], str],
    arg: ArgT,
    key: str | None,
    actor: str,
) -> Message:
    case = get_case_or_404(session, case_id)
    return Message(
        message=await send_update(
            temporal,
            case.workflow_id,
            update,
            arg,
            f"kasus '{case_id}'",
            key,
            release=session,
            actor=actor,
        )
    )

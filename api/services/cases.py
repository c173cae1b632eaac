"""Case reads and changes shared by the API and the pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header

from api.errors import ProblemError
from api.updates import send_update
from models import MutationCase

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=100,
        description="kirim ulang dengan kunci yang sama: diproses sekali",
    ),
]


def get_case_or_404(session, case_id: str) -> MutationCase:
    case = session.get(MutationCase, case_id)
    if case is None:
        raise ProblemError(404, "Tidak ditemukan", f"kasus '{case_id}' tidak ditemukan")
    return case


async def update_case(
    session, temporal, case_id: str, update, arg, key: str | None, actor: str
) -> dict:
    case = get_case_or_404(session, case_id)
    return {
        "message": await send_update(
            temporal,
            case.workflow_id,
            update,
            arg,
            f"kasus '{case_id}'",
            key,
            release=session,
            actor=actor,
        )
    }

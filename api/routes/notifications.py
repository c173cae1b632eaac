"""My notices: what Mutasi told me (also mailed where an address is known)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.auth import ActorDep
from api.deps import SessionDep
from api.schemas.people import Marked, Notice, Notices
from api.services.notifications import mark_read, notices_of, unread_count

router = APIRouter(tags=["pemberitahuan"])


@router.get("/me/notifications", summary="My notices, newest first, with the unread count")
def my_notices(session: SessionDep, actor: ActorDep) -> Notices:
    return Notices(
        unread=unread_count(session, actor.nip),
        items=[Notice.model_validate(n) for n in notices_of(session, actor.nip)],
    )


class ReadBody(BaseModel):
    keys: list[str] | None = Field(None, max_length=500, description="bawaan: semua")


@router.post("/me/notifications/read", summary="Mark my notices read")
def read(body: ReadBody, session: SessionDep, actor: ActorDep) -> Marked:
    return Marked(marked=mark_read(session, actor.nip, body.keys))

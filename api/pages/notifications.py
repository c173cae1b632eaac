"""The notices page every signed-in person reaches from the header (with the unread count)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from api.auth import Actor
from api.deps import SessionDep
from api.pages.common import checked_form, page_actor, redirect, render
from api.services.notifications import mark_read, notices_of

router = APIRouter(include_in_schema=False)
AnyPage = Annotated[Actor, Depends(page_actor())]


@router.get("/pemberitahuan")
def notices(request: Request, session: SessionDep, actor: AnyPage):
    return render(request, "notifications.html", actor, items=notices_of(session, actor.nip))


@router.post("/pemberitahuan/baca")
async def read_all(request: Request, session: SessionDep, actor: AnyPage):
    await checked_form(request, actor)
    marked = mark_read(session, actor.nip)
    return redirect("/pemberitahuan", f"{marked} pemberitahuan ditandai sudah dibaca.")

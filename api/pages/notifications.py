"""The notices page every signed-in person reaches from the header (with the unread count)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from api.deps import SessionDep
from api.pages.common import AnyPage, HrPage, checked_form, redirect, render
from api.services.notifications import mark_read, notices_of, outbox

router = APIRouter(include_in_schema=False)
MAIL_STATUSES = ("pending", "sending", "sent", "no_address", "bounced", "skipped")


@router.get("/pemberitahuan")
def notices(request: Request, session: SessionDep, actor: AnyPage) -> Response:
    return render(request, "notifications.html", actor, items=notices_of(session, actor.nip))


@router.post("/pemberitahuan/baca")
async def read_all(request: Request, session: SessionDep, actor: AnyPage) -> Response:
    await checked_form(request, actor)
    marked = mark_read(session, actor.nip)
    return redirect("/pemberitahuan", f"{marked} pemberitahuan ditandai sudah dibaca.")


@router.get("/hr/surel")
def mail_outbox(
    request: Request,
    session: SessionDep,
    actor: HrPage,
    status: Annotated[
        str, Query(pattern="^(pending|sending|sent|no_address|bounced|skipped|)$")
    ] = "",
) -> Response:
    """What the outbox sent, holds and could not deliver (in development: the .eml folder's
    contents, as people would have received them)."""
    box = outbox(session, status)
    settings = request.app.state.settings
    return render(
        request,
        "hr/mail.html",
        actor,
        box=box,
        status=status,
        statuses=MAIL_STATUSES,
        mail_dir=None if settings.smtp_host else settings.mail_dir,
    )

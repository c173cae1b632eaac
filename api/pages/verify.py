"""The public decree verification page the QR code on every decree points to.

Anyone with the decree's number and the code printed in its QR code learns whether it is
genuine and in force, with the name and a masked NIP; a wrong or missing code is answered
like an unknown number. Signed-in HR, auditors and the employee concerned see it all."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from api.deps import SessionDep
from api.pages.common import cookie_actor, render
from models import Decree
from mutasi.decree.records import full_view, public_view, verify

router = APIRouter(include_in_schema=False)


@router.get("/verify/decree/{number:path}")
def verify_page(
    number: str,
    request: Request,
    session: SessionDep,
    kode: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    number = number[:80]
    actor = cookie_actor(request)
    decree = session.get(Decree, number)
    insider = (
        actor is not None
        and decree is not None
        and (actor.has("hr_admin", "auditor") or decree.annex.get("nip") == actor.nip)
    )
    if not kode and not insider:
        return render(request, "verify.html", None, 200, v=None, number=number)
    result = verify(session, request.app.state.settings, number, kode, signed_in=insider)
    view = full_view(result) if insider else public_view(result)
    status = 404 if result.verdict == "unknown" else 200
    return render(request, "verify.html", None, status, v=view, number=number, full=insider)

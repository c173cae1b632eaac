"""The public decree verification page the QR code on every decree points to."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlmodel import Session

from api.pages.common import render
from mutasi.decrees import verify

router = APIRouter(include_in_schema=False)


@router.get("/verify/decree/{number:path}")
def verify_page(number: str, request: Request):
    with Session(request.app.state.engine) as session:
        result = verify(session, request.app.state.settings, number[:80])
    status = 404 if result.verdict == "unknown" else 200
    return render(request, "verify.html", None, status, v=result)

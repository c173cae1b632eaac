"""Decrees: the signed PDF (HR, auditors, the employee concerned) and the public
verification anyone holding a printed decree can ask for (no login)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from api.auth import ActorDep
from api.deps import SessionDep, SettingsDep
from api.errors import ProblemError
from models import Decree
from mutasi.decrees import decree_pdf, verify

router = APIRouter(tags=["surat keputusan"])


@router.get("/decrees/{number:path}/pdf", summary="The decree as a signed PDF (with verification QR code)",
            response_class=Response, responses={200: {"content": {"application/pdf": {}}}})
def get_decree_pdf(number: str, session: SessionDep, settings: SettingsDep, actor: ActorDep) -> Response:
    decree = session.get(Decree, number)
    if decree is None:
        raise ProblemError(404, "Tidak ditemukan", f"SK nomor '{number}' tidak ditemukan")
    if not actor.has("hr_admin", "auditor") and decree.annex.get("nip") != actor.nip:
        raise ProblemError(403, "Akses ditolak", "SK ini milik pegawai lain")
    filename = "SK-" + number.replace("/", "-") + ".pdf"
    return Response(decree_pdf(session, settings, decree), media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{filename}"'})


@router.get("/public/decrees/{number:path}/verification",
            summary="Public: is this decree genuine, unaltered, and still in force?")
def verify_decree(number: str, session: SessionDep, settings: SettingsDep) -> dict[str, Any]:
    result = verify(session, settings, number)
    body: dict[str, Any] = {"number": number, "verdict": result.verdict, "message": result.message}
    if result.decree is not None and result.verdict != "unknown":
        d = result.decree
        body.update(decided_on=d.decided_on, tmt=d.tmt, status=d.status, name=d.annex.get("name"),
                    nip=d.annex.get("nip"), old_position=d.annex.get("old_position"),
                    new_position=d.annex.get("new_position"), key_id=d.key_id)
    return body

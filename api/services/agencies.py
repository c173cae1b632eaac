"""The agency a request names, or a 404 saying which is missing."""

from __future__ import annotations

from api.errors import ProblemError
from models import Agency


def agency_or_404(session, code: str) -> Agency:
    agency = session.get(Agency, code)
    if agency is None:
        raise ProblemError(404, "Tidak ditemukan", f"instansi '{code}' tidak ditemukan")
    return agency

"""A sample decree of an agency, to prove a template before it is saved and to preview it:
the agency's own heading, bases and signatory, with two invented rows."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from sqlalchemy.orm import Session

from mutasi.decree.profile import PP_UPAYA_ADMINISTRATIF
from mutasi.decree.snapshot import (
    EMPLOYEE_KIND,
    SnapshotInput,
    build_snapshot,
    grounds,
    letters_cited,
)

SAMPLE_ROWS = [
    {
        "no": 1,
        "name": "Contoh Pegawai Satu",
        "nip": "199001012015031001",
        "rank": "III/a",
        "asn_type": "PNS",
        "old_position": "Analis Kepegawaian",
        "old_unit": "Dinas Contoh Asal",
        "new_position": "Analis Kepegawaian",
        "new_unit": "Dinas Contoh Tujuan",
        "note": "TMT 01-01-2027",
    },
    {
        "no": 2,
        "name": "Contoh Pegawai Dua",
        "nip": "199202022016032002",
        "rank": "III/b",
        "asn_type": "PNS",
        "old_position": "Pengelola Keuangan",
        "old_unit": "Badan Contoh",
        "new_position": "Pengelola Keuangan",
        "new_unit": "Kecamatan Contoh",
        "note": "TMT 01-01-2027",
    },
]


def sample_snapshot(session: Session, agency_code: str, name: str) -> dict[str, Any]:
    """A decree or revocation sample (a sitting's minutes: mutasi.committee.samples)."""
    on = date(2026, 12, 1)
    revocation = name == "revocation"
    rows = SAMPLE_ROWS[:1] if revocation else SAMPLE_ROWS
    snapshot = build_snapshot(
        session,
        SnapshotInput(
            kind="revocation" if revocation else "collective",
            number="800/000/CONTOH/2026",
            agency_code=agency_code,
            decided_on=on,
            tmt=date(2027, 1, 1),
            rows=rows,
            cases=[],
            method="pades",
            verify_url="https://contoh.invalid/verify/decree/800/000/CONTOH/2026",
            certificate="Sertifikat Contoh",
        ),
    )
    said = grounds(
        EMPLOYEE_KIND["PNS"],
        [SimpleNamespace(request_id=None, mutation_type="within_agency")],  # type: ignore[list-item]
        "PNS",
    )
    snapshot.update(grounds=said, grounds_cited=letters_cited(len(said)))
    if revocation:
        snapshot["mengingat"] = [*snapshot["mengingat"], PP_UPAYA_ADMINISTRATIF]
        snapshot.update(
            revoked={
                "number": "800/999/CONTOH/2026",
                "decree": "800/999/CONTOH/2026",
                "decided_on_text": "1 November 2026",
            },
            reason="contoh alasan keberatan yang dikabulkan",
            cause="objection",
        )
    return snapshot

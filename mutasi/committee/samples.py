"""Samples of every template an agency edits, to prove one before it is saved and to
preview it: a sitting's minutes here, decrees and revocations from mutasi.decree.samples."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from models import Agency
from mutasi.committee.minutes import MinutesDocument, Person, minutes_snapshot
from mutasi.decree.samples import SAMPLE_ROWS, sample_snapshot


def template_sample(session: Session, agency_code: str, name: str) -> dict[str, Any]:
    if name == "minutes":
        return sample_minutes(session, agency_code)
    return sample_snapshot(session, agency_code, name)


def sample_minutes(session: Session, agency_code: str) -> dict[str, Any]:
    agency = session.get(Agency, agency_code)
    chair = Person("Contoh Ketua Tim", "197001011995031001", "Ketua")
    member = Person("Contoh Anggota Tim", "197502022000031002", "Anggota")
    items = [
        {
            "name": r["name"],
            "nip": r["nip"],
            "origin": f"{r['old_position']} — {r['old_unit']}",
            "destination": f"{r['new_position']} — {r['new_unit']}",
            "recommendation": "setuju",
            "reason": "memenuhi syarat",
        }
        for r in SAMPLE_ROWS
    ]
    return minutes_snapshot(
        MinutesDocument(
            number="BA-TPK.CONTOH.2026.001",
            office=agency.ppk_office if agency else agency_code,
            kind="tpk",
            held_on=date(2026, 12, 1),
            seat=agency.seat if agency else "",
            attendees=[chair, member],
            members_total=3,
            quorum=2,
            items=items,
            chair=chair,
        )
    )

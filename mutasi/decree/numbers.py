"""A decree's number and annex as it is issued: gap-free numbering per agency and year, and
the annex row that the signature covers and the PDF prints."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from models import DecreeSequence, Employee, Position
from mutasi.infra.db import must

DECREE_FORMAT = "800/{seq:03d}/BKPSDM/{year}"


def next_number(session: Session, agency_code: str, year: int) -> tuple[int, str]:
    """(sequence, number) of the agency's next decree in `year`, in the caller's transaction.
    The increment comes first: its row lock (or SQLite's write lock) serialises numbering, and
    a rolled-back transaction gives its number back, so the series has no gaps."""
    seq = session.execute(
        update(DecreeSequence)
        .where(DecreeSequence.agency_code == agency_code, DecreeSequence.year == year)
        .values(last=DecreeSequence.last + 1)
        .returning(DecreeSequence.last)
    ).scalar_one_or_none()
    if seq is None:  # the year's first decree; a concurrent first insert makes the activity retry
        session.add(DecreeSequence(agency_code=agency_code, year=year, last=1))
        session.flush()
        seq = 1
    return seq, DECREE_FORMAT.format(seq=seq, year=year)


def annex_row(session: Session, case: Any, tmt: date) -> dict[str, Any]:
    """The annex line of one case's move (`case`: its row)."""
    person = must(session.get(Employee, case.nip), f"pegawai {case.nip}")
    old_post = must(session.get(Position, case.origin_position), f"jabatan {case.origin_position}")
    new_post = must(
        session.get(Position, case.destination_position), f"jabatan {case.destination_position}"
    )
    return {
        "no": 1,
        "name": person.name,
        "nip": person.nip,
        "rank": person.rank,
        "asn_type": person.asn_type,
        "old_position": old_post.title,
        "old_unit": case.origin_unit,
        "new_position": new_post.title,
        "new_unit": case.destination_unit,
        "note": f"TMT {tmt:%d-%m-%Y}",
    }

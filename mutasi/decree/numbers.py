"""A decree's number and annex as it is issued: gap-free numbering per agency and year, and
the annex row that the signature covers and the PDF prints."""

from __future__ import annotations

import string
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, aliased

from models import Agency, DecreeSequence, Employee, Position, Unit
from mutasi.infra.db import must
from planning.reference import PNS_RANKS

DECREE_FORMAT = "800/{seq:03d}/BKPSDM/{year}"
FIELDS = ("seq", "year", "agency")


def format_problems(fmt: str) -> list[str]:
    """Why an agency's number format cannot number decrees (empty when it can)."""
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(fmt) if name is not None]
        fmt.format(seq=1, year=2026, agency="X")
    except (ValueError, KeyError, IndexError) as exc:
        return [f"format nomor tidak sah: {exc}"]
    problems = [f"kolom tidak dikenal {{{n}}}" for n in names if n not in FIELDS]
    if "seq" not in names or "year" not in names:
        problems.append("format nomor harus memuat {seq} dan {year}")
    return problems


def format_number(fmt: str, seq: int, year: int, agency_code: str) -> str:
    return fmt.format(seq=seq, year=year, agency=agency_code)


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
    agency = session.get(Agency, agency_code)
    fmt = agency.decree_number_format if agency is not None else DECREE_FORMAT
    return seq, format_number(fmt, seq, year, agency_code)


def annex_row(session: Session, case: Any, tmt: date) -> dict[str, Any]:
    """The annex line of one case's move (`case`: its row), read in one statement."""
    old_post, new_post = aliased(Position), aliased(Position)
    old_unit, new_unit = aliased(Unit), aliased(Unit)
    found = session.execute(
        select(
            Employee.name,
            Employee.nip,
            Employee.rank,
            Employee.asn_type,
            old_post.title.label("old_title"),
            new_post.title.label("new_title"),
            old_unit.name.label("old_unit"),
            new_unit.name.label("new_unit"),
        )
        .select_from(Employee)
        .outerjoin(old_post, old_post.code == case.origin_position)
        .outerjoin(new_post, new_post.code == case.destination_position)
        .outerjoin(old_unit, old_unit.code == case.origin_unit)
        .outerjoin(new_unit, new_unit.code == case.destination_unit)
        .where(Employee.nip == case.nip)
    ).first()
    person = must(found, f"pegawai {case.nip}")
    must(person.old_title, f"jabatan {case.origin_position}")
    must(person.new_title, f"jabatan {case.destination_position}")
    return {
        "no": 1,
        "name": person.name,
        "nip": person.nip,
        "rank": person.rank,
        "rank_name": PNS_RANKS.get(person.rank, ""),
        "asn_type": person.asn_type,
        "old_position": person.old_title,
        "old_unit": person.old_unit or case.origin_unit,
        "old_unit_code": case.origin_unit,
        "new_position": person.new_title,
        "new_unit": person.new_unit or case.destination_unit,
        "new_unit_code": case.destination_unit,
        "note": f"TMT {tmt:%d-%m-%Y}",
    }

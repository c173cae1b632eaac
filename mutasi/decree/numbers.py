"""A decree's number and annex as it is issued: gap-free numbering per agency and year, and
the annex row that the signature covers and the PDF prints."""

from __future__ import annotations

import string
from datetime import date
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from models import Agency, DecreeSequence, Employee, Position, Unit
from models.tables import table_of
from mutasi.infra.db import must
from planning.calendar import date_text
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


# The series' increment and the agency's number format: Core, built once (the ORM's UPDATE
# would also synchronise its session, and this runs inside the write lock).
_SEQUENCE, _AGENCY = table_of(DecreeSequence), table_of(Agency)
_NEXT_IN_SERIES = (
    update(_SEQUENCE)
    .where(
        _SEQUENCE.c.agency_code == bindparam("series_agency"),
        _SEQUENCE.c.year == bindparam("series_year"),
    )
    .values(last=_SEQUENCE.c.last + 1)
    .returning(_SEQUENCE.c.last)
)
_NUMBER_FORMAT = select(_AGENCY.c.decree_number_format).where(_AGENCY.c.code == bindparam("agency"))


def next_number(session: Session, agency_code: str, year: int) -> tuple[int, str]:
    """(sequence, number) of the agency's next decree in `year`, in the caller's transaction.
    The increment comes first: its row lock (or SQLite's write lock) serialises numbering, and
    a rolled-back transaction gives its number back, so the series has no gaps."""
    conn = session.connection()
    seq = conn.execute(
        _NEXT_IN_SERIES, {"series_agency": agency_code, "series_year": year}
    ).scalar_one_or_none()
    if seq is None:  # the year's first decree; a concurrent first insert makes the activity retry
        conn.execute(insert(_SEQUENCE).values(agency_code=agency_code, year=year, last=1))
        seq = 1
    fmt = conn.execute(_NUMBER_FORMAT, {"agency": agency_code}).scalar_one_or_none()
    return seq, format_number(fmt or DECREE_FORMAT, seq, year, agency_code)


# Core, built once: every decree reads its annex line with it (an ORM statement with
# aliases is rebuilt and its columns re-adapted on every call, inside the write lock).
_EMPLOYEE, _POSITION, _UNIT = table_of(Employee), table_of(Position), table_of(Unit)
_OLD_POST, _NEW_POST = _POSITION.alias("old_post"), _POSITION.alias("new_post")
_OLD_UNIT, _NEW_UNIT = _UNIT.alias("old_unit"), _UNIT.alias("new_unit")
_ANNEX_LINE = (
    select(
        _EMPLOYEE.c.name,
        _EMPLOYEE.c.nip,
        _EMPLOYEE.c.rank,
        _EMPLOYEE.c.asn_type,
        _OLD_POST.c.title.label("old_title"),
        _NEW_POST.c.title.label("new_title"),
        _OLD_UNIT.c.name.label("old_unit"),
        _NEW_UNIT.c.name.label("new_unit"),
    )
    .select_from(
        _EMPLOYEE.outerjoin(_OLD_POST, _OLD_POST.c.code == bindparam("origin_position"))
        .outerjoin(_NEW_POST, _NEW_POST.c.code == bindparam("destination_position"))
        .outerjoin(_OLD_UNIT, _OLD_UNIT.c.code == bindparam("origin_unit"))
        .outerjoin(_NEW_UNIT, _NEW_UNIT.c.code == bindparam("destination_unit"))
    )
    .where(_EMPLOYEE.c.nip == bindparam("nip"))
)


def annex_row(session: Session, case: Any, tmt: date) -> dict[str, Any]:
    """The annex line of one case's move (`case`: its row), read in one statement."""
    found = (
        session.connection()
        .execute(
            _ANNEX_LINE,
            {
                "nip": case.nip,
                "origin_position": case.origin_position,
                "destination_position": case.destination_position,
                "origin_unit": case.origin_unit,
                "destination_unit": case.destination_unit,
            },
        )
        .first()
    )
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
        "note": f"TMT {date_text(tmt)}",
    }

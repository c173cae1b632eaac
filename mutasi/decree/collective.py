"""A collective decree for a signing batch: one number in the agency's series, an annex
row per employee, and one extract (petikan) per employee derived from it. What it cites
("Memperhatikan") comes with its snapshot (mutasi.decree.snapshot.cited_letters)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from contracts.enums import Stage
from models import Decree, MutationCase
from mutasi.decree.numbers import annex_row


def extract_number(collective: str, row: int) -> str:
    """The key of an employee's extract: the decree's number and their annex row."""
    return f"{collective}-P{row:03d}"


def waiting_cases(session: Session, agency_code: str, case_ids: list[str]) -> list[MutationCase]:
    """Of `case_ids`, those of the agency still waiting for a decree, by name then NIP."""
    decreed = select(col(Decree.case_id))
    cases = (
        session.execute(
            select(MutationCase).where(
                col(MutationCase.id).in_(case_ids),
                col(MutationCase.agency_code) == agency_code,
                col(MutationCase.stage) == Stage.DECREE,
                col(MutationCase.outcome).is_(None),
                col(MutationCase.id).not_in(decreed),
            )
        )
        .scalars()
        .all()
    )
    return sorted(cases, key=lambda c: c.nip)


def collective_rows(session: Session, cases: list[MutationCase], tmt: date) -> list[dict[str, Any]]:
    """The annex rows, numbered in the cases' order."""
    return [{**annex_row(session, case, tmt), "no": no} for no, case in enumerate(cases, start=1)]

"""Wishes carry over: the units an employee names in a consultation answer or a request
become their placement preferences for the next plan (replacing older ones), with where
and when they were stated. Unknown unit codes are left out, not guessed."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlmodel import col

from models import PlacementPreference, Unit

MAX_PREFERENCES = 3


def carry_over(session: Session, nip: str, units: list[str], source: str, on: date) -> list[str]:
    """Store `units` (first choice first) as the person's preferences; returns those kept.
    Nothing changes when none of them is a known unit."""
    wanted = list(dict.fromkeys(u.strip() for u in units if u and u.strip()))
    known = set(session.execute(select(col(Unit.code)).where(col(Unit.code).in_(wanted))).scalars())
    kept = [u for u in wanted if u in known][:MAX_PREFERENCES]
    if not kept:
        return []
    session.execute(delete(PlacementPreference).where(col(PlacementPreference.nip) == nip))
    for rank, unit in enumerate(kept, start=1):
        session.add(
            PlacementPreference(
                nip=nip,
                rank=rank,
                unit_code=unit,
                reason=f"dinyatakan dalam {'konsultasi' if source == 'consultation' else 'permohonan'}",
                source=source,
                stated_on=on,
            )
        )
    return kept

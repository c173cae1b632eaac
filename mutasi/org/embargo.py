"""Embargo windows: periods in which the PPK may not replace officials without the written
approval of the Minister of Home Affairs (UU 10/2016 Ps 71 and Ps 162).

By default a regional election opens one from six months before the candidates are set
until the end of the term, and an inauguration one for the six months after it. Inside a
window without a recorded approval (number, date, document), starting a cycle is refused
and a decree is not issued (its activity waits, retrying, until the approval is recorded
or the window ends)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from models import EmbargoWindow
from planning.calendar import add_months

ELECTION_LEAD_MONTHS = 6
INAUGURATION_MONTHS = 6


def election_window(candidates_set_on: date, term_ends_on: date) -> tuple[date, date]:
    return add_months(candidates_set_on, -ELECTION_LEAD_MONTHS), term_ends_on


def inauguration_window(inaugurated_on: date) -> tuple[date, date]:
    return inaugurated_on, add_months(inaugurated_on, INAUGURATION_MONTHS)


def blocking_window(session: Session, agency_code: str | None, on: date) -> EmbargoWindow | None:
    """The window that forbids replacing officials on `on` (no Minister's approval recorded)."""
    query = select(EmbargoWindow).where(
        col(EmbargoWindow.starts_on) <= on,
        col(EmbargoWindow.ends_on) >= on,
        col(EmbargoWindow.approval_number).is_(None),
    )
    if agency_code is not None:
        query = query.where(col(EmbargoWindow.agency_code) == agency_code)
    return session.execute(query.order_by(col(EmbargoWindow.starts_on))).scalars().first()


def refusal(window: EmbargoWindow) -> str:
    return (
        f"masa larangan penggantian pejabat ({window.kind}: {window.starts_on.isoformat()} s.d. "
        f"{window.ends_on.isoformat()}; {window.reason}): butuh persetujuan tertulis Menteri Dalam Negeri "
        "yang dicatat (nomor, tanggal, dokumen)"
    )

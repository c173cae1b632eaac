"""What the audit trail says a decree's status is, to hold the decree row against.

Every status a decree (or an extract, petikan) takes is written by an event: issued
(`decree.issued`, with the status it was issued in), signed (`decree.signed`, on the
decree or on the collective decree of an extract), annulled (`case.compensated`, naming
the decree it annulled) and revoked (`decree.revoked`). A row flipped by hand —
`UPDATE decree SET status='issued'` on an annulled extract — no longer matches, and the
public verification says "altered" instead of "valid". Only events with a valid MAC
count: one inserted around the application cannot vouch for a status."""

from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session
from sqlmodel import col

from models import AuditEvent, CollectiveDecree, Decree
from mutasi.audit.chain import mac_valid, process_mac_key

ISSUED, UNSIGNED, ANNULLED, REVOKED = "issued", "unsigned", "annulled", "revoked"
_DECREE_EVENTS = ("decree.issued", "decree.collective_issued", "decree.signed", "decree.revoked")


def trail_status(session: Session, decree: Decree | CollectiveDecree) -> frozenset[str] | None:
    """The statuses the trail allows the decree to be in now; None when the trail holds no
    event of it (decrees from before their status was audited are not judged)."""
    numbers = [decree.number]
    collective = getattr(decree, "collective_number", None)
    if collective:
        numbers.append(collective)
    case_id = getattr(decree, "case_id", None)
    about = and_(
        col(AuditEvent.subject_type) == "decree",
        col(AuditEvent.subject_id).in_(numbers),
        col(AuditEvent.action).in_(_DECREE_EVENTS),
    )
    if case_id:
        about = or_(
            about,
            and_(
                col(AuditEvent.action) == "case.compensated",
                col(AuditEvent.subject_id) == case_id,
            ),
        )
    key = process_mac_key()
    allowed: frozenset[str] | None = None
    for event in session.execute(
        select(AuditEvent).where(about).order_by(col(AuditEvent.id))
    ).scalars():
        if not mac_valid(key, event):
            continue
        step = _status_after(event, decree.number)
        if step is not None:
            allowed = step
    return allowed


def _status_after(event: AuditEvent, number: str) -> frozenset[str] | None:
    new = event.new or {}
    if event.action in ("decree.issued", "decree.collective_issued"):
        if event.subject_id != number:
            return None  # the collective decree's own issue: its extracts have theirs
        stated = new.get("status")
        return frozenset({stated}) if stated else frozenset({ISSUED, UNSIGNED})
    if event.action == "decree.signed":
        return frozenset({ISSUED})
    if event.action == "decree.revoked":
        return frozenset({REVOKED}) if event.subject_id == number else None
    if event.action == "case.compensated" and new.get("decree_annulled") == number:
        return frozenset({ANNULLED})
    return None


def status_drift(session: Session, decree: Decree | CollectiveDecree) -> str | None:
    """Why the decree row's status disagrees with the trail, or None when it agrees."""
    allowed = trail_status(session, decree)
    if allowed is None or decree.status in allowed:
        return None
    return (
        f"status SK di basis data '{decree.status}' tidak cocok dengan jejak audit "
        f"('{' / '.join(sorted(allowed))}')"
    )

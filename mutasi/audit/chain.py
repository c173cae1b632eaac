"""The append-only, hash-chained audit trail.

Each event's hash is SHA-256 over the previous hash and a canonical JSON of the event,
so editing, deleting or inserting a row breaks every later link of its agency's chain.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, exists, insert, select, update
from sqlalchemy.orm import Session

from models import AuditChainHead, AuditEvent, Unit

GENESIS = "0" * 64


@dataclass
class AuditInput:
    key: str  # idempotency key: the same key twice appends once
    agency_code: str
    at: datetime
    actor: str
    role: str
    action: str
    subject_type: str
    subject_id: str
    old: dict[str, Any] | None = None
    new: dict[str, Any] | None = None
    reason: str | None = None
    workflow_id: str | None = None
    run_id: str | None = None


def cycle_agency(session: Session) -> str:
    """The agency whose chain holds cycle-wide events (a cycle spans the organisation)."""
    code = session.execute(
        select(Unit.agency_code).order_by(Unit.agency_code).limit(1)
    ).scalar_one_or_none()
    return code or "-"


def canonical(event: dict[str, Any]) -> bytes:
    return json.dumps(
        event, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode()


def event_hash(prev_hash: str, seq: int, e: AuditInput | AuditEvent) -> str:
    body = {
        "seq": seq,
        "key": e.key,
        "agency_code": e.agency_code,
        "at": _iso(e.at),
        "actor": e.actor,
        "role": e.role,
        "action": e.action,
        "subject_type": e.subject_type,
        "subject_id": e.subject_id,
        "old": e.old,
        "new": e.new,
        "reason": e.reason,
        "workflow_id": e.workflow_id,
        "run_id": e.run_id,
    }
    return hashlib.sha256(prev_hash.encode() + canonical(body)).hexdigest()


def _iso(at: datetime) -> str:
    # Databases hand datetimes back with or without tzinfo; the hash must not care.
    return (
        (at.astimezone(UTC) if at.tzinfo else at)
        .replace(tzinfo=None)
        .isoformat(timespec="microseconds")
    )


# Built once, run on the session's connection (Core, not the ORM's bulk-DML path). An
# append is two statements: advance the head (unless the key was written: idempotency),
# then insert the event; the insert's trigger (migration 0023) sets the head's hash.
_ADVANCE_HEAD = (
    update(AuditChainHead)
    .where(
        AuditChainHead.agency_code == bindparam("agency"),
        ~exists().where(AuditEvent.key == bindparam("key")),
    )
    .values(seq=AuditChainHead.seq + 1)
    .returning(AuditChainHead.seq, AuditChainHead.hash)
)
_KEY_SEEN = select(AuditEvent.id).where(AuditEvent.key == bindparam("key"))
_NEW_HEAD = insert(AuditChainHead).values(agency_code=bindparam("agency"), seq=1, hash=GENESIS)
_INSERT_EVENT = insert(AuditEvent)


def append(session: Session, e: AuditInput) -> bool:
    """Append inside the caller's transaction; False when the key was already written."""
    conn = session.connection()
    # The head's row lock serialises appends to one agency's chain until commit.
    advanced = conn.execute(_ADVANCE_HEAD, {"agency": e.agency_code, "key": e.key}).first()
    if advanced is not None:
        seq, prev_hash = advanced
    elif conn.execute(_KEY_SEEN, {"key": e.key}).first() is not None:
        return False
    else:  # the agency's first event; a concurrent first insert makes this retry
        conn.execute(_NEW_HEAD, {"agency": e.agency_code})
        seq, prev_hash = 1, GENESIS
    digest = event_hash(prev_hash, seq, e)
    conn.execute(
        _INSERT_EVENT,
        dict(
            key=e.key,
            agency_code=e.agency_code,
            seq=seq,
            at=e.at,
            actor=e.actor,
            role=e.role,
            action=e.action,
            subject_type=e.subject_type,
            subject_id=e.subject_id,
            old=e.old,
            new=e.new,
            reason=e.reason,
            workflow_id=e.workflow_id,
            run_id=e.run_id,
            prev_hash=prev_hash,
            hash=digest,
        ),
    )
    return True


@dataclass
class ChainReport:
    agency_code: str
    events: int
    ok: bool
    first_broken_seq: int | None = None
    problem: str | None = None


def verify(session: Session, agency_code: str) -> ChainReport:
    prev_hash, expected_seq, count = GENESIS, 1, 0
    for event in session.execute(
        select(AuditEvent).where(AuditEvent.agency_code == agency_code).order_by(AuditEvent.seq)
    ).scalars():
        count += 1
        if event.seq != expected_seq:
            return ChainReport(
                agency_code, count, False, expected_seq, f"peristiwa ke-{expected_seq} hilang"
            )
        if event.prev_hash != prev_hash or event_hash(prev_hash, event.seq, event) != event.hash:
            return ChainReport(
                agency_code, count, False, event.seq, f"peristiwa ke-{event.seq} telah diubah"
            )
        prev_hash, expected_seq = event.hash, expected_seq + 1
    head = session.get(AuditChainHead, agency_code)
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev_hash):
        return ChainReport(
            agency_code,
            count,
            False,
            expected_seq,
            "ujung rantai tidak cocok: peristiwa terakhir hilang",
        )
    return ChainReport(agency_code, count, True)


def verify_all(session: Session) -> list[ChainReport]:
    """Every agency's chain (agencies with a chain head or with events)."""
    agencies = set(session.execute(select(AuditChainHead.agency_code)).scalars())
    agencies |= set(session.execute(select(AuditEvent.agency_code).distinct()).scalars())
    return [verify(session, code) for code in sorted(agencies)]

"""The append-only, hash-chained audit trail.

Each event's hash is SHA-256 over the previous hash and a canonical JSON of the event,
so editing, deleting or inserting a sealed row breaks every later link of its agency's chain.

An event is written in one statement, unlinked, inside the transaction of the change it
records: concurrent cases never wait for each other on the chain. The sealer (`seal`) then
links the agency's unsealed events in the order written, in batches: on a schedule (every
MUTASI_AUDIT_SEAL_MINUTES), before a decree signs the chain head and before a checkpoint is
signed. Until sealed an event is protected as any row written after the last anchor is (a
database writer could recompute the links after it): the signed anchors are what an
attacker cannot redo, and nothing is anchored unsealed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from models import AuditChainHead, AuditEvent, Unit
from models.tables import table_of
from mutasi.infra.db import insert_ignoring_conflict, insert_ignoring_conflict_in

GENESIS = "0" * 64
_log = logging.getLogger("mutasi.audit")


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
        select(col(Unit.agency_code)).order_by(col(Unit.agency_code)).limit(1)
    ).scalar_one_or_none()
    return code or "-"


def canonical(event: dict[str, Any]) -> bytes:
    return json.dumps(
        event, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode()


def event_body(e: AuditInput | AuditEvent) -> dict[str, Any]:
    """What an event says, without its place in the chain: what its MAC covers."""
    return {
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


def event_hash(prev_hash: str, seq: int, e: AuditInput | AuditEvent) -> str:
    body = {"seq": seq, **event_body(e)}
    return hashlib.sha256(prev_hash.encode() + canonical(body)).hexdigest()


def event_mac(key: bytes, e: AuditInput | AuditEvent) -> str:
    """HMAC-SHA256 of what the event says, with the application's audit key
    (MUTASI_AUDIT_MAC_KEY), which the database never holds: a row written by anyone but
    the application's writer cannot carry a valid one."""
    return hmac.new(key, canonical(event_body(e)), hashlib.sha256).hexdigest()


def mac_valid(key: bytes, e: AuditEvent) -> bool:
    return e.mac is not None and hmac.compare_digest(e.mac, event_mac(key, e))


@lru_cache(maxsize=1)
def process_mac_key() -> bytes:
    """This process's audit key (every process of a deployment shares it)."""
    from mutasi.infra.settings import get_settings

    return get_settings().audit_mac_key.encode()


def _iso(at: datetime) -> str:
    # Databases hand datetimes back with or without tzinfo; the hash must not care.
    return (
        (at.astimezone(UTC) if at.tzinfo else at)
        .replace(tzinfo=None)
        .isoformat(timespec="microseconds")
    )


_EVENT = table_of(AuditEvent)
_LOCK_HEAD = (  # a no-op write: the head's row lock serialises sealers of one agency
    update(AuditChainHead)
    .where(col(AuditChainHead.agency_code) == bindparam("agency"))
    .values(seq=col(AuditChainHead.seq))
    .returning(col(AuditChainHead.seq), col(AuditChainHead.hash))
)
_UNSEALED = (
    select(_EVENT)
    .where(
        _EVENT.c.agency_code == bindparam("agency"),
        _EVENT.c.seq.is_(None),
        _EVENT.c.id > bindparam("after"),
    )
    .order_by(_EVENT.c.id)
    .limit(bindparam("limit"))
)
_LINK = (
    update(_EVENT)
    .where(_EVENT.c.id == bindparam("event_id"))
    .values(
        seq=bindparam("link_seq"), prev_hash=bindparam("link_prev"), hash=bindparam("link_hash")
    )
)
_MOVE_HEAD = (
    update(AuditChainHead)
    .where(col(AuditChainHead.agency_code) == bindparam("agency"))
    .values(seq=bindparam("head_seq"), hash=bindparam("head_hash"))
)
AGENCIES_UNSEALED = select(_EVENT.c.agency_code).where(_EVENT.c.seq.is_(None)).distinct()
SEAL_BATCH = 2000
FORGED = "diubah atau disisipkan di luar aplikasi (MAC tidak sah)"


@lru_cache(maxsize=2)
def _append_statement(dialect: str) -> Any:
    return insert_ignoring_conflict_in(dialect, AuditEvent, ("key",)).returning(_EVENT.c.id)


def append(session: Session, e: AuditInput) -> bool:
    """Write the event inside the caller's transaction, unlinked, in one statement; False
    when the key was already written."""
    conn = session.connection()
    written = conn.execute(
        _append_statement(conn.dialect.name),
        dict(
            key=e.key,
            agency_code=e.agency_code,
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
            mac=event_mac(process_mac_key(), e),
        ),
    )
    return written.first() is not None


def seal(session: Session, agency_code: str) -> int:
    """Link the agency's unsealed events into its chain in the order written (within the
    caller's transaction, which must commit); how many were sealed. The head's row lock
    holds concurrent sealers of the agency until this transaction ends."""
    return _seal(session, agency_code)[0]


def seal_with_head(session: Session, agency_code: str) -> tuple[int, int, str]:
    """Seal as `seal` does: (events linked, the head's sequence, its hash)."""
    return _seal(session, agency_code)


def sealed_head(session: Session, agency_code: str) -> tuple[int, str]:
    """Seal as `seal` does; the chain head after it (sequence, hash): what a decree signs."""
    _, seq, digest = _seal(session, agency_code)
    return seq, digest


def _seal(session: Session, agency_code: str) -> tuple[int, int, str]:
    conn = session.connection()
    head = conn.execute(_LOCK_HEAD, {"agency": agency_code}).first()
    if head is None:  # the agency's first seal: a concurrent first one waits, then finds it
        conn.execute(
            insert_ignoring_conflict(conn, AuditChainHead).values(seq=0, hash=GENESIS),
            {"agency_code": agency_code},
        )
        head = conn.execute(_LOCK_HEAD, {"agency": agency_code}).one()
    seq, prev_hash = head
    sealed, after, key = 0, 0, process_mac_key()
    while True:
        rows = conn.execute(
            _UNSEALED, {"agency": agency_code, "limit": SEAL_BATCH, "after": after}
        ).all()
        if not rows:
            break
        after = rows[-1].id
        links = []
        # Rows of the event table's own columns: read as events.
        for row in cast(list[AuditEvent], rows):
            if not mac_valid(key, row):
                # Not written by the application's writer: never linked into the chain;
                # verify reports it for as long as it stays.
                _log.warning("peristiwa audit #%s tanpa MAC sah tidak disegel", row.id)
                continue
            seq += 1
            digest = event_hash(prev_hash, seq, row)
            links.append(
                {"event_id": row.id, "link_seq": seq, "link_prev": prev_hash, "link_hash": digest}
            )
            prev_hash = digest
        if links:
            conn.execute(_LINK, links)
        sealed += len(links)
        if len(rows) < SEAL_BATCH:
            break
    if sealed:
        conn.execute(_MOVE_HEAD, {"agency": agency_code, "head_seq": seq, "head_hash": prev_hash})
    return sealed, seq, prev_hash


def seal_all(session: Session) -> dict[str, int]:
    """Seal every agency that has unsealed events, each in its own transaction."""
    agencies = list(session.execute(AGENCIES_UNSEALED).scalars())
    done = {}
    for agency in sorted(agencies):
        done[agency] = seal(session, agency)
        session.commit()
    return done


@dataclass
class ChainReport:
    agency_code: str
    events: int
    ok: bool
    first_broken_seq: int | None = None
    problem: str | None = None
    unsealed: int = 0  # written, not yet linked (the next seal links them)


def verify(session: Session, agency_code: str) -> ChainReport:
    """Every sealed link recomputed and every event's MAC checked (sealed or not): an edit,
    a deletion, an insertion, or a row the application's writer did not write."""
    prev_hash, expected_seq, count, key = GENESIS, 1, 0, process_mac_key()
    unsealed = session.execute(
        select(func.count())
        .select_from(AuditEvent)
        .where(col(AuditEvent.agency_code) == agency_code, _EVENT.c.seq.is_(None))
    ).scalar_one()

    def broken(seq: int, problem: str) -> ChainReport:
        return ChainReport(agency_code, count, False, seq, problem, unsealed)

    for event in session.execute(
        select(AuditEvent)
        .where(col(AuditEvent.agency_code) == agency_code, _EVENT.c.seq.is_not(None))
        .order_by(col(AuditEvent.seq))
    ).scalars():
        count += 1
        if event.seq != expected_seq:
            return broken(expected_seq, f"peristiwa ke-{expected_seq} hilang")
        if event.prev_hash != prev_hash or event_hash(prev_hash, event.seq, event) != event.hash:
            return broken(event.seq, f"peristiwa ke-{event.seq} telah diubah")
        if not mac_valid(key, event):
            return broken(
                event.seq, f"peristiwa ke-{event.seq} {FORGED} (rantainya dihitung ulang)"
            )
        prev_hash, expected_seq = event.hash, expected_seq + 1
    head = session.get(AuditChainHead, agency_code)
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev_hash):
        return broken(expected_seq, "ujung rantai tidak cocok: peristiwa terakhir hilang")
    if unsealed:
        for event in session.execute(
            select(AuditEvent)
            .where(col(AuditEvent.agency_code) == agency_code, _EVENT.c.seq.is_(None))
            .order_by(col(AuditEvent.id))
        ).scalars():
            if not mac_valid(key, event):
                return broken(expected_seq, f"peristiwa #{event.id} (belum disegel) {FORGED}")
    return ChainReport(agency_code, count, True, unsealed=unsealed)


def verify_all(session: Session) -> list[ChainReport]:
    """Every agency's chain (agencies with a chain head or with events)."""
    agencies = set(session.execute(select(col(AuditChainHead.agency_code))).scalars())
    agencies |= set(session.execute(select(col(AuditEvent.agency_code)).distinct()).scalars())
    return [verify(session, code) for code in sorted(agencies)]

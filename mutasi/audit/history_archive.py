"""Temporal histories that outlive Temporal's retention.

A Temporal namespace deletes a closed workflow's history after its retention period (days),
while a decree must be defensible for years. So every closed case and cycle run is exported
(Temporal's own JSON, gzipped), stored in the document store, and its SHA-256 appended to the
agency's audit chain. The auditor's view reads Temporal while it still has the run and the
archive afterwards, and always says which one it shows.
"""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlmodel import col
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from contracts.ids import subject_of_workflow
from models import HistoryArchive, MutationCase
from mutasi.audit import chain as audit
from mutasi.infra.documents import DocumentCorrupt, DocumentMissing, DocumentStore, sha256_of

CLOSED_RUNS_QUERY = (
    "(WorkflowType = 'MutationCaseWorkflow' OR WorkflowType = 'MutationCycleWorkflow') "
    "AND ExecutionStatus != 'Running'"
)
ARCHIVED = "history.archived"
SOURCE_TEMPORAL = "temporal"
SOURCE_ARCHIVE = "arsip"


class HistoryUnavailable(LookupError):
    """Neither Temporal nor the archive has the run."""


@dataclass(frozen=True)
class ClosedRun:
    workflow_id: str
    run_id: str
    workflow_type: str
    status: str
    closed_at: datetime | None


@dataclass(frozen=True)
class PackedHistory:
    gz: bytes
    history_sha256: str
    events: int


def canonical_history(history_json: str) -> bytes:
    """Temporal's JSON with sorted keys: protobuf writes map fields (headers, search
    attributes) in no fixed order, so the same history can print two ways; its hash must not."""
    return json.dumps(
        json.loads(history_json), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode()


def pack(history_json: str) -> PackedHistory:
    raw = canonical_history(history_json)
    events = len(json.loads(raw).get("events", []))
    # mtime=0: the same history always packs to the same bytes, so a retry stores nothing new.
    return PackedHistory(gzip.compress(raw, mtime=0), sha256_of(raw), events)


def not_yet_archived(session: Session, runs: list[ClosedRun]) -> list[ClosedRun]:
    if not runs:
        return []
    done = set(
        session.execute(
            select(col(HistoryArchive.workflow_id), col(HistoryArchive.run_id)).where(
                tuple_(col(HistoryArchive.workflow_id), col(HistoryArchive.run_id)).in_(
                    [(r.workflow_id, r.run_id) for r in runs]
                )
            )
        )
    )
    return [r for r in runs if (r.workflow_id, r.run_id) not in done]


def _agency_of(session: Session, kind: str, subject_id: str) -> str:
    if kind == "case":
        case = session.get(MutationCase, subject_id)
        if case is not None:
            return case.agency_code
    return audit.cycle_agency(session)


def record(
    session: Session,
    run: ClosedRun,
    packed: PackedHistory,
    document_sha256: str,
    at: datetime,
    archiver: tuple[str | None, str | None] = (None, None),
) -> bool:
    """The archive row and its audit event, in the caller's transaction; False when the run
    was archived already (the audit key and the row's natural key both make it idempotent)."""
    subject = subject_of_workflow(run.workflow_id)
    if subject is None:
        raise ValueError(f"{run.workflow_id} bukan alur kerja kasus atau siklus")
    kind, subject_id = subject
    if session.execute(
        select(col(HistoryArchive.id)).where(
            col(HistoryArchive.workflow_id) == run.workflow_id,
            col(HistoryArchive.run_id) == run.run_id,
        )
    ).first():
        return False
    agency = _agency_of(session, kind, subject_id)
    session.add(
        HistoryArchive(
            workflow_id=run.workflow_id,
            run_id=run.run_id,
            workflow_type=run.workflow_type,
            subject_type=kind,
            subject_id=subject_id,
            agency_code=agency,
            status=run.status,
            closed_at=run.closed_at,
            events=packed.events,
            history_sha256=packed.history_sha256,
            document_sha256=document_sha256,
            size=len(packed.gz),
            archived_at=at,
        )
    )
    audit.append(
        session,
        audit.AuditInput(
            key=f"history-archive/{run.workflow_id}/{run.run_id}",
            agency_code=agency,
            at=at,
            actor="sistem",
            role="system",
            action=ARCHIVED,
            subject_type=kind,
            subject_id=subject_id,
            new={
                "workflow_id": run.workflow_id,
                "run_id": run.run_id,
                "status": run.status,
                "events": packed.events,
                "history_sha256": packed.history_sha256,
                "document_sha256": document_sha256,
            },
            workflow_id=archiver[0],
            run_id=archiver[1],
        ),
    )
    return True


async def archive_closed(
    client: Client,
    engine: Engine,
    store: DocumentStore,
    limit: int,
    archiver: tuple[str | None, str | None] = (None, None),
    progress: Callable[[int], None] = lambda _n: None,
) -> tuple[int, bool]:
    """Archive up to `limit` closed case and cycle runs not archived yet: (archived, more left).
    Safe to run concurrently and to repeat: the file is content-addressed and the row and the
    audit event are keyed by the run."""
    closed = [
        ClosedRun(
            w.id,
            w.run_id,
            w.workflow_type,
            w.status.name.lower() if w.status else "closed",
            w.close_time,
        )
        async for w in client.list_workflows(CLOSED_RUNS_QUERY)
    ]

    def pending() -> list[ClosedRun]:
        with Session(engine) as s:
            return not_yet_archived(s, closed)

    def keep(run: ClosedRun, packed: PackedHistory) -> bool:
        digest = store.put(packed.gz)  # before the row: a row never names a missing file
        with Session(engine) as s:
            written = record(s, run, packed, digest, datetime.now(UTC), archiver)
            s.commit()
        return written

    todo = await asyncio.to_thread(pending)
    archived = 0
    for run in todo[:limit]:
        history = await client.get_workflow_handle(
            run.workflow_id, run_id=run.run_id
        ).fetch_history()
        archived += await asyncio.to_thread(keep, run, pack(history.to_json()))
        progress(archived)
    return archived, len(todo) > limit


@dataclass
class HistoryView:
    source: str  # SOURCE_TEMPORAL or SOURCE_ARCHIVE
    workflow_id: str
    run_id: str
    history_sha256: str
    history: dict[str, Any]
    archive: dict[str, Any] | None = None


def _archive_row(session: Session, workflow_id: str, run_id: str | None) -> HistoryArchive | None:
    query = select(HistoryArchive).where(col(HistoryArchive.workflow_id) == workflow_id)
    if run_id:
        query = query.where(col(HistoryArchive.run_id) == run_id)
    return (
        session.execute(query.order_by(col(HistoryArchive.closed_at).desc()).limit(1))
        .scalars()
        .first()
    )


def _archive_summary(row: HistoryArchive) -> dict[str, Any]:
    return {
        "archived_at": row.archived_at,
        "history_sha256": row.history_sha256,
        "document_sha256": row.document_sha256,
        "events": row.events,
        "status": row.status,
    }


async def read_history(
    session: Session, client: Client, store: DocumentStore, workflow_id: str, run_id: str | None
) -> HistoryView:
    """Temporal's history while it has the run, else the archived copy (hash checked)."""
    row = _archive_row(session, workflow_id, run_id)
    session.close()  # release the connection while waiting on Temporal
    try:
        history = await client.get_workflow_handle(
            workflow_id, run_id=run_id or None
        ).fetch_history()
    except RPCError as exc:
        if exc.status != RPCStatusCode.NOT_FOUND:
            raise
    else:
        raw = canonical_history(history.to_json())
        return HistoryView(
            SOURCE_TEMPORAL,
            workflow_id,
            run_id or "",
            sha256_of(raw),
            json.loads(raw),
            _archive_summary(row) if row else None,
        )
    if row is None:
        raise HistoryUnavailable(
            f"riwayat {workflow_id} tidak ada di Temporal (retensi) dan belum diarsipkan"
        )
    raw = gzip.decompress(store.get(row.document_sha256))
    if sha256_of(raw) != row.history_sha256:
        raise DocumentCorrupt(f"arsip riwayat {workflow_id} tidak cocok dengan hash yang tercatat")
    return HistoryView(
        SOURCE_ARCHIVE,
        workflow_id,
        row.run_id,
        row.history_sha256,
        json.loads(raw),
        _archive_summary(row),
    )


@dataclass
class ArchiveReport:
    archives: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_archives(session: Session, store: DocumentStore) -> ArchiveReport:
    """Each archived history is in the store, hashes to what its row says, and its audit
    event (itself protected by the chain) says the same."""
    from models import AuditEvent

    report = ArchiveReport()
    recorded = {
        (e.new or {}).get("workflow_id", "") + "/" + (e.new or {}).get("run_id", ""): e.new
        for e in session.execute(
            select(AuditEvent).where(col(AuditEvent.action) == ARCHIVED)
        ).scalars()
    }
    for row in session.execute(select(HistoryArchive).order_by(col(HistoryArchive.id))).scalars():
        report.archives += 1
        name = f"{row.workflow_id} ({row.run_id})"
        event = recorded.get(f"{row.workflow_id}/{row.run_id}")
        if (
            event is None
            or event.get("history_sha256") != row.history_sha256
            or event.get("document_sha256") != row.document_sha256
        ):
            report.problems.append(f"arsip riwayat {name}: tidak cocok dengan peristiwa auditnya")
            continue
        try:
            raw = gzip.decompress(store.get(row.document_sha256))
        except (DocumentMissing, DocumentCorrupt, OSError) as exc:
            report.problems.append(f"arsip riwayat {name}: {exc}")
            continue
        if sha256_of(raw) != row.history_sha256:
            report.problems.append(f"arsip riwayat {name}: isi tidak cocok dengan hash riwayat")
    return report

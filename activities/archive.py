"""The history archive activity: export the Temporal histories of closed cases and cycles
into the document store before the namespace's retention deletes them."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from temporalio import activity

from contracts.housekeeping import ArchiveRequest, ArchiveResult
from mutasi.audit.history_archive import archive_closed
from mutasi.infra.documents import DocumentStore


class ArchiveActivities:
    def __init__(self, engine: Engine, store: DocumentStore) -> None:
        self.engine = engine
        self.store = store

    @activity.defn
    async def archive_closed_histories(self, req: ArchiveRequest) -> ArchiveResult:
        # Async: it reads Temporal through the worker's own client; the database work runs
        # in threads. Idempotent, see mutasi.audit.history_archive.archive_closed.
        info = activity.info()
        archived, remaining = await archive_closed(
            activity.client(),
            self.engine,
            self.store,
            req.limit,
            (info.workflow_id, info.workflow_run_id),
            activity.heartbeat,
        )
        if archived:
            activity.logger.info("%d riwayat alur kerja diarsipkan", archived)
        return ArchiveResult(archived=archived, remaining=remaining)

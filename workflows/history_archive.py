"""HistoryArchiveWorkflow: run by a Temporal schedule (every MUTASI_HISTORY_ARCHIVE_MINUTES),
it archives the histories of closed cases and cycles (see mutasi.audit.history_archive)."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.archive import ArchiveActivities
    from contracts.housekeeping import ArchiveRequest, ArchiveResult

SCHEDULE_ID = "mutasi-history-archive"


@workflow.defn(name="HistoryArchiveWorkflow")
class HistoryArchiveWorkflow:
    @workflow.run
    async def run(self, req: ArchiveRequest) -> ArchiveResult:
        return await workflow.execute_activity_method(
            ArchiveActivities.archive_closed_histories,
            req,
            start_to_close_timeout=timedelta(minutes=30),
            heartbeat_timeout=timedelta(minutes=2),
            retry_policy=RetryPolicy(
                initial_interval=timedelta(seconds=1),
                maximum_interval=timedelta(seconds=60),
                maximum_attempts=10,
            ),
        )

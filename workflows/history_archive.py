"""HistoryArchiveWorkflow: run by a Temporal schedule (every MUTASI_HISTORY_ARCHIVE_MINUTES),
it archives the histories of closed cases and cycles (see mutasi.audit.history_archive)."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.archive import ArchiveActivities
    from contracts.housekeeping import ArchiveRequest, ArchiveResult
    from workflows.activity_calls import run_activity

SCHEDULE_ID = "mutasi-history-archive"


@workflow.defn(name="HistoryArchiveWorkflow")
class HistoryArchiveWorkflow:
    @workflow.run
    async def run(self, req: ArchiveRequest) -> ArchiveResult:
        return await run_activity(
            ArchiveActivities.archive_closed_histories,
            req,
            timeout=timedelta(minutes=30),
            heartbeat=timedelta(minutes=2),
            retry=RetryPolicy(
                initial_interval=timedelta(seconds=1),
                maximum_interval=timedelta(seconds=60),
                maximum_attempts=10,
            ),
        )

"""The Temporal schedules of the housekeeping workflows, created (idempotently) by the worker:
audit checkpoints every MUTASI_AUDIT_CHECKPOINT_MINUTES, the history archive every
MUTASI_HISTORY_ARCHIVE_MINUTES."""

from __future__ import annotations

from datetime import timedelta

from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleIntervalSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleSpec,
)

from contracts.housekeeping import ArchiveRequest, CheckpointRequest
from workflows.audit_checkpoint import SCHEDULE_ID as CHECKPOINT_SCHEDULE
from workflows.audit_checkpoint import AuditCheckpointWorkflow
from workflows.history_archive import SCHEDULE_ID as ARCHIVE_SCHEDULE
from workflows.history_archive import HistoryArchiveWorkflow


async def ensure_schedules(client: Client, settings) -> list[str]:
    """The Temporal schedules of the housekeeping workflows: audit checkpoints every
    MUTASI_AUDIT_CHECKPOINT_MINUTES and the history archive every MUTASI_HISTORY_ARCHIVE_MINUTES
    (0: none). Idempotent; returns the ids of the schedules it created."""

    wanted = [
        (
            CHECKPOINT_SCHEDULE,
            AuditCheckpointWorkflow.run,
            CheckpointRequest(),
            "audit-checkpoint",
            settings.audit_checkpoint_minutes,
        ),
        (
            ARCHIVE_SCHEDULE,
            HistoryArchiveWorkflow.run,
            ArchiveRequest(),
            "history-archive",
            settings.history_archive_minutes,
        ),
    ]
    created = []
    for schedule_id, run, arg, workflow_id, minutes in wanted:
        if minutes > 0 and await _ensure_schedule(
            client, schedule_id, run, arg, workflow_id, minutes, settings.task_queue
        ):
            created.append(schedule_id)
    return created


async def _ensure_schedule(
    client: Client, schedule_id: str, run, arg, workflow_id: str, minutes: int, task_queue: str
) -> bool:
    schedule = Schedule(
        action=ScheduleActionStartWorkflow(run, arg, id=workflow_id, task_queue=task_queue),
        spec=ScheduleSpec(intervals=[ScheduleIntervalSpec(every=timedelta(minutes=minutes))]),
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP),
    )
    try:
        await client.create_schedule(schedule_id, schedule)
    except ScheduleAlreadyRunningError:
        return False
    return True

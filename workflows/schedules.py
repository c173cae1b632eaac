"""The Temporal schedules of the housekeeping workflows, created (idempotently) by the worker:
audit checkpoints every MUTASI_AUDIT_CHECKPOINT_MINUTES, the history archive every
MUTASI_HISTORY_ARCHIVE_MINUTES, the mail outbox every MUTASI_MAIL_MINUTES, the audit seal every
MUTASI_AUDIT_SEAL_MINUTES."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

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

from contracts.housekeeping import ArchiveRequest, CheckpointRequest, MailRun, SealRun
from workflows.audit_checkpoint import SCHEDULE_ID as CHECKPOINT_SCHEDULE
from workflows.audit_checkpoint import AuditCheckpointWorkflow
from workflows.audit_seal import SCHEDULE_ID as SEAL_SCHEDULE
from workflows.audit_seal import AuditSealWorkflow
from workflows.history_archive import SCHEDULE_ID as ARCHIVE_SCHEDULE
from workflows.history_archive import HistoryArchiveWorkflow
from workflows.mail_outbox import SCHEDULE_ID as MAIL_SCHEDULE
from workflows.mail_outbox import MailOutboxWorkflow


async def ensure_schedules(
    client: Client,
    task_queue: str,
    checkpoint_minutes: int,
    archive_minutes: int,
    mail_minutes: int = 0,
    seal_minutes: int = 0,
) -> list[str]:
    """The Temporal schedules of the housekeeping workflows: audit checkpoints every
    MUTASI_AUDIT_CHECKPOINT_MINUTES and the history archive every MUTASI_HISTORY_ARCHIVE_MINUTES
    (0: none). Idempotent; returns the ids of the schedules it created."""

    wanted: list[tuple[str, Callable[[Any, Any], Awaitable[Any]], object, str, int]] = [
        (
            CHECKPOINT_SCHEDULE,
            AuditCheckpointWorkflow.run,
            CheckpointRequest(),
            "audit-checkpoint",
            checkpoint_minutes,
        ),
        (
            ARCHIVE_SCHEDULE,
            HistoryArchiveWorkflow.run,
            ArchiveRequest(),
            "history-archive",
            archive_minutes,
        ),
        (MAIL_SCHEDULE, MailOutboxWorkflow.run, MailRun(), "mail-outbox", mail_minutes),
        (SEAL_SCHEDULE, AuditSealWorkflow.run, SealRun(), "audit-seal", seal_minutes),
    ]
    created = []
    for schedule_id, run, arg, workflow_id, minutes in wanted:
        if minutes > 0 and await _ensure_schedule(
            client, schedule_id, run, arg, workflow_id, minutes, task_queue
        ):
            created.append(schedule_id)
    return created


async def _ensure_schedule(
    client: Client,
    schedule_id: str,
    run: Callable[[Any, Any], Awaitable[Any]],
    arg: object,
    workflow_id: str,
    minutes: int,
    task_queue: str,
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

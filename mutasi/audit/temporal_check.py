"""Cross-check the audit trail against Temporal's own record of what the workflows did.

Every case activity that changes state appends its audit event under its own identity
(`<run id>/<activity id>`, see `activities.common.activity_key`). So each such event must
match an activity in that run's Temporal history, and each completed activity of a kind
that always writes an event must have one. An event forged into the database has no
activity; an event deleted (even with the chain recomputed around it) leaves an activity
without its event. Histories Temporal no longer holds (after retention) are counted, not
guessed at.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col
from temporalio.client import Client, WorkflowHistory
from temporalio.service import RPCError, RPCStatusCode

from models import AuditEvent

# Case activities that append an event on their first (committing) attempt, whatever the input.
ALWAYS_AUDITED = frozenset(
    {
        "open_case",
        "record_stage",
        "record_consultation",
        "record_objection_resolution",
        "assign_training",
        "complete_training",
        "open_tasks",
        "record_decision",
        "escalate_task",
        "reassign_task",
        "remind",
        "issue_decree",
        "apply_transfer",
        "compensate",
        "open_evaluation",
        "record_evaluation",
    }
)


@dataclass
class CrossCheck:
    runs: int = 0
    histories_gone: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


async def cross_check(session: Session, client: Client) -> CrossCheck:
    events: dict[tuple[str, str], list[tuple[str, int | None, str]]] = defaultdict(list)
    for agency, seq, key, workflow_id, run_id in session.execute(
        select(
            col(AuditEvent.agency_code),
            col(AuditEvent.seq),
            col(AuditEvent.key),
            col(AuditEvent.workflow_id),
            col(AuditEvent.run_id),
        )
        .where(col(AuditEvent.workflow_id).like("case-%"), col(AuditEvent.run_id).is_not(None))
        .order_by(col(AuditEvent.agency_code), col(AuditEvent.id))
    ):
        if workflow_id is not None and run_id is not None:  # as the query asks
            events[(workflow_id, run_id)].append((agency, seq, key))
    result = CrossCheck()
    for (workflow_id, run_id), recorded in sorted(events.items()):
        try:
            history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
        except RPCError as exc:
            if exc.status != RPCStatusCode.NOT_FOUND:
                raise
            result.histories_gone += 1
            continue
        result.runs += 1
        result.problems += _compare(workflow_id, run_id, recorded, _activities(history))
    return result


def _activities(history: WorkflowHistory) -> dict[str, tuple[str, bool]]:
    """activity id -> (activity type, completed)."""
    scheduled: dict[int, tuple[str, str]] = {}
    found: dict[str, tuple[str, bool]] = {}
    for event in history.events:
        if event.HasField("activity_task_scheduled_event_attributes"):
            attrs = event.activity_task_scheduled_event_attributes
            scheduled[event.event_id] = (attrs.activity_id, attrs.activity_type.name)
            found[attrs.activity_id] = (attrs.activity_type.name, False)
        elif event.HasField("activity_task_completed_event_attributes"):
            activity_id, kind = scheduled[
                event.activity_task_completed_event_attributes.scheduled_event_id
            ]
            found[activity_id] = (kind, True)
    return found


def _compare(
    workflow_id: str,
    run_id: str,
    recorded: list[tuple[str, int | None, str]],
    activities: dict[str, tuple[str, bool]],
) -> list[str]:
    problems = []
    written = set()
    for agency, seq, key in recorded:
        run, _, rest = key.partition("/")
        activity_id = rest.split("/", 1)[0]
        written.add(activity_id)
        if run != run_id or activity_id not in activities:
            problems.append(
                f"{agency}: peristiwa ke-{seq or '(belum disegel)'} ({key}) tidak berasal dari aktivitas mana pun dalam "
                f"riwayat Temporal {workflow_id}"
            )
    for activity_id, (kind, completed) in sorted(activities.items()):
        if completed and kind in ALWAYS_AUDITED and activity_id not in written:
            problems.append(
                f"{workflow_id}: aktivitas {kind} #{activity_id} selesai menurut Temporal, tetapi "
                "peristiwa auditnya tidak ada"
            )
    return problems

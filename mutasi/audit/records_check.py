"""Do the records say what the audit trail says? Every approval task's status and decider
against the decision events written for it, and every decree's status against the events
that set it (mutasi.audit.decree_status).

A decision lands in two places in one transaction: the task row (status, decided_by) and
an audit event (`task.approved`, `task.recorded_rejected`, `task.committee_setuju`, ...).
Where they disagree, a decision was lost or invented: a row that reads "cancelled" while
the trail says its assignee rejected it, a decided row without its event, or two deciders
recorded for one task. `mutasi audit verify --records` runs this; the chaos suite and the
bench run it after their loads."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from contracts.enums import TaskStatus
from models import ApprovalTask, AuditEvent, CollectiveDecree, Decree
from mutasi.audit.decree_status import status_drift

# Decision event -> the task status it records.
DECISIONS = {
    "task.approved": TaskStatus.APPROVED,
    "task.rejected": TaskStatus.REJECTED,
    "task.recorded_approved": TaskStatus.APPROVED,
    "task.recorded_rejected": TaskStatus.REJECTED,
    "task.committee_setuju": TaskStatus.APPROVED,
    "task.committee_tidak_setuju": TaskStatus.REJECTED,
}
DECIDED = frozenset({TaskStatus.APPROVED, TaskStatus.REJECTED})


@dataclass
class RecordsCheck:
    tasks: int = 0
    decided: int = 0
    decrees: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_records(session: Session, batch: int = 5_000) -> RecordsCheck:
    """Every task against its decision events, a batch of tasks at a time; then every
    decree's and extract's status against the events that set it."""
    result = RecordsCheck()
    _check_tasks(session, batch, result)
    decrees: list[Decree | CollectiveDecree] = [
        *session.execute(select(Decree).order_by(col(Decree.number))).scalars(),
        *session.execute(select(CollectiveDecree).order_by(col(CollectiveDecree.number))).scalars(),
    ]
    for decree in decrees:
        result.decrees += 1
        drift = status_drift(session, decree)
        if drift:
            result.problems.append(f"SK {decree.number}: {drift}")
    return result


def _check_tasks(session: Session, batch: int, result: RecordsCheck) -> None:
    after = ""
    while True:
        tasks = session.execute(
            select(col(ApprovalTask.id), col(ApprovalTask.status), col(ApprovalTask.decided_by))
            .where(col(ApprovalTask.id) > after)
            .order_by(col(ApprovalTask.id))
            .limit(batch)
        ).all()
        if not tasks:
            return
        after = tasks[-1].id
        events: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for subject, action, actor in session.execute(
            select(col(AuditEvent.subject_id), col(AuditEvent.action), col(AuditEvent.actor))
            .where(
                col(AuditEvent.subject_type) == "task",
                col(AuditEvent.action).in_(DECISIONS),
                col(AuditEvent.subject_id).in_([t.id for t in tasks]),
            )
            .order_by(col(AuditEvent.id))
        ):
            events[subject].append((DECISIONS[action], actor))
        for task in tasks:
            result.tasks += 1
            result.decided += task.status in DECIDED
            problem = _disagreement(task.status, task.decided_by, events.get(task.id, []))
            if problem:
                result.problems.append(f"{task.id}: {problem}")


def _disagreement(status: str, decided_by: str | None, said: list[tuple[str, str]]) -> str:
    """What is wrong between a task row and its decision events ("" when they agree)."""
    told = "; ".join(f"{s} oleh {a}" for s, a in said)
    if status not in DECIDED:
        return f"catatan {status}, jejak audit: {told}" if said else ""
    if not said:
        return f"catatan {status} oleh {decided_by}, tanpa peristiwa keputusan di jejak audit"
    if any((s, a) != (status, decided_by) for s, a in said):
        return f"catatan {status} oleh {decided_by}, jejak audit: {told}"
    return ""

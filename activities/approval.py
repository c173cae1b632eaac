"""Approval: tasks per chain step, decisions, reminders, escalation, reassignment and
delegation changes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session, col
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.case_writer import (
    TASK_BY_ID,
    TASK_WITH_CASE,
    CaseWriter,
    sql_of,
)
from contracts.case import (
    ActRecord,
    CommitteeRecord,
    DecisionRecord,
    DocumentCheck,
    Escalation,
    OpenTasks,
    Reminder,
    StageChange,
    TaskAssign,
    TaskView,
)
from contracts.chain import COMMITTEE_TITLES, token_title
from contracts.enums import Stage, TaskKind, TaskStatus
from contracts.ids import task_id
from contracts.messages import Msg
from models import (
    ApprovalTask,
    Consultation,
)
from mutasi.committee.membership import committee_kind
from mutasi.dossier.records import accepted_kinds
from mutasi.infra.db import as_utc, insert_ignoring_conflict
from mutasi.org.directory import OrgDirectory, Unresolvable


def _close_task(
    s: Session, task_id: str, status: str, actor: str, at: datetime, **values: Any
) -> None:
    """An open task decided in the inbox, recorded from a letter, or decided by a committee
    sitting (whose minutes are its letter)."""
    sql_of(s).execute(
        update(ApprovalTask)
        .where(col(ApprovalTask.id) == task_id)
        .values(status=status, decided_by=actor, decided_at=as_utc(at), **values)
    )


def _close_open(task_id: str, status: str, actor: str, at: datetime, comment: str) -> Any:
    """Close the task if it is still open, returning its assignee (no row: not open)."""
    return (
        update(ApprovalTask)
        .where(col(ApprovalTask.id) == task_id, col(ApprovalTask.status) == TaskStatus.OPEN)
        .values(status=status, decided_by=actor, decided_at=as_utc(at), comment=comment)
        .returning(col(ApprovalTask.assignee_nip))
    )


def _same_decision_or_refuse(task_id: str, status: str, decided_by: str | None, rec: Any) -> None:
    """A task no longer open: a retry of this same decision goes on to its (idempotent)
    audit; a task closed by someone else's decision or cancelled refuses this one, so the
    audit never claims a decision the record does not hold."""
    if (status, decided_by) != (rec.status, rec.actor):
        raise ApplicationError(
            f"tugas {task_id} sudah {status}; keputusan ini tidak dicatat",
            type="DecisionConflict",
            non_retryable=True,
        )


class ApprovalActivities(CaseWriter):
    # -- approval tasks -------------------------------------------------------------
    @activity.defn
    def open_tasks(self, req: OpenTasks) -> list[TaskView]:
        step = req.step
        due = req.at + timedelta(days=step.deadline_days)
        reminder = req.at + timedelta(days=step.reminder_days)
        with Session(self.engine) as s:
            case = self._case_of(s, req.case_id, req.case)
            directory = OrgDirectory(s, on=req.at.date())
            views = []
            for role in step.roles:
                new_id = task_id(case.id, req.step_index, role)
                try:
                    kind, assignee = directory.resolve_role(
                        role, case.agency_code, case.origin_unit, case.destination_unit
                    )
                except Unresolvable as exc:
                    raise ApplicationError(
                        str(exc), type="AssigneeNotFound", non_retryable=True
                    ) from exc
                if kind == TaskKind.COMMITTEE:
                    title = COMMITTEE_TITLES[committee_kind(s, case.destination_position)]
                else:
                    title = token_title(role) + (
                        " (dicatat BKPSDM)" if kind == TaskKind.RECORDED else ""
                    )
                # A recorded act has no decider: HR records its letter (record_act).
                deciders = directory.deciders(assignee, req.at.date()) if assignee else []
                # One statement: a retry (or a reset workflow) meets the task's id.
                written = sql_of(s).execute(
                    insert_ignoring_conflict(sql_of(s), ApprovalTask),
                    dict(
                        id=new_id,
                        case_id=case.id,
                        step=req.step_index,
                        role=role,
                        title=title,
                        kind=kind,
                        assignee_nip=assignee,
                        deciders=deciders,
                        status=TaskStatus.OPEN,
                        escalations=0,
                        due_at=as_utc(due),
                        created_at=as_utc(req.at),
                    ),
                )
                if written.rowcount == 0:  # written by an earlier attempt: as it stands
                    task = sql_of(s).execute(TASK_BY_ID, {"id": new_id}).one()
                    views.append(
                        TaskView(
                            id=task.id,
                            step=task.step,
                            role=task.role,
                            title=task.title,
                            assignee_nip=task.assignee_nip,
                            deciders=list(task.deciders),
                            status=task.status,
                            due_at=due,
                            reminder_at=reminder,
                            kind=task.kind,
                        )
                    )
                    continue
                self._audit(
                    s,
                    case,
                    req.at,
                    "task.opened",
                    subject_type="task",
                    subject_id=new_id,
                    new={
                        "kind": kind,
                        "assignee": assignee,
                        "deciders": deciders,
                        "due_at": due.isoformat(),
                    },
                    suffix=f"/{role}",
                )
                for nip in deciders:
                    self._notify(
                        s,
                        nip,
                        case.id,
                        "task",
                        Msg(
                            code="notice.task_opened",
                            params={"title": title, "nip": case.nip, "due": due.isoformat()},
                        ),
                        req.at,
                        f"/{role}",
                    )
                views.append(
                    TaskView(
                        id=new_id,
                        step=req.step_index,
                        role=role,
                        title=title,
                        assignee_nip=assignee,
                        deciders=deciders,
                        status=TaskStatus.OPEN,
                        due_at=due,
                        reminder_at=reminder,
                        kind=kind,
                    )
                )
            s.commit()
        return views

    @activity.defn
    def record_act(self, rec: ActRecord) -> None:
        """An act decided on paper, recorded by a named HR user with its letter as evidence;
        the audit trail marks it as recorded (role `hr_admin`, `recorded_for` the office)."""
        with Session(self.engine) as s:
            task = self._task(s, rec.task_id)
            case = self._case(s, task.case_id)
            if task.status == TaskStatus.OPEN:
                _close_task(
                    s,
                    rec.task_id,
                    rec.status,
                    rec.actor,
                    rec.at,
                    comment=rec.comment or None,
                    letter_number=rec.letter_number,
                    letter_date=rec.letter_date,
                    document_sha256=rec.document_sha256,
                )
            else:
                _same_decision_or_refuse(rec.task_id, task.status, task.decided_by, rec)
            self._audit(
                s,
                case,
                rec.at,
                f"task.recorded_{rec.status}",
                actor=rec.actor,
                role="hr_admin",
                subject_type="task",
                subject_id=rec.task_id,
                old={"status": TaskStatus.OPEN},
                new={
                    "status": rec.status,
                    "recorded_for": token_title(task.role),
                    "letter_number": rec.letter_number,
                    "letter_date": rec.letter_date.isoformat(),
                    "document_sha256": rec.document_sha256,
                },
                reason=rec.comment or None,
            )
            s.commit()

    @activity.defn
    def record_committee(self, rec: CommitteeRecord) -> None:
        """A committee sitting's recommendation on this case's step: setuju / tidak setuju
        close it (the signed minutes are the evidence), tunda leaves it open."""
        v = rec.verdict
        with Session(self.engine) as s:
            task = self._task(s, v.task_id)
            case = self._case(s, task.case_id)
            status = {"setuju": TaskStatus.APPROVED, "tidak_setuju": TaskStatus.REJECTED}.get(
                v.recommendation
            )
            if status is not None and task.status == TaskStatus.OPEN:
                _close_task(
                    s,
                    task.id,
                    status,
                    v.chair,
                    rec.at,
                    comment=v.reason,
                    letter_number=v.sitting,
                    letter_date=v.held_on,
                    document_sha256=v.minutes_sha256,
                )
            self._audit(
                s,
                case,
                rec.at,
                f"task.committee_{v.recommendation}",
                actor=v.chair,
                role="committee_chair",
                subject_type="task",
                subject_id=task.id,
                new={
                    "sitting": v.sitting,
                    "held_on": v.held_on.isoformat(),
                    "recommendation": v.recommendation,
                    "minutes_sha256": v.minutes_sha256,
                },
                reason=v.reason,
                suffix=f"/{v.sitting}",
            )
            s.commit()

    @activity.defn
    def accepted_documents(self, req: DocumentCheck) -> list[str]:
        """The required kinds whose latest upload HR accepted (read at the decision gate)."""
        with Session(self.engine) as s:
            have = set(accepted_kinds(s, req.case_id))
        return [k for k in req.required if k in have]

    @activity.defn
    def record_decision(self, rec: DecisionRecord) -> None:
        with Session(self.engine) as s:
            closed = None
            if rec.case is not None:
                # Closed with its assignee read back, in one statement (no row: not open).
                closed = (
                    sql_of(s)
                    .execute(_close_open(rec.task_id, rec.status, rec.actor, rec.at, rec.comment))
                    .first()
                )
            case: Any
            if closed is not None:
                case, assignee = rec.case, closed.assignee_nip
            else:  # a retry after the commit, or an older workflow's call
                # The task with its case, in one statement.
                case = sql_of(s).execute(TASK_WITH_CASE, {"id": rec.task_id}).first()
                if case is None:
                    raise ApplicationError(
                        f"tugas {rec.task_id} tidak ada", type="TaskNotFound", non_retryable=True
                    )
                if case.status == TaskStatus.OPEN:
                    _close_task(s, rec.task_id, rec.status, rec.actor, rec.at, comment=rec.comment)
                else:
                    _same_decision_or_refuse(rec.task_id, case.status, case.decided_by, rec)
                assignee = case.assignee_nip
            role = "approver" if rec.actor == assignee else "delegate"
            self._audit(
                s,
                case,
                rec.at,
                f"task.{rec.status}",
                actor=rec.actor,
                role=role,
                subject_type="task",
                subject_id=rec.task_id,
                old={"status": TaskStatus.OPEN},
                new={"status": rec.status},
                reason=rec.comment or None,
            )
            s.commit()

    @activity.defn
    def cancel_open_tasks(self, change: StageChange) -> None:
        with self.writing(change.case_id) as (s, case):
            open_ids = (
                s.execute(
                    select(col(ApprovalTask.id)).where(
                        col(ApprovalTask.case_id) == case.id,
                        col(ApprovalTask.status) == TaskStatus.OPEN,
                    )
                )
                .scalars()
                .all()
            )
            if open_ids:
                sql_of(s).execute(
                    update(ApprovalTask)
                    .where(col(ApprovalTask.id).in_(open_ids))
                    .values(status="cancelled")
                )
                self._audit(
                    s,
                    case,
                    change.at,
                    "task.cancelled",
                    actor=change.actor,
                    role=change.role,
                    subject_type="task",
                    new={"cancelled": sorted(open_ids)},
                    reason=change.reason,
                )

    @activity.defn
    def escalate_task(self, req: Escalation) -> TaskView:
        with Session(self.engine) as s:
            task = self._task(s, req.task_id)
            case = self._case(s, task.case_id)
            directory = OrgDirectory(s)
            if as_utc(req.due_at) != task.due_at:  # not yet applied (a retry finds it done)
                if task.kind != TaskKind.DECIDED:
                    # Nobody here decides it: the BKPSDM head is told to chase the letter
                    # (or to put the case before the committee's next sitting).
                    superior = ""
                    deciders = []
                    chasers = [directory.bkpsdm_head(case.agency_code)]
                else:
                    superior = (
                        directory.superior_of(task.assignee_nip, case.agency_code)
                        or task.assignee_nip
                    )
                    deciders = directory.deciders(superior, req.at.date())
                    chasers = deciders
                old = {"assignee": task.assignee_nip, "due_at": task.due_at.isoformat()}
                sql_of(s).execute(
                    update(ApprovalTask)
                    .where(col(ApprovalTask.id) == task.id)
                    .values(
                        assignee_nip=superior,
                        deciders=deciders,
                        due_at=as_utc(req.due_at),
                        escalations=task.escalations + 1,
                        reminded_at=None,
                    )
                )
                self._audit(
                    s,
                    case,
                    req.at,
                    "task.escalated",
                    subject_type="task",
                    subject_id=task.id,
                    old=old,
                    new={"assignee": superior, "due_at": req.due_at.isoformat()},
                    reason="tenggat terlampaui",
                )
                for nip in chasers:
                    self._notify(
                        s,
                        nip,
                        case.id,
                        "escalation",
                        Msg(
                            code="notice.task_escalated_unrecorded"
                            if task.kind != TaskKind.DECIDED
                            else "notice.task_escalated_to_you",
                            params={
                                "title": task.title,
                                "nip": case.nip,
                                "due": req.due_at.isoformat(),
                            },
                        ),
                        req.at,
                        "",
                    )
            s.commit()
            s.refresh(task)
            return TaskView(
                id=task.id,
                step=task.step,
                role=task.role,
                title=task.title,
                assignee_nip=task.assignee_nip,
                deciders=list(task.deciders),
                status=task.status,
                due_at=req.due_at,
                reminder_at=req.reminder_at,
                reminded=False,
                escalations=task.escalations,
                kind=task.kind,
            )

    @activity.defn
    def reassign_task(self, req: TaskAssign) -> None:
        with Session(self.engine) as s:
            task = self._task(s, req.task_id)
            case = self._case(s, task.case_id)
            old = {"assignee": task.assignee_nip, "deciders": list(task.deciders)}
            sql_of(s).execute(
                update(ApprovalTask)
                .where(col(ApprovalTask.id) == task.id)
                .values(assignee_nip=req.assignee_nip, deciders=req.deciders)
            )
            self._audit(
                s,
                case,
                req.at,
                "task.reassigned",
                actor=req.actor,
                role="hr_admin",
                subject_type="task",
                subject_id=task.id,
                old=old,
                new={"assignee": req.assignee_nip, "deciders": req.deciders},
                reason=req.reason,
            )
            for nip in req.deciders:
                self._notify(
                    s,
                    nip,
                    case.id,
                    "task",
                    Msg(code="notice.task_reassigned", params={"title": task.title}),
                    req.at,
                    "",
                )
            s.commit()

    @activity.defn
    def update_deciders(self, req: TaskAssign) -> None:
        with Session(self.engine) as s:
            task = self._task(s, req.task_id)
            case = self._case(s, task.case_id)
            if list(task.deciders) != req.deciders:
                sql_of(s).execute(
                    update(ApprovalTask)
                    .where(col(ApprovalTask.id) == task.id)
                    .values(deciders=req.deciders)
                )
                self._audit(
                    s,
                    case,
                    req.at,
                    "task.deciders_changed",
                    actor=req.actor,
                    role=req.role,
                    subject_type="task",
                    subject_id=task.id,
                    old={"deciders": list(task.deciders)},
                    new={"deciders": req.deciders},
                    reason=req.reason,
                )
            s.commit()

    @activity.defn
    def remind(self, req: Reminder) -> None:
        with self.writing(req.case_id) as (s, case):
            for nip in req.recipients:
                self._notify(s, nip, req.case_id, req.kind, req.message, req.at, "")
            if req.task_id:
                sql_of(s).execute(
                    update(ApprovalTask)
                    .where(col(ApprovalTask.id) == req.task_id)
                    .values(reminded_at=as_utc(req.at))
                )
            elif req.kind == Stage.CONSULTATION:
                sql_of(s).execute(
                    update(Consultation)
                    .where(col(Consultation.case_id) == req.case_id)
                    .values(reminded_at=as_utc(req.at))
                )
            self._audit(
                s,
                case,
                req.at,
                f"reminder.{req.kind}",
                subject_type="notification",
                subject_id=req.task_id or req.case_id,
                new={"recipients": req.recipients},
            )

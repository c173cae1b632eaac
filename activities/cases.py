"""Activities of a mutation case: every state change is written here, with its audit
event, in one transaction. Natural keys make each write idempotent; the audit key is the
activity's own identity (run id + activity id, stable across retries)."""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.engine import Connection, Engine, Row
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.common import activity_key
from contracts.case import (
    OPEN_CASE_EXISTS,
    Compensation,
    ConsultationRecord,
    DecisionRecord,
    DecreeIssued,
    DecreeRequest,
    Escalation,
    ObjectionRecord,
    OpenCase,
    OpenTasks,
    Reminder,
    StageChange,
    TaskAssign,
    TaskView,
    TrainingAssign,
    TrainingDone,
    TransferApply,
)
from contracts.chain import EXTERNAL_ROLES, ROLE_TITLES
from contracts.enums import Stage, TaskStatus
from contracts.ids import task_id
from models import (
    ApprovalTask,
    AuditChainHead,
    Consultation,
    CycleFinding,
    Decree,
    DecreeSequence,
    Employee,
    MutationCase,
    Notification,
    Position,
    PositionHistory,
    TrainingAssignment,
)
from mutasi import audit
from mutasi.audit_anchor import CheckpointStore, take_checkpoints
from mutasi.db import as_utc
from mutasi.decree_signing import DecreeSigner, signed_content
from mutasi.embargo import blocking_window, refusal
from mutasi.org_directory import OrgDirectory, Unresolvable

_log = logging.getLogger("mutasi.case")
DECREE_FORMAT = "800/{seq:03d}/BKPSDM/{year}"

# The hot statements, built once and run on the session's connection: Core rows instead of
# ORM objects and the ORM's bulk-DML path cost the worker a fraction of the CPU per case.
_CASE = MutationCase.__table__
_CASE_BY_ID = select(_CASE).where(_CASE.c.id == bindparam("id"))
_NOTIFICATION_SEEN = select(Notification.key).where(Notification.key == bindparam("key"))
_TASK = ApprovalTask.__table__
_TASK_BY_ID = select(_TASK).where(_TASK.c.id == bindparam("id"))


def _sql(s: Session) -> Connection:
    """The session's connection, in its transaction, for Core statements."""
    return s.connection()


class CaseActivities:
    def __init__(
        self, engine: Engine, signer: DecreeSigner, checkpoints: CheckpointStore | None = None
    ) -> None:
        self.engine = engine
        self.signer = signer
        self.checkpoints = checkpoints

    # -- helpers ------------------------------------------------------------------
    def _case(self, s: Session, case_id: str) -> Row:
        case = _sql(s).execute(_CASE_BY_ID, {"id": case_id}).first()
        if case is None:
            raise ApplicationError(
                f"kasus {case_id} tidak ada", type="CaseNotFound", non_retryable=True
            )
        return case

    def _task(self, s: Session, task_id: str) -> ApprovalTask:
        # A task that is not there will not appear by retrying: fail the activity for good.
        task = s.get(ApprovalTask, task_id)
        if task is None:
            raise ApplicationError(
                f"tugas {task_id} tidak ada", type="TaskNotFound", non_retryable=True
            )
        return task

    def _audit(
        self,
        s: Session,
        case: Row,
        at: datetime,
        action: str,
        *,
        actor: str = "sistem",
        role: str = "system",
        subject_type: str = "case",
        subject_id: str | None = None,
        old: dict | None = None,
        new: dict | None = None,
        reason: str | None = None,
        suffix: str = "",
    ) -> None:
        audit.append(
            s,
            audit.AuditInput(
                key=activity_key(suffix),
                agency_code=case.agency_code,
                at=as_utc(at),
                actor=actor,
                role=role,
                action=action,
                subject_type=subject_type,
                subject_id=subject_id or case.id,
                old=old,
                new=new,
                reason=reason,
                workflow_id=case.workflow_id,
                run_id=activity.info().workflow_run_id,
            ),
        )
        _log.info(
            "%s %s",
            action,
            subject_id or case.id,
            extra={"case_id": case.id, "task_id": subject_id if subject_type == "task" else None},
        )

    def _notify(
        self,
        s: Session,
        recipient: str,
        case_id: str,
        kind: str,
        message: str,
        at: datetime,
        suffix: str,
    ) -> None:
        key = activity_key(f"/n/{recipient}{suffix}")
        if _sql(s).execute(_NOTIFICATION_SEEN, {"key": key}).first() is None:
            _sql(s).execute(
                insert(Notification),
                dict(
                    key=key,
                    recipient_nip=recipient,
                    case_id=case_id,
                    kind=kind,
                    message=message,
                    created_at=as_utc(at),
                ),
            )

    # -- case and consultation -----------------------------------------------------
    @activity.defn
    def open_case(self, req: OpenCase) -> None:
        c = req.case
        with Session(self.engine) as s:
            if s.get(MutationCase, c.case_id) is None:
                other = self._open_case_of(s, c.nip)
                if other is None:
                    s.add(self._case_row(req, "consultation"))
                    try:
                        s.flush()  # the case row first: the consultation references it
                    except IntegrityError:
                        s.rollback()  # another cycle's case for this person opened a moment ago
                        other = self._open_case_of(s, c.nip)
                        if other is None:
                            raise
                if other is None:
                    s.add(
                        Consultation(
                            case_id=c.case_id, nip=c.nip, deadline=as_utc(req.consultation_deadline)
                        )
                    )
                    s.flush()
                    case = self._case(s, c.case_id)
                    self._audit(
                        s,
                        case,
                        req.at,
                        "case.opened",
                        actor=c.requested_by,
                        role="hr_admin",
                        new={
                            "stage": "consultation",
                            "from": c.origin_position,
                            "to": c.destination_position,
                            "type": c.mutation_type,
                        },
                    )
                    self._notify(
                        s,
                        c.nip,
                        c.case_id,
                        "consultation",
                        f"Anda diusulkan mutasi ke {c.destination_position}; mohon tanggapan sebelum "
                        f"{req.consultation_deadline:%d-%m-%Y}.",
                        req.at,
                        "",
                    )
                else:
                    self._record_blocked(s, req, other)
            case = self._case(s, c.case_id)
            s.commit()
        if case.outcome == Stage.BLOCKED:  # this attempt or an earlier one found the person busy
            raise ApplicationError(
                case.outcome_reason or Stage.BLOCKED, type=OPEN_CASE_EXISTS, non_retryable=True
            )

    def _case_row(self, req: OpenCase, stage: str, **outcome: str) -> MutationCase:
        c = req.case
        return MutationCase(
            id=c.case_id,
            cycle_id=c.cycle_id,
            nip=c.nip,
            agency_code=c.agency_code,
            mutation_type=c.mutation_type,
            origin_position=c.origin_position,
            origin_unit=c.origin_unit,
            destination_position=c.destination_position,
            destination_unit=c.destination_unit,
            stage=stage,
            requested_by=c.requested_by,
            workflow_id=activity.info().workflow_id,
            run_id=req.run_id,
            created_at=as_utc(req.at),
            updated_at=as_utc(req.at),
            **outcome,
        )

    @staticmethod
    def _open_case_of(s: Session, nip: str) -> str | None:
        return s.execute(
            select(MutationCase.id).where(MutationCase.nip == nip, MutationCase.outcome.is_(None))
        ).scalar_one_or_none()

    def _record_blocked(self, s: Session, req: OpenCase, other: str) -> None:
        """One person, one open case: this one is recorded closed before it begins, naming
        the case that holds the person, so HR and the cycle see why it never started."""
        c = req.case
        why = f"pegawai {c.nip} sudah memiliki kasus mutasi terbuka {other}"
        s.add(self._case_row(req, Stage.BLOCKED, outcome=Stage.BLOCKED, outcome_reason=why))
        s.flush()
        s.merge(
            CycleFinding(
                cycle_id=c.cycle_id,
                code="open_case",
                subject=c.nip,
                message=f"Kasus {c.case_id} tidak dibuka: {why}",
            )
        )
        self._audit(
            s,
            self._case(s, c.case_id),
            req.at,
            "case.blocked",
            new={"stage": Stage.BLOCKED, "open_case": other},
            reason=why,
        )

    @activity.defn
    def record_stage(self, change: StageChange) -> None:
        with Session(self.engine) as s:
            case = self._case(s, change.case_id)
            old = {"stage": case.stage}
            values = {"stage": change.stage, "updated_at": as_utc(change.at)}
            if change.outcome:
                values.update(outcome=change.outcome, outcome_reason=change.reason)
            _sql(s).execute(update(MutationCase).where(MutationCase.id == case.id).values(**values))
            self._audit(
                s,
                case,
                change.at,
                change.action,
                actor=change.actor,
                role=change.role,
                old=old,
                new={"stage": change.stage, **(change.detail or {})},
                reason=change.reason,
            )
            s.commit()

    @activity.defn
    def record_consultation(self, rec: ConsultationRecord) -> None:
        with Session(self.engine) as s:
            case = self._case(s, rec.case_id)
            _sql(s).execute(
                update(Consultation)
                .where(Consultation.case_id == rec.case_id)
                .values(
                    response=rec.response,
                    reason=rec.reason,
                    preferences=rec.preferences,
                    responded_at=as_utc(rec.at),
                )
            )
            self._audit(
                s,
                case,
                rec.at,
                f"consultation.{rec.response}",
                actor=rec.actor,
                role="employee" if rec.actor == case.nip else "system",
                subject_type="consultation",
                new={"response": rec.response, "preferences": rec.preferences},
                reason=rec.reason,
            )
            s.commit()

    @activity.defn
    def record_objection_resolution(self, rec: ObjectionRecord) -> None:
        with Session(self.engine) as s:
            case = self._case(s, rec.case_id)
            outcome = "confirmed" if rec.confirm else "withdrawn"
            _sql(s).execute(
                update(Consultation)
                .where(Consultation.case_id == rec.case_id)
                .values(hr_resolution=outcome, hr_reason=rec.reason, hr_actor=rec.actor)
            )
            self._audit(
                s,
                case,
                rec.at,
                f"objection.{outcome}",
                actor=rec.actor,
                role="hr_admin",
                subject_type="consultation",
                new={"hr_resolution": outcome},
                reason=rec.reason,
            )
            s.commit()

    # -- training ------------------------------------------------------------------
    @activity.defn
    def assign_training(self, req: TrainingAssign) -> None:
        with Session(self.engine) as s:
            case = self._case(s, req.case_id)
            for item in req.items:
                if s.get(TrainingAssignment, (req.case_id, item.program)) is None:
                    s.add(
                        TrainingAssignment(
                            case_id=req.case_id,
                            program=item.program,
                            nip=case.nip,
                            kind=item.kind,
                            jp=item.jp,
                            reason=item.reason,
                            due_on=req.due_on,
                        )
                    )
            self._audit(
                s,
                case,
                req.at,
                "training.assigned",
                subject_type="training",
                new={
                    "programs": [i.program for i in req.items],
                    "jp": sum(i.jp for i in req.items),
                    "due_on": req.due_on.isoformat(),
                },
            )
            s.commit()

    @activity.defn
    def complete_training(self, req: TrainingDone) -> None:
        with Session(self.engine) as s:
            case = self._case(s, req.case_id)
            _sql(s).execute(
                update(TrainingAssignment)
                .where(
                    TrainingAssignment.case_id == req.case_id,
                    TrainingAssignment.program == req.program,
                )
                .values(status="completed", completed_on=req.completed_on)
            )
            self._audit(
                s,
                case,
                req.at,
                "training.completed",
                actor=req.actor,
                role="hr_admin",
                subject_type="training",
                subject_id=f"{req.case_id}/{req.program}",
                old={"status": "assigned"},
                new={"status": "completed", "completed_on": req.completed_on.isoformat()},
            )
            s.commit()

    # -- approval tasks -------------------------------------------------------------
    @activity.defn
    def open_tasks(self, req: OpenTasks) -> list[TaskView]:
        step = req.step
        due = req.at + timedelta(days=step.deadline_days)
        reminder = req.at + timedelta(days=step.reminder_days)
        with Session(self.engine) as s:
            case = self._case(s, req.case_id)
            directory = OrgDirectory(s)
            views = []
            for role in step.roles:
                new_id = task_id(case.id, req.step_index, role)
                task = _sql(s).execute(_TASK_BY_ID, {"id": new_id}).first()
                if task is None:
                    try:
                        assignee = directory.resolve_role(
                            role, case.agency_code, case.origin_unit, case.destination_unit
                        )
                    except Unresolvable as exc:
                        raise ApplicationError(
                            str(exc), type="AssigneeNotFound", non_retryable=True
                        ) from exc
                    title = ROLE_TITLES[role] + (
                        " (dicatat BKPSDM)" if role in EXTERNAL_ROLES else ""
                    )
                    deciders = directory.deciders(assignee, req.at.date())
                    _sql(s).execute(
                        insert(ApprovalTask),
                        dict(
                            id=new_id,
                            case_id=case.id,
                            step=req.step_index,
                            role=role,
                            title=title,
                            assignee_nip=assignee,
                            deciders=deciders,
                            status=TaskStatus.OPEN,
                            escalations=0,
                            due_at=as_utc(due),
                            created_at=as_utc(req.at),
                        ),
                    )
                    self._audit(
                        s,
                        case,
                        req.at,
                        "task.opened",
                        subject_type="task",
                        subject_id=new_id,
                        new={"assignee": assignee, "deciders": deciders, "due_at": due.isoformat()},
                        suffix=f"/{role}",
                    )
                    for nip in deciders:
                        self._notify(
                            s,
                            nip,
                            case.id,
                            "task",
                            f"Tugas persetujuan baru: {title} untuk mutasi "
                            f"{case.nip}; tenggat {due:%d-%m-%Y %H:%M}.",
                            req.at,
                            f"/{role}",
                        )
                    views.append(
                        TaskView(
                            new_id,
                            req.step_index,
                            role,
                            title,
                            assignee,
                            deciders,
                            TaskStatus.OPEN,
                            due,
                            reminder,
                        )
                    )
                else:  # a retry after the first attempt committed
                    views.append(
                        TaskView(
                            task.id,
                            task.step,
                            task.role,
                            task.title,
                            task.assignee_nip,
                            list(task.deciders),
                            task.status,
                            due,
                            reminder,
                        )
                    )
            s.commit()
        return views

    @activity.defn
    def record_decision(self, rec: DecisionRecord) -> None:
        with Session(self.engine) as s:
            task = _sql(s).execute(_TASK_BY_ID, {"id": rec.task_id}).first()
            if task is None:
                raise ApplicationError(
                    f"tugas {rec.task_id} tidak ada", type="TaskNotFound", non_retryable=True
                )
            case = self._case(s, task.case_id)
            if task.status == TaskStatus.OPEN:
                _sql(s).execute(
                    update(ApprovalTask)
                    .where(ApprovalTask.id == rec.task_id)
                    .values(
                        status=rec.status,
                        decided_by=rec.actor,
                        decided_at=as_utc(rec.at),
                        comment=rec.comment,
                    )
                )
            role = "approver" if rec.actor == task.assignee_nip else "delegate"
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
        with Session(self.engine) as s:
            case = self._case(s, change.case_id)
            open_ids = (
                s.execute(
                    select(ApprovalTask.id).where(
                        ApprovalTask.case_id == case.id, ApprovalTask.status == TaskStatus.OPEN
                    )
                )
                .scalars()
                .all()
            )
            if open_ids:
                _sql(s).execute(
                    update(ApprovalTask)
                    .where(ApprovalTask.id.in_(open_ids))
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
            s.commit()

    @activity.defn
    def escalate_task(self, req: Escalation) -> TaskView:
        with Session(self.engine) as s:
            task = self._task(s, req.task_id)
            case = self._case(s, task.case_id)
            directory = OrgDirectory(s)
            if as_utc(req.due_at) != task.due_at:  # not yet applied (a retry finds it done)
                superior = (
                    directory.superior_of(task.assignee_nip, case.agency_code) or task.assignee_nip
                )
                deciders = directory.deciders(superior, req.at.date())
                old = {"assignee": task.assignee_nip, "due_at": task.due_at.isoformat()}
                _sql(s).execute(
                    update(ApprovalTask)
                    .where(ApprovalTask.id == task.id)
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
                for nip in deciders:
                    self._notify(
                        s,
                        nip,
                        case.id,
                        "escalation",
                        f"Eskalasi: {task.title} untuk mutasi {case.nip} "
                        f"kini menjadi tugas Anda; tenggat {req.due_at:%d-%m-%Y %H:%M}.",
                        req.at,
                        "",
                    )
            s.commit()
            s.refresh(task)
            return TaskView(
                task.id,
                task.step,
                task.role,
                task.title,
                task.assignee_nip,
                list(task.deciders),
                task.status,
                req.due_at,
                req.reminder_at,
                False,
                task.escalations,
            )

    @activity.defn
    def reassign_task(self, req: TaskAssign) -> None:
        with Session(self.engine) as s:
            task = self._task(s, req.task_id)
            case = self._case(s, task.case_id)
            old = {"assignee": task.assignee_nip, "deciders": list(task.deciders)}
            _sql(s).execute(
                update(ApprovalTask)
                .where(ApprovalTask.id == task.id)
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
                    f"Tugas dialihkan kepada Anda: {task.title}.",
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
                _sql(s).execute(
                    update(ApprovalTask)
                    .where(ApprovalTask.id == task.id)
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
        with Session(self.engine) as s:
            case = self._case(s, req.case_id)
            for nip in req.recipients:
                self._notify(s, nip, req.case_id, req.kind, req.message, req.at, "")
            if req.task_id:
                _sql(s).execute(
                    update(ApprovalTask)
                    .where(ApprovalTask.id == req.task_id)
                    .values(reminded_at=as_utc(req.at))
                )
            else:
                _sql(s).execute(
                    update(Consultation)
                    .where(Consultation.case_id == req.case_id)
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
            s.commit()

    # -- decree and effective date ----------------------------------------------------
    @activity.defn
    def issue_decree(self, req: DecreeRequest) -> DecreeIssued:
        with Session(self.engine) as s:
            existing = s.execute(
                select(Decree).where(Decree.case_id == req.case_id)
            ).scalar_one_or_none()
            if existing is not None:
                self._anchor(
                    s, existing.agency_code
                )  # a retry after the commit: the checkpoint may be missing
                return DecreeIssued(existing.number, existing.tmt)
            case = self._case(s, req.case_id)
            window = blocking_window(s, case.agency_code, req.decided_on)
            if window is not None:  # retried (the policy's back-off) until approved or over
                raise ApplicationError(
                    refusal(window), {"embargo_window": window.id}, type="EmbargoActive"
                )
            year = req.decided_on.year
            # Increment first: the row lock (or SQLite's write lock) serialises numbering.
            seq = (
                _sql(s)
                .execute(
                    update(DecreeSequence)
                    .where(
                        DecreeSequence.agency_code == case.agency_code, DecreeSequence.year == year
                    )
                    .values(last=DecreeSequence.last + 1)
                    .returning(DecreeSequence.last)
                )
                .scalar_one_or_none()
            )
            if seq is None:  # the year's first decree; a concurrent first insert makes this retry
                s.add(DecreeSequence(agency_code=case.agency_code, year=year, last=1))
                s.flush()
                seq = 1
            number = DECREE_FORMAT.format(seq=seq, year=year)
            person = s.get(Employee, case.nip)
            old_post, new_post = (
                s.get(Position, case.origin_position),
                s.get(Position, case.destination_position),
            )
            annex = {
                "no": 1,
                "name": person.name,
                "nip": person.nip,
                "rank": person.rank,
                "asn_type": person.asn_type,
                "old_position": old_post.title,
                "old_unit": case.origin_unit,
                "new_position": new_post.title,
                "new_unit": case.destination_unit,
                "note": f"TMT {req.tmt:%d-%m-%Y}",
            }
            # The decree's own event first: the chain head after it is signed with the decree.
            self._audit(
                s,
                case,
                req.at,
                "decree.issued",
                subject_type="decree",
                subject_id=number,
                new={
                    "number": number,
                    "tmt": req.tmt.isoformat(),
                    "decided_on": req.decided_on.isoformat(),
                },
            )
            head = s.get(AuditChainHead, case.agency_code)
            chain = (head.seq, head.hash)
            signature = self.signer.sign(
                signed_content(
                    number, case.id, case.agency_code, req.decided_on, req.tmt, annex, chain
                )
            )
            s.add(
                Decree(
                    number=number,
                    case_id=case.id,
                    agency_code=case.agency_code,
                    year=year,
                    sequence=seq,
                    decided_on=req.decided_on,
                    tmt=req.tmt,
                    annex=annex,
                    signature=signature,
                    key_id=self.signer.key_id,
                    verification_code=secrets.token_urlsafe(12),
                    chain_seq=chain[0],
                    chain_hash=chain[1],
                )
            )
            _sql(s).execute(
                update(MutationCase).where(MutationCase.id == case.id).values(tmt=req.tmt)
            )
            self._notify(
                s,
                case.nip,
                case.id,
                "decree",
                f"SK mutasi Anda nomor {number} terbit; TMT {req.tmt:%d-%m-%Y}.",
                req.at,
                "",
            )
            s.commit()
            self._anchor(s, case.agency_code)
            return DecreeIssued(number, req.tmt)

    def _anchor(self, s: Session, agency_code: str) -> None:
        """A signed checkpoint of the agency's chain head in the file store, at every decree.
        An unwritable store is logged, not fatal: the decree's own signature already covers
        the chain head, and the scheduled checkpoint will try again."""
        if self.checkpoints is None:
            return
        try:
            take_checkpoints(s, self.signer, self.checkpoints, agency_code)
        except OSError as exc:
            activity.logger.error(
                "checkpoint audit %s tidak tertulis di %s: %s",
                agency_code,
                self.checkpoints.folder,
                exc,
            )

    @activity.defn
    def apply_transfer(self, req: TransferApply) -> None:
        """On TMT: the employee takes the new post; history gains the new row."""
        with Session(self.engine) as s:
            case = self._case(s, req.case_id)
            decree = s.execute(select(Decree).where(Decree.case_id == case.id)).scalar_one()
            if decree.applied_at is not None:
                return
            person = s.get(Employee, case.nip)
            old = {"position": person.position_code, "tmt": person.position_tmt.isoformat()}
            _sql(s).execute(
                update(PositionHistory)
                .where(
                    PositionHistory.nip == case.nip,
                    PositionHistory.tmt_end.is_(None),
                    PositionHistory.tmt_start < decree.tmt,
                )
                .values(tmt_end=decree.tmt - timedelta(days=1))
            )
            if s.get(PositionHistory, (case.nip, decree.tmt)) is None:
                s.add(
                    PositionHistory(
                        nip=case.nip,
                        tmt_start=decree.tmt,
                        position_code=case.destination_position,
                        decree_number=decree.number,
                    )
                )
            _sql(s).execute(
                update(Employee)
                .where(Employee.nip == case.nip)
                .values(position_code=case.destination_position, position_tmt=decree.tmt)
            )
            _sql(s).execute(
                update(Decree)
                .where(Decree.number == decree.number)
                .values(applied_at=as_utc(req.at))
            )
            self._audit(
                s,
                case,
                req.at,
                "employee.moved",
                subject_type="employee",
                subject_id=case.nip,
                old=old,
                new={
                    "position": case.destination_position,
                    "tmt": decree.tmt.isoformat(),
                    "decree": decree.number,
                },
            )
            s.commit()

    @activity.defn
    def compensate(self, req: Compensation) -> None:
        """Withdrawal: cancel trainings and open tasks, annul the decree, with the reason."""
        with Session(self.engine) as s:
            case = self._case(s, req.case_id)
            _sql(s).execute(
                update(TrainingAssignment)
                .where(
                    TrainingAssignment.case_id == case.id, TrainingAssignment.status == "assigned"
                )
                .values(status="cancelled")
            )
            _sql(s).execute(
                update(ApprovalTask)
                .where(ApprovalTask.case_id == case.id, ApprovalTask.status == TaskStatus.OPEN)
                .values(status="cancelled")
            )
            decree = s.execute(select(Decree).where(Decree.case_id == case.id)).scalar_one_or_none()
            annulled = None
            if decree is not None and decree.status == "issued":
                if decree.applied_at is not None:
                    raise ApplicationError(
                        "SK sudah berlaku (TMT lewat); mutasi tidak dapat ditarik",
                        type="AlreadyEffective",
                        non_retryable=True,
                    )
                _sql(s).execute(
                    update(Decree)
                    .where(Decree.number == decree.number)
                    .values(status="annulled", annulled_reason=req.reason)
                )
                annulled = decree.number
            self._audit(
                s,
                case,
                req.at,
                "case.compensated",
                actor=req.actor,
                role=req.role,
                new={"trainings": "cancelled", "tasks": "cancelled", "decree_annulled": annulled},
                reason=req.reason,
            )
            s.commit()

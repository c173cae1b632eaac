"""Consultation: the case opens (or is blocked: one open case per person), the employee's
answer, HR's resolution of an objection, and every stage change."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.case_writer import (
    CaseWriter,
    sql_of,
)
from activities.common import calling_workflow_id
from contracts.case import (
    OPEN_CASE_EXISTS,
    CaseRef,
    ConsultationRecord,
    ObjectionRecord,
    OpenCase,
    StageChange,
)
from contracts.enums import Stage
from contracts.messages import Msg
from models import (
    Consultation,
    CycleFinding,
    MutationCase,
)
from mutasi.infra.db import as_utc
from mutasi.org.preferences import carry_over

# The outcomes the employee is told of when their case ends (the pages show the notice; the
# outbox mails it); a rejection or a withdrawal with its reason.
OUTCOME_NOTICES = (Stage.COMPLETED, Stage.REJECTED, Stage.WITHDRAWN)


class ConsultationActivities(CaseWriter):
    # -- case and consultation -----------------------------------------------------
    @activity.defn
    def open_case(self, req: OpenCase) -> None:
        c = req.case
        with Session(self.engine) as s:
            # This case (a retry finds it) and the person's open case, in one statement.
            found = (
                sql_of(s)
                .execute(
                    select(
                        col(MutationCase.id),
                        col(MutationCase.outcome),
                        col(MutationCase.outcome_reason),
                    ).where(
                        or_(
                            col(MutationCase.id) == c.case_id,
                            and_(
                                col(MutationCase.nip) == c.nip, col(MutationCase.outcome).is_(None)
                            ),
                        )
                    )
                )
                .all()
            )
            mine: Row[*tuple[Any, ...]] | None = next(
                (row for row in found if row.id == c.case_id), None
            )
            if mine is None:
                other = next((row.id for row in found), None)
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
                    self._opened(s, req)
                else:
                    self._record_blocked(s, req, other)
                    mine = self._case(s, c.case_id)
            s.commit()
        if mine is not None and mine.outcome == Stage.BLOCKED:
            # this attempt or an earlier one found the person busy
            raise ApplicationError(
                mine.outcome_reason or Stage.BLOCKED, type=OPEN_CASE_EXISTS, non_retryable=True
            )

    def _opened(self, s: Session, req: OpenCase) -> None:
        c = req.case
        s.add(
            Consultation(case_id=c.case_id, nip=c.nip, deadline=as_utc(req.consultation_deadline))
        )
        s.flush()
        self._audit(
            s,
            CaseRef.of(c, calling_workflow_id()),
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
            Msg(code="notice.request_case_opened", params={"case": c.case_id})
            if c.consent
            else Msg(
                code="notice.consultation_opened",
                params={
                    "position": c.destination_position,
                    "deadline": req.consultation_deadline.isoformat(),
                },
            ),
            req.at,
            "",
        )

    def _case_row(self, req: OpenCase, stage: str, **outcome: Any) -> MutationCase:
        c = req.case
        return MutationCase(
            id=c.case_id,
            cycle_id=c.cycle_id or None,
            request_id=c.request_id or None,
            nip=c.nip,
            agency_code=c.agency_code,
            mutation_type=c.mutation_type,
            origin_position=c.origin_position,
            origin_unit=c.origin_unit,
            destination_position=c.destination_position,
            destination_unit=c.destination_unit,
            stage=stage,
            requested_by=c.requested_by,
            workflow_id=calling_workflow_id(),
            run_id=req.run_id,
            created_at=as_utc(req.at),
            updated_at=as_utc(req.at),
            **outcome,
        )

    @staticmethod
    def _open_case_of(s: Session, nip: str) -> str | None:
        return s.execute(
            select(col(MutationCase.id)).where(
                col(MutationCase.nip) == nip, col(MutationCase.outcome).is_(None)
            )
        ).scalar_one_or_none()

    def _record_blocked(self, s: Session, req: OpenCase, other: str) -> None:
        """One person, one open case: this one is recorded closed before it begins, naming
        the case that holds the person, so HR and the cycle see why it never started."""
        c = req.case
        why = f"pegawai {c.nip} sudah memiliki kasus mutasi terbuka {other}"
        s.add(self._case_row(req, Stage.BLOCKED, outcome=Stage.BLOCKED, outcome_reason=why))
        s.flush()
        if c.cycle_id:  # a request's case has no cycle to tell; its request shows the stage
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
        # Unread only when the workflow sent both the case and the stage it leaves.
        ref = change.case if change.previous is not None else None
        with self.writing(change.case_id, ref) as (s, case):
            old = {"stage": change.previous if isinstance(case, CaseRef) else case.stage}
            values = {"stage": change.stage, "updated_at": as_utc(change.at)}
            if change.outcome:
                values.update(outcome=change.outcome, outcome_reason=change.reason)
            sql_of(s).execute(
                update(MutationCase).where(col(MutationCase.id) == case.id).values(**values)
            )
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
            if change.outcome in OUTCOME_NOTICES:
                because = bool(change.reason) and change.outcome != Stage.COMPLETED
                told = Msg(
                    code=f"notice.case_{change.outcome}" + ("_because" if because else ""),
                    params={
                        "case": case.id,
                        **({"reason": change.reason or ""} if because else {}),
                    },
                )
                self._notify(s, case.nip, case.id, "decision", told, change.at, "")

    @activity.defn
    def record_consultation(self, rec: ConsultationRecord) -> None:
        with self.writing(rec.case_id, rec.case) as (s, case):
            sql_of(s).execute(
                update(Consultation)
                .where(col(Consultation.case_id) == rec.case_id)
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
            if rec.preferences:  # the wishes count again in the next plan
                carry_over(s, case.nip, rec.preferences, "consultation", rec.at.date())

    @activity.defn
    def record_objection_resolution(self, rec: ObjectionRecord) -> None:
        with self.writing(rec.case_id) as (s, case):
            outcome = "confirmed" if rec.confirm else "withdrawn"
            sql_of(s).execute(
                update(Consultation)
                .where(col(Consultation.case_id) == rec.case_id)
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

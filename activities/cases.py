"""Activities of a mutation case, by stage (consultation, training, approval, decree,
evaluation), each stage a class over the one shared writer; and the compensation that
undoes what a withdrawn or rejected case did, across stages."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlmodel import col
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.approval import ApprovalActivities
from activities.case_writer import sql_of
from activities.consultation import ConsultationActivities
from activities.decree import DecreeActivities
from activities.decree_revocation import DecreeRevocationActivities
from activities.decree_signing import DecreeSigningActivities
from activities.evaluation import EvaluationActivities
from activities.reporting import ReportingActivities
from activities.training import TrainingActivities
from contracts.case import (
    Compensation,
)
from contracts.enums import TaskStatus
from models import (
    ApprovalTask,
    Decree,
    TrainingAssignment,
)
from mutasi.decree.frozen import UNSIGNED


class CaseActivities(
    ConsultationActivities,
    TrainingActivities,
    ApprovalActivities,
    DecreeActivities,
    DecreeSigningActivities,
    DecreeRevocationActivities,
    EvaluationActivities,
    ReportingActivities,
):
    @activity.defn
    def compensate(self, req: Compensation) -> None:
        """Withdrawal: cancel trainings and open tasks, annul the decree, with the reason."""
        with self.writing(req.case_id) as (s, case):
            sql_of(s).execute(
                update(TrainingAssignment)
                .where(
                    col(TrainingAssignment.case_id) == case.id,
                    col(TrainingAssignment.status) == "assigned",
                )
                .values(status="cancelled")
            )
            sql_of(s).execute(
                update(ApprovalTask)
                .where(
                    col(ApprovalTask.case_id) == case.id,
                    col(ApprovalTask.status) == TaskStatus.OPEN,
                )
                .values(status="cancelled")
            )
            decree = s.execute(
                select(Decree).where(col(Decree.case_id) == case.id)
            ).scalar_one_or_none()
            annulled = None
            if decree is not None and decree.status in ("issued", UNSIGNED):
                if decree.applied_at is not None:
                    raise ApplicationError(
                        "SK sudah berlaku (TMT lewat); mutasi tidak dapat ditarik",
                        type="AlreadyEffective",
                        non_retryable=True,
                    )
                sql_of(s).execute(
                    update(Decree)
                    .where(col(Decree.number) == decree.number)
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

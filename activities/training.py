"""Training: competency gaps assigned as training, and their completion."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import col
from temporalio import activity

from activities.case_writer import (
    CaseWriter,
    sql_of,
)
from contracts.case import (
    TrainingAssign,
    TrainingDone,
)
from models import (
    TrainingAssignment,
)


class TrainingActivities(CaseWriter):
    # -- training ------------------------------------------------------------------
    @activity.defn
    def assign_training(self, req: TrainingAssign) -> None:
        with self.writing(req.case_id) as (s, case):
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

    @activity.defn
    def complete_training(self, req: TrainingDone) -> None:
        with self.writing(req.case_id) as (s, case):
            sql_of(s).execute(
                update(TrainingAssignment)
                .where(
                    col(TrainingAssignment.case_id) == req.case_id,
                    col(TrainingAssignment.program) == req.program,
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

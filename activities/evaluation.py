"""Post-mutation evaluation: some time after TMT the destination head rates how the moved
employee serves and has adapted. Idempotent like every case activity."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col
from temporalio import activity

from activities.case_writer import CaseWriter
from contracts.case import EvaluationOpen, EvaluationRecord, EvaluationView
from contracts.enums import EvaluationStatus
from contracts.messages import Msg
from models import PostMutationEvaluation
from mutasi.infra.db import as_utc
from mutasi.org.directory import OrgDirectory, Unresolvable


class EvaluationActivities(CaseWriter):
    @activity.defn
    def open_evaluation(self, req: EvaluationOpen) -> EvaluationView:
        with Session(self.engine) as s:
            existing = s.get(PostMutationEvaluation, req.case_id)
            if existing is not None:
                return EvaluationView(
                    evaluator_nip=existing.evaluator_nip, deciders=list(existing.deciders)
                )
            case = self._case(s, req.case_id)
            directory = OrgDirectory(s)
            try:
                evaluator = directory.head_of(case.destination_unit)
            except Unresolvable:
                self._audit(
                    s,
                    case,
                    req.at,
                    "evaluation.skipped",
                    subject_type="evaluation",
                    reason="unit tujuan tidak memiliki kepala",
                )
                s.commit()
                return EvaluationView(evaluator_nip=None)
            deciders = directory.deciders(evaluator, req.at.date())
            s.add(
                PostMutationEvaluation(
                    case_id=case.id,
                    cycle_id=case.cycle_id or case.request_id,
                    nip=case.nip,
                    destination_unit=case.destination_unit,
                    evaluator_nip=evaluator,
                    deciders=deciders,
                    due_at=as_utc(req.due_at),
                    opened_at=as_utc(req.at),
                )
            )
            self._audit(
                s,
                case,
                req.at,
                "evaluation.opened",
                subject_type="evaluation",
                new={"evaluator": evaluator, "due_at": as_utc(req.due_at).isoformat()},
            )
            self._notify(
                s,
                evaluator,
                case.id,
                "evaluation",
                Msg(
                    code="notice.evaluation_requested",
                    params={"nip": case.nip, "due": req.due_at.isoformat()},
                ),
                req.at,
                "",
            )
            s.commit()
            return EvaluationView(evaluator_nip=evaluator, deciders=deciders)

    @activity.defn
    def record_evaluation(self, rec: EvaluationRecord) -> None:
        with Session(self.engine) as s:
            row = s.get(PostMutationEvaluation, rec.case_id)
            if row is None or row.status != EvaluationStatus.OPEN:
                return  # already recorded: a retry changes nothing
            case = self._case(s, rec.case_id)
            s.execute(
                update(PostMutationEvaluation)
                .where(col(PostMutationEvaluation.case_id) == rec.case_id)
                .values(
                    status=rec.status,
                    indicators=rec.indicators,
                    adaptation_score=rec.adaptation_score,
                    comment=rec.comment,
                    submitted_by=rec.actor_nip,
                    submitted_at=as_utc(rec.at),
                )
            )
            self._audit(
                s,
                case,
                rec.at,
                f"evaluation.{rec.status}",
                actor=rec.actor_nip or "sistem",
                role="approver" if rec.actor_nip else "system",
                subject_type="evaluation",
                old={"status": EvaluationStatus.OPEN},
                new={
                    "status": rec.status,
                    "indicators": rec.indicators,
                    "adaptation_score": rec.adaptation_score,
                },
                reason=rec.comment or None,
            )
            s.commit()

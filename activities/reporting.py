"""Reporting for duty after TMT: who confirms the SPMT, and its record in the position
history (with the swearing-in for structural posts)."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlmodel import col
from temporalio import activity

from activities.case_writer import CaseWriter, sql_of
from contracts.case import ReportingOpen, ReportingRecord, ReportingView
from contracts.messages import Msg
from models import Decree, Position, PositionHistory
from mutasi.org.directory import OrgDirectory, Unresolvable
from planning.reference import STRUCTURAL_KINDS


class ReportingActivities(CaseWriter):
    @activity.defn
    def open_reporting(self, req: ReportingOpen) -> ReportingView:
        with self.writing(req.case_id) as (s, case):
            directory = OrgDirectory(s)
            try:
                head = directory.head_of(case.destination_unit)
                deciders = directory.deciders(head, req.at.date())
            except Unresolvable:
                deciders = []  # no head to confirm: HR records the SPMT
            post = s.get(Position, case.destination_position)
            structural = post is not None and post.kind in STRUCTURAL_KINDS
            try:
                escalate_to = [directory.bkpsdm_head(case.agency_code)]
            except Unresolvable:
                escalate_to = []
            self._audit(
                s,
                case,
                req.at,
                "reporting.opened",
                new={
                    "deciders": deciders,
                    "due_at": req.due_at.isoformat(),
                    "structural": structural,
                },
            )
            for nip in deciders:
                self._notify(
                    s,
                    nip,
                    case.id,
                    "spmt",
                    Msg(
                        code="notice.spmt_requested",
                        params={"nip": case.nip, "due": req.due_at.isoformat()},
                    ),
                    req.at,
                    "",
                )
        return ReportingView(deciders=deciders, structural=structural, escalate_to=escalate_to)

    @activity.defn
    def record_reporting(self, rec: ReportingRecord) -> None:
        with self.writing(rec.case_id) as (s, case):
            decree = s.execute(select(Decree).where(col(Decree.case_id) == case.id)).scalar_one()
            sql_of(s).execute(
                update(PositionHistory)
                .where(
                    col(PositionHistory.nip) == case.nip,
                    col(PositionHistory.tmt_start) == decree.tmt,
                )
                .values(
                    reported_on=rec.reported_on,
                    spmt_document=rec.document_sha256,
                    sworn_in_on=rec.sworn_in_on,
                )
            )
            self._audit(
                s,
                case,
                rec.at,
                "employee.reported_for_duty",
                actor=rec.actor,
                role=rec.role,
                subject_type="employee",
                subject_id=case.nip,
                new={
                    "tmt": decree.tmt.isoformat(),
                    "reported_on": rec.reported_on.isoformat(),
                    "spmt_document": rec.document_sha256,
                    "sworn_in_on": rec.sworn_in_on.isoformat() if rec.sworn_in_on else None,
                },
            )

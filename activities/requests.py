"""Activities of a request (an employee's own, APS, or HR's individual move): open it,
record the superior's opinion, apply HR's screening (the optimiser's rules, judged again
here), close it. Each write is keyed by the activity's identity or by the request's state,
so a retry changes nothing twice."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.common import audit_event, notify_once
from contracts.case import CaseInput, CasePolicy, TrainingItem
from contracts.ids import case_id
from contracts.messages import Msg
from contracts.requests import (
    APS,
    APS_CATEGORIES,
    OpinionRecord,
    RequestClose,
    RequestNotice,
    RequestOpen,
    RequestStatus,
    ScreeningApply,
    ScreeningOutcome,
)
from models import Employee, Position, TransferRequest
from mutasi.infra.db import as_utc
from mutasi.org.case_builder import CaseBuilder
from mutasi.org.planning_source import load_employee, position_info
from mutasi.org.request_screening import screening_problems
from planning.competency import match, profile, training_needs


class RequestActivities:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- helpers ------------------------------------------------------------------
    @staticmethod
    def _request(s: Session, request_id: str) -> TransferRequest:
        row = s.get(TransferRequest, request_id)
        if row is None:
            raise ApplicationError(
                f"permohonan {request_id} tidak ada", type="RequestNotFound", non_retryable=True
            )
        return row

    @staticmethod
    def _audit(
        s: Session,
        req: TransferRequest,
        at: datetime,
        action: str,
        actor: str,
        role: str,
        *,
        new: dict[str, Any] | None = None,
        old: dict[str, Any] | None = None,
        reason: str | None = None,
    ) -> None:
        audit_event(
            s,
            agency_code=req.agency_code,
            at=at,
            action=action,
            actor=actor,
            role=role,
            subject_type="request",
            subject_id=req.id,
            old=old,
            new=new,
            reason=reason,
        )

    def _move(
        self,
        s: Session,
        row: TransferRequest,
        status: str,
        at: datetime,
        action: str,
        actor: str,
        role: str,
        reason: str | None,
        shown: dict[str, Any] | None = None,
        **values: Any,
    ) -> None:
        """The request's next status (with `values`) and its audit event, in one go."""
        old = row.status
        s.execute(
            update(TransferRequest)
            .where(col(TransferRequest.id) == row.id)
            .values(status=status, updated_at=as_utc(at), **values)
        )
        s.flush()
        s.refresh(row)
        self._audit(
            s,
            row,
            at,
            action,
            actor,
            role,
            old={"status": old},
            new={"status": status, **(shown or {})},
            reason=reason,
        )

    @staticmethod
    def _notify(
        s: Session, recipient: str, req: TransferRequest, message: Msg, at: datetime
    ) -> None:
        notify_once(s.connection(), recipient, req.case_id, "request", message, at)

    # -- the steps ----------------------------------------------------------------
    @activity.defn
    def open_request(self, req: RequestOpen) -> None:
        with Session(self.engine) as s:
            row = self._request(s, req.request_id)
            if req.opinion_due is not None and row.opinion_due is None and row.superior_nip:
                row.opinion_due = as_utc(req.opinion_due)
                self._notify(
                    s,
                    row.superior_nip,
                    row,
                    Msg(
                        code="notice.opinion_requested",
                        params={
                            "request": row.id,
                            "name": _name(s, row.nip),
                            "due": req.opinion_due.isoformat(),
                        },
                    ),
                    req.at,
                )
            self._audit(
                s,
                row,
                req.at,
                "request.opened",
                row.created_by,
                "employee" if row.kind == APS else "hr_admin",
                new={
                    "kind": row.kind,
                    "category": row.category,
                    "wishes": row.wishes,
                    "status": row.status,
                },
                reason=row.reason,
            )
            s.commit()

    @activity.defn
    def notify_request(self, notice: RequestNotice) -> None:
        with Session(self.engine) as s:
            row = self._request(s, notice.request_id)
            self._notify(s, notice.recipient_nip, row, notice.message, notice.at)
            s.commit()

    @activity.defn
    def record_opinion(self, rec: OpinionRecord) -> None:
        with Session(self.engine) as s:
            row = self._request(s, rec.request_id)
            if row.status != RequestStatus.OPINION:  # recorded by an earlier attempt
                return
            self._move(
                s,
                row,
                RequestStatus.SCREENING,
                rec.at,
                "request.opinion",
                rec.actor,
                "approver" if rec.opinion != "tidak_ada" else "system",
                rec.reason,
                {"opinion": rec.opinion},
                opinion=rec.opinion,
                opinion_reason=rec.reason,
                opinion_at=as_utc(rec.at),
            )
            s.commit()

    @activity.defn
    def screen_request(self, apply: ScreeningApply) -> ScreeningOutcome:
        with Session(self.engine) as s:
            row = self._request(s, apply.request_id)
            if row.status == RequestStatus.ACCEPTED:  # an earlier attempt accepted it
                return ScreeningOutcome(status=row.status, case=self._case_input(s, row))
            if row.status != RequestStatus.SCREENING:
                return ScreeningOutcome(status=row.status)
            sc = apply.screening
            if not sc.accept:
                return self._refuse(s, row, apply)
            problems, checks = screening_problems(
                s, row, sc.destination_position, sc.override_reason
            )
            if problems:
                return ScreeningOutcome(status=RequestStatus.SCREENING, problems=problems)
            broken = [c for c in checks if not c["ok"]]
            self._move(
                s,
                row,
                RequestStatus.ACCEPTED,
                apply.at,
                "request.accepted",
                sc.actor,
                "hr_admin",
                sc.reason + (f"; override: {sc.override_reason}" if broken else ""),
                {
                    "destination": sc.destination_position,
                    "case_id": case_id(row.id, row.nip),
                    "overrides": [c["code"] for c in broken],
                },
                destination_position=sc.destination_position,
                screening=checks,
                override_reason=sc.override_reason if broken else None,
                decided_by=sc.actor,
                decided_at=as_utc(apply.at),
                decision_reason=sc.reason,
                case_id=case_id(row.id, row.nip),
            )
            case = self._case_input(s, row)
            if row.kind == APS:
                self._notify(
                    s,
                    row.nip,
                    row,
                    Msg(
                        code="notice.request_accepted",
                        params={
                            "request": row.id,
                            "case": row.case_id or "",
                            "position": case.destination_position,
                        },
                    ),
                    apply.at,
                )
            s.commit()
            return ScreeningOutcome(status=RequestStatus.ACCEPTED, case=case)

    def _refuse(self, s: Session, row: TransferRequest, apply: ScreeningApply) -> ScreeningOutcome:
        sc = apply.screening
        self._move(
            s,
            row,
            RequestStatus.REFUSED,
            apply.at,
            "request.refused",
            sc.actor,
            "hr_admin",
            sc.reason,
            decided_by=sc.actor,
            decided_at=as_utc(apply.at),
            decision_reason=sc.reason,
        )
        self._notify(
            s,
            row.nip,
            row,
            Msg(code="notice.request_refused", params={"request": row.id, "reason": sc.reason}),
            apply.at,
        )
        s.commit()
        return ScreeningOutcome(status=RequestStatus.REFUSED)

    def _case_input(self, s: Session, row: TransferRequest) -> CaseInput:
        person = load_employee(s, row.nip)
        origin = s.get(Position, person.position_code)
        post = s.get(Position, row.destination_position)
        if origin is None or post is None:
            raise ApplicationError(
                f"jabatan permohonan {row.id} tidak dikenal",
                type="InvalidRequest",
                non_retryable=True,
            )
        needs = training_needs(match(profile(person), position_info(post)))
        employee = s.get(Employee, row.nip)
        return CaseBuilder(s).build(
            case_id=case_id(row.id, row.nip),
            request_id=row.id,
            nip=row.nip,
            name=employee.name if employee else row.nip,
            origin_position=origin.code,
            origin_unit=origin.unit_code,
            destination_position=post.code,
            destination_unit=post.unit_code,
            requested_by=row.decided_by or row.created_by,
            requested_by_nip=None,
            training=[
                TrainingItem(program=n.program, kind=n.kind, jp=n.jp, reason=n.reason)
                for n in needs
            ],
            policy=CasePolicy(),
            consent=(
                f"Atas permintaan sendiri (permohonan {row.id}: "
                f"{APS_CATEGORIES.get(row.category, row.category)})"
                if row.kind == APS
                else ""
            ),
        )

    @activity.defn
    def withdraw_request(self, close: RequestClose) -> None:
        with Session(self.engine) as s:
            row = self._request(s, close.request_id)
            if row.status not in (RequestStatus.OPINION, RequestStatus.SCREENING):
                return
            self._move(
                s,
                row,
                RequestStatus.WITHDRAWN,
                close.at,
                "request.withdrawn",
                close.actor,
                "employee",
                close.reason,
                decision_reason=close.reason,
            )
            s.commit()


def _name(s: Session, nip: str) -> str:
    name = s.execute(
        select(col(Employee.name)).where(col(Employee.nip) == nip)
    ).scalar_one_or_none()
    return f"{name} ({nip})" if name else nip

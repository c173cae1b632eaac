"""Reads shared by the API and the pages: a case with everything around it, an approver's
inbox, a task with its case context, a case's audit history."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.sql import Select
from sqlmodel import Session, SQLModel, col

from contracts.enums import Stage
from models import (
    ApprovalTask,
    AuditEvent,
    Consultation,
    Decree,
    Delegation,
    Employee,
    MutationCase,
    Position,
    Proposal,
    TrainingAssignment,
    TransferRequest,
    Unit,
)
from mutasi.infra.db import must
from mutasi.infra.settings import Settings
from planning.explain_text import employee_explanation

HISTORY_COLUMNS = (
    "seq",
    "at",
    "actor",
    "role",
    "action",
    "subject_type",
    "subject_id",
    "old",
    "new",
    "reason",
    "workflow_id",
    "run_id",
    "hash",
)


def acting_for(session: Session, nip: str, on: date) -> list[str]:
    """`nip` and everyone who has delegated to them on `on`. Read first, so the queries
    that use it are a plain IN over an index instead of an OR with a subquery (a sequential scan)."""
    delegators = (
        session.execute(
            select(col(Delegation.delegator_nip)).where(
                col(Delegation.delegate_nip) == nip,
                col(Delegation.starts_on) <= on,
                col(Delegation.ends_on) >= on,
                col(Delegation.revoked_at).is_(None),
            )
        )
        .scalars()
        .all()
    )
    return [nip, *delegators]


def inbox_query(session: Session, nip: str, status: str, on: date) -> Select[Any]:
    """Tasks assigned to `nip` or to someone who delegated to them today, soonest deadline first."""
    query = select(ApprovalTask).where(
        col(ApprovalTask.assignee_nip).in_(acting_for(session, nip, on))
    )
    if status != "all":
        query = query.where(col(ApprovalTask.status) == status)
    return query.order_by(col(ApprovalTask.due_at), col(ApprovalTask.id))


def may_decide(session: Session, task: ApprovalTask, nip: str | None, on: date) -> bool:
    if not nip:
        return False
    return nip in (task.deciders or []) or task.assignee_nip in acting_for(session, nip, on)


def employee_name(session: Session, nip: str) -> str:
    """The employee's name, or the NIP when the person is not (or no longer) on record."""
    person = session.get(Employee, nip)
    return person.name if person is not None else nip


def _label(session: Session, model: type[SQLModel], key: str, attr: str) -> str:
    row = session.get(model, key)
    return str(getattr(row, attr)) if row is not None else key


def case_bundle(session: Session, case: MutationCase) -> dict[str, Any]:
    """A case with its proposal (and why), consultation, tasks, trainings and decree."""
    proposal = session.get(Proposal, (case.cycle_id, case.nip)) if case.cycle_id else None
    person = session.get(Employee, case.nip)
    return {
        "case": case,
        "employee_name": person.name if person else case.nip,
        "origin": {
            "position": _label(session, Position, case.origin_position, "title"),
            "unit": _label(session, Unit, case.origin_unit, "name"),
        },
        "destination": {
            "position": _label(session, Position, case.destination_position, "title"),
            "unit": _label(session, Unit, case.destination_unit, "name"),
        },
        "proposal": proposal,
        "request": session.get(TransferRequest, case.request_id) if case.request_id else None,
        "consultation": session.get(Consultation, case.id),
        "tasks": session.execute(
            select(ApprovalTask)
            .where(col(ApprovalTask.case_id) == case.id)
            .order_by(col(ApprovalTask.step), col(ApprovalTask.role))
        )
        .scalars()
        .all(),
        "trainings": session.execute(
            select(TrainingAssignment)
            .where(col(TrainingAssignment.case_id) == case.id)
            .order_by(col(TrainingAssignment.program))
        )
        .scalars()
        .all(),
        "decree": session.execute(
            select(Decree).where(col(Decree.case_id) == case.id)
        ).scalar_one_or_none(),
    }


# What an employee may read of their own proposal's record: the move's facts and rules,
# never the runner-up or any other person's data (names, NIPs, scores).
OWN_PROPOSAL_FIELDS = (
    "origin_title",
    "origin_unit",
    "destination_title",
    "destination_unit",
    "tenure_years",
    "reason",
    "jpm",
    "jpm_category",
    "jpm_origin",
    "tenure_text",
    "rotation_due",
    "preference_rank",
    "home_region_match",
    "units",
    "positions",
    "rules",
    "gaps",
    "training",
    "added_by_hr",
)


def own_proposal_view(proposal: Proposal) -> dict[str, Any]:
    detail = proposal.detail or {}
    return {
        "cycle_id": proposal.cycle_id,
        "nip": proposal.nip,
        "status": proposal.status,
        "jpm": proposal.jpm,
        "origin_position": proposal.origin_position,
        "origin_unit": proposal.origin_unit,
        "destination_position": proposal.destination_position,
        "destination_unit": proposal.destination_unit,
        # The planner's record (or HR's addition) speaks to the employee; anything less is
        # shown as stored.
        "explanation": employee_explanation(detail)
        if "units" in detail or detail.get("added_by_hr")
        else proposal.explanation,
        "detail": {
            **{k: detail[k] for k in OWN_PROPOSAL_FIELDS if k in detail},
            # Why they were chosen, never who else was considered.
            **(
                {"runner_up": {"deciding_factor": detail["runner_up"].get("deciding_factor")}}
                if detail.get("runner_up")
                else {}
            ),
        },
    }


def own_case_bundle(session: Session, case: MutationCase) -> dict[str, Any]:
    """The employee's view of their own case: their proposal without anyone else in it, and
    the approval steps by title, outcome, dates and reasons, not by who holds them."""
    bundle = case_bundle(session, case)
    proposal = bundle["proposal"]
    bundle["proposal"] = own_proposal_view(proposal) if proposal is not None else None
    bundle["tasks"] = [
        {
            "step": t.step,
            "title": t.title,
            "status": t.status,
            "due_at": t.due_at,
            "decided_at": t.decided_at,
            "comment": t.comment,
        }
        for t in bundle["tasks"]
    ]
    return bundle


def task_context(session: Session, task: ApprovalTask) -> dict[str, Any]:
    """What an approver needs to decide: the task, the case, the proposal's explanation with
    workload before/after and JPM, and the employee's consultation answer."""
    case = must(session.get(MutationCase, task.case_id), f"kasus {task.case_id}")
    bundle = case_bundle(session, case)
    proposal = bundle["proposal"]
    detail = proposal.detail if proposal is not None else {}
    return {
        "task": task,
        "case": case,
        "employee_name": bundle["employee_name"],
        "origin": bundle["origin"],
        "destination": bundle["destination"],
        "explanation": proposal.explanation if proposal is not None else None,
        "record": detail,
        "jpm": proposal.jpm if proposal is not None else None,
        "workload": detail.get("units", {}),
        "jpm_origin": detail.get("jpm_origin"),
        "consultation": bundle["consultation"],
        "other_steps": [t for t in bundle["tasks"] if t.id != task.id],
        "chain": sorted(bundle["tasks"], key=lambda t: (t.step, t.id)),
        "names": dict(
            session.execute(
                select(col(Employee.nip), col(Employee.name)).where(
                    col(Employee.nip).in_(
                        {n for t in bundle["tasks"] for n in (t.assignee_nip, t.decided_by) if n}
                    )
                )
            ).all()
        ),
    }


def history_query(case: MutationCase) -> Select[Any]:
    return (
        select(AuditEvent)
        .where(
            or_(
                col(AuditEvent.workflow_id) == case.workflow_id,
                col(AuditEvent.subject_id) == case.id,
            )
        )
        .order_by(col(AuditEvent.at), col(AuditEvent.id))
    )


def history_rows(session: Session, case: MutationCase) -> list[dict[str, Any]]:
    return [
        {c: getattr(e, c) for c in HISTORY_COLUMNS}
        for e in session.execute(history_query(case)).scalars()
    ]


def temporal_link(settings: Settings, workflow_id: str | None, run_id: str | None) -> str | None:
    if not workflow_id:
        return None
    base = f"{settings.temporal_ui_url.rstrip('/')}/namespaces/{settings.temporal_namespace}/workflows/{workflow_id}"
    return f"{base}/{run_id}/history" if run_id else base


def stage_counts(session: Session, cycle_ids: list[str]) -> dict[str, dict[str, int]]:
    """Cases per stage for each cycle, in one grouped query."""
    counts: dict[str, dict[str, int]] = {}
    if cycle_ids:
        for cycle_id, stage, n in session.execute(
            select(col(MutationCase.cycle_id), col(MutationCase.stage), func.count())
            .where(col(MutationCase.cycle_id).in_(cycle_ids))
            .group_by(col(MutationCase.cycle_id), col(MutationCase.stage))
        ):
            counts.setdefault(cycle_id, {})[stage] = n
    order: dict[str, int] = {
        stage: i for i, stage in enumerate(Stage)
    }  # lifecycle order, not alphabetical
    return {
        cycle_id: dict(sorted(stages.items(), key=lambda kv: order.get(kv[0], len(order))))
        for cycle_id, stages in counts.items()
    }

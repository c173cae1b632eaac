"""What happened to a cycle's cases, for the cycle report: moves by type, consultation
outcomes, approval durations per step (median, p90), objections and rejections with their
reasons, withdrawals, and post-mutation evaluations."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from datetime import datetime
from statistics import mean, median
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from contracts.case import SERVICE_INDICATORS
from models import ApprovalTask, Consultation, MutationCase, PostMutationEvaluation


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (the value below which `share` of the values fall)."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(share * len(ordered))) - 1]


def _hours(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 3600


def case_report(session: Session, cycle_id: str) -> dict[str, Any]:
    cases = (
        session.execute(select(MutationCase).where(col(MutationCase.cycle_id) == cycle_id))
        .scalars()
        .all()
    )
    ids = [c.id for c in cases]
    consultations = (
        session.execute(select(Consultation).where(col(Consultation.case_id).in_(ids)))
        .scalars()
        .all()
        if ids
        else []
    )
    tasks = (
        session.execute(
            select(ApprovalTask)
            .join(MutationCase, col(MutationCase.id) == col(ApprovalTask.case_id))
            .where(col(MutationCase.cycle_id) == cycle_id)
        )
        .scalars()
        .all()
    )
    durations: dict[tuple[int, str], list[float]] = defaultdict(list)
    for t in tasks:
        if t.decided_at is not None and t.status in ("approved", "rejected"):
            durations[(t.step, t.title)].append(_hours(t.created_at, t.decided_at))
    evaluations = (
        session.execute(
            select(PostMutationEvaluation).where(col(PostMutationEvaluation.cycle_id) == cycle_id)
        )
        .scalars()
        .all()
    )
    submitted = [e for e in evaluations if e.status == "submitted"]
    return {
        "cases": len(cases),
        "by_stage": dict(sorted(Counter(c.stage for c in cases).items())),
        "by_type": dict(sorted(Counter(c.mutation_type for c in cases).items())),
        "consultation": dict(
            sorted(Counter(c.response or "pending" for c in consultations).items())
        ),
        "approval_hours": [
            {
                "step": step + 1,
                "title": title,
                "decisions": len(v),
                "median": round(median(v), 2),
                "p90": round(percentile(v, 0.9), 2),
            }
            for (step, title), v in sorted(durations.items())
        ],
        "objections": [
            {
                "case_id": c.case_id,
                "nip": c.nip,
                "reason": c.reason,
                "hr_resolution": c.hr_resolution,
                "hr_reason": c.hr_reason,
            }
            for c in consultations
            if c.response == "objected"
        ],
        "rejections": [
            {"case_id": t.case_id, "step": t.title, "by": t.decided_by, "reason": t.comment}
            for t in tasks
            if t.status == "rejected"
        ],
        "withdrawals": [
            {"case_id": c.id, "reason": c.outcome_reason} for c in cases if c.outcome == "withdrawn"
        ],
        "blocked": [
            {"case_id": c.id, "nip": c.nip, "reason": c.outcome_reason}
            for c in cases
            if c.outcome == "blocked"
        ],
        "evaluations": {
            "opened": len(evaluations),
            "submitted": len(submitted),
            "expired": sum(e.status == "expired" for e in evaluations),
            "indicator_means": {
                k: round(mean((e.indicators or {})[k] for e in submitted), 2)
                for k in SERVICE_INDICATORS
            }
            if submitted
            else {},
            "adaptation_mean": round(mean(e.adaptation_score or 0 for e in submitted), 2)
            if submitted
            else None,
        },
    }

"""Cases by stage over time, from the audit trail: for each day since the cycle's first
case, how many of its cases stood in each stage at the end of that day. The trail is the
record of when each stage began, so the chart needs no extra bookkeeping."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from contracts.enums import Stage
from models import AuditEvent, MutationCase
from mutasi.infra.db import as_utc

# The audit actions that start a stage.
STAGE_OF_ACTION = {
    "case.opened": Stage.CONSULTATION,
    "case.hr_review": Stage.HR_REVIEW,
    "case.training": Stage.TRAINING,
    "case.approval": Stage.APPROVAL,
    "case.decree": Stage.DECREE,
    "case.awaiting_tmt": Stage.AWAITING_TMT,
    "case.reporting": Stage.REPORTING,
    "case.completed": Stage.COMPLETED,
    "case.rejected": Stage.REJECTED,
    "case.withdrawn": Stage.WITHDRAWN,
    "case.blocked": Stage.BLOCKED,
}
MAX_DAYS = 60


def stage_timeline(session: Session, cycle_id: str, until: date) -> list[dict[str, Any]]:
    """[{day, counts: {stage: n}}], oldest first, at most MAX_DAYS (the latest ones)."""
    case_ids = select(col(MutationCase.id)).where(col(MutationCase.cycle_id) == cycle_id)
    events = session.execute(
        select(col(AuditEvent.subject_id), col(AuditEvent.action), col(AuditEvent.at))
        .where(
            col(AuditEvent.subject_type) == "case",
            col(AuditEvent.action).in_(list(STAGE_OF_ACTION)),
            col(AuditEvent.subject_id).in_(case_ids),
        )
        .order_by(col(AuditEvent.at), col(AuditEvent.id))
    ).all()
    if not events:
        return []
    changes: dict[date, list[tuple[str, str]]] = {}
    for case_id, action, at in events:
        changes.setdefault(as_utc(at).date(), []).append((case_id, STAGE_OF_ACTION[action]))
    first = min(changes)
    start = max(first, until - timedelta(days=MAX_DAYS - 1))
    current: dict[str, str] = {}
    days = []
    day = first
    while day <= until:
        for case_id, stage in changes.get(day, []):
            current[case_id] = stage
        if day >= start:
            counts: dict[str, int] = {}
            for stage in current.values():
                counts[stage] = counts.get(stage, 0) + 1
            days.append({"day": day, "counts": counts, "total": len(current)})
        day += timedelta(days=1)
    return days


def chart_rows(days: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stacked bar segments (x offset and width in % of the widest day) in lifecycle order."""
    widest = max((d["total"] for d in days), default=0) or 1
    order = list(Stage)
    rows = []
    for d in days:
        x, segments = 0.0, []
        for stage in order:
            n = d["counts"].get(stage, 0)
            if n:
                w = 100.0 * n / widest
                segments.append({"stage": str(stage), "n": n, "x": round(x, 2), "w": round(w, 2)})
                x += w
        rows.append({"day": d["day"], "total": d["total"], "segments": segments})
    return rows

"""Small helpers every activity module shares."""

from __future__ import annotations

from datetime import UTC, datetime

from temporalio import activity


def as_utc(at: datetime) -> datetime:
    """Timestamps are stored timezone-aware, in UTC."""
    return at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)


def activity_key(suffix: str = "") -> str:
    """This activity's identity: stable across its retries, distinct across runs."""
    info = activity.info()
    return f"{info.workflow_run_id}/{info.activity_id}{suffix}"

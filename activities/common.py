"""Small helpers every activity module shares."""

from __future__ import annotations

from temporalio import activity


def activity_key(suffix: str = "") -> str:
    """This activity's identity: stable across its retries, distinct across runs."""
    info = activity.info()
    return f"{info.workflow_run_id}/{info.activity_id}{suffix}"

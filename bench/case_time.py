"""Where a case's time goes, read from its Temporal history: the seconds its activities and
workflow tasks waited to be picked up (a free worker slot, a poll) and the seconds they
ran. Summed over a case, the four parts show whether a throughput gap is work or waiting."""

from __future__ import annotations

from collections.abc import Iterable

from temporalio.api.history.v1 import HistoryEvent

PARTS = ("activity_wait", "activity_run", "workflow_task_wait", "workflow_task_run")

# event attribute -> (the part it closes, the attribute naming the event that opened it)
_CLOSES = {
    "activity_task_started_event_attributes": ("activity_wait", "scheduled_event_id"),
    "activity_task_completed_event_attributes": ("activity_run", "started_event_id"),
    "workflow_task_started_event_attributes": ("workflow_task_wait", "scheduled_event_id"),
    "workflow_task_completed_event_attributes": ("workflow_task_run", "started_event_id"),
}


def time_by_part(events: Iterable[HistoryEvent]) -> dict[str, float]:
    """Seconds per part over one workflow's history."""
    opened_at: dict[int, float] = {}
    spent = dict.fromkeys(PARTS, 0.0)
    for event in events:
        at = event.event_time.ToNanoseconds() / 1e9
        opened_at[event.event_id] = at
        kind = event.WhichOneof("attributes")
        if kind in _CLOSES:
            part, opener = _CLOSES[kind]
            spent[part] += at - opened_at[getattr(getattr(event, kind), opener)]
    return spent

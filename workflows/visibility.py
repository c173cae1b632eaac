"""What Temporal's visibility (its UI, `temporal workflow list --query`, the API's searches)
shows of a case: its cycle and agency, its stage and who may decide its open tasks.

Each upsert costs the server a visibility write, so the case shows its state only when it
starts waiting (for a person or a date), when a handler changes the tasks it waits on, and
at its end; and only the values that changed.
"""

from __future__ import annotations

from typing import Any

from temporalio import workflow
from temporalio.common import SearchAttributePair, SearchAttributeUpdate, TypedSearchAttributes

from workflows.search_attributes import AGENCY, ASSIGNEES, CYCLE_ID, STAGE


def starting(cycle_id: str, agency_code: str, stage: str) -> TypedSearchAttributes:
    """What a case shows from its start: its starter sets it, in the start's own write."""
    return TypedSearchAttributes(
        [
            SearchAttributePair(CYCLE_ID, cycle_id),
            SearchAttributePair(AGENCY, agency_code),
            SearchAttributePair(STAGE, stage),
        ]
    )


class CaseVisibility:
    def __init__(self) -> None:
        self._shown: dict[str, object] = {}

    def start(self, cycle_id: str, agency_code: str, stage: str) -> None:
        """Shown already when the starter set it (`starting`); else one upsert."""
        if workflow.info().typed_search_attributes.get(STAGE) != stage:
            workflow.upsert_search_attributes(
                [p.key.value_set(p.value) for p in starting(cycle_id, agency_code, stage)]
            )
        self._shown = {STAGE.name: stage, ASSIGNEES.name: []}

    def show(self, stage: str, deciders: list[str]) -> None:
        """One upsert with whatever of stage and open deciders differs from what is shown."""
        changed: list[SearchAttributeUpdate[Any]] = []
        if self._shown.get(STAGE.name) != stage:
            changed.append(STAGE.value_set(stage))
        if self._shown.get(ASSIGNEES.name) != deciders:
            changed.append(ASSIGNEES.value_set(deciders))
        if changed:
            workflow.upsert_search_attributes(changed)
            self._shown = {STAGE.name: stage, ASSIGNEES.name: deciders}

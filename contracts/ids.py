"""Case, task and workflow ids, built and parsed in one place.

A case is "<cycle id>.<NIP>" (one case per person per cycle), its workflow "case-<case id>";
a cycle's workflow is "cycle-<cycle id>"; an approval task "<case id>/<step>/<role>".
"""

from __future__ import annotations

from typing import NamedTuple

CASE_WORKFLOW_PREFIX = "case-"
CYCLE_WORKFLOW_PREFIX = "cycle-"


class CaseId(NamedTuple):
    cycle_id: str
    nip: str


class TaskId(NamedTuple):
    case_id: str
    step: int
    role: str


def case_id(cycle_id: str, nip: str) -> str:
    return f"{cycle_id}.{nip}"


def parse_case_id(value: str) -> CaseId:
    cycle, dot, nip = value.rpartition(".")
    if not dot or not cycle or not nip:
        raise ValueError(f"bukan kode kasus: {value!r}")
    return CaseId(cycle, nip)


def case_workflow_id(case: str) -> str:
    return CASE_WORKFLOW_PREFIX + case


def cycle_workflow_id(cycle_id: str) -> str:
    return CYCLE_WORKFLOW_PREFIX + cycle_id


def task_id(case: str, step: int, role: str) -> str:
    return f"{case}/{step}/{role}"


def parse_task_id(value: str) -> TaskId:
    parts = value.split("/")
    if len(parts) != 3 or not parts[1].isdigit():
        raise ValueError(f"bukan kode tugas: {value!r}")
    return TaskId(parts[0], int(parts[1]), parts[2])


def subject_of_workflow(workflow_id: str) -> tuple[str, str] | None:
    """("case", case id) or ("cycle", cycle id) for the workflows Mutasi starts, else None."""
    if workflow_id.startswith(CASE_WORKFLOW_PREFIX):
        return "case", workflow_id.removeprefix(CASE_WORKFLOW_PREFIX)
    if workflow_id.startswith(CYCLE_WORKFLOW_PREFIX):
        return "cycle", workflow_id.removeprefix(CYCLE_WORKFLOW_PREFIX)
    return None


def is_sha256(value: str) -> bool:
    """A document's name in the store: 64 lowercase hex digits."""
    return len(value) == 64 and all(c in "0123456789abcdef" for c in value)


def revocation_workflow_id(decree_number: str) -> str:
    """The one revocation of an employee's decree or extract."""
    return f"decree-revocation-{decree_number}"

"""Case, task and workflow ids are built and parsed in one place, and the parsers refuse what
is not an id instead of guessing."""

from __future__ import annotations

import pytest

from contracts.ids import (
    case_id,
    case_workflow_id,
    cycle_workflow_id,
    parse_case_id,
    parse_task_id,
    subject_of_workflow,
    task_id,
)


def test_ids_round_trip():
    case = case_id("2026.S1", "199001012015011001")
    assert case == "2026.S1.199001012015011001"
    # A cycle id may hold dots: the NIP is what follows the last one.
    assert parse_case_id(case) == ("2026.S1", "199001012015011001")
    task = task_id(case, 2, "bkpsdm_head")
    assert parse_task_id(task) == (case, 2, "bkpsdm_head")
    assert subject_of_workflow(case_workflow_id(case)) == ("case", case)
    assert subject_of_workflow(cycle_workflow_id("2026.S1")) == ("cycle", "2026.S1")
    assert subject_of_workflow("audit-checkpoint") is None


@pytest.mark.parametrize("value", ["", "tanpa-titik", ".199001012015011001", "C1."])
def test_a_case_id_without_cycle_or_nip_is_refused(value):
    with pytest.raises(ValueError, match="bukan kode kasus"):
        parse_case_id(value)


@pytest.mark.parametrize("value", ["C1.1990/x/role", "C1.1990/1", "a/1/b/c"])
def test_a_malformed_task_id_is_refused(value):
    with pytest.raises(ValueError, match="bukan kode tugas"):
        parse_task_id(value)

"""Every recorded history replays against the current workflow code: a change that would
break running workflows (non-determinism) fails here. Record a new path with
MUTASI_RECORD_HISTORIES=<name>[,<name>] and the test that writes it; re-record (=1: all)
only deliberately, never to make this pass: an old history is the proof that cases
started by older code still run."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from mutasi.infra.temporal import DATA_CONVERTER
from worker import WORKFLOWS

HISTORIES = sorted((Path(__file__).parent / "histories").glob("*.json"))


# The recorded paths: a history lost (or added without being listed here) fails.
RECORDED = {
    "case_between_regencies_recorded",
    "case_blocked_by_open_case",
    "case_within_agency_committee_collective",
    "case_completed_with_escalation",
    "case_decided_ahead",
    "case_decision_recorded_first",
    "case_evaluated",
    "case_individual_decree",
    "case_objection_rejected",
    "case_remote_signature",
    "case_under_cycle",
    "case_withdrawn_after_decree",
    "case_withdrawn_after_decree_revoked",
    "cycle_cancelled",
    "cycle_cases_cancelled",
    "cycle_replanned_and_running",
    "decree_revocation",
    "request_aps_accepted",
    "request_silent_superior_refused",
}


def test_every_recorded_path_has_its_history():
    assert {p.stem for p in HISTORIES} == RECORDED


@pytest.mark.parametrize("path", HISTORIES, ids=lambda p: p.stem)
async def test_history_replays(path: Path):
    history = WorkflowHistory.from_json(path.stem, path.read_text())
    await Replayer(workflows=WORKFLOWS, data_converter=DATA_CONVERTER).replay_workflow(history)

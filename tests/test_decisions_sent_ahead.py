"""Decisions sent ahead (`decide_when_open`): a step whose decision is already in hand waits
on nobody while it is checked and recorded, so it neither starts a reminder timer nor
publishes assignees; a refused one leaves the step waiting on its people, reminded on time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from temporalio.client import WorkflowUpdateFailedError, WorkflowUpdateStage

from bench.lifecycle_bench import STEPS, approvers_for
from contracts.case import CasePolicy, ConsultationAnswer, TaskDecision
from tests.support.cases import actions, case_input, open_task, stage_is, start, upserts
from tests.workflow_support import record_history, running_worker, wait_for
from workflows.case import MutationCaseWorkflow
from workflows.search_attributes import ASSIGNEES, STAGE

# The chain is the case benchmark's inbox steps (STEPS: the committee decides by sitting, not
# by a decision sent ahead), decided by their assignees (approvers_for).
POLICY = CasePolicy(
    decree_mode="individual", tmt_rule="decree_date", evaluation_days=0, spmt_days=0
)


def task_id(inp, step: int) -> str:
    return f"{inp.case_id}/{step}/{STEPS[step].roles[0]}"


async def send_ahead(handle, inp, step: int, actor: str):
    return await handle.start_update(
        MutationCaseWorkflow.decide_when_open,
        TaskDecision(task_id=task_id(inp, step), actor_nip=actor, approve=True, comment="setuju"),
        wait_for_stage=WorkflowUpdateStage.ACCEPTED,
    )


async def test_steps_decided_ahead_start_no_reminder_timer_and_show_no_assignees(
    time_skipping_env, demo_engine
):
    env = time_skipping_env
    inp = case_input(demo_engine, steps=STEPS, training=[], policy=POLICY)
    async with running_worker(env.client, demo_engine) as queue:
        handle = await start(env, queue, inp)
        ahead = [
            await send_ahead(handle, inp, step, actor)
            for step, actor in enumerate(approvers_for(demo_engine, inp))
        ]
        await handle.execute_update(
            MutationCaseWorkflow.respond, ConsultationAnswer(actor_nip=inp.nip, accept=True)
        )
        assert [await update.result() for update in ahead] == ["disetujui"] * len(STEPS)
        result = await handle.result()
        await record_history(handle, "case_decided_ahead")
        events = (await handle.fetch_history()).events
        sent = await upserts(handle)
    assert result.stage == "completed"
    scheduled = [
        (i, e.activity_task_scheduled_event_attributes.activity_type.name)
        for i, e in enumerate(events)
        if e.HasField("activity_task_scheduled_event_attributes")
    ]
    first_opening = next(i for i, name in scheduled if name == "open_tasks")
    timers_in_approval = [
        e for e in events[first_opening:] if e.HasField("timer_started_event_attributes")
    ]
    assert timers_in_approval == []
    # Only the start and the end were published: no step waited on a person.
    assert [v for name, v in sent if name == STAGE.name] == ["consultation", "completed"]
    assert all(not v for name, v in sent if name == ASSIGNEES.name)
    done = actions(demo_engine, inp.case_id)
    assert done.count("task.approved") == len(STEPS)
    assert "reminder.task" not in done


async def test_a_refused_decision_sent_ahead_leaves_the_step_waiting_and_reminded(
    time_skipping_env, demo_engine
):
    env = time_skipping_env
    inp = case_input(demo_engine, steps=STEPS, training=[], policy=POLICY)
    first_assignee = approvers_for(demo_engine, inp)[0]
    async with running_worker(env.client, demo_engine) as queue:
        handle = await start(env, queue, inp)
        # The employee cannot approve their own move: held until the task opens, then refused.
        refused = await send_ahead(handle, inp, 0, inp.nip)
        await handle.execute_update(
            MutationCaseWorkflow.respond, ConsultationAnswer(actor_nip=inp.nip, accept=True)
        )
        with pytest.raises(WorkflowUpdateFailedError):
            await refused.result()
        state = await wait_for(handle, MutationCaseWorkflow.state, stage_is("approval"))
        task = open_task(state)
        assert task.id == task_id(inp, 0) and task.assignee_nip == first_assignee
        visible = (await handle.describe()).typed_search_attributes
        assert visible.get(STAGE) == "approval" and visible.get(ASSIGNEES) == sorted(task.deciders)
        # The step's reminder keeps its date: half the 3-day deadline after the task opened.
        await env.sleep(task.reminder_at - await env.get_current_time() + timedelta(hours=1))
        await wait_for(
            handle, MutationCaseWorkflow.state, lambda s: open_task(s) and open_task(s).reminded
        )
        assert "reminder.task" in actions(demo_engine, inp.case_id)
        await handle.execute_update(
            MutationCaseWorkflow.decide,
            TaskDecision(task_id=task.id, actor_nip=first_assignee, approve=True, comment="setuju"),
        )
        state = await wait_for(
            handle,
            MutationCaseWorkflow.state,
            lambda s: open_task(s) is not None and open_task(s).id == task_id(inp, 1),
        )
    assert [t.status for t in state.tasks if t.step == 0] == ["approved"]

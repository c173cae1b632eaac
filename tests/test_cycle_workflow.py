"""MutationCycleWorkflow's planning phase on the time-skipping test server."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlmodel import Session
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError
from temporalio.testing import ActivityEnvironment

from activities.planning import PlanningActivities
from contracts.cycle import (
    CycleCancel,
    CycleInput,
    CycleRef,
    CycleState,
    PlanDecision,
    PlanRequest,
    ProposalRemoval,
    ReplanRequest,
)
from contracts.ids import case_workflow_id
from models import (
    CompetencySnapshot,
    CycleFinding,
    MutationCase,
    Position,
    PositionLoadSnapshot,
    Proposal,
    TransferCycle,
)
from tests.workflow_support import create_cycle_row, record_history, running_worker, wait_for
from workflows.cycle import MutationCycleWorkflow
from workflows.search_attributes import CYCLE_ID, STAGE


def rows(engine, model, cycle_id):
    with Session(engine) as s:
        return s.execute(
            select(func.count()).select_from(model).where(model.cycle_id == cycle_id)
        ).scalar_one()


def rows_of_cases(engine, cycle_id: str) -> list[str]:
    with Session(engine) as s:
        return list(
            s.execute(select(MutationCase.id).where(MutationCase.cycle_id == cycle_id)).scalars()
        )


async def test_plan_replan_and_approve(time_skipping_env, demo_engine):
    client = time_skipping_env.client
    create_cycle_row(demo_engine, "C1")
    async with running_worker(client, demo_engine) as queue:
        handle = await client.start_workflow(
            MutationCycleWorkflow.run, CycleInput(cycle_id="C1"), id="cycle-C1", task_queue=queue
        )
        state = await wait_for(
            handle, MutationCycleWorkflow.state, lambda s: s and s.status == "plan_ready"
        )
        assert state.plan.proposals > 0
        assert state.competencies.employees > 0
        assert (
            state.competencies.optimal
            + state.competencies.fairly_optimal
            + state.competencies.below
            == state.competencies.employees
        )
        assert state.plan.objective <= state.plan.greedy_objective
        assert state.plan.bound <= state.plan.objective
        assert state.plan.imbalance_after < state.plan.imbalance_before
        with Session(demo_engine) as s:
            positions = s.execute(select(func.count()).select_from(Position)).scalar_one()
            cycle = s.get(TransferCycle, "C1")
            first, second = (
                s.execute(
                    select(Proposal)
                    .where(Proposal.cycle_id == "C1")
                    .order_by(Proposal.nip)
                    .limit(2)
                )
                .scalars()
                .all()
            )
        assert rows(demo_engine, PositionLoadSnapshot, "C1") == positions
        assert rows(demo_engine, CompetencySnapshot, "C1") == state.competencies.employees
        assert rows(demo_engine, Proposal, "C1") == state.plan.proposals
        assert (
            cycle.status == "plan_ready" and cycle.plan_summary["proposals"] == state.plan.proposals
        )
        assert first.explanation.startswith(first.name) and first.detail["rules"]

        with pytest.raises(WorkflowUpdateFailedError):
            await handle.execute_update(
                MutationCycleWorkflow.replan, ReplanRequest(excluded_nips=[first.nip], reason="")
            )
        with pytest.raises(WorkflowUpdateFailedError):
            await handle.execute_update(
                MutationCycleWorkflow.decide_plan, PlanDecision(approve=False)
            )

        await handle.execute_update(
            MutationCycleWorkflow.replan,
            ReplanRequest(excluded_nips=[first.nip], reason="sedang tugas belajar"),
        )
        state = await wait_for(
            handle,
            MutationCycleWorkflow.state,
            lambda s: s.plan_runs == 2 and s.status == "plan_ready",
        )
        with Session(demo_engine) as s:
            assert s.get(Proposal, ("C1", first.nip)) is None
        assert rows(demo_engine, Proposal, "C1") == state.plan.proposals

        await handle.execute_update(
            MutationCycleWorkflow.decide_plan,
            PlanDecision(
                approve=True,
                removals=[ProposalRemoval(nip=second.nip, reason="pensiun bulan depan")],
                actor="hr.budi",
            ),
        )
        state = await wait_for(
            handle,
            MutationCycleWorkflow.state,
            lambda s: (
                s.status == "running"
                and s.cases_started == s.cases_total
                and sum(s.cases_by_stage.values()) == s.cases_total
                and "starting" not in s.cases_by_stage
            ),
        )
        assert state.cases_total == state.plan.proposals - 1
        await record_history(handle, "cycle_replanned_and_running")
        assert state.cases_by_stage == {"consultation": state.cases_total}
        # A case shows its cycle, agency and stage from the start the cycle made: the case
        # writes no search attributes of its own for them.
        case_id = rows_of_cases(demo_engine, "C1")[0]
        case = client.get_workflow_handle(case_workflow_id(case_id))
        # A case as a cycle's child: its progress signals to the cycle are in the replay set.
        await record_history(case, "case_under_cycle")
        shown = (await case.describe()).typed_search_attributes
        assert (shown.get(CYCLE_ID), shown.get(STAGE)) == ("C1", "consultation")
        assert not [
            e
            for e in (await case.fetch_history()).events
            if e.HasField("upsert_workflow_search_attributes_event_attributes")
        ]
        assert (
            state.unit_effect
            and sum(u.get("in", 0) for u in state.unit_effect.values()) == state.cases_total
        )
        with Session(demo_engine) as s:
            assert s.get(Proposal, ("C1", second.nip)).status == "removed"
            assert (
                s.execute(
                    select(func.count())
                    .select_from(MutationCase)
                    .where(MutationCase.cycle_id == "C1")
                ).scalar_one()
                == state.cases_total
            )
        with pytest.raises(WorkflowUpdateFailedError):
            await handle.execute_update(
                MutationCycleWorkflow.cancel_cycle, CycleCancel(actor="hr.budi", reason="")
            )
        await handle.execute_update(
            MutationCycleWorkflow.cancel_cycle,
            CycleCancel(actor="hr.budi", reason="anggaran dialihkan"),
        )
        result = await handle.result()
        assert result.status == "cancelled"
        assert result.cases_by_stage == {"withdrawn": result.cases_total}
        await record_history(handle, "cycle_cases_cancelled")
        with pytest.raises(RPCError):
            await handle.execute_update(
                MutationCycleWorkflow.decide_plan, PlanDecision(approve=True)
            )
    with Session(demo_engine) as s:
        assert s.get(TransferCycle, "C1").status == "cancelled"
        stages = set(
            s.execute(select(MutationCase.stage).where(MutationCase.cycle_id == "C1")).scalars()
        )
        assert stages == {"withdrawn"}


async def test_cancel_needs_reason_and_ends_cycle(time_skipping_env, demo_engine):
    client = time_skipping_env.client
    create_cycle_row(demo_engine, "C2")
    async with running_worker(client, demo_engine) as queue:
        handle = await client.start_workflow(
            MutationCycleWorkflow.run, CycleInput(cycle_id="C2"), id="cycle-C2", task_queue=queue
        )
        await wait_for(
            handle, MutationCycleWorkflow.state, lambda s: s and s.status == "plan_ready"
        )
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await handle.execute_update(
                MutationCycleWorkflow.decide_plan, PlanDecision(approve=False, reason=" ")
            )
        assert "alasan" in str(refused.value.cause)
        assert (await handle.query(MutationCycleWorkflow.state)).status == "plan_ready"
        await handle.execute_update(
            MutationCycleWorkflow.decide_plan,
            PlanDecision(approve=False, reason="anggaran dialihkan"),
        )
        assert (await handle.result()).status == "cancelled"
        await record_history(handle, "cycle_cancelled")


@pytest.mark.parametrize(
    ("status", "busy", "accepted"),
    [
        ("plan_ready", False, True),
        ("plan_ready", True, True),  # the plan is stored; only its status write is still running
        ("planning", True, False),
        ("analysing", True, False),
    ],
)
def test_plan_decision_accepted_once_the_plan_reads_ready(status, busy, accepted):
    # HR acts on what the query or the database shows: plan_ready must be decidable.
    wf = MutationCycleWorkflow(CycleInput(cycle_id="C9"))
    wf._state, wf._busy = CycleState(cycle_id="C9", status=status), busy
    if accepted:
        wf._validate_decision(PlanDecision(approve=True))
    else:
        with pytest.raises(ApplicationError, match="rencana"):
            wf._validate_decision(PlanDecision(approve=True))


def test_planning_activities_are_idempotent(demo_engine):
    create_cycle_row(demo_engine, "C3")
    acts = PlanningActivities(demo_engine)
    env = ActivityEnvironment()
    first = env.run(acts.analyse_needs, CycleRef(cycle_id="C3"))
    again = env.run(acts.analyse_needs, CycleRef(cycle_id="C3"))
    assert first == again
    plan = env.run(acts.propose_transfers, PlanRequest(cycle_id="C3"))
    replay = env.run(acts.propose_transfers, PlanRequest(cycle_id="C3"))
    assert plan == replay
    assert rows(demo_engine, Proposal, "C3") == plan.proposals
    findings = rows(demo_engine, CycleFinding, "C3")
    env.run(acts.propose_transfers, PlanRequest(cycle_id="C3"))
    assert rows(demo_engine, CycleFinding, "C3") == findings


def test_unknown_cycle_is_a_non_retryable_error(demo_engine):
    from temporalio.exceptions import ApplicationError

    with pytest.raises(ApplicationError) as caught:
        ActivityEnvironment().run(
            PlanningActivities(demo_engine).analyse_needs, CycleRef(cycle_id="TIDAK-ADA")
        )
    assert caught.value.non_retryable


def test_an_invalid_stored_template_stops_cases_with_a_reason(demo_engine):
    from datetime import UTC, datetime

    from temporalio.exceptions import ApplicationError

    from activities.cycle import CycleActivities
    from contracts.cycle import CaseBatch
    from models import ApprovalTemplate

    create_cycle_row(demo_engine, "C4")
    with Session(demo_engine) as s:
        s.add(
            ApprovalTemplate(
                mutation_type="within_agency",
                name="rusak",
                updated_at=datetime.now(UTC),
                steps=[{"name": "x", "roles": ["raja"]}],
            )
        )
        s.commit()
    with pytest.raises(ApplicationError) as caught:
        ActivityEnvironment().run(
            CycleActivities(demo_engine).case_inputs,
            CaseBatch(
                cycle_id="C4",
                cycle_workflow_id="cycle-C4",
                requested_by="hr",
                requested_by_nip=None,
                offset=0,
                limit=10,
            ),
        )
    assert caught.value.non_retryable and "raja" in caught.value.message

"""One person, one move: never a second open case, decree or training for anyone, however
cycles overlap, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.cases import CaseActivities
from contracts.case import OPEN_CASE_EXISTS, OpenCase
from contracts.cycle import CycleInput, PlanDecision
from contracts.enums import Stage
from models import CycleFinding, Decree, MutationCase, Proposal, TrainingAssignment
from mutasi.demo.loader import load_demo
from mutasi.infra.db import build_engine, upgrade_database
from mutasi.infra.record_key import DEMO_SIGNING_KEY, DecreeSigner
from tests.support.cases import case_input
from tests.workflow_support import (
    create_cycle_row,
    eventually,
    record_history,
    running_worker,
    wait_for,
)
from workflows.cycle import MutationCycleWorkflow

AT = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
SIGNER = DecreeSigner.from_base64(DEMO_SIGNING_KEY)


def open_cases_per_person(engine) -> Counter:
    with Session(engine) as s:
        return Counter(
            s.execute(select(MutationCase.nip).where(MutationCase.outcome.is_(None))).scalars()
        )


def _case_row(case_id: str, cycle_id: str, nip: str, outcome: str | None = None) -> MutationCase:
    return MutationCase(
        id=case_id,
        cycle_id=cycle_id,
        nip=nip,
        agency_code="A",
        mutation_type="within_agency",
        origin_position="P1",
        origin_unit="U1",
        destination_position="P2",
        destination_unit="U2",
        stage="consultation" if outcome is None else outcome,
        outcome=outcome,
        requested_by="hr",
        workflow_id=f"case-{case_id}",
        created_at=AT,
        updated_at=AT,
    )


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def org_engine(request):
    """The demo agency in SQLite (a copy of the session's) or in a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield request.getfixturevalue("demo_engine")
        return
    url = request.getfixturevalue("postgres_url")
    upgrade_database(url)
    engine = build_engine(url)
    load_demo(engine, 200, 7)
    yield engine
    engine.dispose()


def test_the_database_refuses_a_second_open_case_for_a_person(org_engine):
    inp = case_input(org_engine)
    create_cycle_row(org_engine, "ZZ")
    with Session(org_engine) as s:
        s.add(_case_row("X1." + inp.nip, inp.cycle_id, inp.nip))
        s.commit()
        s.add(_case_row("ZZ." + inp.nip, "ZZ", inp.nip))
        with pytest.raises(IntegrityError):
            s.commit()
        s.rollback()
        # A closed case does not hold the person: the next one may open.
        s.add(_case_row("ZZ." + inp.nip, "ZZ", inp.nip, outcome="completed"))
        s.commit()


def test_two_cases_opening_at_once_for_one_person_open_one(org_engine):
    """Two cycles' first activities for the same person, in parallel threads: one opens,
    the other is recorded blocked (naming the open one) and says so to its workflow."""
    first = case_input(org_engine, training=[])
    second = dataclasses.replace(
        case_input(org_engine, training=[]),
        nip=first.nip,
        name=first.name,
        origin_position=first.origin_position,
        origin_unit=first.origin_unit,
    )
    second.case_id = f"{second.cycle_id}.{first.nip}"
    writer = build_engine(org_engine.url.render_as_string(hide_password=False), writer=True)
    acts = CaseActivities(writer, SIGNER)

    def open_one(inp, run):
        env = ActivityEnvironment()
        env.info = dataclasses.replace(
            env.info, workflow_id=f"case-{inp.case_id}", workflow_run_id=run, activity_id="1"
        )
        try:
            env.run(acts.open_case, OpenCase(case=inp, run_id=run, consultation_deadline=AT, at=AT))
            return "opened"
        except ApplicationError as exc:
            assert exc.type == OPEN_CASE_EXISTS and exc.non_retryable  # noqa: PT017 - in a racing thread, whichever loses
            return exc.message

    try:
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            outcomes = list(pool.map(open_one, (first, second), ("run-a", "run-b")))
        assert sorted(o == "opened" for o in outcomes) == [False, True], outcomes
        assert open_cases_per_person(org_engine)[first.nip] == 1
        with Session(org_engine) as s:
            cases = {
                c.id: c
                for c in s.execute(
                    select(MutationCase).where(MutationCase.nip == first.nip)
                ).scalars()
            }
        blocked = [c for c in cases.values() if c.outcome == Stage.BLOCKED]
        opened = [c for c in cases.values() if c.outcome is None]
        assert len(blocked) == 1 and len(opened) == 1
        assert opened[0].id in blocked[0].outcome_reason
        # Temporal retrying the refused activity finds the same answer and adds nothing.
        loser = first if blocked[0].id == first.case_id else second
        assert open_one(loser, "run-a" if loser is first else "run-b") != "opened"
        with Session(org_engine) as s:
            assert (
                s.execute(
                    select(func.count())
                    .select_from(MutationCase)
                    .where(MutationCase.nip == first.nip)
                ).scalar_one()
                == 2
            )
            assert s.get(CycleFinding, (loser.cycle_id, "open_case", first.nip)) is not None
    finally:
        writer.dispose()


async def test_two_cycles_planned_and_approved_together_give_nobody_a_second_case(
    time_skipping_env, demo_engine
):
    client = time_skipping_env.client
    for cycle_id in ("RA", "RB"):
        create_cycle_row(demo_engine, cycle_id)
    async with running_worker(client, demo_engine) as queue:
        handles = [
            await client.start_workflow(
                MutationCycleWorkflow.run, CycleInput(cycle_id=c), id=f"cycle-{c}", task_queue=queue
            )
            for c in ("RA", "RB")
        ]
        for handle in handles:
            await wait_for(
                handle, MutationCycleWorkflow.state, lambda s: s and s.status == "plan_ready"
            )
        with Session(demo_engine) as s:
            planned = {
                c: set(s.execute(select(Proposal.nip).where(Proposal.cycle_id == c)).scalars())
                for c in ("RA", "RB")
            }
        both = planned["RA"] & planned["RB"]
        assert len(both) >= 10  # planned side by side, the two plans propose the same people
        await asyncio.gather(
            *(
                h.execute_update(
                    MutationCycleWorkflow.decide_plan, PlanDecision(approve=True, actor="hr.test")
                )
                for h in handles
            )
        )
        for handle in handles:
            await wait_for(
                handle,
                MutationCycleWorkflow.state,
                # a cycle whose every proposal was blocked has nothing to run and closes
                lambda s: (
                    s.status in ("running", "closed")
                    and s.cases_started == s.cases_total
                    and sum(s.cases_by_stage.values()) == s.cases_total
                    and "starting" not in s.cases_by_stage
                ),
                seconds=120,
            )
        per_person = open_cases_per_person(demo_engine)
        assert max(per_person.values()) == 1
        assert (
            set(per_person) == planned["RA"] | planned["RB"]
        )  # everyone planned has exactly one move
        with Session(demo_engine) as s:
            decrees = Counter(
                s.execute(
                    select(MutationCase.nip).join(Decree, Decree.case_id == MutationCase.id)
                ).scalars()
            )
            trainings = Counter(
                s.execute(select(TrainingAssignment.nip, TrainingAssignment.program)).all()
            )
            held = {
                nip
                for nip in both
                if s.execute(
                    select(Proposal.status).where(Proposal.nip == nip, Proposal.status == "blocked")
                ).first()
                or s.execute(
                    select(MutationCase.id).where(
                        MutationCase.nip == nip, MutationCase.outcome == Stage.BLOCKED
                    )
                ).first()
            }
        assert all(n == 1 for n in decrees.values()) and all(n == 1 for n in trainings.values())
        assert held == both  # each doubly-planned person was stopped once, with a recorded reason

        # A third cycle planned now leaves everyone under way out and says why.
        create_cycle_row(demo_engine, "RC")
        third = await client.start_workflow(
            MutationCycleWorkflow.run, CycleInput(cycle_id="RC"), id="cycle-RC", task_queue=queue
        )
        await wait_for(third, MutationCycleWorkflow.state, lambda s: s and s.status == "plan_ready")
        with Session(demo_engine) as s:
            again = set(s.execute(select(Proposal.nip).where(Proposal.cycle_id == "RC")).scalars())
            flagged = set(
                s.execute(
                    select(CycleFinding.subject).where(
                        CycleFinding.cycle_id == "RC", CycleFinding.code == "open_case"
                    )
                ).scalars()
            )
        assert not again & set(per_person)
        assert set(per_person) <= flagged


async def test_a_case_for_someone_with_an_open_case_ends_blocked_at_once(
    time_skipping_env, demo_engine
):
    from tests.support.cases import start
    from workflows.case import MutationCaseWorkflow

    first = case_input(demo_engine)
    second = dataclasses.replace(
        case_input(demo_engine),
        nip=first.nip,
        name=first.name,
        origin_position=first.origin_position,
        origin_unit=first.origin_unit,
    )
    second.case_id = f"{second.cycle_id}.{first.nip}"
    async with running_worker(time_skipping_env.client, demo_engine) as queue:
        held = await start(time_skipping_env, queue, first)
        await wait_for(
            held, MutationCaseWorkflow.state, lambda s: s is not None and s.consultation_deadline
        )
        # The first case's row is written by its first activity.
        await eventually(
            lambda: open_cases_per_person(demo_engine)[first.nip], "kasus pertama tercatat"
        )
        blocked = await start(time_skipping_env, queue, second)
        result = await blocked.result()
        await record_history(blocked, "case_blocked_by_open_case")
    assert result.stage == Stage.BLOCKED and first.case_id in result.outcome_reason
    with Session(demo_engine) as s:
        row = s.get(MutationCase, second.case_id)
        assert (row.stage, row.outcome) == (Stage.BLOCKED, Stage.BLOCKED)
        assert (
            s.execute(
                select(func.count())
                .select_from(TrainingAssignment)
                .where(TrainingAssignment.case_id == second.case_id)
            ).scalar_one()
            == 0
        )
    assert open_cases_per_person(demo_engine)[first.nip] == 1


def test_hr_cannot_place_someone_under_a_relative_without_an_override(demo_engine):
    from contracts.cycle import PlanChanges, ProposalAddition
    from models import Employee, FamilyRelation, Position, Unit
    from mutasi.org.plan_changes import addition_rules, check_plan_changes

    create_cycle_row(demo_engine, "COI")
    with Session(demo_engine) as s:
        unit = (
            s.execute(
                select(Unit)
                .where(Unit.kind == "dinas", Unit.head_position_code.is_not(None))
                .order_by(Unit.code)
            )
            .scalars()
            .first()
        )
        head = (
            s.execute(select(Employee).where(Employee.position_code == unit.head_position_code))
            .scalars()
            .first()
        )
        post = (
            s.execute(
                select(Position)
                .where(Position.superior_position_code == unit.head_position_code)
                .order_by(Position.code)
            )
            .scalars()
            .first()
        )
        spouse = (
            s.execute(
                select(Employee)
                .join(Position, Position.code == Employee.position_code)
                .where(Position.unit_code != unit.code, Position.kind == post.kind)
                .order_by(Employee.nip)
            )
            .scalars()
            .first()
        )
        s.add(FamilyRelation(nip=head.nip, relative_nip=spouse.nip, relation="suami_istri"))
        s.commit()
        rules = {c.code: c for c in addition_rules(s, "COI", spouse.nip, post.code)}
        assert not rules["conflict_of_interest"].ok
        assert (
            head.name not in rules["conflict_of_interest"].message
        )  # the rule, never the relative
        plain = PlanChanges(
            additions=[
                ProposalAddition(nip=spouse.nip, destination_position=post.code, reason="kebutuhan")
            ]
        )
        assert any("conflict_of_interest" in p for p in check_plan_changes(s, "COI", plain))
        overridden = PlanChanges(
            additions=[
                ProposalAddition(
                    nip=spouse.nip,
                    destination_position=post.code,
                    reason="kebutuhan",
                    override_reason="tidak ada pilihan",
                )
            ]
        )
        assert not any(
            "conflict_of_interest" in p for p in check_plan_changes(s, "COI", overridden)
        )

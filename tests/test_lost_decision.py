"""Every decision lands exactly once, in the record and the audit alike, when an assignee
and their delegate decide the same task at the same moment: one of the two is recorded (in
the task row, the audit trail and the workflow), the other is refused, and no row reads
"cancelled" under a decision the trail holds."""

from __future__ import annotations

import asyncio
import dataclasses
import os

from sqlalchemy import select
from sqlmodel import Session
from temporalio.client import WorkflowUpdateFailedError

from contracts.case import CASE_REVISION, TaskDecision, Withdrawal
from models import ApprovalTask, Delegation, Employee, Position
from mutasi.audit.records_check import check_records
from mutasi.org.directory import OrgDirectory
from tests.support.cases import accept_and_wait_for_task, case_input, pick_move, start
from tests.workflow_support import record_history, running_worker, standing_delegation, wait_for
from workflows.case import MutationCaseWorkflow

PAIRS = int(os.environ.get("MUTASI_DECISION_PAIRS", "12"))
# MUTASI_DECISION_REVISION=3 runs the pairs on the revision before the fix: the test then
# fails on the lost decision it was written for.
REVISION = int(os.environ.get("MUTASI_DECISION_REVISION", str(CASE_REVISION)))


def _delegate_for(engine, head: str, taken: set[str]) -> str:
    """A standing delegation from `head` to a deputy (made once per head)."""
    with Session(engine) as s:
        found = s.execute(
            select(Delegation.delegate_nip).where(Delegation.delegator_nip == head)
        ).scalar_one_or_none()
        if found:
            return found
        deputy = s.execute(
            select(Employee.nip)
            .where(Employee.nip.not_in([head, *taken]))
            .order_by(Employee.nip.desc())
            .limit(1)
        ).scalar_one()
        s.add(standing_delegation(head, deputy, "dinas luar"))
        s.commit()
        return deputy


async def _decide(handle, decision: TaskDecision) -> str:
    try:
        return await handle.execute_update(MutationCaseWorkflow.decide_when_open, decision)
    except WorkflowUpdateFailedError as exc:
        return f"refused: {exc.cause.message}"


async def test_an_assignee_and_a_delegate_deciding_at_once_leave_one_decision_everywhere(
    time_skipping_env, demo_engine
):
    env = time_skipping_env
    async with running_worker(env.client, demo_engine) as queue:
        cases = []
        people: set[str] = set()
        for _ in range(PAIRS):
            person, _dest = pick_move(demo_engine)
            with Session(demo_engine) as s:
                unit = s.get(Position, person.position_code).unit_code
                head = OrgDirectory(s).head_of(unit)
            people |= {person.nip, head}
            deputy = _delegate_for(demo_engine, head, people)
            people.add(deputy)
            inp = dataclasses.replace(case_input(demo_engine, training=[]), revision=REVISION)
            handle = await start(env, queue, inp)
            state = await accept_and_wait_for_task(handle, inp)
            task = next(t for t in state.tasks if t.status == "open")
            assert {head, deputy} <= set(task.deciders), task.deciders
            cases.append((inp, handle, task.id, head, deputy))

        answers = await asyncio.wait_for(
            asyncio.gather(
                *(
                    _decide(handle, decision)
                    for _, handle, task_id, head, deputy in cases
                    for decision in (
                        TaskDecision(
                            task_id=task_id, actor_nip=head, approve=False, comment="tidak setuju"
                        ),
                        TaskDecision(
                            task_id=task_id, actor_nip=deputy, approve=True, comment="a.n. kepala"
                        ),
                    )
                )
            ),
            timeout=60,
        )
        for (inp, handle, task_id, head, deputy), pair in zip(
            cases, zip(answers[::2], answers[1::2], strict=True), strict=True
        ):
            # Exactly one of the two is taken; the other is refused with the reason.
            assert sorted(a.startswith("refused") for a in pair) == [False, True], pair
            state = await wait_for(
                handle,
                MutationCaseWorkflow.state,
                lambda s, t=task_id: next(x for x in s.tasks if x.id == t).status != "open",
            )
            seen = next(x for x in state.tasks if x.id == task_id)
            with Session(demo_engine) as s:
                row = s.get(ApprovalTask, task_id)
            assert (row.status, row.decided_by) == (seen.status, seen.decided_by), inp.case_id
            winner = head if not pair[0].startswith("refused") else deputy
            assert row.decided_by == winner
            # Settled: ended by the rejection, or on to the next step by the approval.
            state = await wait_for(
                handle,
                MutationCaseWorkflow.state,
                lambda s: s.stage == "rejected" or any(t.step == 1 for t in s.tasks),
            )
            if state.stage != "rejected":
                await handle.execute_update(
                    MutationCaseWorkflow.withdraw, Withdrawal(actor="hr.test", reason="uji selesai")
                )
            await asyncio.wait_for(handle.result(), timeout=60)
        # A revision-4 case (decision recorded first, one decider at a time), for replays.
        await record_history(cases[0][1], "case_decision_recorded_first")
    with Session(demo_engine) as s:
        result = check_records(s)
        assert result.ok, result.problems
        assert result.decided >= PAIRS
        # The check names what the race used to leave: a row cancelled under a decision.
        lost = s.get(ApprovalTask, cases[0][2])
        lost.status, lost.decided_by = "cancelled", None
        s.commit()
        after = check_records(s)
    assert [p.split(":")[0] for p in after.problems] == [cases[0][2]]
    assert "catatan cancelled, jejak audit:" in after.problems[0]


async def test_a_rejection_and_a_withdrawal_at_once_end_the_case_once(
    time_skipping_env, demo_engine
):
    """HR withdraws while the assignee rejects: the case ends once, as one of the two, and
    every task row agrees with the trail."""
    env = time_skipping_env
    async with running_worker(env.client, demo_engine) as queue:
        for _ in range(4):
            inp = case_input(demo_engine, training=[])
            handle = await start(env, queue, inp)
            state = await accept_and_wait_for_task(handle, inp)
            task = next(t for t in state.tasks if t.status == "open")
            decided, withdrawn = await asyncio.wait_for(
                asyncio.gather(
                    _decide(
                        handle,
                        TaskDecision(
                            task_id=task.id,
                            actor_nip=task.assignee_nip,
                            approve=False,
                            comment="tidak",
                        ),
                    ),
                    handle.execute_update(
                        MutationCaseWorkflow.withdraw, Withdrawal(actor="hr.test", reason="ditarik")
                    ),
                ),
                timeout=60,
            )
            result = await asyncio.wait_for(handle.result(), timeout=60)
            assert withdrawn == "kasus ditarik" and result.stage == "withdrawn", decided
            with Session(demo_engine) as s:
                row = s.get(ApprovalTask, task.id)
            assert (row.status == "rejected") == (decided == "ditolak"), (row.status, decided)
    with Session(demo_engine) as s:
        assert check_records(s).ok

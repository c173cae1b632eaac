"""Helpers for workflow tests: a worker over a given database, waiting on a query, and
recording histories for the replay tests (MUTASI_RECORD_HISTORIES=1)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import uuid
from collections.abc import Callable
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlmodel import Session
from temporalio.client import Client, WorkflowHandle
from temporalio.worker import Worker

from contracts.case import (
    CollectiveIssued,
    CollectiveRequest,
    CommitteeVerdict,
    TaskDecision,
)
from models import TransferCycle
from mutasi.infra.db import build_engine
from mutasi.infra.temporal import dev_server_args
from worker import WORKFLOWS, activities_for
from workflows.case import MutationCaseWorkflow


def dev_server_extra_args() -> list[str]:
    """Our dev-server flags that start_local does not set itself: pragmas and search attributes
    (it chooses address, ports and database)."""
    args = dev_server_args(None)
    keep, i = [], 0
    while i < len(args):
        if args[i] in ("--sqlite-pragma", "--search-attribute"):
            keep += args[i : i + 2]
            i += 2
        else:
            i += 1
    return keep


@asynccontextmanager
async def running_worker(
    client: Client, engine, task_queue: str | None = None, settings=None, **options
):
    """A worker as worker.py builds it: its own writer engine (BEGIN IMMEDIATE on SQLite).
    `options` go to the Worker (e.g. max_cached_workflows=0 for a worker that another will
    replace: the time-skipping server never moves a dead worker's sticky tasks)."""
    queue = task_queue or f"test-{uuid.uuid4().hex[:8]}"
    writer = build_engine(engine.url.render_as_string(hide_password=False), writer=True)
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as executor:
            async with Worker(
                client,
                task_queue=queue,
                workflows=WORKFLOWS,
                activities=activities_for(writer, settings),
                activity_executor=executor,
                max_concurrent_activities=4,
                **options,
            ):
                yield queue
    finally:
        writer.dispose()


def create_cycle_row(
    engine, cycle_id: str, as_of: date = date(2026, 1, 1), options: dict | None = None
) -> None:
    now = datetime.now(UTC)
    with Session(engine) as session:
        session.add(
            TransferCycle(
                id=cycle_id,
                name=f"Siklus {cycle_id}",
                as_of=as_of,
                effective_hours=1250,
                status="starting",
                workflow_id=f"cycle-{cycle_id}",
                created_at=now,
                updated_at=now,
                options=options or {},
            )
        )
        session.commit()


async def wait_for(handle: WorkflowHandle, query, predicate: Callable, seconds: float = 60.0):
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        value = await handle.query(query)
        if predicate(value):
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"kondisi tidak tercapai; keadaan terakhir: {value}")
        await asyncio.sleep(0.1)


async def skip_until(env, handle: WorkflowHandle, query, predicate: Callable, *, limit: timedelta):
    """Advance the time-skipping server a minute at a time until `predicate` holds. One long
    sleep can end while a retried activity is in flight, leaving its next back-off to real
    time; short steps keep skipping each back-off until the workflow moves on."""
    skipped = timedelta()
    while True:
        value = await handle.query(query)
        if predicate(value):
            return value
        if skipped >= limit:
            raise AssertionError(f"kondisi tidak tercapai dalam {limit}; keadaan terakhir: {value}")
        await env.sleep(timedelta(minutes=1))
        skipped += timedelta(minutes=1)
        await asyncio.sleep(0.05)


def standing_delegation(delegator: str, delegate: str, reason: str):
    """A delegation HR recorded that covers every day a test runs (unrevoked)."""
    from models import Delegation

    return Delegation(
        delegator_nip=delegator,
        delegate_nip=delegate,
        starts_on=date(2000, 1, 1),
        ends_on=date(2100, 1, 1),
        reason=reason,
        created_by="hr.test",
        created_at=datetime.now(UTC),
    )


HISTORIES = Path(__file__).parent / "histories"


async def record_history(handle: WorkflowHandle, name: str) -> None:
    """Store the workflow's history when asked to: MUTASI_RECORD_HISTORIES=1 records every
    one, or a comma-separated list of names only those (a new path recorded without
    re-recording the histories older code wrote). Re-recording is deliberate."""
    wanted = os.environ.get("MUTASI_RECORD_HISTORIES", "")
    if wanted != "1" and name not in wanted.split(","):
        return
    history = await handle.fetch_history()
    HISTORIES.mkdir(exist_ok=True)
    (HISTORIES / f"{name}.json").write_text(history.to_json())


async def eventually(probe: Callable, what: str, seconds: float = 20.0):
    """Poll `probe` (plain or async) until it returns something truthy, and return that;
    fail naming `what` when it never does (a poll never falls through silently)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        value = probe()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"tidak terjadi dalam {seconds:g} detik: {what}")
        await asyncio.sleep(0.1)


async def cycle_waiting_for_answers(client: Client, engine, queue: str, cycle_id: str):
    """A cycle planned, approved and running with every case waiting in consultation:
    (its handle, its state)."""
    from contracts.cycle import CycleInput, PlanDecision
    from workflows.cycle import MutationCycleWorkflow

    create_cycle_row(engine, cycle_id)
    handle = await client.start_workflow(
        MutationCycleWorkflow.run,
        CycleInput(cycle_id=cycle_id),
        id=f"cycle-{cycle_id}",
        task_queue=queue,
    )
    await wait_for(handle, MutationCycleWorkflow.state, lambda s: s and s.status == "plan_ready")
    await handle.execute_update(MutationCycleWorkflow.decide_plan, PlanDecision(approve=True))
    state = await wait_for(
        handle,
        MutationCycleWorkflow.state,
        lambda s: (
            s.status == "running"
            and s.cases_total
            and s.cases_by_stage.get("consultation") == s.cases_total
        ),
    )
    return handle, state


def committee_agrees(task_id: str, sitting: str = "BA-TPK.UJI.2026.001") -> CommitteeVerdict:
    """What a signed sitting sends (CommitteeSittingWorkflow) when it agrees with a case."""
    return CommitteeVerdict(
        task_id=task_id,
        sitting=sitting,
        held_on=date(2026, 1, 5),
        recommendation="setuju",
        reason="memenuhi syarat",
        minutes_sha256="ab" * 32,
        chair="ketua",
    )


async def approve_step(handle: WorkflowHandle, task) -> None:
    """Approve one open step: an inbox task by its assignee, the committee by a sitting."""
    if task.kind == "committee":
        await handle.signal("committee_verdict", committee_agrees(task.id))
    else:
        await handle.execute_update(
            "decide",
            TaskDecision(
                task_id=task.id, actor_nip=task.assignee_nip, approve=True, comment="setuju"
            ),
        )


async def issue_decree_batch(
    client: Client, task_queue: str, agency_code: str, case_ids: list[str], tmt: date
) -> CollectiveIssued:
    """HR's signing batch: one collective decree for these cases (DecreeBatchWorkflow)."""
    batch = f"batch-{uuid.uuid4().hex[:8]}"
    return await client.execute_workflow(
        "DecreeBatchWorkflow",
        CollectiveRequest(
            batch_id=batch,
            agency_code=agency_code,
            case_ids=case_ids,
            decided_on=tmt - timedelta(days=20),
            tmt=tmt,
            actor="hr",
            at=datetime.now(UTC),
        ),
        id=batch,
        task_queue=task_queue,
        result_type=CollectiveIssued,
    )


async def decree_by_batch(
    client: Client, task_queue: str, handle: WorkflowHandle, agency_code: str, today: date
):
    """A case waiting at the decree stage gets its extract from an HR signing batch (TMT the
    first of next month); returns the case's state once it awaits TMT."""
    state = await wait_for(
        handle, MutationCaseWorkflow.state, lambda s: s is not None and s.stage == "decree"
    )
    tmt = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    await issue_decree_batch(client, task_queue, agency_code, [state.case_id], tmt)
    return await wait_for(handle, MutationCaseWorkflow.state, lambda s: s.stage == "awaiting_tmt")

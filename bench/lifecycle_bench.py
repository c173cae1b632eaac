"""Case throughput on the real dev server: the project's MutationCaseWorkflow against a
bare workflow of the same shape (same activities and updates, no-op bodies), measured
side by side in one run against one server. Decisions go as updates; an update RPC
timeout is retried with the same update id, and lost/duplicated decisions are counted."""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlmodel import Session
from temporalio import activity, workflow
from temporalio.client import (
    Client,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from bench.case_time import PARTS, time_by_part
from bench.cpu import CpuMeter, CpuSample, MeteredExecutor, StatementCounter, apart
from bench.demo_database import demo_database
from bench.results import Results
from contracts.case import CASE_REVISION, CaseInput, CasePolicy, ConsultationAnswer, TaskDecision
from contracts.chain import COMMITTEE, DEFAULT_TEMPLATES
from contracts.enums import Stage
from models import AuditEvent, Employee, MutationCase, Position, TransferCycle, Unit
from mutasi.audit.records_check import check_records
from mutasi.infra.settings import Settings
from mutasi.infra.temporal import (
    DATA_CONVERTER,
    SQLITE_PRAGMAS,
    ensure_search_attributes,
    temporal_cli,
)
from mutasi.org.directory import OrgDirectory
from mutasi.reports.case_report import percentile
from planning.reference import STRUCTURAL_KINDS
from worker import MAX_CACHED_WORKFLOWS, build_worker
from workflows.case import MutationCaseWorkflow
from workflows.visibility import starting

QUEUE = "bench"
BATCHES = 4  # per twin and run: project, bare, bare, project, project, bare, bare, project
# Three runs where a run is short (200 cases: the spread is reported); one at 1 000 cases,
# a 12-minute run of its own on two cores.
REPEATS = int(os.environ.get("MUTASI_BENCH_REPEATS", "3"))
REPEATS_ABOVE = 200
BARE_QUEUE = "bench-bare"
# The engine's cost of a case with four inbox decisions (the committee step, decided by a
# sitting for many cases at once, is not a per-case cost and is left out).
STEPS = [step for step in DEFAULT_TEMPLATES["within_agency"].steps if step.roles != [COMMITTEE]]


# -- the bare twin: same number of activities and updates, nothing inside ------------------
@dataclass
class BareInput:
    activities: int
    updates: int


@activity.defn(name="bare_noop")
def bare_noop(step: int) -> int:
    return step


@workflow.defn(name="BareCaseWorkflow", sandboxed=False)
class BareCaseWorkflow:
    def __init__(self) -> None:
        self._received = 0
        self._ready = 0

    @workflow.run
    async def run(self, inp: BareInput) -> int:
        per_gap = max(1, inp.activities // (inp.updates + 1))
        done = 0
        for gate in range(inp.updates + 1):
            for _ in range(per_gap if gate < inp.updates else inp.activities - done):
                await workflow.execute_activity(
                    bare_noop, done, start_to_close_timeout=timedelta(seconds=60)
                )
                done += 1
            self._ready = gate + 1
            if gate < inp.updates:
                await workflow.wait_condition(lambda g=gate: self._received > g)
        return done

    @workflow.update
    async def decide(self, k: int) -> str:
        await workflow.wait_condition(lambda: self._ready > k and self._received == k)
        self._received += 1
        return "ok"


# -- driving one case ---------------------------------------------------------------------
async def send(handle, update, arg, update_id: str, stats: dict) -> bool:
    """True when applied; False when the workflow was not ready (caller retries later)."""
    while True:
        try:
            await handle.execute_update(update, arg, id=update_id)
            return True
        except WorkflowUpdateRPCTimeoutOrCancelledError:
            stats["rpc_retries"] += 1  # same update id: the server applies it once
        except RPCError as exc:
            if exc.status not in (
                RPCStatusCode.UNAVAILABLE,
                RPCStatusCode.DEADLINE_EXCEEDED,
                RPCStatusCode.RESOURCE_EXHAUSTED,
            ):
                raise
            stats["rpc_retries"] += 1  # an overloaded server aborted it: same id again
            await asyncio.sleep(0.5)
        except WorkflowUpdateFailedError:
            return False


async def drive_project(client: Client, inp: CaseInput, approvers: list[str], stats: dict) -> float:
    """Answer, then every approver's decision sent ahead (decide_when_open): each is held
    by the workflow until its task opens, so neither twin pays for polling."""
    started = time.perf_counter()
    handle = await client.start_workflow(
        MutationCaseWorkflow.run,
        inp,
        id=f"case-{inp.case_id}",
        task_queue=QUEUE,
        # as the cycle and the request workflows start their cases
        search_attributes=starting(inp.cycle_id, inp.agency_code, Stage.CONSULTATION),
    )
    assert await send(
        handle,
        MutationCaseWorkflow.respond,
        ConsultationAnswer(actor_nip=inp.nip, accept=True),
        f"{inp.case_id}-respond",
        stats,
    )
    for step, (chain_step, approver) in enumerate(zip(STEPS, approvers, strict=True)):
        task_id = f"{inp.case_id}/{step}/{chain_step.roles[0]}"
        assert await send(
            handle,
            MutationCaseWorkflow.decide_when_open,
            TaskDecision(task_id=task_id, actor_nip=approver, approve=True, comment="ok"),
            f"{task_id}-decide",
            stats,
        )
    result = await handle.result()
    assert result.stage == "completed", result
    return time.perf_counter() - started


async def drive_bare(client: Client, key: str, shape: BareInput, stats: dict) -> float:
    started = time.perf_counter()
    handle = await client.start_workflow(
        BareCaseWorkflow.run, shape, id=f"bare-{key}", task_queue=BARE_QUEUE
    )
    for k in range(shape.updates):
        assert await send(handle, BareCaseWorkflow.decide, k, f"bare-{key}-{k}", stats)
    await handle.result()
    return time.perf_counter() - started


def decided_and_completed(engine, cycle_id: str) -> tuple[int, int]:
    """Approvals recorded in the audit trail, and completed cases, of one benchmark cycle."""
    with Session(engine) as s:
        decisions = s.execute(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "task.approved", _of_cycle(cycle_id))
        ).scalar_one()
        completed = s.execute(
            select(func.count())
            .select_from(MutationCase)
            .where(MutationCase.cycle_id == cycle_id, MutationCase.outcome == "completed")
        ).scalar_one()
    return decisions, completed


def audit_events(engine, cycle_id: str) -> int:
    with Session(engine) as s:
        return s.execute(
            select(func.count()).select_from(AuditEvent).where(_of_cycle(cycle_id))
        ).scalar_one()


def _of_cycle(cycle_id: str):
    return AuditEvent.workflow_id.like(f"case-{cycle_id}.%")


async def start_dev_server(tmp: Path) -> WorkflowEnvironment:
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=str(temporal_cli()),
        ui=False,
        data_converter=DATA_CONVERTER,
        dev_server_database_filename=str(tmp / "temporal.db"),
        dev_server_extra_args=[*SQLITE_PRAGMAS, "--log-level", "error"],
    )
    await ensure_search_attributes(env.client)
    return env


def approvers_for(engine, inp: CaseInput) -> list[str]:
    with Session(engine) as s:
        directory = OrgDirectory(s)
        return [
            directory.resolve_role(
                step.roles[0], inp.agency_code, inp.origin_unit, inp.destination_unit
            )[1]
            for step in STEPS
        ]


def case_inputs(engine, cycle_id: str, n: int) -> list[CaseInput]:
    with Session(engine) as s:
        now = datetime.now(UTC)
        s.add(
            TransferCycle(
                id=cycle_id,
                name=cycle_id,
                as_of=date(2026, 1, 1),
                effective_hours=1250,
                status="running",
                workflow_id="",
                created_at=now,
                updated_at=now,
                options={},
            )
        )
        s.commit()
        people = s.execute(
            select(
                Employee.nip,
                Employee.name,
                Employee.position_code,
                Position.unit_code,
                Unit.agency_code,
            )
            .join(Position, Position.code == Employee.position_code)
            .join(Unit, Unit.code == Position.unit_code)
            # anyone but unit heads (who would approve their own move)
            .where(Position.kind.not_in(STRUCTURAL_KINDS))
            .order_by(Employee.nip)
            .limit(n)
        ).all()
        dests = s.execute(
            select(Position.code, Position.unit_code)
            .join(Unit, Unit.code == Position.unit_code)
            .where(Unit.kind == "badan", Position.kind == "pelaksana")
        ).all()
    if len(people) < n:
        raise SystemExit(f"data demo hanya punya {len(people)} pegawai yang cocok; butuh {n}")
    inputs = []
    for i, p in enumerate(people):
        dest = next(d for d in dests[i % len(dests) :] + dests if d.code != p.position_code)
        inputs.append(
            CaseInput(
                case_id=f"{cycle_id}.{p.nip}",
                cycle_id=cycle_id,
                cycle_workflow_id="",
                nip=p.nip,
                name=p.name,
                agency_code=p.agency_code,
                mutation_type="within_agency",
                origin_position=p.position_code,
                origin_unit=p.unit_code,
                destination_position=dest.code,
                destination_unit=dest.unit_code,
                requested_by="bench",
                requested_by_nip=None,
                steps=STEPS,
                training=[],
                # Up to the move: the SPMT is a person's act days later, not engine work.
                policy=CasePolicy(
                    tmt_rule="decree_date",
                    evaluation_days=0,
                    spmt_days=0,
                    decree_mode="individual",  # no HR batch to wait for in an engine bench
                ),
                revision=CASE_REVISION,
            )
        )
    return inputs


@dataclass
class Side:
    """One twin's batches in an interleaved run: cases, seconds, latencies, CPU."""

    cases: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    workflow_ids: list[str] = field(default_factory=list)
    worker: float = 0.0
    server: float = 0.0
    activities: float = 0.0
    statements: float = 0.0

    def add(self, before: CpuSample, after: CpuSample, took: float, latencies: list[float]) -> None:
        self.cases += len(latencies)
        self.seconds += took
        self.latencies += latencies
        self.worker += after.worker - before.worker
        self.server += after.server - before.server
        self.activities += after.activities - before.activities
        self.statements += after.statements - before.statements

    @property
    def rate(self) -> float:
        return self.cases / self.seconds


async def _batch(meter: CpuMeter, side: Side, drives) -> None:
    before, started = meter.sample(), time.perf_counter()
    latencies = await asyncio.gather(*drives)
    side.add(before, meter.sample(), time.perf_counter() - started, list(latencies))


async def interleaved(
    client: Client, engine, meter: CpuMeter, n: int, shape: BareInput, run: str, stats: dict
) -> tuple[Side, Side, str]:
    """`n` project cases and `n` bare twins in BATCHES alternating batches each (the side
    that goes first alternates too), so both meet the same server, cache and disk state."""
    cycle_id = f"B{n}{run}"
    inputs = case_inputs(engine, cycle_id, n)
    approvers = [approvers_for(engine, i) for i in inputs]
    project, bare = Side(), Side()
    size = -(-n // BATCHES)
    for b, lo in enumerate(range(0, n, size)):
        chunk = range(lo, min(n, lo + size))
        turns = [
            (project, [drive_project(client, inputs[i], approvers[i], stats) for i in chunk]),
            (bare, [drive_bare(client, f"{cycle_id}-{i}", shape, stats) for i in chunk]),
        ]
        project.workflow_ids += [f"case-{inputs[i].case_id}" for i in chunk]
        bare.workflow_ids += [f"bare-{cycle_id}-{i}" for i in chunk]
        for side, drives in turns if b % 2 == 0 else turns[::-1]:
            await _batch(meter, side, drives)
    return project, bare, cycle_id


def _report_costs(results: Results, tag: str, project: Side, bare: Side) -> None:
    # Where the gap goes: CPU per case of this process (worker and client), of its activity
    # threads (part of the worker's) and of the dev server; the activities' statements.
    for name, side in (("case", project), ("bare", bare)):
        results.add(f"{name}_worker_cpu_per_case_{tag}", 1000 * side.worker / side.cases, "ms")
        results.add(
            f"{name}_activity_cpu_per_case_{tag}", 1000 * side.activities / side.cases, "ms"
        )
        results.add(f"{name}_server_cpu_per_case_{tag}", 1000 * side.server / side.cases, "ms")
    statements = project.statements / project.cases
    results.add(
        f"case_sql_statements_per_case_{tag}", statements, "count", "<= 80", statements <= 80
    )


# Histories read per twin for the time split: spread over the run's batches.
TIME_SAMPLE = 100


async def _report_time(
    results: Results, client: Client, tag: str, project: Side, bare: Side
) -> None:
    """Seconds per case waiting for and running activities and workflow tasks, from a
    sample of each twin's histories: whether the gap is work or waiting, and for what."""
    for name, side in (("case", project), ("bare", bare)):
        ids = side.workflow_ids[:: max(1, len(side.workflow_ids) // TIME_SAMPLE)]
        histories = await asyncio.gather(
            *(client.get_workflow_handle(wid).fetch_history() for wid in ids)
        )
        split = [time_by_part(h.events) for h in histories]
        for part in PARTS:
            mean = sum(s[part] for s in split) / len(split)
            results.add(f"{name}_seconds_per_case_{tag}_{part}", mean, "s")


async def measure(
    client: Client, engine, meter: CpuMeter, n: int, shape: BareInput, results: Results
) -> None:
    """The fair comparison (issue 23): worker and dev server on cores of their own, the
    twins interleaved, REPEATS runs; the ratio's worst run must hold and the spread is
    reported."""
    stats = {"rpc_retries": 0}
    tag = str(n)
    ratios, runs = [], []
    with apart() as pinned:
        for r in range(REPEATS if n <= REPEATS_ABOVE else 1):
            project, bare, cycle_id = await interleaved(
                client, engine, meter, n, shape, f"R{r}", stats
            )
            ratios.append(project.rate / bare.rate)
            runs.append((project, bare, cycle_id))
    project, bare, cycle_id = runs[-1]
    where = "cores_apart" if pinned else "shared_cores"
    results.add(f"case_throughput_{tag}_concurrent", project.rate, "cases/s")
    results.add(f"bare_throughput_{tag}_concurrent", bare.rate, "cases/s")
    for r, ratio in enumerate(ratios):
        results.add(f"case_vs_bare_ratio_{tag}_{where}_run{r + 1}", ratio, "x")
    worst = min(ratios)
    results.add(f"case_vs_bare_ratio_{tag}", worst, "x", ">= 0.90 (worst)", worst >= 0.90)
    results.add(f"case_vs_bare_ratio_spread_{tag}", max(ratios) - worst, "x")
    p95 = [percentile(p.latencies, 0.95) / percentile(b.latencies, 0.95) for p, b, _ in runs]
    results.add(f"case_vs_bare_p95_latency_{tag}", max(p95), "x", "<= 1.2 (worst)", max(p95) <= 1.2)
    results.add(f"case_p95_latency_{tag}", percentile(project.latencies, 0.95), "s")
    results.add(f"bare_p95_latency_{tag}", percentile(bare.latencies, 0.95), "s")
    _report_costs(results, tag, project, bare)
    await _report_time(results, client, tag, project, bare)
    results.add(f"case_audit_events_per_case_{tag}", audit_events(engine, cycle_id) / n, "count")
    decisions = completed = 0
    for _, _, cid in runs:
        d, c = decided_and_completed(engine, cid)
        decisions, completed = decisions + d, completed + c
    expected = len(runs) * n
    results.add(
        f"cases_completed_{tag}", completed, "count", f"= {expected}", completed == expected
    )
    results.add(
        f"decisions_lost_or_duplicated_{tag}",
        abs(decisions - expected * len(STEPS)),
        "count",
        "= 0",
        decisions == expected * len(STEPS),
    )
    results.add(f"update_rpc_retries_{tag}", stats["rpc_retries"], "count")
    with Session(engine) as s:
        records = check_records(s)  # `mutasi audit verify --records`, after the load
    results.add(
        f"task_records_disagreeing_with_audit_{tag}",
        len(records.problems),
        "count",
        "= 0",
        records.ok,
    )


async def measure_shared(
    client: Client, engine, meter: CpuMeter, n: int, shape: BareInput, results: Results
) -> None:
    """Informational: the same interleaved comparison with the worker and the dev server
    sharing both cores (the first round's setting)."""
    stats = {"rpc_retries": 0}
    project, bare, _ = await interleaved(client, engine, meter, n, shape, "S", stats)
    results.add(f"case_vs_bare_ratio_{n}_shared_cores", project.rate / bare.rate, "x")


def run(results: Results) -> None:
    sizes = [int(x) for x in os.environ.get("MUTASI_BENCH_CASES", "200,1000").split(",")]
    with demo_database("mutasi-bench-", max(2000, 2 * max(sizes))) as (tmp, engine):
        asyncio.run(_run(results, engine, tmp, sizes))


async def _run(results: Results, engine, tmp: Path, sizes: list[int]) -> None:
    env = await start_dev_server(tmp)
    try:
        # The project's worker exactly as worker.py builds it; the twin with the same options.
        settings = Settings(
            DATABASE_URL=engine.url.render_as_string(hide_password=False), task_queue=QUEUE
        )
        threads = settings.activity_concurrency
        with MeteredExecutor(threads) as pool, MeteredExecutor(threads) as bare_pool:
            async with (
                build_worker(env.client, settings, engine, pool),
                Worker(
                    env.client,
                    task_queue=BARE_QUEUE,
                    workflows=[BareCaseWorkflow],
                    activities=[bare_noop],
                    activity_executor=bare_pool,
                    max_concurrent_activities=threads,
                    max_cached_workflows=MAX_CACHED_WORKFLOWS,
                    workflow_runner=UnsandboxedWorkflowRunner(),
                ),
            ):
                shape, extras = await _shape(env.client, engine)
                results.add("case_shape_activities", shape.activities, "count")
                results.add("case_shape_updates", shape.updates, "count")
                # Server work the bare twin does not have (it has neither).
                results.add("case_shape_search_attribute_upserts", extras["upserts"], "count")
                results.add("case_shape_timers", extras["timers"], "count")
                meter = CpuMeter([pool, bare_pool], StatementCounter(engine))
                for n in sizes:
                    await measure(env.client, engine, meter, n, shape, results)
                await measure_shared(env.client, engine, meter, min(sizes), shape, results)
    finally:
        await env.shutdown()


async def _shape(client: Client, engine) -> tuple[BareInput, dict[str, int]]:
    """Run one project case and count what it did, so the bare twin matches it."""
    stats = {"rpc_retries": 0}
    inp = case_inputs(engine, "SHAPE", 1)[0]
    await drive_project(client, inp, approvers_for(engine, inp), stats)
    history = await client.get_workflow_handle(f"case-{inp.case_id}").fetch_history()
    names = [e.WhichOneof("attributes") for e in history.events]
    return (
        BareInput(
            activities=names.count("activity_task_scheduled_event_attributes"),
            updates=names.count("workflow_execution_update_accepted_event_attributes"),
        ),
        {
            "upserts": names.count("upsert_workflow_search_attributes_event_attributes"),
            "timers": names.count("timer_started_event_attributes"),
        },
    )

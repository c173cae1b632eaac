"""Operations: archiving closed Temporal histories (a cycle of the demo agency, cancelled
after its cases opened, every run archived) and the cost of one JSON log line."""

from __future__ import annotations

import asyncio
import concurrent.futures
import io
import logging
import time
from datetime import UTC, datetime

from sqlmodel import Session

from bench.demo_database import demo_database
from bench.lifecycle_bench import start_dev_server
from bench.results import Results
from contracts.cycle import CycleCancel, CycleInput, PlanDecision
from contracts.enums import CycleStatus, Stage
from contracts.ids import cycle_workflow_id
from models import TransferCycle
from mutasi.audit.history_archive import archive_closed
from mutasi.infra.documents import DocumentStore
from mutasi.infra.logs import configure_logging
from mutasi.infra.settings import Settings
from worker import build_worker
from workflows.cycle import MutationCycleWorkflow

LOG_LINES = 20_000


def run(results: Results) -> None:
    asyncio.run(_archive(results))
    _log_line(results)


async def _archive(results: Results) -> None:
    with demo_database("mutasi-bench-ops-", 2000) as (tmp, engine):
        env = await start_dev_server(tmp)
        settings = Settings(task_queue="bench-ops", document_dir=str(tmp / "documents"))
        now = datetime.now(UTC)
        with Session(engine) as s:
            s.add(
                TransferCycle(
                    id="OPS",
                    name="Arsip",
                    as_of=now.date(),
                    effective_hours=1250,
                    status="starting",
                    workflow_id=cycle_workflow_id("OPS"),
                    created_at=now,
                    updated_at=now,
                    options={},
                )
            )
            s.commit()
        try:
            with concurrent.futures.ThreadPoolExecutor(max_workers=4) as executor:
                async with build_worker(env.client, settings, engine, executor):
                    cycle = await env.client.start_workflow(
                        MutationCycleWorkflow.run,
                        CycleInput(cycle_id="OPS"),
                        id=cycle_workflow_id("OPS"),
                        task_queue=settings.task_queue,
                    )
                    await _until(cycle, lambda s: s.status == CycleStatus.PLAN_READY)
                    await cycle.execute_update(
                        MutationCycleWorkflow.decide_plan, PlanDecision(approve=True)
                    )
                    await _until(
                        cycle,
                        lambda s: (
                            s.cases_total > 0
                            and s.cases_by_stage.get(Stage.CONSULTATION) == s.cases_total
                        ),
                    )
                    await cycle.execute_update(
                        MutationCycleWorkflow.cancel_cycle, CycleCancel(actor="hr", reason="uji")
                    )
                    state = await cycle.result()
            store = DocumentStore(settings.document_dir)
            await asyncio.sleep(3)  # visibility lists closed runs a moment after they close
            started = time.perf_counter()
            archived, _ = await archive_closed(env.client, engine, store, 100_000)
            seconds = time.perf_counter() - started
            size = sum(store.path_of(d).stat().st_size for d in store.digests())
            started = time.perf_counter()
            again, _ = await archive_closed(env.client, engine, store, 100_000)
            repeat = time.perf_counter() - started
        finally:
            await env.shutdown()
    results.add("archive_runs_closed", state.cases_total + 1, "count")
    results.add(
        "archive_runs_archived",
        archived,
        "count",
        f"= {state.cases_total + 1}",
        archived == state.cases_total + 1,
    )
    results.add("archive_histories_per_s", archived / seconds, "runs/s")
    results.add("archive_kib_per_history_gz", size / max(archived, 1) / 1024, "KiB")
    results.add("archive_second_pass_archived", again, "count", "= 0", again == 0)
    results.add("archive_second_pass_seconds", repeat, "s")


async def _until(handle, predicate, seconds: float = 300.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = await handle.query(MutationCycleWorkflow.state)
        if state is not None and predicate(state):
            return
        await asyncio.sleep(0.2)
    raise TimeoutError("siklus tidak mencapai keadaan yang ditunggu")


def _log_line(results: Results) -> None:
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    configure_logging("worker", "json", stream=io.StringIO())
    log = logging.getLogger("mutasi.case")
    try:
        started = time.perf_counter()
        for _ in range(LOG_LINES):
            log.info(
                "%s %s", "case.opened", "C1.1990", extra={"case_id": "C1.1990", "task_id": None}
            )
        per_line = (time.perf_counter() - started) / LOG_LINES
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved[0]:
            root.addHandler(handler)
        root.setLevel(saved[1])
    results.add("json_log_line_us", per_line * 1e6, "us")

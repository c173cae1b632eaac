"""The audit trail under concurrent writers on PostgreSQL (issue 23, item 4): events written
per second by 32 writers in one agency, each in its own transaction as an activity writes
it, beside the same 32 writers spread over 32 agencies and a single writer; then the rate
at which the sealer links them into their chains. Target: one agency's rate at least 20
times the case benchmark's event rate (cases per second x audit events per case)."""

from __future__ import annotations

import json
import time
import uuid
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import UTC, datetime
from multiprocessing import get_context

from sqlmodel import Session

from bench.results import OUT, Results
from bench.scratch_postgres import scratch_postgres
from mutasi.audit.chain import AuditInput, append, event_mac, seal_all, verify_all
from mutasi.infra.db import build_engine

WRITERS = 32
PROCESSES = 4  # writers are threads in a few processes: Python's lock is not the ceiling
SECONDS = 6.0
SAMPLES = 3
EVENT_RATE_FACTOR = 20


def _writer(engine, agency: str, stop_at: float) -> int:
    done = 0
    while time.perf_counter() < stop_at:
        with Session(engine) as s:
            append(
                s,
                AuditInput(
                    key=uuid.uuid4().hex,
                    agency_code=agency,
                    at=datetime.now(UTC),
                    actor="bench",
                    role="system",
                    action="bench.append",
                    subject_type="case",
                    subject_id=f"BENCH.{done}",
                    new={"n": done},
                ),
            )
            s.commit()
        done += 1
    return done


def _process(url: str, agencies: list[str], start_at: float, stop_at: float) -> int:
    engine = build_engine(url, writer=True)  # the worker's engine: activities write the trail
    time.sleep(max(0.0, start_at - time.perf_counter()))
    with ThreadPoolExecutor(len(agencies)) as pool:
        done = sum(pool.map(lambda a: _writer(engine, a, stop_at), agencies))
    engine.dispose()
    return done


def appends_per_second(url: str, agencies: list[str]) -> float:
    """`agencies`: one per writer (the same code repeated: writers share a chain)."""
    processes = min(PROCESSES, len(agencies))
    shares = [agencies[i::processes] for i in range(processes)]
    start_at = time.perf_counter() + 4.0  # every process started before the clock runs
    with ProcessPoolExecutor(processes, mp_context=get_context("spawn")) as pool:
        done = sum(
            pool.map(
                _process,
                [url] * processes,
                shares,
                [start_at] * processes,
                [start_at + SECONDS] * processes,
            )
        )
    return done / SECONDS


def case_event_rate(results: Results) -> float | None:
    """Audit events per second of the case benchmark (this run's, or the last written)."""
    figures = {r.name: r.value for r in results.items}
    if "case_throughput_200_concurrent" not in figures and OUT.exists():
        figures = {k: v["value"] for k, v in json.loads(OUT.read_text()).items()}
    try:
        return figures["case_throughput_200_concurrent"] * figures["case_audit_events_per_case_200"]
    except KeyError:
        return None


def run(results: Results) -> None:
    with scratch_postgres("audit") as url:
        if url is None:
            return
        single = appends_per_second(url, ["SOLO"])
        # The maximum rate: the best of a few samples (one 6-second sample moved by ±20 %
        # between runs on this shared machine).
        shared = max(appends_per_second(url, ["ONE"] * WRITERS) for _ in range(SAMPLES))
        spread = max(
            appends_per_second(url, [f"A{i:02d}" for i in range(WRITERS)]) for _ in range(SAMPLES)
        )
        engine = build_engine(url)
        with Session(engine) as s:
            started = time.perf_counter()
            sealed = sum(seal_all(s).values())
            seal_rate = sealed / (time.perf_counter() - started)
            reports = verify_all(s)
        engine.dispose()
        broken = [r.agency_code for r in reports if not r.ok or r.unsealed]
        results.add("audit_seal_events_per_s_pg", seal_rate, "events/s")
        results.add("audit_appends_per_s_1_writer_pg", single, "events/s")
        results.add("audit_appends_per_s_32_writers_spread_pg", spread, "events/s")
        events = case_event_rate(results)
        target = EVENT_RATE_FACTOR * events if events else None
        results.add(
            "audit_appends_per_s_32_writers_one_agency_pg",
            shared,
            "events/s",
            f">= {target:.0f}" if target else "",
            target is None or shared >= target,
        )
        if events:
            results.add(
                "audit_one_agency_vs_case_event_rate",
                shared / events,
                "x",
                f">= {EVENT_RATE_FACTOR}",
                shared >= target,
            )
        results.add("audit_chains_broken_after_bench", len(broken), "count", "= 0", not broken)
        results.add("audit_mac_microseconds_per_event", mac_cost(), "us")


def mac_cost(rounds: int = 20_000) -> float:
    """What authenticating one event costs the writer (HMAC-SHA256 of its canonical JSON)."""
    event = AuditInput(
        key="run/1/7",
        agency_code="ONE",
        at=datetime.now(UTC),
        actor="197609021999072004",
        role="approver",
        action="task.approved",
        subject_type="task",
        subject_id="C1.199001012020121001/4/ppk",
        old={"status": "open"},
        new={"status": "approved"},
        reason="setuju",
        workflow_id="case-C1.199001012020121001",
        run_id="run-1",
    )
    key = b"k" * 48
    started = time.perf_counter()
    for _ in range(rounds):
        event_mac(key, event)
    return (time.perf_counter() - started) / rounds * 1e6

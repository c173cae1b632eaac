"""Approver inbox on PostgreSQL with 100 000 approval tasks: p95 latency of
GET /api/v1/tasks?status=open through the whole app (auth, delegations, count, page)."""

from __future__ import annotations

import asyncio
import logging
import os
import random
import time
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import insert, select
from sqlmodel import Session

from api.main import create_app
from bench.results import Results
from bench.scratch_postgres import scratch_postgres
from models import ApprovalTask, Employee, MutationCase, TransferCycle, UserAccount
from mutasi.accounts.security import issue_token
from mutasi.accounts.users import create_demo_users
from mutasi.demo.loader import load_demo
from mutasi.infra.db import build_engine
from mutasi.infra.settings import Settings
from mutasi.reports.case_report import percentile

TASKS = int(os.environ.get("MUTASI_BENCH_INBOX_TASKS", "100000"))
STEPS = 4
REQUESTS = 600


def fill(engine, tasks: int) -> list[str]:
    """Cases across as many cycles as needed (one case per person per cycle), 4 tasks each,
    assigned to the demo approvers. One open case per person: the earlier cycles' cases are
    completed (their tasks approved); of the last cycle's tasks a tenth are still open.
    Returns the approvers' NIPs."""
    rng = random.Random(5)
    now = datetime.now(UTC)
    with Session(engine) as s:
        nips = s.execute(select(Employee.nip).order_by(Employee.nip)).scalars().all()
        approvers = (
            s.execute(select(UserAccount.nip).where(UserAccount.roles.contains("approver")))
            .scalars()
            .all()
        )
    cases_needed = tasks // STEPS
    cycles = -(-cases_needed // len(nips))
    with engine.begin() as conn:
        conn.execute(
            insert(TransferCycle),
            [
                dict(
                    id=f"INBOX-{c}",
                    name=f"Inbox {c}",
                    as_of=now.date(),
                    effective_hours=1250,
                    status="running",
                    workflow_id="",
                    created_at=now,
                    updated_at=now,
                    options={},
                )
                for c in range(cycles)
            ],
        )
        case_rows, task_rows = [], []
        for i in range(cases_needed):
            cycle, nip = f"INBOX-{i // len(nips)}", nips[i % len(nips)]
            case_id = f"{cycle}.{nip}"
            closed = i // len(nips) < cycles - 1
            case_rows.append(
                dict(
                    id=case_id,
                    cycle_id=cycle,
                    nip=nip,
                    agency_code="X",
                    mutation_type="within_agency",
                    origin_position="P",
                    origin_unit="U",
                    destination_position="P2",
                    destination_unit="U2",
                    stage="completed" if closed else "approval",
                    outcome="completed" if closed else None,
                    requested_by="bench",
                    workflow_id=f"case-{case_id}",
                    run_id="",
                    created_at=now,
                    updated_at=now,
                )
            )
            for step in range(STEPS):
                assignee = rng.choice(approvers)
                task_rows.append(
                    dict(
                        id=f"{case_id}/{step}/r{step}",
                        case_id=case_id,
                        step=step,
                        role=f"r{step}",
                        title="Langkah",
                        assignee_nip=assignee,
                        deciders=[assignee],
                        status="open" if not closed and rng.random() < 0.1 else "approved",
                        due_at=now + timedelta(hours=rng.randint(-48, 240)),
                        created_at=now,
                    )
                )
        for start in range(0, len(case_rows), 5000):
            conn.execute(insert(MutationCase), case_rows[start : start + 5000])
        for start in range(0, len(task_rows), 10000):
            conn.execute(insert(ApprovalTask), task_rows[start : start + 10000])
        conn.exec_driver_sql("ANALYZE")
    return approvers


async def measure(app, settings: Settings, engine, approvers: list[str]) -> list[float]:
    with Session(engine) as s:
        ids = dict(
            s.execute(
                select(UserAccount.nip, UserAccount.id).where(UserAccount.nip.in_(approvers))
            ).all()
        )
    tokens = {nip: issue_token(settings, ids[nip], 60, "api").token for nip in approvers}
    rng = random.Random(11)
    timings = []
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://bench"
    ) as client:
        for i in range(REQUESTS + 50):
            nip = rng.choice(approvers)
            t0 = time.perf_counter()
            r = await client.get(
                "/api/v1/tasks",
                params={"status": "open", "limit": 50},
                headers={"Authorization": f"Bearer {tokens[nip]}"},
            )
            elapsed = time.perf_counter() - t0
            assert r.status_code == 200, r.text
            if i >= 50:  # warm-up excluded
                timings.append(elapsed)
    return timings


async def measure_page(app, settings: Settings, engine, approvers: list[str]) -> list[float]:
    """The inbox page (who, from where to where, JPM, deadline; filters) for the same people."""
    with Session(engine) as s:
        ids = dict(
            s.execute(
                select(UserAccount.nip, UserAccount.id).where(UserAccount.nip.in_(approvers))
            ).all()
        )
    rng = random.Random(12)
    timings = []
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://bench"
    ) as client:
        for i in range(REQUESTS // 2 + 20):
            nip = rng.choice(approvers)
            client.cookies.set(
                "mutasi_session", issue_token(settings, ids[nip], 60, "session").token
            )
            t0 = time.perf_counter()
            r = await client.get("/inbox")
            elapsed = time.perf_counter() - t0
            assert r.status_code == 200, r.status_code
            if i >= 20:
                timings.append(elapsed)
    return timings


def run(results: Results) -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    with scratch_postgres("inbox") as url:
        if url is None:
            return
        engine = build_engine(url)
        settings = Settings(DATABASE_URL=url)
        load_demo(engine, 2000, 3)
        create_demo_users(engine, settings)
        t0 = time.perf_counter()
        approvers = fill(engine, TASKS)
        results.add("inbox_tasks_in_database", TASKS, "tasks")
        results.add("inbox_fill_seconds", time.perf_counter() - t0, "s")
        app = create_app(settings, engine=engine)
        timings = asyncio.run(measure(app, settings, engine, approvers))
        p95 = percentile(timings, 0.95)
        results.add("inbox_p50_ms", 1000 * percentile(timings, 0.5), "ms")
        results.add("inbox_p95_ms", 1000 * p95, "ms", "<= 50", p95 <= 0.050)
        pages = asyncio.run(measure_page(app, settings, engine, approvers))
        page_p95 = percentile(pages, 0.95)
        results.add("inbox_page_p50_ms", 1000 * percentile(pages, 0.5), "ms")
        results.add("inbox_page_p95_ms", 1000 * page_p95, "ms", "<= 50", page_p95 <= 0.050)
        engine.dispose()

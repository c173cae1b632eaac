"""Decisions through the REST API, sustained: N cases run on the real dev server; each
employee answers through POST /consultations/{id}/response, and every approver works
their inbox (GET /tasks, then POST /tasks/{id}/decision with an Idempotency-Key, retried
on 503 with the same key) until all cases are decided. Reports decisions/s, p95 request
latency, and lost/duplicated decisions counted from the audit trail."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
import time
from pathlib import Path

import httpx
from sqlalchemy import select
from sqlmodel import Session

from api.main import create_app
from bench.demo_database import demo_database
from bench.lifecycle_bench import (
    QUEUE,
    STEPS,
    approvers_for,
    case_inputs,
    decided_and_completed,
    start_dev_server,
)
from bench.results import Results
from models import UserAccount
from mutasi.accounts.security import issue_token
from mutasi.accounts.users import create_demo_users
from mutasi.infra.db import build_engine
from mutasi.infra.settings import Settings
from mutasi.reports.case_report import percentile
from worker import build_worker
from workflows.case import MutationCaseWorkflow

POLL_SECONDS = 0.5


class Driver:
    """`clients`: one per API process; requests take turns, as behind a proxy."""

    def __init__(self, clients: list[httpx.AsyncClient], tokens: dict[str, str]) -> None:
        self.clients, self.tokens = clients, tokens
        self.turn = 0
        self.latencies: list[float] = []
        self.retries = 0
        self.decisions = 0
        self.first: float | None = None
        self.last = 0.0

    @property
    def client(self) -> httpx.AsyncClient:
        self.turn += 1
        return self.clients[self.turn % len(self.clients)]

    async def post(self, url: str, who: str, body: dict, key: str) -> httpx.Response:
        while True:
            t0 = time.perf_counter()
            r = await self.client.post(
                url,
                json=body,
                headers={"Authorization": f"Bearer {self.tokens[who]}", "Idempotency-Key": key},
            )
            self.latencies.append(time.perf_counter() - t0)
            if r.status_code != 503:
                return r
            self.retries += 1  # same key: the workflow applies it once
            await asyncio.sleep(float(r.headers.get("retry-after", "1")))

    async def employee(self, case_id: str, nip: str) -> None:
        while True:
            r = await self.post(
                f"/api/v1/consultations/{case_id}/response", nip, {"accept": True}, f"{case_id}-r"
            )
            if r.status_code == 200:
                return
            await asyncio.sleep(POLL_SECONDS)  # the consultation has not opened yet

    async def approver(self, nip: str, remaining: dict[str, int]) -> None:
        headers = {"Authorization": f"Bearer {self.tokens[nip]}"}
        while remaining[nip] > 0:
            inbox = await self.client.get(
                "/api/v1/tasks", params={"status": "open", "limit": 100}, headers=headers
            )
            tasks = inbox.json()["items"] if inbox.status_code == 200 else []
            for task in tasks:
                r = await self.post(
                    f"/api/v1/tasks/{task['id']}/decision",
                    nip,
                    {"approve": True, "comment": "sesuai"},
                    task["id"],
                )
                if r.status_code == 200:
                    now = time.perf_counter()
                    self.first = self.first or now
                    self.last = now
                    self.decisions += 1
                    remaining[nip] -= 1
            if not tasks:
                await asyncio.sleep(POLL_SECONDS)


async def drive_api(
    env,
    engine,
    settings: Settings,
    n: int,
    clients: list[httpx.AsyncClient],
    queue: str,
    prefix: str,
    results: Results,
) -> None:
    """`n` cases decided through the API `clients` (taking turns); figures named `prefix`."""
    cycle_id = f"{prefix.upper().replace('_', '')}{n}"
    inputs = case_inputs(engine, cycle_id, n)
    chains = {i.case_id: approvers_for(engine, i) for i in inputs}
    with Session(engine) as s:
        ids = dict(s.execute(select(UserAccount.username, UserAccount.id)).all())
    people = {i.nip for i in inputs} | {a for chain in chains.values() for a in chain}
    tokens = {p: issue_token(settings, ids[p], 240, "api").token for p in people}
    remaining: dict[str, int] = {}
    for chain in chains.values():
        for approver in chain:
            remaining[approver] = remaining.get(approver, 0) + 1
    driver = Driver(clients, tokens)
    t0 = time.perf_counter()
    handles = [
        await env.client.start_workflow(
            MutationCaseWorkflow.run, i, id=f"case-{i.case_id}", task_queue=queue
        )
        for i in inputs
    ]
    await asyncio.gather(
        *(driver.employee(i.case_id, i.nip) for i in inputs),
        *(driver.approver(a, remaining) for a in remaining),
    )
    await asyncio.gather(*(h.result() for h in handles))
    wall = time.perf_counter() - t0
    decided, completed = decided_and_completed(engine, cycle_id)
    expected = n * len(STEPS)
    window = max(1e-9, driver.last - (driver.first or driver.last))
    results.add(f"{prefix}_decisions_per_s_{n}", driver.decisions / window, "decisions/s")
    results.add(f"{prefix}_request_p95_ms_{n}", 1000 * percentile(driver.latencies, 0.95), "ms")
    results.add(f"{prefix}_cases_per_s_{n}", n / wall, "cases/s")
    results.add(f"{prefix}_cases_completed_{n}", completed, "count", f"= {n}", completed == n)
    results.add(
        f"{prefix}_decisions_lost_or_duplicated_{n}",
        abs(decided - expected),
        "count",
        "= 0",
        decided == expected,
    )
    results.add(f"{prefix}_503_retries_{n}", driver.retries, "count")


async def measure(env, engine, settings: Settings, n: int, results: Results) -> None:
    # The API has its own engine, as in production (the worker's takes write locks).
    api_engine = build_engine(settings.database_url)
    app = create_app(settings, engine=api_engine, temporal=env.client)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://bench", timeout=120
    ) as client:
        await drive_api(env, engine, settings, n, [client], QUEUE, "api", results)
    api_engine.dispose()


def run(results: Results) -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    sizes = [int(x) for x in os.environ.get("MUTASI_BENCH_API_CASES", "200,1000").split(",")]
    with demo_database("mutasi-bench-api-", max(2000, 2 * max(sizes))) as (tmp, engine):
        settings = Settings(
            DATABASE_URL=engine.url.render_as_string(hide_password=False), task_queue=QUEUE
        )
        create_demo_users(engine, settings)
        asyncio.run(_run(results, engine, settings, tmp, sizes))


async def _run(results: Results, engine, settings: Settings, tmp: Path, sizes: list[int]) -> None:
    env = await start_dev_server(tmp)
    try:
        threads = settings.activity_concurrency
        with concurrent.futures.ThreadPoolExecutor(max_workers=threads) as pool:
            async with build_worker(env.client, settings, engine, pool):
                for n in sizes:
                    await measure(env, engine, settings, n, results)
    finally:
        await env.shutdown()

"""Crashes on the real dev server: the worker SIGKILLed again and again, and the Temporal
server itself killed and restarted on the same SQLite file, while cases are decided.
Every case completes and the database holds exactly the expected rows.

`make test` runs the short versions; `make test-chaos` the long ones (marker `chaos`)."""

from __future__ import annotations

import asyncio
import random
import shutil
import uuid

import pytest

from bench.lifecycle_bench import approvers_for, case_inputs
from mutasi.infra.db import build_engine
from tests.chaos_support import (
    DevServer,
    WorkerProcess,
    assert_exact_rows,
    drive_case,
    wait_completed,
)

SHORT = pytest.param(12, 5, id="short")
LONG = pytest.param(50, 8, id="long", marks=pytest.mark.chaos)


@pytest.fixture
def chaos_db(demo_template, tmp_path):
    path = tmp_path / "app.db"
    shutil.copy(demo_template, path)
    url = f"sqlite:///{path}"
    engine = build_engine(url)
    yield url, engine
    engine.dispose()


@pytest.fixture
def server(tmp_path):
    dev = DevServer(tmp_path / "temporal.db")
    dev.start()
    yield dev
    dev.kill()


def client_source(server: DevServer):
    cache = {}

    async def client_of():
        if "client" not in cache:
            cache["client"] = await server.client()
        return cache["client"]

    return client_of


async def run_cases_while(
    disrupt, server: DevServer, chaos_db, tmp_path, cases: int, worker_box: list
) -> None:
    """`cases` cases answered and decided while `disrupt()` runs; then all must complete
    with exactly their rows."""
    url, engine = chaos_db
    queue = f"chaos-{uuid.uuid4().hex[:6]}"
    worker = WorkerProcess(server.address, url, queue, tmp_path / "worker.log")
    worker_box.append(worker)
    worker.start()
    client_of = client_source(server)
    inputs = case_inputs(engine, f"C{uuid.uuid4().hex[:5]}", cases)
    try:
        await asyncio.gather(
            disrupt(), *(drive_case(client_of, i, approvers_for(engine, i), queue) for i in inputs)
        )
        results = await wait_completed(client_of, inputs, 600)
    finally:
        worker.stop()
    assert [r.stage for r in results] == ["completed"] * cases
    assert_exact_rows(engine, inputs)


@pytest.mark.devserver
@pytest.mark.parametrize(("cases", "kills"), [SHORT, LONG])
async def test_worker_sigkilled_repeatedly(chaos_db, server, tmp_path, cases, kills):
    workers: list[WorkerProcess] = []
    rng = random.Random()

    async def kill_worker_repeatedly():
        for _ in range(kills):
            await asyncio.sleep(rng.uniform(2.0, 5.0))
            workers[0].kill()
            await asyncio.sleep(rng.uniform(0.1, 1.0))
            workers[0].start()

    await run_cases_while(kill_worker_repeatedly, server, chaos_db, tmp_path, cases, workers)
    assert workers[0].kills == kills


@pytest.mark.devserver
@pytest.mark.parametrize(
    ("cases", "kills"),
    [pytest.param(12, 1, id="short"), pytest.param(50, 3, id="long", marks=pytest.mark.chaos)],
)
async def test_dev_server_killed_and_restarted(chaos_db, server, tmp_path, cases, kills):
    async def restart_server():
        for _ in range(kills):
            await asyncio.sleep(random.uniform(2.0, 4.0))
            server.kill()  # SIGKILL: no graceful shutdown, same SQLite file afterwards
            await asyncio.sleep(2.0)
            server.start()

    await run_cases_while(restart_server, server, chaos_db, tmp_path, cases, [])

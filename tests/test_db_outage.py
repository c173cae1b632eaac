"""PostgreSQL unreachable in the middle of a cycle's cases (every connection cut, new ones
refused, through a TCP relay the test controls): activities retry, every case completes
with exactly its rows, and meanwhile the API answers 503 with Retry-After, never 500."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest
from sqlalchemy.engine import make_url

from api.main import create_app
from bench.lifecycle_bench import approvers_for, case_inputs
from mutasi.accounts.users import create_demo_users
from mutasi.demo.loader import load_demo
from mutasi.infra.db import build_engine, upgrade_database
from mutasi.infra.settings import Settings
from tests.auth_support import auth_headers
from tests.chaos_support import (
    DevServer,
    TcpProxy,
    WorkerProcess,
    assert_exact_rows,
    drive_case,
    wait_completed,
)

pytestmark = [pytest.mark.postgres, pytest.mark.devserver]


@pytest.mark.parametrize(
    ("cases", "outage"),
    [pytest.param(8, 10, id="short"), pytest.param(30, 30, id="long", marks=pytest.mark.chaos)],
)
async def test_database_outage_mid_cycle(postgres_url, tmp_path, cases, outage):
    upgrade_database(postgres_url)
    direct = build_engine(postgres_url)
    load_demo(direct, 600, 7)
    create_demo_users(direct, Settings())
    url = make_url(postgres_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    proxy.restore()
    via_proxy = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    server = DevServer(tmp_path / "temporal.db")
    server.start()
    queue = f"outage-{uuid.uuid4().hex[:6]}"
    worker = WorkerProcess(server.address, via_proxy, queue, tmp_path / "worker.log")
    worker.start()
    settings = Settings(DATABASE_URL=via_proxy, task_queue=queue)
    api_engine = build_engine(via_proxy)
    app = create_app(settings, engine=api_engine, migrate=False)
    headers = auth_headers(direct, settings, "hr")
    client = await server.client()

    async def client_of():
        return client

    inputs = case_inputs(direct, f"O{uuid.uuid4().hex[:5]}", cases)
    statuses: list[int] = []

    async def outage_window():
        await asyncio.sleep(3)
        proxy.cut()
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t"
        ) as api:
            for _ in range(outage):
                r = await api.get("/api/v1/cycles", headers=headers)
                statuses.append(r.status_code)
                if r.status_code == 503:
                    assert r.headers["retry-after"]
                await asyncio.sleep(1)
        proxy.restore()

    try:
        await asyncio.gather(
            outage_window(),
            *(drive_case(client_of, i, approvers_for(direct, i), queue) for i in inputs),
        )
        results = await wait_completed(client_of, inputs, 600)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t"
        ) as api:
            assert (await api.get("/api/v1/cycles", headers=headers)).status_code == 200
    finally:
        worker.stop()
        server.kill()
        proxy.close()
        api_engine.dispose()
    assert statuses and set(statuses) == {503}, statuses
    assert [r.stage for r in results] == ["completed"] * cases
    assert_exact_rows(direct, inputs)
    direct.dispose()

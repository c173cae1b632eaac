"""Cycles through the REST API: start, read needs/plan/findings/report, steer, errors."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from api.main import create_app
from mutasi.settings import Settings
from tests.workflow_support import running_worker


async def wait_status(client: httpx.AsyncClient, cycle_id: str, status: str, seconds: float = 60) -> dict:
    for _ in range(int(seconds * 10)):
        cycle = (await client.get(f"/api/v1/cycles/{cycle_id}")).json()
        if cycle["status"] == status:
            return cycle
        await asyncio.sleep(0.1)
    raise AssertionError(f"status {status} tidak tercapai: {cycle}")


@pytest.fixture
async def api(time_skipping_env, demo_engine):
    async with running_worker(time_skipping_env.client, demo_engine) as queue:
        app = create_app(Settings(task_queue=queue), engine=demo_engine, temporal=time_skipping_env.client)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


async def test_cycle_through_the_api(api):
    r = await api.post("/api/v1/cycles", json={"id": "API-1", "name": "Mutasi Semester I", "as_of": "2026-01-01"})
    assert r.status_code == 201, r.text
    cycle = await wait_status(api, "API-1", "plan_ready")
    assert cycle["plan_summary"]["proposals"] > 0

    needs = (await api.get("/api/v1/cycles/API-1/needs", params={"balance": "deficit", "limit": 5})).json()
    assert needs["total"] > 0 and all(n["current"] < n["required"] for n in needs["items"])
    proposals = (await api.get("/api/v1/cycles/API-1/proposals")).json()
    assert proposals["total"] == cycle["plan_summary"]["proposals"]
    nip = proposals["items"][0]["nip"]
    one = (await api.get(f"/api/v1/cycles/API-1/proposals/{nip}")).json()
    assert one["detail"]["explanation"] == one["explanation"]
    report = (await api.get("/api/v1/cycles/API-1/report")).json()
    assert report["moves"] == proposals["total"]
    assert report["imbalance_after"] < report["imbalance_before"]
    assert sum(u["moves_in"] for u in report["units"]) == report["moves"]
    assert (await api.get("/api/v1/cycles/API-1/findings")).status_code == 200

    dup = await api.post("/api/v1/cycles", json={"id": "API-1", "name": "Lagi"})
    assert dup.status_code == 409
    no_reason = await api.post("/api/v1/cycles/API-1/replan", json={"reason": ""})
    assert no_reason.status_code == 422
    cancel = await api.post("/api/v1/cycles/API-1/plan-decision", json={"approve": False})
    assert cancel.status_code == 409 and "alasan" in cancel.json()["detail"]

    ok = await api.post("/api/v1/cycles/API-1/plan-decision", json={"approve": True})
    assert ok.status_code == 200, ok.text
    await wait_status(api, "API-1", "running")
    late = await api.post("/api/v1/cycles/API-1/plan-decision", json={"approve": True})
    assert late.status_code == 409


@pytest.mark.parametrize("body", [
    {"name": "x"},
    {"name": "Siklus", "effective_hours": 1000},
    {"name": "Siklus", "id": "bad id with spaces"},
    {"name": "Siklus", "as_of": "kemarin"},
])
async def test_bad_cycle_requests_are_422(api, body):
    r = await api.post("/api/v1/cycles", json=body)
    assert r.status_code == 422


async def test_unknown_cycle_is_404(api):
    assert (await api.get("/api/v1/cycles/NOPE")).status_code == 404
    assert (await api.get("/api/v1/cycles/NOPE/report")).status_code == 404
    assert (await api.post("/api/v1/cycles/NOPE/replan", json={"reason": "data"})).status_code == 404


async def test_temporal_down_is_503(demo_engine):
    app = create_app(Settings(TEMPORAL_ADDRESS="127.0.0.1:1"), engine=demo_engine)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        r = await client.post("/api/v1/cycles", json={"name": "Siklus tanpa Temporal"})
    assert r.status_code == 503 and r.headers.get("retry-after")

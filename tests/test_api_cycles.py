"""Cycles through the REST API: start, read needs/plan/findings/report, steer, errors."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from api.main import create_app
from mutasi.infra.settings import Settings
from tests.auth_support import auth_headers
from tests.workflow_support import eventually, running_worker


async def wait_status(
    client: httpx.AsyncClient, cycle_id: str, status: str, seconds: float = 60
) -> dict:
    for _ in range(int(seconds * 10)):
        cycle = (await client.get(f"/api/v1/cycles/{cycle_id}")).json()["cycle"]
        if cycle["status"] == status:
            return cycle
        await asyncio.sleep(0.1)
    raise AssertionError(f"status {status} tidak tercapai: {cycle}")


@pytest.fixture
async def api(time_skipping_env, demo_engine):
    async with running_worker(time_skipping_env.client, demo_engine) as queue:
        settings = Settings(task_queue=queue)
        app = create_app(settings, engine=demo_engine, temporal=time_skipping_env.client)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport,
            base_url="http://test",
            headers=auth_headers(demo_engine, settings, "hr"),
        ) as client:
            yield client


async def test_cycle_through_the_api(api):
    r = await api.post(
        "/api/v1/cycles", json={"id": "API-1", "name": "Mutasi Semester I", "as_of": "2026-01-01"}
    )
    assert r.status_code == 201, r.text
    cycle = await wait_status(api, "API-1", "plan_ready")
    assert cycle["plan_summary"]["proposals"] > 0

    needs = (
        await api.get("/api/v1/cycles/API-1/needs", params={"balance": "deficit", "limit": 5})
    ).json()
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
    competencies = (
        await api.get(
            "/api/v1/cycles/API-1/competencies", params={"category": "kurang optimal", "limit": 5}
        )
    ).json()
    assert all(c["category"] == "kurang optimal" for c in competencies["items"])
    assert (
        sum(report["competency"]["by_category"].values()) > 0
        and report["competency"]["training_jp"] > 0
    )
    assert (
        await api.get("/api/v1/cycles/API-1/competencies", params={"category": "bagus"})
    ).status_code == 422

    dup = await api.post("/api/v1/cycles", json={"id": "API-1", "name": "Lagi"})
    assert dup.status_code == 409
    no_reason = await api.post("/api/v1/cycles/API-1/replan", json={"reason": ""})
    assert no_reason.status_code == 422
    cancel = await api.post("/api/v1/cycles/API-1/plan-decision", json={"approve": False})
    assert cancel.status_code == 422 and "alasan" in cancel.json()["detail"]

    ok = await api.post("/api/v1/cycles/API-1/plan-decision", json={"approve": True})
    assert ok.status_code == 200, ok.text
    await wait_status(api, "API-1", "running")
    late = await api.post("/api/v1/cycles/API-1/plan-decision", json={"approve": True})
    assert late.status_code == 409


@pytest.mark.parametrize(
    "body",
    [
        {"name": "x"},
        {"name": "Siklus", "effective_hours": 1000},
        {"name": "Siklus", "id": "bad id with spaces"},
        {"name": "Siklus", "as_of": "kemarin"},
    ],
)
async def test_bad_cycle_requests_are_422(api, body):
    r = await api.post("/api/v1/cycles", json=body)
    assert r.status_code == 422


async def test_unknown_cycle_is_404(api):
    assert (await api.get("/api/v1/cycles/NOPE")).status_code == 404
    assert (await api.get("/api/v1/cycles/NOPE/report")).status_code == 404
    assert (
        await api.post("/api/v1/cycles/NOPE/replan", json={"reason": "data"})
    ).status_code == 404


async def test_temporal_down_is_503(demo_engine):
    settings = Settings(TEMPORAL_ADDRESS="127.0.0.1:1")
    app = create_app(settings, engine=demo_engine)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://test",
        headers=auth_headers(demo_engine, settings, "hr"),
    ) as client:
        r = await client.post("/api/v1/cycles", json={"name": "Siklus tanpa Temporal"})
    assert r.status_code == 503 and r.headers.get("retry-after")


async def test_lifecycle_through_the_api(api, demo_engine):
    from sqlalchemy import func, select
    from sqlmodel import Session

    from models import AuditEvent

    def as_(username: str) -> dict[str, str]:
        return auth_headers(demo_engine, Settings(), username)

    r = await api.post(
        "/api/v1/cycles", json={"id": "API-2", "name": "Mutasi II", "as_of": "2026-01-01"}
    )
    assert r.status_code == 201
    await wait_status(api, "API-2", "plan_ready")
    proposals = (await api.get("/api/v1/cycles/API-2/proposals", params={"limit": 500})).json()[
        "items"
    ]
    bad = await api.post(
        "/api/v1/cycles/API-2/plan-decision",
        json={"approve": True, "removals": [{"nip": "199999999999999999", "reason": "tidak ada"}]},
    )
    assert bad.status_code == 422 and "tidak ada dalam usulan" in bad.json()["detail"]
    ok = await api.post(
        "/api/v1/cycles/API-2/plan-decision",
        json={
            "approve": True,
            "removals": [{"nip": proposals[0]["nip"], "reason": "sedang tugas belajar"}],
        },
    )
    assert ok.status_code == 200, ok.text
    await wait_status(api, "API-2", "running")

    async def every_case_open():
        found = (await api.get("/api/v1/cases", params={"cycle_id": "API-2", "limit": 500})).json()
        return found if found["total"] == len(proposals) - 1 else None

    cases = await eventually(every_case_open, "semua kasus terbuka", seconds=10)
    progress = (await api.get("/api/v1/cycles/API-2")).json()["progress"]
    assert sum(progress.values()) == len(proposals) - 1
    listed = (await api.get("/api/v1/cycles")).json()["items"]
    assert next(c for c in listed if c["cycle"]["id"] == "API-2")["progress"] == progress
    case = cases["items"][0]
    nip = case["nip"]
    url = f"/api/v1/consultations/{case['id']}/response"
    assert (await api.post(url, json={"accept": True})).status_code == 403  # HR is not the employee
    other = await api.post(url, json={"accept": True}, headers=as_(cases["items"][1]["nip"]))
    assert other.status_code == 403
    objection = await api.post(url, json={"accept": False}, headers=as_(nip))
    assert objection.status_code == 422 and "alasan" in objection.json()["detail"]
    accepted = await api.post(
        url, json={"accept": True}, headers={**as_(nip), "Idempotency-Key": "k1"}
    )
    assert accepted.status_code == 200
    again = await api.post(
        url, json={"accept": True}, headers={**as_(nip), "Idempotency-Key": "k1"}
    )
    assert again.status_code == 200 and again.json() == accepted.json()

    async def case_with_tasks():
        found = (await api.get(f"/api/v1/cases/{case['id']}")).json()
        return found if found["tasks"] else None

    task = (await eventually(case_with_tasks, "tugas persetujuan pertama", seconds=10))["tasks"][0]
    inbox = (await api.get("/api/v1/tasks", headers=as_(task["assignee_nip"]))).json()
    assert task["id"] in [t["id"] for t in inbox["items"]]
    decide = f"/api/v1/tasks/{task['id']}/decision"
    assert (
        await api.post(
            "/api/v1/tasks/tidak/ada/decision",
            json={"approve": True},
            headers=as_(task["assignee_nip"]),
        )
    ).status_code == 404
    assert (await api.post(decide, json={"approve": True}, headers=as_(nip))).status_code == 403
    no_reason = await api.post(decide, json={"approve": False}, headers=as_(task["assignee_nip"]))
    assert no_reason.status_code == 422
    for _ in range(2):  # a retried request with the same key is applied once
        r = await api.post(
            decide,
            json={"approve": True, "comment": "setuju"},
            headers={**as_(task["assignee_nip"]), "Idempotency-Key": "d1"},
        )
        assert r.status_code == 200, r.text
    with Session(demo_engine) as s:
        assert (
            s.execute(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "task.approved", AuditEvent.subject_id == task["id"])
            ).scalar_one()
            == 1
        )

    # The next approver reads the task with its context, then decides in bulk.
    async def next_open_task():
        found = (await api.get(f"/api/v1/cases/{case['id']}")).json()
        return next((t for t in found["tasks"] if t["status"] == "open"), None)

    nxt = await eventually(next_open_task, "tugas persetujuan berikutnya", seconds=10)
    context = (await api.get(f"/api/v1/tasks/{nxt['id']}", headers=as_(nxt["assignee_nip"]))).json()
    assert context["explanation"] and context["consultation"]["response"] == "accepted"
    assert {"origin", "destination"} <= set(context["workload"])
    assert (
        await api.get(f"/api/v1/tasks/{nxt['id']}", headers=as_(task["assignee_nip"]))
    ).status_code in (200, 403)
    bulk = await api.post(
        "/api/v1/tasks/decisions",
        headers=as_(nxt["assignee_nip"]),
        json={
            "decisions": [
                {"task_id": nxt["id"], "approve": True, "comment": "setuju"},
                {"task_id": "tidak/ada/sama-sekali", "approve": True},
            ]
        },
    )
    assert bulk.status_code == 200, bulk.text
    assert [o["status"] for o in bulk.json()] == [200, 404]
    mine = (await api.get("/api/v1/me/cases", headers=as_(nip))).json()
    assert [c["case"]["id"] for c in mine] == [case["id"]] and mine[0]["proposal"]["explanation"]
    history = (await api.get(f"/api/v1/cases/{case['id']}/history")).json()
    assert (
        any(e["action"] == "task.approved" for e in history["events"])
        and "/workflows/" in history["temporal_ui"]
    )
    raw = await api.get(f"/api/v1/cases/{case['id']}/temporal-history")
    assert raw.status_code == 200 and raw.json()["history"]["events"][0]["eventType"].endswith(
        "STARTED"
    )
    csv_export = await api.get(
        f"/api/v1/cases/{case['id']}/history/export", params={"format": "csv"}
    )
    assert csv_export.status_code == 200 and csv_export.text.count("task.approved") == 2
    withdraw = await api.post(
        f"/api/v1/cases/{case['id']}/withdraw", json={"reason": "uji selesai"}
    )
    assert withdraw.status_code == 200
    cancel = await api.post("/api/v1/cycles/API-2/cancel", json={"reason": "uji selesai"})
    assert cancel.status_code == 200
    await wait_status(api, "API-2", "cancelled")

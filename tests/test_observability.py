"""What an operator sees: the API's /metrics after a small cycle, the worker's SDK metrics on
their own port, JSON log lines that carry the case (and request) they belong to, and one
trace across client, workflow and activity."""

from __future__ import annotations

import concurrent.futures
import io
import json
import logging
import socket
import urllib.request
import uuid
from contextlib import asynccontextmanager

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from temporalio.client import Client
from temporalio.worker import Worker

from activities.cases import CaseActivities
from api.main import create_app
from contracts.case import OpenCase
from contracts.housekeeping import CheckpointRequest
from mutasi.infra.logs import configure_logging, request_id_from
from mutasi.infra.settings import Settings
from mutasi.infra.temporal import DATA_CONVERTER, worker_runtime
from mutasi.infra.tracing import tracing_interceptors
from tests.auth_support import auth_headers
from tests.support.cases import AT, SIGNER, case_input, env_for
from tests.test_api_cycles import wait_status
from tests.workflow_support import eventually, running_worker
from worker import activities_for
from workflows.audit_checkpoint import AuditCheckpointWorkflow


@asynccontextmanager
async def checkpoint_worker(client: Client, queue: str, engine):
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as executor:
        async with Worker(
            client,
            task_queue=queue,
            workflows=[AuditCheckpointWorkflow],
            activities=activities_for(engine),
            activity_executor=executor,
        ):
            yield


def samples(text: str) -> dict[tuple[str, frozenset], float]:
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(found: dict, name: str, **labels) -> float | None:
    return found.get((name, frozenset(labels.items())))


async def test_metrics_after_a_small_cycle(time_skipping_env, demo_engine):
    async with running_worker(time_skipping_env.client, demo_engine) as queue:
        settings = Settings(task_queue=queue, metrics_token="rahasia-metrik")
        app = create_app(settings, engine=demo_engine, temporal=time_skipping_env.client)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://test",
            headers=auth_headers(demo_engine, settings, "hr"),
        ) as api:
            scrape = {"Authorization": "Bearer rahasia-metrik"}
            before = samples((await api.get("/metrics", headers=scrape)).text)
            assert (
                value(
                    before,
                    "mutasi_http_requests_total",
                    method="POST",
                    route="/api/v1/cycles",
                    status="201",
                )
                is None
            )
            started = await api.post(
                "/api/v1/cycles", json={"id": "MET-1", "name": "Metrik", "as_of": "2026-01-01"}
            )
            assert started.status_code == 201, started.text
            await wait_status(api, "MET-1", "plan_ready")
            assert (
                await api.post("/api/v1/cycles/MET-1/plan-decision", json={"approve": True})
            ).status_code == 200
            cycle = await wait_status(api, "MET-1", "running")
            assert (await api.get("/api/v1/cases/tidak-ada")).status_code == 404

            async def settled() -> dict | None:
                # Cases keep opening for a moment after the cycle runs: compare once they stand still.
                found = samples((await api.get("/metrics", headers=scrape)).text)
                waiting = (await api.get("/api/v1/cases", params={"stage": "consultation"})).json()[
                    "total"
                ]
                shown = value(found, "mutasi_open_cases", stage="consultation")
                return (
                    found
                    if waiting
                    and shown == waiting
                    and shown
                    == sum(v for (name, _), v in found.items() if name == "mutasi_open_cases")
                    else None
                )

            after = await eventually(settled, "metrik kasus terbuka sama dengan basis data")
    assert (
        value(
            after, "mutasi_http_requests_total", method="POST", route="/api/v1/cycles", status="201"
        )
        == 1
    )
    # One series per route template, not per case id.
    assert (
        value(
            after,
            "mutasi_http_requests_total",
            method="GET",
            route="/api/v1/cases/{case_id}",
            status="404",
        )
        == 1
    )
    assert (
        value(
            after,
            "mutasi_http_request_seconds_count",
            method="GET",
            route="/api/v1/cycles/{cycle_id}",
        )
        >= 2
    )
    assert cycle["status"] == "running"
    chain = sum(v for (name, _), v in after.items() if name == "mutasi_audit_events_total")
    assert chain > sum(v for (name, _), v in before.items() if name == "mutasi_audit_events_total")
    assert value(after, "mutasi_overdue_tasks") == 0


async def test_metrics_are_off_without_a_token_and_need_it_when_set(demo_engine):
    off = create_app(Settings(), engine=demo_engine)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=off), base_url="http://test"
    ) as api:
        closed = await api.get("/metrics", headers=auth_headers(demo_engine, Settings(), "hr"))
        assert closed.status_code == 403 and "MUTASI_METRICS_TOKEN" in closed.text
        assert "mutasi_open_cases" not in closed.text
    app = create_app(Settings(metrics_token="rahasia-metrik"), engine=demo_engine)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as api:
        assert (await api.get("/metrics")).status_code == 401
        assert (
            await api.get("/metrics", headers={"Authorization": "Bearer salah"})
        ).status_code == 401
        ok = await api.get("/metrics", headers={"Authorization": "Bearer rahasia-metrik"})
        assert ok.status_code == 200 and "mutasi_open_cases" in ok.text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_worker_sdk_metrics_on_their_own_port(time_skipping_env, demo_engine):
    address = f"127.0.0.1:{_free_port()}"
    client = await Client.connect(
        time_skipping_env.client.service_client.config.target_host,
        data_converter=DATA_CONVERTER,
        runtime=worker_runtime(address),
    )
    queue = f"metrics-{uuid.uuid4().hex[:6]}"
    async with checkpoint_worker(client, queue, demo_engine):
        await client.execute_workflow(
            AuditCheckpointWorkflow.run, CheckpointRequest(), id=f"cp-{queue}", task_queue=queue
        )

        def scraped() -> str | None:
            text = urllib.request.urlopen(f"http://{address}/metrics", timeout=5).read().decode()
            return text if "temporal_activity_execution_latency" in text else None

        text = await eventually(scraped, "metrik aktivitas di endpoint worker", seconds=20)
    names = {family.name for family in text_string_to_metric_families(text)}
    for expected in (
        "temporal_workflow_task_execution_latency",
        "temporal_activity_execution_latency",
        "temporal_worker_task_slots_available",
        "temporal_sticky_cache_size",
    ):
        assert expected in names, f"{expected} tidak ada di {sorted(names)}"


@pytest.fixture
def json_log():
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    out = io.StringIO()
    configure_logging("worker", "json", stream=out)
    try:
        yield out
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved[0]:
            root.addHandler(handler)
        root.setLevel(saved[1])


def test_json_log_lines_carry_the_case_of_a_case_activity(demo_engine, json_log):
    inp = case_input(demo_engine, training=[])
    env = env_for("1")
    env.info = env.info.__class__(**{**vars(env.info), "workflow_id": f"case-{inp.case_id}"})
    env.run(
        CaseActivities(demo_engine, SIGNER).open_case,
        OpenCase(case=inp, run_id="run-1", consultation_deadline=AT, at=AT),
    )
    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    opened = [line for line in lines if line["message"].startswith("case.opened")]
    assert opened, lines
    line = opened[0]
    assert line["case_id"] == inp.case_id and line["cycle_id"] == inp.cycle_id
    assert line["workflow_id"] == f"case-{inp.case_id}" and line["run_id"] == "run-1"
    assert (
        line["process"] == "worker" and line["level"] == "info" and line["time"].endswith("+00:00")
    )


async def test_json_log_lines_carry_the_request_id(demo_engine, json_log):
    app = create_app(Settings(), engine=demo_engine)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as api:
        given = await api.get("/api/v1/health", headers={"X-Request-ID": "req-123"})
        hostile = await api.get(
            "/api/v1/health", headers={"X-Request-ID": 'x" \n{"level":"error"}'}
        )
    assert given.headers["x-request-id"] == "req-123"
    assert (
        hostile.headers["x-request-id"] != 'x" \n{"level":"error"}'
        and len(hostile.headers["x-request-id"]) == 32
    )
    access = [json.loads(line) for line in json_log.getvalue().splitlines()]
    mine = [line for line in access if line.get("request_id") == "req-123"]
    assert (
        mine and mine[0]["logger"] == "mutasi.access" and "/api/v1/health 200" in mine[0]["message"]
    )
    assert request_id_from("a" * 65) != "a" * 65


async def test_one_trace_from_client_through_workflow_to_activity(time_skipping_env, demo_engine):
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    assert tracing_interceptors("none", "mutasi-test") == []
    spans = InMemorySpanExporter()
    client = await Client.connect(
        time_skipping_env.client.service_client.config.target_host,
        data_converter=DATA_CONVERTER,
        interceptors=tracing_interceptors("none", "mutasi-test", span_exporter=spans),
    )
    queue = f"trace-{uuid.uuid4().hex[:6]}"
    async with checkpoint_worker(client, queue, demo_engine):
        await client.execute_workflow(
            AuditCheckpointWorkflow.run, CheckpointRequest(), id=f"tr-{queue}", task_queue=queue
        )
    finished = spans.get_finished_spans()
    names = {span.name for span in finished}
    assert {
        "StartWorkflow:AuditCheckpointWorkflow",
        "RunWorkflow:AuditCheckpointWorkflow",
        "StartActivity:take_audit_checkpoints",
        "RunActivity:take_audit_checkpoints",
    } <= names, names
    assert len({span.context.trace_id for span in finished}) == 1


def test_unknown_exporter_is_refused():
    with pytest.raises(ValueError, match="tidak dikenal"):
        tracing_interceptors("zipkin", "mutasi-test")


def test_settings_refuse_an_unknown_log_format():
    with pytest.raises(ValueError, match="log_format"):
        Settings(log_format="xml")


def test_a_taken_metrics_port_costs_the_metrics_not_the_worker(caplog):
    from worker import _metrics_runtime

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        address = f"127.0.0.1:{taken.getsockname()[1]}"
        with caplog.at_level(logging.ERROR):
            assert _metrics_runtime(address) is None
    assert "tanpa metrik" in caplog.text
    assert _metrics_runtime(None) is None


def test_ten_thousand_random_paths_add_no_series_beyond_the_route_templates(demo_engine):
    """Route labels are route templates (a {…:path} parameter included) or one label for
    whatever matched nothing; methods a client invents are one label too. So no request,
    signed in or not, grows /metrics for good."""
    import random
    import re
    import string

    from fastapi.testclient import TestClient

    from api.main import API_PREFIX, create_app
    from api.observability import KNOWN_PREFIXES, UNMATCHED

    assert API_PREFIX in KNOWN_PREFIXES
    rng = random.Random(7)
    app = create_app(
        Settings(TEMPORAL_ADDRESS="127.0.0.1:1", metrics_token="rahasia-metrik"), engine=demo_engine
    )

    def junk() -> str:
        return "".join(rng.choice(string.ascii_letters + string.digits + "-.") for _ in range(8))

    shapes = [
        lambda: (
            f"/api/v1/public/decrees/{'/'.join(junk() for _ in range(rng.randint(1, 6)))}/verification"
        ),
        lambda: f"/api/v1/decrees/{'/'.join(junk() for _ in range(rng.randint(1, 6)))}/pdf",
        lambda: f"/api/v1/units/{junk()}",
        lambda: f"/{'/'.join(junk() for _ in range(rng.randint(1, 5)))}",
        lambda: f"/api/v1/{junk()}/{junk()}",
    ]
    with TestClient(app) as client:
        for i in range(10_000):
            method = rng.choice(["GET", "POST", "GET", junk().upper()[:6] or "X"])
            client.request(method, rng.choice(shapes)(), params={"code": "x"} if i % 2 else None)
        body = client.get("/metrics", headers={"Authorization": "Bearer rahasia-metrik"}).text
    routes = set(re.findall(r'mutasi_http_requests_total\{[^}]*route="([^"]*)"', body))
    templates = {KNOWN_PREFIX + t for KNOWN_PREFIX in KNOWN_PREFIXES for t in _templates(app)}
    assert routes <= templates | {UNMATCHED, "/metrics"}, routes - templates
    methods = set(re.findall(r'mutasi_http_requests_total\{method="([^"]*)"', body))
    assert methods <= {"GET", "POST", "OTHER"}
    assert len(routes) <= 8 and len(body) < 200_000


def _templates(app) -> set[str]:
    """Every route template of the app and of every router it includes."""
    import importlib
    import pkgutil

    import api.pages
    import api.routes

    found = {getattr(r, "path", "") for r in app.routes}
    for package in (api.routes, api.pages):
        for info in pkgutil.iter_modules(package.__path__):
            router = getattr(
                importlib.import_module(f"{package.__name__}.{info.name}"), "router", None
            )
            found |= {r.path for r in getattr(router, "routes", [])}
    return found

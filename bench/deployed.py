"""The deployment shape on one machine, for the load benchmarks: the dev server, N worker
processes (`python worker.py`) and M API processes (uvicorn, as `make run` starts them),
all against one database, each process configured by the environment alone."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.testing import WorkflowEnvironment

from bench.lifecycle_bench import start_dev_server
from bench.scratch_postgres import scratch_postgres
from mutasi.accounts.users import create_demo_users
from mutasi.demo.loader import load_demo
from mutasi.infra.db import build_engine
from mutasi.infra.settings import Settings
from mutasi.runner import api_command

ROOT = Path(__file__).resolve().parent.parent
QUEUE = "bench-deployed"


@dataclass
class Deployment:
    env: WorkflowEnvironment
    apis: list[str]  # base URLs
    workers: int  # distinct worker identities polling the task queue


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url_port: int, proc: subprocess.Popen, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} berhenti saat mulai (kode {proc.returncode})")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", url_port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{what} tidak siap dalam {seconds:.0f} s")


@asynccontextmanager
async def deployed(
    tmp: Path, database_url: str, workers: int, apis: int
) -> AsyncIterator[Deployment]:
    env = await start_dev_server(tmp)
    target = env.client.service_client.config.target_host
    child_env = {
        **os.environ,
        "TEMPORAL_ADDRESS": target,
        "DATABASE_URL": database_url,
        "MUTASI_TASK_QUEUE": QUEUE,
        "MUTASI_ENVIRONMENT": "development",
        "MUTASI_LOG_FORMAT": "text",
    }
    procs: list[subprocess.Popen] = []
    log = (tmp / "processes.log").open("ab")
    try:
        for _ in range(workers):
            procs.append(
                subprocess.Popen(
                    [sys.executable, "worker.py"], cwd=ROOT, env=child_env, stdout=log, stderr=log
                )
            )
        urls = []
        for i in range(apis):
            port = _free_port()
            proc = subprocess.Popen(
                api_command("127.0.0.1", port), cwd=ROOT, env=child_env, stdout=log, stderr=log
            )
            procs.append(proc)
            _wait_for(port, proc, f"API {i + 1}")
            urls.append(f"http://127.0.0.1:{port}")
        polling = await _workers_polling(env, workers)
        yield Deployment(env, urls, polling)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        log.close()
        await env.shutdown()


async def _workers_polling(env: WorkflowEnvironment, workers: int, seconds: float = 60) -> int:
    """Until `workers` pollers are on the task queue: no case starts before they are."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        described = await env.client.workflow_service.describe_task_queue(
            DescribeTaskQueueRequest(
                namespace=env.client.namespace,
                task_queue=TaskQueue(name=QUEUE),
                task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
            )
        )
        identities = {p.identity for p in described.pollers}
        if len(identities) >= workers:
            return len(identities)
        await asyncio.sleep(0.5)
    raise RuntimeError(f"{workers} worker tidak terlihat di antrean {QUEUE}")


def run_on_postgres(suite: str, body: Callable[[str, Path], Awaitable[None]]) -> None:
    """`body(url, tmp)` on a scratch PostgreSQL database, or the suite skipped without one."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    with scratch_postgres(suite) as url:
        if url is None:
            return
        with tempfile.TemporaryDirectory(prefix=f"mutasi-bench-{suite}-") as tmp:
            asyncio.run(body(url, Path(tmp)))


def demo_on(url: str):
    """The demo organisation and its users on `url`: (engine, settings)."""
    engine = build_engine(url)
    settings = Settings(DATABASE_URL=url)
    load_demo(engine, 2000, 9)
    create_demo_users(engine, settings)
    return engine, settings

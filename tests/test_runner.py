"""`make run`'s supervisor heals: a crashed worker comes back within seconds while the API
keeps answering; a process that keeps dying makes it give up with a non-zero exit."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import httpx
import pytest

from mutasi import runner
from tests.chaos_support import ROOT, DevServer, free_port


def _children(pid: int, pattern: str) -> list[int]:
    found = subprocess.run(
        ["pgrep", "-P", str(pid), "-f", pattern], capture_output=True, text=True
    ).stdout.split()
    return [int(p) for p in found]


@pytest.mark.devserver
def test_a_killed_worker_comes_back_while_the_api_keeps_answering(demo_template, tmp_path):
    server = DevServer(tmp_path / "temporal.db")
    server.start()
    shutil.copy(demo_template, tmp_path / "app.db")
    port = free_port()
    env = {
        **os.environ,
        "TEMPORAL_ADDRESS": server.address,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",
        "MUTASI_API_PORT": str(port),
        "MUTASI_TASK_QUEUE": f"run-{port}",
    }
    base = f"http://127.0.0.1:{port}/api/v1"
    with (tmp_path / "runner.log").open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mutasi.runner"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 90
        while not _children(proc.pid, "worker.py") or not _answers(f"{base}/health"):
            assert time.monotonic() < deadline and proc.poll() is None, (
                tmp_path / "runner.log"
            ).read_text()
            time.sleep(0.2)
        [worker] = _children(proc.pid, "worker.py")
        os.killpg(worker, signal.SIGKILL)
        killed_at = time.monotonic()
        while True:
            assert _answers(f"{base}/health"), "the API stopped answering while the worker was down"
            back = [p for p in _children(proc.pid, "worker.py") if p != worker]
            if back:
                break
            assert time.monotonic() - killed_at < 10, (tmp_path / "runner.log").read_text()
            time.sleep(0.1)
        deadline = time.monotonic() + 30
        while not _answers(f"{base}/ready"):  # database, schema and Temporal all reachable
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert "dimulai lagi" in (tmp_path / "runner.log").read_text()
        proc.send_signal(signal.SIGINT)
        assert proc.wait(60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        server.kill()


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def test_a_process_that_keeps_dying_makes_the_supervisor_give_up(monkeypatch):
    monkeypatch.setattr(runner, "MAX_PAUSE", 0.05)
    crashing = runner.Child(
        "worker", [sys.executable, "-c", "import sys; sys.exit(3)"], dict(os.environ)
    )
    steady = runner.Child(
        "api", [sys.executable, "-c", "import time; time.sleep(60)"], dict(os.environ)
    )
    crashing.start()
    first = steady.start()
    try:
        assert runner._supervise([crashing, steady]) == 1
        assert len(crashing.crashes) == runner.MAX_RESTARTS
        assert steady.proc is first and first.poll() is None  # the healthy one was never touched
    finally:
        runner._stop([crashing, steady])


def test_ready_says_what_is_missing(demo_engine):
    from fastapi.testclient import TestClient

    from api.main import create_app
    from mutasi.infra.settings import Settings

    with TestClient(
        create_app(Settings(TEMPORAL_ADDRESS="127.0.0.1:1"), engine=demo_engine)
    ) as client:
        r = client.get("/api/v1/ready")
    assert r.status_code == 503 and r.headers["retry-after"]
    assert r.json()["checks"]["database"] == "ok" and r.json()["checks"]["temporal"] != "ok"


def test_a_database_under_the_old_default_name_is_kept_under_the_new_one(tmp_path, monkeypatch):
    from mutasi import runner

    monkeypatch.setattr(runner, "VAR_DIR", tmp_path)
    (tmp_path / "mutasi.infra.db").write_bytes(b"data lama")
    runner._adopt_old_default_database()
    assert (tmp_path / "mutasi.db").read_bytes() == b"data lama"
    assert not (tmp_path / "mutasi.infra.db").exists()
    (tmp_path / "mutasi.infra.db").write_bytes(b"lain")  # never over a database already there
    runner._adopt_old_default_database()
    assert (tmp_path / "mutasi.db").read_bytes() == b"data lama"

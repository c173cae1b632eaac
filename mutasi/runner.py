"""`make run`: the embedded Temporal dev server, the worker and the API/web app together.

With TEMPORAL_ADDRESS set the external cluster is used and no dev server starts.
Ctrl-C stops all three; the Temporal history (var/temporal.db) and the application
database persist, so the next `make run` resumes where this one stopped.

A process that dies is started again after a growing pause (1 s, 2 s, 4 s, ... 30 s)
while the others keep running: Temporal makes a worker crash harmless, so the supervisor
must not turn it into an outage. A process that dies MAX_RESTARTS times within
RESTART_WINDOW seconds makes the supervisor give up, stop everything and exit 1, so a
service manager above it sees the failure.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

from mutasi.infra.db import engine_for, upgrade_database
from mutasi.infra.settings import PROJECT_ROOT, VAR_DIR, get_settings
from mutasi.infra.temporal import dev_server_args, temporal_cli

MAX_RESTARTS = 5
RESTART_WINDOW = 300.0
MAX_PAUSE = 30.0


@dataclass
class Child:
    name: str
    args: list[str]
    env: dict[str, str]
    proc: subprocess.Popen[bytes] | None = None
    crashes: list[float] = field(default_factory=list)
    restart_at: float | None = None

    def start(self) -> subprocess.Popen[bytes]:
        # Own process group: the terminal's Ctrl-C reaches us, and we stop children in order.
        self.proc = subprocess.Popen(
            self.args, cwd=PROJECT_ROOT, env=self.env, start_new_session=True
        )
        self.restart_at = None
        return self.proc


def api_command(host: str, port: int) -> list[str]:
    """One API process, as production runs it (uvicorn with the app factory)."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "api.main:served_app",
        "--host",
        host,
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
        # The client's address comes from MUTASI_TRUSTED_PROXIES (api/services/accounts.py),
        # never from uvicorn's own trust in whatever X-Forwarded-For 127.0.0.1 sends.
        "--no-proxy-headers",
    ]


def _port_open(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def _wait_for_port(
    host: str, port: int, what: str, proc: subprocess.Popen[bytes], seconds: float = 60
) -> None:
    deadline = time.monotonic() + seconds
    while not _port_open(host, port):
        if proc.poll() is not None:
            raise SystemExit(f"{what} berhenti dengan kode {proc.returncode}; lihat log di atas")
        if time.monotonic() > deadline:
            raise SystemExit(f"{what} tidak siap di {host}:{port} setelah {seconds:.0f} detik")
        time.sleep(0.3)


def _prepare_database() -> list[Any]:
    """Migrate; on an empty database load the demo agency and its demo accounts."""
    from mutasi.accounts.users import create_demo_users

    settings = get_settings()
    upgrade_database(settings.database_url)
    engine = engine_for(settings.database_url)
    from mutasi.demo.loader import database_is_empty, load_demo

    if database_is_empty(engine):
        print(
            f"Memuat data demo ({settings.demo_employees} pegawai, seed {settings.demo_seed})...",
            flush=True,
        )
        report = load_demo(engine, settings.demo_employees, settings.demo_seed)
        print(f"  {report.changed} baris dimuat", flush=True)
    return [] if settings.production else create_demo_users(engine, settings)


def _adopt_old_default_database() -> None:
    """Earlier versions defaulted to var/mutasi.infra.db (a rename accident): an
    install that has it and not var/mutasi.db keeps its data under the new name."""
    old, new = VAR_DIR / "mutasi.infra.db", VAR_DIR / "mutasi.db"
    if old.is_file() and not new.exists():
        old.rename(new)
        print(f"Basis data {old} dipindah ke {new}", flush=True)


def main() -> None:
    VAR_DIR.mkdir(exist_ok=True)
    _adopt_old_default_database()
    settings = get_settings()
    demo_users = _prepare_database()
    env = dict(os.environ)
    children: list[Child] = []
    code = 0

    def start(name: str, args: list[str]) -> subprocess.Popen[bytes]:
        child = Child(name, args, env)
        children.append(child)
        return child.start()

    try:
        if settings.temporal_address is None:
            if _port_open("127.0.0.1", 7233):
                raise SystemExit(
                    "port 7233 sudah dipakai: hentikan server Temporal lain, "
                    "atau set TEMPORAL_ADDRESS untuk memakainya"
                )
            server = start(
                "temporal", [str(temporal_cli()), *dev_server_args(VAR_DIR / "temporal.db")]
            )
            _wait_for_port("127.0.0.1", 7233, "Server Temporal", server)
            env["TEMPORAL_ADDRESS"] = "127.0.0.1:7233"
        env.setdefault("MUTASI_WORKER_METRICS_ADDRESS", "127.0.0.1:9464")
        # The API's /metrics is off without a token: this run makes one and prints it.
        env.setdefault("MUTASI_METRICS_TOKEN", secrets.token_urlsafe(18))
        start("worker", [sys.executable, "worker.py"])
        api = start(
            "api",
            api_command(settings.api_host, settings.api_port),
        )
        _wait_for_port(settings.api_host, settings.api_port, "API", api)
        base = f"http://{settings.api_host}:{settings.api_port}"
        print("\nMutasi berjalan:", flush=True)
        print(f"  Web        {base}/", flush=True)
        print(f"  API docs   {base}/docs", flush=True)
        print(
            f"  Metrik     {base}/metrics (API, Authorization: Bearer {env['MUTASI_METRICS_TOKEN']}), "
            f"http://{env['MUTASI_WORKER_METRICS_ADDRESS']}/metrics (worker)",
            flush=True,
        )
        if settings.temporal_address is None:
            print(f"  Temporal   {settings.temporal_ui_url}", flush=True)
        else:
            print(
                f"  Temporal   {settings.temporal_address} (eksternal), Web UI {settings.temporal_ui_url} "
                "(MUTASI_TEMPORAL_UI_URL)",
                flush=True,
            )
        if demo_users:
            print(f"\nAkun demo (kata sandi: {settings.demo_password}):", flush=True)
            for user in demo_users:
                print(f"  {user.username:<20} {user.roles:<18} {user.who}", flush=True)
        print("Tekan Ctrl-C untuk berhenti.\n", flush=True)
        code = _supervise(children)
    except KeyboardInterrupt:
        pass
    finally:
        _stop(children)
    if code:
        sys.exit(code)


def _supervise(children: list[Child]) -> int:
    """Keep every child running until a signal (0) or until one keeps dying (1)."""
    stop = False

    def on_signal(_sig: int, _frame: FrameType | None) -> None:
        nonlocal stop
        stop = True

    # Installed explicitly: a runner started in the background inherits SIGINT as ignored.
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    while not stop:
        now = time.monotonic()
        for child in children:
            if child.restart_at is not None:
                if now >= child.restart_at:
                    print(f"{child.name} dimulai lagi", flush=True)
                    child.start()
                continue
            if child.proc is None or child.proc.poll() is None:
                continue
            child.crashes = [t for t in child.crashes if now - t < RESTART_WINDOW] + [now]
            if len(child.crashes) >= MAX_RESTARTS:
                print(
                    f"{child.name} berhenti {len(child.crashes)} kali dalam {RESTART_WINDOW:.0f} detik "
                    f"(terakhir kode {child.proc.returncode}); menyerah dan menghentikan semuanya",
                    flush=True,
                )
                return 1
            pause = min(MAX_PAUSE, 2.0 ** (len(child.crashes) - 1))
            print(
                f"{child.name} berhenti (kode {child.proc.returncode}); dimulai lagi dalam {pause:g} detik, "
                "yang lain tetap berjalan",
                flush=True,
            )
            child.restart_at = now + pause
        time.sleep(0.2)
    return 0


def _stop(children: list[Child]) -> None:
    # API and worker first, the server last, so the worker can finish its in-flight tasks.
    for child in reversed(children):
        name, proc = child.name, child.proc
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGINT if name != "temporal" else signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    print("Mutasi berhenti.", flush=True)


if __name__ == "__main__":
    main()

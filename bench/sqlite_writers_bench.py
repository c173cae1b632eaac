"""The worker's SQLite writers queueing for the write lock (mutasi.infra.db._WriterQueue)
against SQLite's own busy wait, side by side in one run: 16 threads of short write
transactions (a read and two inserts, as an activity does), twice each, alternating.
Informational: the queue trades a longer median wait in line for a shorter tail."""

from __future__ import annotations

import shutil
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

from bench.results import Results
from mutasi.infra.db import build_engine

THREADS, TRANSACTIONS = 16, 150


def _measure(engine: Engine) -> tuple[float, float, float]:
    """(transactions/s, p50 ms, p99 ms)."""
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, w INTEGER, body TEXT)")
    waits: list[float] = []
    lock = threading.Lock()

    def write(w: int) -> None:
        for _ in range(TRANSACTIONS):
            started = time.perf_counter()
            with engine.begin() as conn:
                conn.execute(text("SELECT count(*) FROM t WHERE w = :w"), {"w": w})
                for body in ("x" * 200, "y" * 200):
                    conn.execute(
                        text("INSERT INTO t (w, body) VALUES (:w, :b)"), {"w": w, "b": body}
                    )
            with lock:
                waits.append(time.perf_counter() - started)

    started = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(write, range(THREADS)))
    took = time.perf_counter() - started
    waits.sort()
    return len(waits) / took, 1000 * waits[len(waits) // 2], 1000 * waits[int(0.99 * len(waits))]


def run(results: Results) -> None:
    figures: dict[str, list[tuple[float, float, float]]] = {"queue": [], "poll": []}
    for turn in range(4):
        kind = "queue" if turn % 2 else "poll"
        folder = Path(tempfile.mkdtemp(prefix="mutasi-bench-sqlite-"))
        url = f"sqlite:///{folder / 'w.db'}"
        engine = build_engine(url, writer=True, writers_queue=kind == "queue")
        try:
            figures[kind].append(_measure(engine))
        finally:
            engine.dispose()
            shutil.rmtree(folder, ignore_errors=True)
    for kind, runs in figures.items():
        results.add(f"sqlite_writers_{kind}_tx_per_s", statistics.mean(r[0] for r in runs), "tx/s")
        results.add(f"sqlite_writers_{kind}_p50_ms", statistics.mean(r[1] for r in runs), "ms")
        results.add(f"sqlite_writers_{kind}_p99_ms", statistics.mean(r[2] for r in runs), "ms")

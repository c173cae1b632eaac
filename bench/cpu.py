"""CPU seconds spent by this process (the worker), by its activity threads and by the
Temporal dev server it started, and the SQL statements the activities ran, so a
throughput gap can be split into where the work went."""

from __future__ import annotations

import concurrent.futures
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import event

TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def _dev_server_pid() -> int | None:
    """The `temporal server start-dev` child of this process, if there is one."""
    for task in Path("/proc/self/task").iterdir():
        for pid in (task / "children").read_text().split():
            try:
                if b"start-dev" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    return int(pid)
            except FileNotFoundError:
                continue
    return None


class MeteredExecutor(concurrent.futures.ThreadPoolExecutor):
    """A worker's activity thread pool that adds up the CPU its tasks use: the activities'
    own work, apart from the workflow and SDK work on the event loop."""

    def __init__(self, max_workers: int) -> None:
        super().__init__(max_workers=max_workers)
        self._lock = threading.Lock()
        self.cpu_seconds = 0.0

    def submit(self, fn, /, *args, **kwargs):
        def metered():
            started = time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                used = time.thread_time() - started
                with self._lock:
                    self.cpu_seconds += used

        return super().submit(metered)


class StatementCounter:
    """SQL statements an engine runs, from any thread, once attached."""

    def __init__(self, engine) -> None:
        self._lock = threading.Lock()
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args) -> None:
        with self._lock:
            self.count += 1


@dataclass
class CpuSample:
    worker: float
    server: float
    activities: float
    statements: float


class CpuMeter:
    """`sample()` before and after a phase; `per_item` turns the difference into per-case
    figures (CPU in ms)."""

    def __init__(self, pools: list[MeteredExecutor], statements: StatementCounter) -> None:
        self.server_pid = _dev_server_pid()
        self._pools = pools
        self._statements = statements

    def sample(self) -> CpuSample:
        server = _cpu_seconds(self.server_pid) if self.server_pid else 0.0
        return CpuSample(
            _cpu_seconds(os.getpid()),
            server,
            sum(p.cpu_seconds for p in self._pools),
            self._statements.count,
        )

    @staticmethod
    def per_item(before: CpuSample, after: CpuSample, items: int) -> CpuSample:
        return CpuSample(
            1000 * (after.worker - before.worker) / items,
            1000 * (after.server - before.server) / items,
            1000 * (after.activities - before.activities) / items,
            (after.statements - before.statements) / items,
        )


def _pin(pid: int, cpus: set[int]) -> None:
    # Every thread: affinity is per thread, and threads started later inherit their parent's.
    for tid in Path(f"/proc/{pid}/task").iterdir():
        try:
            os.sched_setaffinity(int(tid.name), cpus)
        except (ProcessLookupError, FileNotFoundError):
            continue


@contextmanager
def apart() -> Iterator[bool]:
    """Dev server on one core, this process (worker and client) on another, as when workers
    run on their own machines; yields False (and pins nothing) with fewer than two cores."""
    server_pid, cpus = _dev_server_pid(), sorted(os.sched_getaffinity(0))
    if server_pid is None or len(cpus) < 2:
        yield False
        return
    _pin(server_pid, {cpus[0]})
    _pin(os.getpid(), {cpus[1]})
    try:
        yield True
    finally:
        _pin(server_pid, set(cpus))
        _pin(os.getpid(), set(cpus))

"""CPU seconds spent by this process (the worker) and by the Temporal dev server it
started, so a throughput gap can be split into where the work went."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

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


@dataclass
class CpuSample:
    worker: float
    server: float


class CpuMeter:
    """`sample()` before and after a phase; `per_item_ms` turns the difference into ms per case."""

    def __init__(self) -> None:
        self.server_pid = _dev_server_pid()

    def sample(self) -> CpuSample:
        server = _cpu_seconds(self.server_pid) if self.server_pid else 0.0
        return CpuSample(_cpu_seconds(os.getpid()), server)

    @staticmethod
    def per_item_ms(before: CpuSample, after: CpuSample, items: int) -> CpuSample:
        return CpuSample(1000 * (after.worker - before.worker) / items, 1000 * (after.server - before.server) / items)


def _pin(pid: int, cpus: set[int]) -> None:
    # Every thread: affinity is per thread, and threads started later inherit their parent's.
    for tid in Path(f"/proc/{pid}/task").iterdir():
        try:
            os.sched_setaffinity(int(tid.name), cpus)
        except (ProcessLookupError, FileNotFoundError):
            continue


@contextmanager
def apart(server_pid: int | None) -> Iterator[bool]:
    """Dev server on one core, this process (worker and client) on another, as when workers
    run on their own machines; yields False (and pins nothing) with fewer than two cores."""
    cpus = sorted(os.sched_getaffinity(0))
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

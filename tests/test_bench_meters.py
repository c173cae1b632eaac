"""The lifecycle benchmark's meters: what they report is what the README splits the case
throughput gap by, so they must count what they claim."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, text

from bench.cpu import MeteredExecutor, StatementCounter


def _burn(seconds: float) -> str:
    until = time.thread_time() + seconds
    while time.thread_time() < until:
        pass
    return "done"


def test_metered_executor_adds_up_its_tasks_cpu_and_keeps_results_and_errors():
    with MeteredExecutor(2) as pool:
        results = [f.result() for f in [pool.submit(_burn, 0.05), pool.submit(_burn, 0.05)]]
        with pytest.raises(ZeroDivisionError):
            pool.submit(lambda: 1 / 0).result()
        waited = pool.submit(time.sleep, 0.2)
        waited.result()
    assert results == ["done", "done"]
    # Two 50 ms burns count; the 200 ms sleep uses no CPU and must not.
    assert 0.1 <= pool.cpu_seconds < 0.18


def test_statement_counter_counts_every_statement_from_any_thread(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'count.db'}")
    counter = StatementCounter(engine)

    def three_statements() -> None:
        with engine.begin() as conn:
            conn.execute(text("create table if not exists t (x int)"))
            conn.execute(text("insert into t values (1)"))
            conn.execute(text("select count(*) from t"))

    with MeteredExecutor(4) as pool:
        for f in [pool.submit(three_statements) for _ in range(8)]:
            f.result()
    assert counter.count == 24
    engine.dispose()

"""The lifecycle benchmark's meters: what they report is what docs/benchmarks.md splits the case
throughput gap by, so they must count what they claim."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, text
from temporalio.api.history.v1 import HistoryEvent

from bench.case_time import time_by_part
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


def _event(event_id: int, at: float, kind: str, **links: int) -> HistoryEvent:
    event = HistoryEvent(event_id=event_id)
    event.event_time.FromNanoseconds(int(at * 1e9))
    getattr(event, f"{kind}_event_attributes").SetInParent()
    for name, value in links.items():
        setattr(getattr(event, f"{kind}_event_attributes"), name, value)
    return event


def test_case_time_splits_each_wait_and_run_at_its_own_events():
    history = [
        _event(1, 0.0, "workflow_execution_started"),
        _event(2, 0.0, "workflow_task_scheduled"),
        _event(3, 0.5, "workflow_task_started", scheduled_event_id=2),
        _event(4, 0.6, "workflow_task_completed", started_event_id=3),
        _event(5, 0.6, "activity_task_scheduled"),
        _event(6, 2.6, "activity_task_started", scheduled_event_id=5),
        _event(7, 2.9, "activity_task_completed", started_event_id=6),
        _event(8, 2.9, "workflow_task_scheduled"),
        _event(9, 3.0, "workflow_task_started", scheduled_event_id=8),
        _event(10, 3.2, "workflow_task_completed", started_event_id=9),
    ]
    spent = time_by_part(history)
    assert spent == pytest.approx(
        {
            "activity_wait": 2.0,
            "activity_run": 0.3,
            "workflow_task_wait": 0.6,
            "workflow_task_run": 0.3,
        }
    )

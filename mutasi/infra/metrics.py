"""Prometheus metrics of the API process: requests by route and status with their latency,
and, read from the database at each scrape, open cases by stage, open approval tasks (the
inboxes) by step role and overdue, and each agency's audit chain length (a counter, so
`rate(mutasi_audit_events_total[5m])` is the append rate). The worker's own metrics (task
latencies, slots, sticky cache) come from the Temporal SDK's Prometheus endpoint instead,
see `worker_runtime`."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlmodel import col

from contracts.enums import TaskStatus
from models import ApprovalTask, AuditChainHead, AuditEvent, MutationCase
from models.tables import table_of

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class DatabaseCollector:
    """Figures that live in the database, counted when Prometheus scrapes."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[Metric]:
        open_cases = GaugeMetricFamily(
            "mutasi_open_cases", "Open mutation cases by stage", labels=["stage"]
        )
        tasks = GaugeMetricFamily(
            "mutasi_open_tasks", "Open approval tasks (all inboxes) by step role", labels=["role"]
        )
        overdue = GaugeMetricFamily(
            "mutasi_overdue_tasks", "Open approval tasks past their deadline"
        )
        audit_events = CounterMetricFamily(
            "mutasi_audit_events", "Audit events appended, per agency chain", labels=["agency"]
        )
        unsealed = GaugeMetricFamily(
            "mutasi_audit_events_unsealed",
            "Audit events written and waiting for the next seal, per agency",
            labels=["agency"],
        )
        with Session(self.engine) as s:
            for stage, n in s.execute(
                select(col(MutationCase.stage), func.count())
                .where(col(MutationCase.outcome).is_(None))
                .group_by(col(MutationCase.stage))
            ):
                open_cases.add_metric([stage], n)
            for role, n in s.execute(
                select(col(ApprovalTask.role), func.count())
                .where(col(ApprovalTask.status) == TaskStatus.OPEN)
                .group_by(col(ApprovalTask.role))
            ):
                tasks.add_metric([role], n)
            overdue.add_metric(
                [],
                s.execute(
                    select(func.count())
                    .select_from(ApprovalTask)
                    .where(
                        col(ApprovalTask.status) == TaskStatus.OPEN,
                        col(ApprovalTask.due_at) < datetime.now(UTC),
                    )
                ).scalar_one(),
            )
            # Sealed (the head's sequence) plus written and waiting for the next seal (the
            # partial index of unsealed events keeps this cheap on a large table).
            written = dict(
                s.execute(select(col(AuditChainHead.agency_code), col(AuditChainHead.seq))).all()
            )
            for agency, n in s.execute(
                select(col(AuditEvent.agency_code), func.count())
                .where(table_of(AuditEvent).c.seq.is_(None))
                .group_by(col(AuditEvent.agency_code))
            ):
                written[agency] = written.get(agency, 0) + n
                unsealed.add_metric([agency], n)
            for agency, n in sorted(written.items()):
                audit_events.add_metric([agency], n)
        yield from (open_cases, tasks, overdue, audit_events, unsealed)


METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class ApiMetrics:
    """One registry per application (tests build many apps in one process)."""

    def __init__(self, engine: Engine) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "mutasi_http_requests",
            "HTTP requests by route and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "mutasi_http_request_seconds",
            "HTTP request latency by route",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.registry.register(DatabaseCollector(engine))

    def observe(self, method: str, route: str, status: int, started: float) -> None:
        # A client chooses the method it sends: an unknown one is one label, not one each.
        method = method if method in METHODS else "OTHER"
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(time.perf_counter() - started)

"""Cases by stage over time come from the audit trail: each day's count per stage is what
the trail says stood at the end of that day; the cycle page draws it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import Session

from api.main import create_app
from models import Employee, MutationCase
from mutasi.audit import chain as audit
from mutasi.infra.settings import Settings
from mutasi.reports.stage_timeline import chart_rows, stage_timeline
from tests.auth_support import page_client
from tests.support.cases import pick_move
from tests.workflow_support import create_cycle_row

DAY1 = date(2026, 11, 1)


def seed(engine) -> None:
    create_cycle_row(engine, "TL")
    person, dest = pick_move(engine)
    with Session(engine) as s:
        other = s.execute(
            select(Employee.nip).where(Employee.nip != person.nip).limit(1)
        ).scalar_one()
    now = datetime.now(UTC)
    with Session(engine) as s:
        for name in ("A", "B"):
            s.add(
                MutationCase(
                    id=f"TL.{name}",
                    cycle_id="TL",
                    nip=person.nip if name == "A" else other,
                    agency_code="X",
                    mutation_type="within_agency",
                    origin_position=dest.code,
                    origin_unit=dest.unit_code,
                    destination_position=dest.code,
                    destination_unit=dest.unit_code,
                    stage="consultation",
                    requested_by="hr",
                    workflow_id=f"case-TL.{name}",
                    created_at=now,
                    updated_at=now,
                    outcome="withdrawn" if name == "B" else None,
                )
            )
        s.flush()
        for n, (case, action, day) in enumerate(
            [
                ("A", "case.opened", 0),
                ("A", "case.approval", 1),
                ("B", "case.opened", 1),
                ("B", "case.rejected", 2),
                ("A", "case.completed", 3),
            ]
        ):
            audit.append(
                s,
                audit.AuditInput(
                    key=f"tl/{n}",
                    agency_code="X",
                    at=datetime.combine(DAY1 + timedelta(days=day), datetime.min.time(), UTC)
                    + timedelta(hours=9),
                    actor="sistem",
                    role="system",
                    action=action,
                    subject_type="case",
                    subject_id=f"TL.{case}",
                ),
            )
        s.commit()


def test_each_day_counts_the_stage_each_case_stood_in(demo_engine):
    seed(demo_engine)
    with Session(demo_engine) as s:
        days = stage_timeline(s, "TL", DAY1 + timedelta(days=4))
    assert [(d["day"], d["counts"]) for d in days] == [
        (DAY1, {"consultation": 1}),
        (DAY1 + timedelta(days=1), {"approval": 1, "consultation": 1}),
        (DAY1 + timedelta(days=2), {"approval": 1, "rejected": 1}),
        (DAY1 + timedelta(days=3), {"completed": 1, "rejected": 1}),
        (DAY1 + timedelta(days=4), {"completed": 1, "rejected": 1}),
    ]
    bars = chart_rows(days)
    # In lifecycle order, each day's segments add up to its share of the widest day.
    assert [g["stage"] for g in bars[2]["segments"]] == ["approval", "rejected"]
    assert bars[0]["segments"][0]["w"] == 50.0 and sum(g["w"] for g in bars[3]["segments"]) == 100.0
    with Session(demo_engine) as s:
        assert stage_timeline(s, "TIDAK-ADA", DAY1) == []


def test_the_cycle_page_draws_the_timeline(demo_engine):
    seed(demo_engine)
    with TestClient(
        create_app(Settings(TEMPORAL_ADDRESS="127.0.0.1:1"), engine=demo_engine)
    ) as client:
        page_client(client, demo_engine, "hr")
        page = client.get("/hr/cycles/TL")
    assert page.status_code == 200
    assert 'data-testid="stage-timeline"' in page.text and "seg-completed" in page.text

"""The approver's inbox tells them what they decide: who moves from which post to which,
the step and its deadline; it filters by name or NIP, and approving in bulk first shows a
confirmation listing every task (nothing is decided until it is confirmed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import Session

from api.main import create_app
from models import ApprovalTask, Employee, MutationCase, Position, Unit, UserAccount
from mutasi.infra.settings import Settings
from tests.auth_support import page_client
from tests.workflow_support import create_cycle_row


def open_tasks_for_one_approver(engine, count: int = 2) -> tuple[str, list[Employee]]:
    """`count` open cases whose first step waits for the same approver (their username)."""
    now = datetime.now(UTC)
    create_cycle_row(engine, "INBOX")
    with Session(engine) as s:
        approver = s.execute(
            select(UserAccount).where(UserAccount.roles == "approver,employee").limit(1)
        ).scalar_one()
        people = (
            s.execute(
                select(Employee)
                .join(Position, Position.code == Employee.position_code)
                .where(Position.kind == "pelaksana", Employee.nip != approver.nip)
                .order_by(Employee.nip)
                .limit(count)
            )
            .scalars()
            .all()
        )
        for person in people:
            unit = s.get(Position, person.position_code).unit_code
            case_id = f"INBOX.{person.nip}"
            s.add(
                MutationCase(
                    id=case_id,
                    cycle_id="INBOX",
                    nip=person.nip,
                    agency_code=s.get(Unit, unit).agency_code,
                    mutation_type="within_agency",
                    origin_position=person.position_code,
                    origin_unit=unit,
                    destination_position=person.position_code,
                    destination_unit=unit,
                    stage="approval",
                    requested_by="hr",
                    workflow_id=f"case-{case_id}",
                    created_at=now,
                    updated_at=now,
                )
            )
            s.flush()
            s.add(
                ApprovalTask(
                    id=f"{case_id}/0/origin_head",
                    case_id=case_id,
                    step=0,
                    role="origin_head",
                    title="Kepala Perangkat Daerah asal",
                    assignee_nip=approver.nip,
                    deciders=[approver.nip],
                    due_at=now + timedelta(days=3),
                    created_at=now,
                )
            )
        username = approver.username
        s.commit()
        for person in people:
            s.refresh(person)
        s.expunge_all()
        return username, people


def test_the_inbox_says_who_moves_where_and_bulk_approval_asks_first(demo_engine):
    username, people = open_tasks_for_one_approver(demo_engine)
    app = create_app(Settings(TEMPORAL_ADDRESS="127.0.0.1:1"), engine=demo_engine)
    with TestClient(app, follow_redirects=False) as client:
        csrf = page_client(client, demo_engine, username)
        page = client.get("/inbox").text
        assert all(p.name in page and p.nip in page for p in people)
        with Session(demo_engine) as s:
            unit = s.get(Unit, s.get(Position, people[0].position_code).unit_code)
        assert unit.name in page  # the unit's name, not only its code
        only = client.get("/inbox", params={"q": people[1].nip}).text
        assert people[1].name in only and people[0].name not in only
        confirm = client.post(
            "/inbox/bulk",
            data={"csrf": csrf, "task_id": [f"INBOX.{p.nip}/0/origin_head" for p in people]},
        )
        assert confirm.status_code == 200 and "confirm-list" in confirm.text
        assert all(p.name in confirm.text for p in people)
    with Session(demo_engine) as s:
        statuses = s.execute(
            select(ApprovalTask.status).where(ApprovalTask.case_id.like("INBOX.%"))
        ).scalars()
        assert set(statuses) == {"open"}  # nothing decided before the confirmation

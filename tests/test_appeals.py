"""After the decree: the published results show who moves where and from when (nothing
else), and the employee's objection (keberatan) is lodged within the window and decided
with a reason by the PPK's side, never by anyone else."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlmodel import Session

from api.main import create_app
from models import Agency, AuditEvent, Decree, MutationCase, Notification, Position
from mutasi.infra.clock import today
from mutasi.infra.settings import Settings
from mutasi.org.directory import OrgDirectory
from tests.auth_support import auth_headers
from tests.support.cases import pick_move
from tests.test_case_documents import EXE, PDF
from tests.workflow_support import create_cycle_row


def decreed_case(engine, cycle_id: str, stage: str, number: str, sequence: int = 1):
    """A case of a real person to a real post whose decree was issued today (its TMT still
    ahead): (case id, person, destination post, agency)."""
    person, dest = pick_move(engine)
    create_cycle_row(engine, cycle_id)
    now = datetime.now(UTC)
    with Session(engine) as s:
        agency = OrgDirectory(s).agency_of(person.nip)
        origin = s.get(Position, person.position_code)
        case = MutationCase(
            id=f"{cycle_id}.{person.nip}",
            cycle_id=cycle_id,
            nip=person.nip,
            agency_code=agency,
            mutation_type="within_agency",
            origin_position=origin.code,
            origin_unit=origin.unit_code,
            destination_position=dest.code,
            destination_unit=dest.unit_code,
            stage=stage,
            requested_by="hr",
            workflow_id=f"case-{cycle_id}.{person.nip}",
            created_at=now,
            updated_at=now,
        )
        s.add(case)
        s.flush()
        s.add(
            Decree(
                number=number,
                case_id=case.id,
                agency_code=agency,
                year=2026,
                sequence=sequence,
                decided_on=today(),
                tmt=today() + timedelta(days=30),
                annex={
                    "name": person.name,
                    "nip": person.nip,
                    "old_position": origin.title,
                    "old_unit": origin.unit_code,
                    "new_position": dest.title,
                    "new_unit": dest.unit_code,
                },
                verification_code="KODE" + cycle_id,
            )
        )
        s.commit()
    return f"{cycle_id}.{person.nip}", person, dest, agency


@pytest.fixture
def decreed(demo_engine):
    """A decreed case, and the API."""
    _case, person, _dest, agency = decreed_case(
        demo_engine, "KEB", "awaiting_tmt", "800/001/BKPSDM/2026"
    )
    settings = Settings(TEMPORAL_ADDRESS="127.0.0.1:1")
    with TestClient(create_app(settings, engine=demo_engine)) as client:
        yield client, settings, person, agency


def lodge(client, headers, case_id, reason="Penempatan jauh dari keluarga yang sakit", data=PDF):
    return client.post(
        f"/api/v1/me/cases/{case_id}/appeal",
        data={"reason": reason},
        files={"file": ("keberatan.pdf", data, "application/pdf")},
        headers=headers,
    )


def test_results_show_the_move_and_nothing_else(decreed, demo_engine):
    client, settings, person, _ = decreed
    auditor = auth_headers(demo_engine, settings, "auditor")
    rows = client.get("/api/v1/results", headers=auditor).json()
    mine = [r for r in rows if r["nip"] == person.nip]
    assert len(mine) == 1 and mine[0]["name"] == person.name
    assert set(mine[0]) == {
        "decree",
        "decided_on",
        "tmt",
        "name",
        "nip",
        "from_position",
        "from_unit",
        "to_position",
        "to_unit",
        "revoked_by",  # the revoking decree, once an upheld objection revoked the move
    }
    assert mine[0]["revoked_by"] is None
    assert client.get("/api/v1/results").status_code == 401


def test_an_objection_within_the_window_is_decided_by_the_ppk_side_only(decreed, demo_engine):
    client, settings, person, agency = decreed
    me = auth_headers(demo_engine, settings, person.nip)
    hr = auth_headers(demo_engine, settings, "hr")
    case_id = f"KEB.{person.nip}"
    with Session(demo_engine) as s:  # the PPK signs in person: BKPSDM records the letter
        s.execute(update(Agency).where(Agency.code == agency).values(ppk_delegation=""))
        s.commit()
    assert lodge(client, me, case_id, data=EXE).status_code == 415
    assert lodge(client, me, case_id, reason="pendek").status_code == 422
    filed = lodge(client, me, case_id)
    assert filed.status_code == 201, filed.text
    appeal = filed.json()
    assert appeal["status"] == "filed" and appeal["decider_nip"] is None  # the PPK decides on paper
    assert lodge(client, me, case_id).status_code == 409  # one at a time
    # An approver who is not the PPK's side may not decide; HR records only with the letter.
    with Session(demo_engine) as s:
        approver = OrgDirectory(s).head_of(s.get(MutationCase, case_id).destination_unit)
    boss = auth_headers(demo_engine, settings, approver)
    body = {"uphold": False, "reason": "penempatan sesuai analisis beban kerja"}
    assert (
        client.post(f"/api/v1/appeals/{appeal['id']}/decision", json=body, headers=boss).status_code
        == 403
    )
    assert (
        client.post(f"/api/v1/appeals/{appeal['id']}/decision", json=body, headers=hr).status_code
        == 422
    )
    done = client.post(
        f"/api/v1/appeals/{appeal['id']}/decision",
        json={**body, "letter_number": "800/77/PPK/2026"},
        headers=hr,
    )
    assert done.status_code == 200 and "ditolak" in done.json()["message"]
    again = client.post(
        f"/api/v1/appeals/{appeal['id']}/decision", json={**body, "letter_number": "x"}, headers=hr
    )
    assert again.status_code == 409
    with Session(demo_engine) as s:
        actions = (
            s.execute(
                select(AuditEvent.action)
                .where(AuditEvent.subject_id == case_id)
                .order_by(AuditEvent.id)
            )
            .scalars()
            .all()
        )
        told = (
            s.execute(
                select(Notification.message).where(
                    Notification.recipient_nip == person.nip, Notification.kind == "objection"
                )
            )
            .scalars()
            .all()
        )
    assert actions[-2:] == ["appeal.filed", "appeal.dismissed"]
    assert any("penempatan sesuai analisis beban kerja" in m for m in told)


def test_where_the_sekda_decides_for_the_ppk_hr_may_not_and_the_window_closes(decreed, demo_engine):
    client, settings, person, agency = decreed
    me = auth_headers(demo_engine, settings, person.nip)
    with Session(demo_engine) as s:
        s.execute(update(Agency).where(Agency.code == agency).values(ppk_delegation="sekda"))
        s.commit()
        sekda = OrgDirectory(s).sekda(agency)
    appeal = lodge(client, me, f"KEB.{person.nip}").json()
    assert appeal["decider_nip"] == sekda
    body = {"uphold": True, "reason": "alasan keluarga dapat diterima"}
    hr = auth_headers(demo_engine, settings, "hr")
    assert (
        client.post(f"/api/v1/appeals/{appeal['id']}/decision", json=body, headers=hr).status_code
        == 403
    )
    mine = client.get("/api/v1/appeals", headers=auth_headers(demo_engine, settings, sekda)).json()
    assert [a["id"] for a in mine] == [appeal["id"]]
    decided = client.post(
        f"/api/v1/appeals/{appeal['id']}/decision",
        json=body,
        headers=auth_headers(demo_engine, settings, sekda),
    )
    # The case cannot be withdrawn while the workflow service is down: said, not hidden.
    assert decided.status_code == 200 and "dikabulkan" in decided.json()["message"]
    # After the window, no new objection.
    with Session(demo_engine) as s:
        s.execute(
            update(Decree).values(decided_on=today() - timedelta(days=settings.appeal_days + 1))
        )
        s.commit()
    late = lodge(client, me, f"KEB.{person.nip}")
    assert late.status_code == 409 and "sampai" in late.json()["detail"]

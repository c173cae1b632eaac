"""HR's approval settings through the API: chain templates (validated) and delegations."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlmodel import Session

from models import ApprovalTemplate, Employee
from tests.auth_support import username_with_role


def assistant_post(engine) -> str:
    """A held post in the Setda: a template may name it as a step of its own."""
    with Session(engine) as s:
        return s.execute(
            select(Employee.position_code).where(Employee.position_code.like("SETDA%")).limit(1)
        ).scalar_one()


def test_templates_default_then_customised(hr, demo_engine):
    listed = hr.get("/api/v1/approval-templates").json()
    assert {t["mutation_type"] for t in listed} == {
        "within_agency",
        "between_regencies",
        "between_provinces",
        "regional_central",
    }
    assert not any(t["customised"] for t in listed)
    body = {
        "name": "Dalam instansi (ringkas)",
        "steps": [
            {
                "name": "Kepala asal dan tujuan",
                "roles": ["origin_head", "destination_head"],
                "quorum": 2,
                "deadline_days": 5,
                "reminder_days": 2,
            },
            {"name": "Asisten Pemerintahan", "roles": [f"position:{assistant_post(demo_engine)}"]},
            {"name": "PPK", "roles": ["ppk"]},
        ],
    }
    r = hr.put("/api/v1/approval-templates/within_agency", json=body)
    assert r.status_code == 200 and r.json()["customised"]
    with Session(demo_engine) as s:
        assert s.get(ApprovalTemplate, "within_agency").steps[0]["quorum"] == 2


@pytest.mark.parametrize(
    ("steps", "reason"),
    [
        ([{"name": "Raja", "roles": ["raja"]}], "tidak dikenal"),
        ([{"name": "Jabatan", "roles": ["position:TIDAK-ADA"]}], "jabatan TIDAK-ADA tidak ada"),
        (
            [{"name": "Gubernur bersama", "roles": ["governor", "bkpsdm_head"]}],
            "langkah tersendiri",
        ),
        ([{"name": "Dua kali", "roles": ["ppk", "ppk"]}], "ganda"),
        ([{"name": "Kuorum", "roles": ["ppk"], "quorum": 3}], "kuorum"),
        (
            [{"name": "Pengingat", "roles": ["ppk"], "deadline_days": 2, "reminder_days": 3}],
            "pengingat",
        ),
    ],
)
def test_bad_templates_are_422_and_change_nothing(hr, demo_engine, steps, reason):
    r = hr.put("/api/v1/approval-templates/within_agency", json={"name": "Salah", "steps": steps})
    assert r.status_code == 422 and reason in r.json()["detail"], r.text
    with Session(demo_engine) as s:
        assert s.get(ApprovalTemplate, "within_agency") is None


def test_unknown_mutation_type_is_404(hr):
    r = hr.put(
        "/api/v1/approval-templates/antar-planet",
        json={"name": "X" * 5, "steps": [{"name": "PPK", "roles": ["ppk"]}]},
    )
    assert r.status_code == 404


def test_delegation_needs_an_approver_and_can_be_revoked(hr, demo_engine):
    approver = username_with_role(demo_engine, "approver")
    clerk = username_with_role(demo_engine, "employee", exclude_roles=("approver",))
    body = {
        "delegator_nip": approver,
        "delegate_nip": clerk,
        "starts_on": "2030-01-01",
        "ends_on": "2030-01-31",
        "reason": "cuti tahunan",
    }
    refused = hr.post("/api/v1/delegations", json=body)
    assert refused.status_code == 422 and "approver" in refused.json()["detail"]
    reversed_body = {**body, "delegator_nip": clerk, "delegate_nip": approver}
    created = hr.post("/api/v1/delegations", json=reversed_body)
    assert created.status_code == 201, created.text
    revoked = hr.delete(f"/api/v1/delegations/{created.json()['id']}")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert hr.delete("/api/v1/delegations/999999").status_code == 404
    backwards = hr.post("/api/v1/delegations", json={**reversed_body, "ends_on": "2029-01-01"})
    assert backwards.status_code == 422

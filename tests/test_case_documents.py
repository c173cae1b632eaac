"""Case documents over the API: the type is read from the content, the size is capped,
only those involved in a case see its documents, and HR's rejection needs a reason."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import Session

from api.main import create_app
from models import AuditEvent, CaseDocument, Employee, MutationCase, UserAccount
from mutasi.dossier.checklist import ChecklistItem, validate_items
from mutasi.dossier.content import media_type_of
from mutasi.infra.settings import Settings
from tests.auth_support import auth_headers, page_client
from tests.workflow_support import create_cycle_row

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
EXE = b"MZ\x90\x00" + b"\0" * 60  # a Windows program, renamed below to look like a PDF


@pytest.fixture
def dossier_case(demo_engine, tmp_path):
    """A closed between-agency case of one employee (nothing waits on it in Temporal), and a
    client with that employee, another employee, HR and the auditor signed in."""
    settings = Settings(
        TEMPORAL_ADDRESS="127.0.0.1:1",
        document_dir=str(tmp_path / "dokumen"),
        case_document_max_bytes=4096,
    )
    with Session(demo_engine) as s:
        owner, other = s.execute(
            select(UserAccount.nip)
            .where(UserAccount.roles == "employee")
            .order_by(UserAccount.nip)
            .limit(2)
        ).scalars()
        person = s.get(Employee, owner)
    create_cycle_row(demo_engine, "DOK")
    now = datetime.now(UTC)
    with Session(demo_engine) as s:
        s.add(
            MutationCase(
                id=f"DOK.{owner}",
                cycle_id="DOK",
                nip=owner,
                agency_code="KAB-SKM",
                mutation_type="between_regencies",
                origin_position=person.position_code,
                origin_unit="X",
                destination_position=person.position_code,
                destination_unit="X",
                stage="withdrawn",
                outcome="withdrawn",
                requested_by="hr",
                workflow_id=f"case-DOK.{owner}",
                created_at=now,
                updated_at=now,
            )
        )
        s.commit()
    app = create_app(settings, engine=demo_engine)
    heads = {
        who: auth_headers(demo_engine, settings, name)
        for who, name in (("owner", owner), ("other", other), ("hr", "hr"), ("auditor", "auditor"))
    }
    with TestClient(app) as client:
        yield client, f"DOK.{owner}", heads


def upload(client, case_id, headers, kind, name, data):
    return client.post(
        f"/api/v1/cases/{case_id}/documents",
        data={"kind": kind},
        files={"file": (name, data, "application/pdf")},
        headers=headers,
    )


def test_the_content_decides_the_type():
    assert media_type_of(PDF) == "application/pdf" and media_type_of(PNG) == "image/png"
    assert media_type_of(EXE) is None and media_type_of(b"%PD") is None


def test_a_renamed_executable_and_an_oversized_file_are_refused(dossier_case, demo_engine):
    client, case_id, heads = dossier_case
    r = upload(client, case_id, heads["owner"], "sk_pangkat", "sk_pangkat.pdf", EXE)
    assert r.status_code == 415 and "isi berkas" in r.json()["detail"]
    r = upload(client, case_id, heads["owner"], "sk_pangkat", "besar.pdf", PDF + b"0" * 4096)
    assert r.status_code == 413
    r = upload(client, case_id, heads["owner"], "tidak_ada", "a.pdf", PDF)
    assert r.status_code == 422
    # The employee files the checklist, not the letters HR records acts with.
    r = upload(client, case_id, heads["owner"], "pertek_bkn", "pertek.pdf", PDF)
    assert r.status_code == 403
    with Session(demo_engine) as s:
        assert (
            s.execute(select(CaseDocument).where(CaseDocument.case_id == case_id)).first() is None
        )


def test_only_those_involved_see_a_document(dossier_case, demo_engine):
    client, case_id, heads = dossier_case
    r = upload(client, case_id, heads["owner"], "sk_pangkat", "sk.pdf", PDF)
    assert r.status_code == 201, r.text
    doc = r.json()
    assert doc["media_type"] == "application/pdf" and doc["status"] == "submitted"
    # Another employee learns nothing: not the list, not the file, not even that it exists.
    assert (
        client.get(f"/api/v1/cases/{case_id}/documents", headers=heads["other"]).status_code == 404
    )
    assert client.get(f"/api/v1/documents/{doc['id']}", headers=heads["other"]).status_code == 404
    assert upload(client, case_id, heads["other"], "sk_pangkat", "x.pdf", PDF).status_code == 404
    for who in ("owner", "hr", "auditor"):
        r = client.get(f"/api/v1/documents/{doc['id']}", headers=heads[who])
        assert r.status_code == 200 and r.content == PDF, who
    listing = client.get(f"/api/v1/cases/{case_id}/documents", headers=heads["owner"]).json()
    assert "sk_pangkat" in listing["missing"]  # uploaded, not yet accepted
    assert (
        next(i for i in listing["checklist"] if i["code"] == "sk_pangkat")["status"] == "submitted"
    )

    verify = f"/api/v1/documents/{doc['id']}/verification"
    assert client.post(verify, json={"accept": False}, headers=heads["hr"]).status_code == 422
    assert client.post(verify, json={"accept": True}, headers=heads["owner"]).status_code == 403
    r = client.post(verify, json={"accept": False, "reason": "buram"}, headers=heads["hr"])
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    with Session(demo_engine) as s:
        actions = s.execute(
            select(AuditEvent.action, AuditEvent.actor).where(
                AuditEvent.subject_type == "document", AuditEvent.subject_id == str(doc["id"])
            )
        ).all()
    assert sorted(actions) == [
        ("document.rejected", "hr"),
        ("document.uploaded", listing_owner(heads, demo_engine, case_id)),
    ]


def listing_owner(heads, engine, case_id) -> str:
    with Session(engine) as s:
        return s.get(MutationCase, case_id).nip


def test_checklists_are_validated():
    assert validate_items([ChecklistItem("sk_pangkat", "SK pangkat terakhir")]) == []
    problems = " | ".join(
        validate_items([ChecklistItem("A B", "x"), ChecklistItem("spmt", "SPMT")])
    )
    assert "kode" in problems and "judul" in problems and "surat langkah" in problems


def test_hr_verifies_on_the_legal_desk_and_the_employee_sees_the_outcome(dossier_case, demo_engine):
    client, case_id, heads = dossier_case
    owner = case_id.removeprefix("DOK.")
    doc = upload(client, case_id, heads["owner"], "skp_2_tahun", "skp.pdf", PDF).json()
    csrf = page_client(client, demo_engine, "hr")
    desk = client.get("/hr/legal?agency=KAB-SKM")
    assert desk.status_code == 200 and "skp.pdf" in desk.text
    refused = client.post(
        f"/hr/legal/KAB-SKM/documents/{doc['id']}",
        data={"csrf": csrf, "action": "reject", "reason": ""},
        follow_redirects=False,
    )
    assert refused.status_code == 422 and "alasan" in refused.text
    done = client.post(
        f"/hr/legal/KAB-SKM/documents/{doc['id']}",
        data={"csrf": csrf, "action": "accept", "reason": ""},
        follow_redirects=False,
    )
    assert done.status_code == 303
    with Session(demo_engine) as s:
        assert s.get(CaseDocument, doc["id"]).status == "accepted"
    client.cookies.clear()
    with Session(demo_engine) as s:
        username = s.execute(
            select(UserAccount.username).where(UserAccount.nip == owner)
        ).scalar_one()
    page_client(client, demo_engine, username)
    mine = client.get("/saya")
    assert "Dokumen persyaratan" in mine.text and "diterima" in mine.text

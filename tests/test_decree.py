"""Decrees: the signed PDF holds what the decree says; public verification tells genuine,
altered, annulled and unknown apart; the audit chain check is exposed by API and CLI."""

from __future__ import annotations

import io
import tempfile
from datetime import date

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import update
from sqlmodel import Session
from typer.testing import CliRunner

from activities.cases import CaseActivities
from api.main import create_app
from contracts.case import Compensation, DecreeRequest, OpenCase, OpenTasks
from models import AuditEvent, Decree
from mutasi.decree.issuer_setup import issuer_of
from mutasi.infra.settings import Settings
from tests.auth_support import auth_headers, username_with_role
from tests.support.cases import AT, SIGNER, case_input, env_for

SETTINGS = Settings(
    TEMPORAL_ADDRESS="127.0.0.1:1", audit_checkpoint_dir=tempfile.mkdtemp(prefix="mutasi-cp-")
)


@pytest.fixture
def decree(demo_engine):
    acts = CaseActivities(demo_engine, SIGNER, issuer=issuer_of(SETTINGS, SIGNER))
    inp = case_input(demo_engine, training=[])
    env_for("1").run(
        acts.open_case, OpenCase(case=inp, run_id="run-1", consultation_deadline=AT, at=AT)
    )
    env_for("2").run(
        acts.open_tasks, OpenTasks(case_id=inp.case_id, step_index=0, step=inp.steps[0], at=AT)
    )
    issued = env_for("3").run(
        acts.issue_decree,
        DecreeRequest(
            case_id=inp.case_id, decided_on=date(2026, 3, 10), tmt=date(2026, 4, 1), at=AT
        ),
    )
    with Session(demo_engine) as s:
        return s.get(Decree, issued.number)


@pytest.fixture
def client(demo_engine):
    with TestClient(create_app(SETTINGS, engine=demo_engine)) as c:
        yield c


def verdict(client, number: str, code: str | None = None) -> str:
    code = code or _code_of(client, number)
    return client.get(
        f"/api/v1/public/decrees/{number}/verification", params={"code": code}
    ).json()["verdict"]


def _code_of(client, number: str) -> str:
    with Session(client.app.state.engine) as s:
        decree = s.get(Decree, number)
        return decree.verification_code if decree else "tidak-ada"


def test_pdf_holds_number_names_posts_and_tmt(client, demo_engine, decree):
    r = client.get(
        f"/api/v1/decrees/{decree.number}/pdf", headers=auth_headers(demo_engine, SETTINGS, "hr")
    )
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(r.content)).pages)
    flat = " ".join(text.split())
    for expected in (
        decree.number,
        decree.annex["name"],
        decree.annex["nip"],
        decree.annex["old_position"],
        decree.annex["new_position"],
        "1 April 2026",
        "PEMINDAHAN DAN PENEMPATAN PEGAWAI NEGERI SIPIL",
        "Menimbang",
        "Mengingat",
        "MEMUTUSKAN",
        "KESATU",
        "KEDUA",
        "Ditetapkan di",
        "Tembusan",
        "Pangkat / Gol",
        "Jabatan dan unit kerja lama",
        "Jabatan dan unit kerja baru",
    ):
        assert " ".join(expected.split()) in flat, expected


def test_pdf_is_the_employees_own(client, demo_engine, decree):
    own = client.get(
        f"/api/v1/decrees/{decree.number}/pdf",
        headers=auth_headers(demo_engine, SETTINGS, decree.annex["nip"]),
    )
    assert own.status_code == 200
    other = username_with_role(
        demo_engine,
        "employee",
        exclude_roles=("approver",),
        exclude_usernames=(decree.annex["nip"],),
    )
    r = client.get(
        f"/api/v1/decrees/{decree.number}/pdf", headers=auth_headers(demo_engine, SETTINGS, other)
    )
    assert r.status_code == 403


def test_genuine_altered_annulled_unknown(client, demo_engine, decree):
    assert verdict(client, decree.number) == "genuine"
    page = client.get(f"/verify/decree/{decree.number}", params={"kode": decree.verification_code})
    assert (
        page.status_code == 200
        and 'data-code="genuine"' in page.text
        and decree.annex["name"] in page.text
    )
    with Session(demo_engine) as s:  # someone edits the stored decree: a different new post
        s.execute(
            update(Decree)
            .where(Decree.number == decree.number)
            .values(annex={**decree.annex, "new_position": "Kepala Dinas"})
        )
        s.commit()
    assert verdict(client, decree.number) == "altered"
    with Session(demo_engine) as s:
        s.execute(update(Decree).where(Decree.number == decree.number).values(annex=decree.annex))
        s.commit()
    # The case withdrawn: its decree annulled, as the application does it (with its event).
    acts = CaseActivities(demo_engine, SIGNER, issuer=issuer_of(SETTINGS, SIGNER))
    env_for("4").run(
        acts.compensate,
        Compensation(case_id=decree.case_id, actor="hr", reason="kasus ditarik", at=AT),
    )
    body = client.get(
        f"/api/v1/public/decrees/{decree.number}/verification",
        params={"code": decree.verification_code},
    ).json()
    assert body["verdict"] == "annulled" and "kasus ditarik" not in str(
        body
    )  # the reason is not public
    full = client.get(
        f"/api/v1/decrees/{decree.number}/verification",
        headers=auth_headers(demo_engine, SETTINGS, "auditor"),
    ).json()
    assert full["verdict"] == "annulled" and full["annulled_reason"] == "kasus ditarik"
    # Flipped back by hand in the database: the trail says annulled, so the page says altered.
    with Session(demo_engine) as s:
        s.execute(update(Decree).where(Decree.number == decree.number).values(status="issued"))
        s.commit()
    flipped = client.get(
        f"/api/v1/public/decrees/{decree.number}/verification",
        params={"code": decree.verification_code},
    ).json()
    assert flipped["verdict"] == "altered", flipped
    assert verdict(client, "800/999/BKPSDM/2026") == "unknown"
    assert client.get("/verify/decree/800/999/BKPSDM/2026", params={"kode": "x"}).status_code == 404


def test_public_verification_needs_the_printed_code_and_shows_only_what_it_must(
    client, demo_engine, decree
):
    url = f"/api/v1/public/decrees/{decree.number}/verification"
    nip = decree.annex["nip"]
    assert client.get(url).status_code == 422  # no code, no answer
    wrong = client.get(url, params={"code": "tebak-tebakan"}).json()
    unknown = client.get(
        "/api/v1/public/decrees/800/999/BKPSDM/2026/verification", params={"code": "x"}
    ).json()
    assert (
        wrong["verdict"] == "unknown" and wrong["message"] == unknown["message"]
    )  # indistinguishable
    assert not {"name", "nip"} & set(wrong)
    right = client.get(url, params={"code": decree.verification_code}).json()
    assert right["verdict"] == "genuine" and right["name"] == decree.annex["name"]
    assert right["nip"] != nip and right["nip"][:2] == nip[:2] and right["nip"][-2:] == nip[-2:]
    assert nip not in str(right) and decree.annex["new_position"] not in str(right)
    page = client.get(f"/verify/decree/{decree.number}")  # the page without a code asks for it
    assert (
        page.status_code == 200
        and 'name="kode"' in page.text
        and decree.annex["name"] not in page.text
    )
    guessed = client.get(f"/verify/decree/{decree.number}", params={"kode": "salah"})
    assert guessed.status_code == 404 and decree.annex["name"] not in guessed.text
    pdf = client.get(
        f"/api/v1/decrees/{decree.number}/pdf", headers=auth_headers(demo_engine, SETTINGS, "hr")
    )
    text = "".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split()
    )
    assert f"kode={decree.verification_code}" in text  # printed on the decree, beside its QR code
    # Codes are unguessable: long, random, different per decree.
    assert len(decree.verification_code) >= 16


def test_a_foreign_key_does_not_verify(client, demo_engine, decree):
    from mutasi.decree.signing import signed_content
    from mutasi.infra.record_key import DecreeSigner

    other = DecreeSigner.from_base64("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
    forged = other.sign(
        signed_content(
            decree.number,
            decree.case_id,
            decree.agency_code,
            decree.decided_on,
            decree.tmt,
            decree.annex,
        )
    )
    with Session(demo_engine) as s:
        s.execute(
            update(Decree)
            .where(Decree.number == decree.number)
            .values(signature=forged, key_id=other.key_id)
        )
        s.commit()
    assert verdict(client, decree.number) == "altered"


def test_chain_verification_by_api_and_cli(client, demo_engine, decree, monkeypatch):
    headers = auth_headers(demo_engine, SETTINGS, "auditor")
    assert client.get("/api/v1/audit/verify", headers=headers).json()["ok"] is True
    monkeypatch.setenv("DATABASE_URL", str(demo_engine.url))
    from mutasi.cli import app
    from mutasi.infra import settings as settings_module

    settings_module.get_settings.cache_clear()
    try:
        ok = CliRunner().invoke(app, ["audit", "verify"])
        assert ok.exit_code == 0 and "utuh" in ok.output
        with Session(demo_engine) as s:
            s.execute(update(AuditEvent).where(AuditEvent.seq == 2).values(actor="penyusup"))
            s.commit()
        body = client.get("/api/v1/audit/verify", headers=headers).json()
        assert body["ok"] is False and body["chains"][0]["first_broken_seq"] == 2
        broken = CliRunner().invoke(app, ["audit", "verify"])
        assert broken.exit_code == 1 and "RUSAK pada peristiwa ke-2" in broken.output
    finally:
        settings_module.get_settings.cache_clear()


def test_a_pppk_decree_never_cites_pns_rules(demo_engine, decree):
    from mutasi.decree.frozen import render
    from mutasi.decree.snapshot import SnapshotInput, build_snapshot
    from mutasi.decree.templates import default_template
    from mutasi.infra.documents import store_of

    with Session(demo_engine) as s:
        pppk = build_snapshot(
            s,
            SnapshotInput(
                kind="decree",
                number=decree.number,
                agency_code=decree.agency_code,
                decided_on=decree.decided_on,
                tmt=decree.tmt,
                rows=[{**decree.annex, "asn_type": "PPPK"}],
                cases=[decree.case_id],
                method="wet",
                verify_url="https://contoh.invalid/verify",
            ),
        )
    pdf = render(store_of(SETTINGS), default_template("decree"), pppk)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "PEGAWAI PEMERINTAH DENGAN PERJANJIAN KERJA" in text and "Nomor 49 Tahun 2018" in text
    assert "NEGERI SIPIL" not in text.upper() and "11 Tahun 2017" not in text
    assert "sesuai dengan perjanjian kerja" in text  # its own grounds
    assert decree.annex["asn_type"] == "PNS"  # recorded with the decree (and signed with it)

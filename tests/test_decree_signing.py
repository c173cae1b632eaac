"""A decree the agency can sign and defend: frozen at issue (settings changed later alter
nothing; an edit of its stored bytes or snapshot verifies as altered), signed for real
(PAdES validated by pyHanko against a CA made here; a remote service: success, wrong
passphrase, outage; a hand-signed scan), dated the day it is signed, citing the Minister's
approval inside an embargo, worded by the agency's template, PNS and PPPK apart."""

from __future__ import annotations

import dataclasses
import io
import threading
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from fastapi.testclient import TestClient
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import DocumentSecurityStore, validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader
from sqlalchemy import func, select, update
from sqlmodel import Session
from temporalio.exceptions import ApplicationError

from activities.cases import CaseActivities
from api.main import create_app
from contracts.case import (
    DecreeRequest,
    OpenCase,
    OpenTasks,
    RevocationApply,
    RevocationRequest,
    SignatureInput,
    TransferApply,
)
from models import (
    Agency,
    AuditEvent,
    Decree,
    DocumentTemplate,
    EmbargoWindow,
    Employee,
    IssuedDocument,
    PositionHistory,
)
from mutasi.decree.demo_certificate import issue_pkcs12
from mutasi.decree.document_signers import (
    PadesSigner,
    RemoteSigner,
    SigningRefused,
    SigningRequest,
    SigningUnavailable,
)
from mutasi.decree.frozen import Issuer, dated, render
from mutasi.decree.sealed import seal
from mutasi.decree.templates import default_template
from mutasi.decree.wording import count_in_words, terbilang
from mutasi.demo.generator import AGENCY
from mutasi.infra.clock import today
from mutasi.infra.db import build_engine
from mutasi.infra.documents import DocumentStore
from mutasi.infra.settings import Settings
from tests.auth_support import auth_headers, page_client
from tests.decree_support import issue, issuer, pki_with_crl
from tests.fake_signing_service import PASSWORD, USER, FakeSigningService
from tests.support.cases import AT, SIGNER, case_input, env_for

NIK = "3201010101800001"


@pytest.fixture
def settings(decree_settings):
    return decree_settings


def drafted_after(demo_engine, settings, **agency_changes):
    """A decree (wet: drafted, its snapshot taken) of the demo agency after the changes to
    its row; (the decree, its snapshot)."""
    with Session(demo_engine) as s:
        agency = s.get(Agency, AGENCY)
        for field, value in agency_changes.items():
            setattr(agency, field, value)
        s.add(agency)
        s.commit()
    _, _, issued = issue(demo_engine, issuer(settings, "wet"))
    with Session(demo_engine) as s:
        return issued, s.get(IssuedDocument, issued.number).snapshot


def wording(settings, snapshot) -> str:
    """The default template's text for a snapshot."""
    store = DocumentStore(settings.document_dir)
    return text_of(render(store, default_template("decree"), snapshot))


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def verdict(client, engine, number: str) -> dict:
    with Session(engine) as s:
        code = s.get(Decree, number).verification_code
    return client.get(f"/api/v1/public/decrees/{number}/verification", params={"code": code}).json()


def pdf_of(client, engine, settings, number: str) -> bytes:
    r = client.get(f"/api/v1/decrees/{number}/pdf", headers=auth_headers(engine, settings, "hr"))
    assert r.status_code == 200, r.text
    return r.content


def test_numbers_in_words():
    assert count_in_words(19) == "19 (sembilan belas) orang"
    assert [terbilang(n) for n in (1, 11, 12, 20, 100, 101, 1000, 1001, 2026)] == [
        "satu",
        "sebelas",
        "dua belas",
        "dua puluh",
        "seratus",
        "seratus satu",
        "seribu",
        "seribu satu",
        "dua ribu dua puluh enam",
    ]


def test_settings_changed_after_issue_change_neither_the_document_nor_its_verdict(
    demo_engine, settings, decree_pki
):
    bundle, _ = decree_pki
    _, _, issued = issue(demo_engine, issuer(settings, "pades", PadesSigner(bundle, "sandi-p12")))
    with TestClient(create_app(settings, engine=demo_engine)) as client:
        before = pdf_of(client, demo_engine, settings, issued.number)
        assert verdict(client, demo_engine, issued.number)["verdict"] == "genuine"
        with Session(demo_engine) as s:
            agency = s.get(Agency, AGENCY)
            agency.ppk_delegation, agency.ppk_name = "", "Ayu Wibowo"
            agency.ppk_title = "Penjabat Bupati Sukamaju"
            agency.decree_profile = {"tembusan": ["Ketua DPRD"], "founding_law": "UU 1/1950"}
            s.add(agency)
            s.add(
                DocumentTemplate(
                    agency_code=AGENCY,
                    name="decree",
                    version=1,
                    body=default_template("decree").body.replace("Menimbang", "Menimbang ulang"),
                    sha256="x" * 64,
                    created_by="uji",
                    created_at=datetime.now(UTC),
                )
            )
            s.commit()
        after = pdf_of(client, demo_engine, settings, issued.number)
        assert after == before
        assert "Ayu Wibowo" not in text_of(after) and "Menimbang ulang" not in text_of(after)
        assert verdict(client, demo_engine, issued.number)["verdict"] == "genuine"


@pytest.mark.parametrize("tamper", ["stored_bytes", "snapshot", "swapped_file", "state"])
def test_an_issued_document_edited_behind_the_application_verifies_as_altered(
    demo_engine, settings, decree_pki, tamper
):
    bundle, _ = decree_pki
    the_issuer = issuer(settings, "pades", PadesSigner(bundle, "sandi-p12"))
    _, _, issued = issue(demo_engine, the_issuer)
    with Session(demo_engine) as s:
        doc = s.get(IssuedDocument, issued.number)
        path = the_issuer.store.path_of(doc.pdf_sha256)
        if tamper == "stored_bytes":
            path.write_bytes(path.read_bytes().replace(b"Sukamaju", b"Sukamadu"))
        elif tamper == "snapshot":
            s.execute(
                update(IssuedDocument)
                .where(IssuedDocument.number == doc.number)
                .values(snapshot={**doc.snapshot, "tmt": "2020-01-01"})
            )
        elif tamper == "swapped_file":  # another stored file named as this decree's
            other = the_issuer.store.put(b"%PDF-1.4 bukan SK ini")
            s.execute(
                update(IssuedDocument)
                .where(IssuedDocument.number == doc.number)
                .values(pdf_sha256=other)
            )
        else:  # a signed decree set back to awaiting its signature, then "signed" by hand
            s.execute(
                update(IssuedDocument)
                .where(IssuedDocument.number == doc.number)
                .values(method="wet")
            )
        s.commit()
    with TestClient(create_app(settings, engine=demo_engine)) as client:
        assert verdict(client, demo_engine, issued.number)["verdict"] == "altered"


def test_a_pades_decree_validates_in_pyhanko_against_the_agencys_ca(
    demo_engine, settings, decree_pki
):
    bundle, ca_der = decree_pki
    _, _, issued = issue(demo_engine, issuer(settings, "pades", PadesSigner(bundle, "sandi-p12")))
    with TestClient(create_app(settings, engine=demo_engine)) as client:
        pdf = pdf_of(client, demo_engine, settings, issued.number)
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    status = validate_pdf_signature(
        signature, ValidationContext(trust_roots=[asn1_x509.Certificate.load(ca_der)])
    )
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.signing_cert.subject.native["common_name"] == "Bupati Uji"
    text = text_of(pdf)
    assert "ditandatangani secara elektronik" in text and "Bupati Uji" in text
    # A certificate from another CA is not trusted.
    _, stranger = issue_pkcs12("Orang Lain", "x", ca_name="CA Lain")
    other = validate_pdf_signature(
        signature, ValidationContext(trust_roots=[asn1_x509.Certificate.load(stranger)])
    )
    assert other.intact and not other.trusted


def test_the_same_snapshot_and_template_render_the_same_bytes(demo_engine, settings):
    _, _, issued = issue(demo_engine, issuer(settings, "wet"))
    with Session(demo_engine) as s:
        doc = s.get(IssuedDocument, issued.number)
        snapshot = dated(doc.snapshot, date(2026, 12, 7))
    store = DocumentStore(settings.document_dir)
    first = render(store, default_template("decree"), snapshot)
    assert first == render(store, default_template("decree"), snapshot)


def remote_issuer(settings, service: FakeSigningService) -> Issuer:
    client = RemoteSigner(service.url, username=USER, password=PASSWORD, timeout=5)
    return issuer(settings, "remote", client)


def sign(acts, number: str, passphrase: str, settings_secret: str):
    return env_for("sign").run(
        acts.complete_signature,
        SignatureInput(
            number=number,
            actor="hr",
            at=AT,
            nik=NIK,
            sealed_passphrase=seal(settings_secret, passphrase),
        ),
    )


def test_a_remote_signature_refused_waits_through_an_outage_and_signs_once(
    demo_engine, settings, decree_pki
):
    bundle, ca_der = decree_pki
    secret = Settings().jwt_secret  # the worker's secret (get_settings), sealing the passphrase
    with FakeSigningService(bundle, "sandi-p12", NIK, "benar") as service:
        acts, inp, issued = issue(demo_engine, remote_issuer(settings, service))
        assert issued.awaiting_signature
        with Session(demo_engine) as s:
            assert s.get(IssuedDocument, issued.number).state == "awaiting_signature"
        with pytest.raises(ApplicationError) as wrong:
            sign(acts, issued.number, "salah", secret)
        assert wrong.value.non_retryable and "Passphrase anda salah" in str(wrong.value)
        service.down = True
        with pytest.raises(ApplicationError) as outage:
            sign(acts, issued.number, "benar", secret)
        assert not outage.value.non_retryable  # Temporal retries it: the decree waits
        with Session(demo_engine) as s:
            assert s.get(IssuedDocument, issued.number).state == "awaiting_signature"
        service.down = False
        done = sign(acts, issued.number, "benar", secret)
        again = sign(acts, issued.number, "benar", secret)  # a retry after success
        assert service.signed == 1 and done == again
        assert [d.notice.extract_number for d in done.deliveries] == [issued.number]
    with Session(demo_engine) as s:
        doc = s.get(IssuedDocument, issued.number)
        decree = s.get(Decree, issued.number)
        signed_events = s.execute(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "decree.signed", AuditEvent.subject_id == issued.number)
        ).scalar_one()
        assert doc.state == "issued" and decree.decided_on == today() and signed_events == 1
    pdf = DocumentStore(settings.document_dir).get(doc.pdf_sha256)
    status = validate_pdf_signature(
        PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0],
        ValidationContext(trust_roots=[asn1_x509.Certificate.load(ca_der)]),
    )
    assert status.bottom_line
    assert "Balai Sertifikasi Elektronik" in text_of(pdf)
    with TestClient(create_app(settings, engine=demo_engine)) as client:
        assert verdict(client, demo_engine, issued.number)["verdict"] == "genuine"


def test_a_hand_signed_scan_is_the_decree_of_record(demo_engine, settings):
    acts, _, issued = issue(demo_engine, issuer(settings, "wet"))
    assert issued.awaiting_signature
    hr = auth_headers(demo_engine, settings, "hr")
    with TestClient(create_app(settings, engine=demo_engine)) as client:
        assert verdict(client, demo_engine, issued.number)["verdict"] == "unsigned"
        draft = client.get(f"/api/v1/decrees/{issued.number}/draft", headers=hr)
        assert draft.status_code == 200
        text = text_of(draft.content)
        assert "ditandatangani secara elektronik" not in text
        assert f"pada tanggal {today().day}" in text
        scan = draft.content.replace(b"/Producer", b"/Pemindai")  # "scanned" after signing
        digest = DocumentStore(settings.document_dir).put(scan)
        env_for("wet").run(
            acts.complete_signature,
            SignatureInput(number=issued.number, actor="hr", at=AT, scan_sha256=digest),
        )
        assert pdf_of(client, demo_engine, settings, issued.number) == scan
        assert verdict(client, demo_engine, issued.number)["verdict"] == "genuine"
        again = client.get(f"/api/v1/decrees/{issued.number}/draft", headers=hr)
        assert again.status_code == 409


def test_a_decree_never_precedes_a_letter_it_cites(demo_engine, settings):
    acts = CaseActivities(demo_engine, SIGNER, issuer=issuer(settings, "wet"))
    inp = case_input(demo_engine, training=[])
    env_for("1").run(
        acts.open_case, OpenCase(case=inp, run_id="run-1", consultation_deadline=AT, at=AT)
    )
    env_for("2").run(
        acts.open_tasks, OpenTasks(case_id=inp.case_id, step_index=0, step=inp.steps[0], at=AT)
    )
    from models import ApprovalTask

    with Session(demo_engine) as s:
        task = (
            s.execute(select(ApprovalTask).where(ApprovalTask.case_id == inp.case_id))
            .scalars()
            .first()
        )
        task.kind, task.role, task.status = "recorded", "governor", "approved"
        task.letter_number, task.letter_date = "800/12/GUB", date(2026, 3, 11)
        s.add(task)
        s.commit()
    early = DecreeRequest(
        case_id=inp.case_id, decided_on=date(2026, 3, 10), tmt=date(2026, 4, 1), at=AT
    )
    with pytest.raises(ApplicationError) as refused:
        env_for("3").run(acts.issue_decree, early)
    assert refused.value.type == "DecreeBeforeEvidence" and "800/12/GUB" in str(refused.value)
    same_day = dataclasses.replace(early, decided_on=date(2026, 3, 11))
    issued = env_for("3").run(acts.issue_decree, same_day)
    with Session(demo_engine) as s:
        considering = s.get(IssuedDocument, issued.number).snapshot["considering"]
    assert considering == ["Keputusan Gubernur Jawa Barat Nomor 800/12/GUB tanggal 11 Maret 2026"]


def test_inside_an_embargo_the_decree_cites_the_ministers_approval(demo_engine, settings):
    with Session(demo_engine) as s:
        s.add(
            EmbargoWindow(
                agency_code=AGENCY,
                kind="pilkada",
                starts_on=date(2026, 3, 1),
                ends_on=date(2026, 3, 31),
                reason="Pilkada",
                created_by="uji",
                created_at=datetime.now(UTC),
                approval_number="100.2.2.6/1234/OTDA",
                approval_date=date(2026, 3, 5),
                approval_document="arsip/1234.pdf",
            )
        )
        s.commit()
    _, _, issued = issue(demo_engine, issuer(settings, "wet"), date(2026, 3, 10), date(2026, 4, 1))
    with Session(demo_engine) as s:
        considering = s.get(IssuedDocument, issued.number).snapshot["considering"]
    assert considering[-1] == (
        "Persetujuan tertulis Menteri Dalam Negeri Nomor 100.2.2.6/1234/OTDA tanggal 5 Maret 2026"
    )


def test_the_default_wording_of_a_regency_decree(demo_engine, settings):
    """Golden text of the default template: the heading and Menetapkan name the Bupati,
    Mengingat cites UU 23/2014 and the agency's founding law and organisation regulation,
    the Sekda signs "a.n." on its own line, the annex is signed, tembusan per agency."""
    profile = {
        "founding_law": "Undang-Undang Nomor 14 Tahun 1950 tentang Pembentukan Daerah-daerah "
        "Kabupaten dalam Lingkungan Propinsi Jawa Barat",
        "organisation_regulation": "Peraturan Daerah Kabupaten Sukamaju Nomor 7 Tahun 2016 "
        "tentang Pembentukan dan Susunan Perangkat Daerah",
        "kanreg_bkn": "Kepala Kantor Regional III BKN Bandung",
    }
    issued, snapshot = drafted_after(demo_engine, settings, decree_profile=profile)
    text = wording(settings, snapshot)
    for expected in (
        f"BUPATI SUKAMAJU KEPUTUSAN BUPATI SUKAMAJU NOMOR {issued.number} TENTANG PEMINDAHAN DAN "
        "PENEMPATAN PEGAWAI NEGERI SIPIL BUPATI SUKAMAJU,",
        "Menetapkan : KEPUTUSAN BUPATI SUKAMAJU TENTANG PEMINDAHAN DAN PENEMPATAN PEGAWAI NEGERI SIPIL.",
        "1. Undang-Undang Nomor 14 Tahun 1950 tentang Pembentukan Daerah-daerah Kabupaten",
        "2. Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah",
        "6. Peraturan Daerah Kabupaten Sukamaju Nomor 7 Tahun 2016",
        "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a, perlu menetapkan "
        "Keputusan Bupati Sukamaju tentang Pemindahan dan Penempatan Pegawai Negeri Sipil;",
        "a.n. BUPATI SUKAMAJU SEKRETARIS DAERAH,",
        "1. Kepala Kantor Regional III BKN Bandung;",
    ):
        assert expected in text, expected
    assert text.count("a.n. BUPATI SUKAMAJU SEKRETARIS DAERAH,") == 2  # the annex is signed too
    assert "ditandatangani secara elektronik" not in text  # a wet signature claims none
    assert "Persetujuan/keputusan PPK" not in text  # the PPK's own decision is not cited


def test_a_batch_mixing_pns_and_pppk_is_two_decrees(demo_engine):
    from api.services.decree_batches import asn_groups
    from models import Employee, MutationCase

    with Session(demo_engine) as s:
        pns = s.execute(select(Employee).where(Employee.asn_type == "PNS").limit(2)).scalars().all()
        pppk = (
            s.execute(select(Employee).where(Employee.asn_type == "PPPK").limit(1)).scalars().all()
        )
        assert pns and pppk
        cases = [MutationCase(id=f"c-{e.nip}", nip=e.nip, request_id=None) for e in [pppk[0], *pns]]
        groups = asn_groups(s, cases)
    assert groups == [[f"c-{e.nip}" for e in pns], [f"c-{pppk[0].nip}"]]


def test_an_upheld_objection_revokes_the_decree_and_reverses_the_move(
    demo_engine, settings, decree_pki
):
    bundle, _ = decree_pki
    the_issuer = issuer(settings, "pades", PadesSigner(bundle, "sandi-p12"))
    acts, inp, issued = issue(demo_engine, the_issuer, date(2026, 3, 10), date(2026, 4, 1))
    env_for("4").run(acts.apply_transfer, TransferApply(case_id=inp.case_id, at=AT))
    with Session(demo_engine) as s:
        assert s.get(Employee, inp.nip).position_code == inp.destination_position
    request = RevocationRequest(
        number=issued.number,
        reason="keberatan atas penempatan dikabulkan",
        letter_number="800/77/BKPSDM/2026",
        actor="hr",
        at=AT,
        decided_on=date(2026, 4, 20),
    )
    revoking = env_for("5").run(acts.issue_revocation, request)
    assert env_for("5").run(acts.issue_revocation, request) == revoking  # once
    assert not revoking.awaiting_signature  # signed at once with the PPK's certificate
    for _ in range(2):
        env_for("6").run(acts.apply_revocation, RevocationApply(number=revoking.number, at=AT))
    with Session(demo_engine) as s:
        original = s.get(Decree, issued.number)
        person = s.get(Employee, inp.nip)
        history = (
            s.execute(
                select(PositionHistory)
                .where(PositionHistory.nip == inp.nip)
                .order_by(PositionHistory.tmt_start.desc())
                .limit(2)
            )
            .scalars()
            .all()
        )
        reversed_events = s.execute(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "employee.move_reversed", AuditEvent.subject_id == inp.nip)
        ).scalar_one()
        revocation = s.get(IssuedDocument, revoking.number)
    assert original.status == "revoked" and original.revoked_by == revoking.number
    assert person.position_code == inp.origin_position and person.position_tmt == date(2026, 4, 20)
    assert [(h.position_code, h.decree_number) for h in history] == [
        (inp.origin_position, revoking.number),
        (inp.destination_position, issued.number),
    ]
    assert history[1].tmt_end == date(2026, 4, 19) and reversed_events == 1
    store = DocumentStore(settings.document_dir)
    text = text_of(store.get(revocation.pdf_sha256))
    assert f"Membatalkan Keputusan Bupati Sukamaju Nomor {issued.number}" in text
    assert "Peraturan Pemerintah Nomor 79 Tahun 2021" in text and "800/77/BKPSDM/2026" in text
    with TestClient(create_app(settings, engine=demo_engine)) as client:
        old = verdict(client, demo_engine, issued.number)
        assert old["verdict"] == "revoked" and old["revoked_by"] == revoking.number
        new = client.get(
            f"/api/v1/public/decrees/{revoking.number}/verification",
            params={"code": revocation.verification_code},
        ).json()
        assert new["verdict"] == "genuine" and issued.number in new["message"]
        wrong = client.get(
            f"/api/v1/public/decrees/{revoking.number}/verification", params={"code": "salah"}
        ).json()
        assert wrong["verdict"] == "unknown"
        results = client.get(
            "/api/v1/results", headers=auth_headers(demo_engine, settings, "hr")
        ).json()
    row = next(r for r in results if r["nip"] == inp.nip)
    assert row["revoked_by"] == revoking.number


def test_an_agencys_own_template_is_checked_versioned_and_recorded_by_each_decree(
    demo_engine, settings
):
    hr = auth_headers(demo_engine, settings, "hr")
    url = f"/api/v1/agencies/{AGENCY}/templates/decree"
    default = default_template("decree").body
    with TestClient(create_app(settings, engine=demo_engine)) as client:
        _, _, first = issue(demo_engine, issuer(settings, "wet"))
        for broken, why in (
            (default.replace("d.number", "d.nomor_salah"), "nomor_salah"),
            (default.replace("@annex-table", ""), "@annex-table"),
            ("@center {{ d.__class__.__mro__ }}\n@signature\n@annex\n@annex-table", "unsafe"),
            ("{% for x in %}", "templat"),
        ):
            refused = client.put(url, json={"body": broken}, headers=hr)
            assert refused.status_code == 422 and why in refused.json()["detail"], refused.text
        own = default.replace("MEMUTUSKAN:", "MEMUTUSKAN (TEMPLAT INSTANSI):")
        saved = client.put(url, json={"body": own}, headers=hr)
        assert saved.status_code == 200 and saved.json()["version"] == 1
        current = client.get(url, headers=auth_headers(demo_engine, settings, "auditor")).json()
        assert current["version"] == 1 and [v["version"] for v in current["versions"]] == [1]
        preview = client.get(url + "/preview", headers=hr)
        assert "TEMPLAT INSTANSI" in text_of(preview.content)
        profile = client.put(
            f"/api/v1/agencies/{AGENCY}/decree-profile",
            json={
                "founding_law": "Undang-Undang Nomor 14 Tahun 1950 tentang Pembentukan Kabupaten"
            },
            headers=hr,
        )
        assert profile.status_code == 200
        acting = client.put(
            f"/api/v1/agencies/{AGENCY}/decree-profile", json={"acting": "plt"}, headers=hr
        )
        assert acting.status_code == 422
    _, _, second = issue(demo_engine, issuer(settings, "wet"))
    with Session(demo_engine) as s:
        before, after = s.get(IssuedDocument, first.number), s.get(IssuedDocument, second.number)
        changes = (
            s.execute(select(AuditEvent.action).where(AuditEvent.subject_id == AGENCY))
            .scalars()
            .all()
        )
    assert before.template.startswith("decree@0 ") and after.template.startswith("decree@1 ")
    assert "Pembentukan Kabupaten;" in after.snapshot["mengingat"][0]
    assert not any("Pembentukan Kabupaten" in m for m in before.snapshot["mengingat"])
    assert {"agency.template_saved", "agency.decree_profile_changed"} <= set(changes)


@pytest.mark.parametrize(
    ("kind", "title", "office", "regional"),
    [
        ("kota", "Wali Kota Sukamaju", "Pemerintah Kota Sukamaju", True),
        ("provinsi", "Gubernur Jawa Barat", "Pemerintah Provinsi Jawa Barat", True),
        ("pusat", "Menteri Contoh", "Kementerian Contoh", False),
    ],
)
def test_the_default_wording_follows_the_agency_kind(
    demo_engine, settings, kind, title, office, regional
):
    """The heading and Menetapkan name the agency's PPK; only regions cite UU 23/2014."""
    issued, snapshot = drafted_after(
        demo_engine, settings, kind=kind, ppk_title=title, ppk_office=office, ppk_delegation=""
    )
    text = wording(settings, snapshot)
    heading = title.upper()
    assert text.startswith(f"{heading} KEPUTUSAN {heading} NOMOR {issued.number}")
    assert f"Menetapkan : KEPUTUSAN {heading} TENTANG PEMINDAHAN" in text
    assert ("Nomor 23 Tahun 2014 tentang Pemerintahan Daerah" in text) is regional
    # The PPK signs in person: the office, then the name (a regional head has no NIP).
    assert f"{heading}, ditandatangani" not in text  # a wet signature claims none
    assert f"{heading}," in text.split("Ditetapkan di")[1]


@pytest.mark.parametrize("acting", ["plt", "plh"])
def test_an_acting_ppk_signs_as_plt_or_plh(demo_engine, settings, acting):
    profile = {
        "acting": acting,
        "acting_official": {
            "name": "Drs. Pelaksana Tugas, M.Si.",
            "title": "Sekretaris Daerah",
            "nip": "197001011990031001",
            "rank_text": "Pembina Utama Muda (IV/c)",
        },
    }
    _, snapshot = drafted_after(demo_engine, settings, decree_profile=profile)
    text = wording(settings, snapshot)
    mark = "Plt." if acting == "plt" else "Plh."
    assert (
        f"{mark} BUPATI SUKAMAJU, Drs. Pelaksana Tugas, M.Si. Pembina Utama Muda (IV/c) "
        "NIP 197001011990031001" in text
    )


def test_an_extract_is_certified_and_carries_no_tembusan(demo_engine, settings):
    """A petikan: the employee's own row, the PPK's block marked "ttd.", "Untuk petikan yang
    sah" with the certifier of the agency's profile, and no tembusan of the whole decree."""
    certifier = {
        "name": "Rina Hukum, S.H.",
        "title": "Kepala Bagian Hukum",
        "nip": "198001012005012001",
    }
    _, snapshot = drafted_after(demo_engine, settings, decree_profile={"certifier": certifier})
    text = wording(settings, {**snapshot, "kind": "extract", "extract": {"no": 3, "total": 19}})
    assert text.split()[0] == "PETIKAN"
    assert (
        "Untuk petikan yang sah Kepala Bagian Hukum, Rina Hukum, S.H. NIP 198001012005012001"
        in text
    )
    assert "ttd." in text and "Tembusan" not in text
    assert "Petikan baris 3 dari 19" in text


class FlakySigner:
    """The PPK's signer failing its first call, as a timestamp authority that is down."""

    method = "pades"

    def __init__(self, signer: PadesSigner) -> None:
        self.signer, self.calls = signer, 0

    def sign(self, request):
        self.calls += 1
        if self.calls == 1:
            raise SigningUnavailable("layanan stempel waktu tidak dapat dihubungi")
        return self.signer.sign(request)


def test_a_decree_whose_signature_failed_is_signed_by_the_retry_on_the_writer_engine(
    demo_engine, settings, decree_pki
):
    """On the worker's writer engine (SQLite: one writer in turn), a retry after the commit
    answers from the stored decree and signs it: it neither deadlocks on its own read nor
    numbers it twice."""
    bundle, _ = decree_pki
    writer = build_engine(demo_engine.url.render_as_string(hide_password=False), writer=True)
    flaky = FlakySigner(PadesSigner(bundle, "sandi-p12"))
    acts = CaseActivities(writer, SIGNER, issuer=issuer(settings, "pades", flaky))
    inp = case_input(demo_engine, training=[])
    env_for("1").run(
        acts.open_case, OpenCase(case=inp, run_id="run-1", consultation_deadline=AT, at=AT)
    )
    request = DecreeRequest(
        case_id=inp.case_id, decided_on=today(), tmt=today() + timedelta(days=30), at=AT
    )
    try:
        with pytest.raises(ApplicationError) as failed:
            env_for("3").run(acts.issue_decree, request)
        assert failed.value.type == "SigningUnavailable" and not failed.value.non_retryable
        retried = env_for("3").run(acts.issue_decree, request)
    finally:
        writer.dispose()
    with Session(demo_engine) as s:
        decrees = s.execute(select(Decree).where(Decree.case_id == inp.case_id)).scalars().all()
        doc = s.get(IssuedDocument, retried.number)
    assert [d.number for d in decrees] == [retried.number] and not retried.awaiting_signature
    assert doc.state == "issued" and flaky.calls == 2


def test_the_legal_desk_lists_decrees_waiting_for_their_signature(demo_engine, settings):
    _, _, waiting = issue(demo_engine, issuer(settings, "wet"))
    with TestClient(create_app(settings, engine=demo_engine)) as client:
        csrf = page_client(client, demo_engine, "hr")
        desk = client.get(f"/hr/legal?agency={AGENCY}")
        assert desk.status_code == 200
        assert (
            waiting.number in desk.text and f"/api/v1/decrees/{waiting.number}/draft" in desk.text
        )
        refused = client.post(
            f"/hr/legal/{AGENCY}/signed-scan/{waiting.number}",
            data={"csrf": csrf},
            follow_redirects=False,
        )
    assert refused.status_code == 422 and "unggah pindaian SK (PDF)" in refused.text


class CrlServer:
    """The CA's CRL distribution point, on this machine; `down` answers 503."""

    def __init__(self) -> None:
        self.crl, self.down, self.fetched = b"", False, 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: object) -> None:
                return

            def do_GET(self) -> None:  # noqa: N802 (the http.server API)
                server.fetched += 1
                status, body = (503, b"") if server.down else (200, server.crl)
                self.send_response(status)
                self.send_header("Content-Type", "application/pkix-crl")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}/ca.crl"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()


def test_a_pades_signature_carries_its_revocation_information_where_configured(
    demo_engine, settings
):
    """PAdES B-LT: the CRL of the PPK's chain, fetched at signing, is kept in the PDF, so the
    signature validates offline; with the CRL unreachable the decree waits (a retryable
    refusal), never signed without it."""
    crls = CrlServer()
    try:
        bundle, ca_der, crls.crl = pki_with_crl(crls.url)
        signer = PadesSigner(bundle, "sandi-p12", embed_revocation=True)
        _, _, issued = issue(demo_engine, issuer(settings, "pades", signer))
        with Session(demo_engine) as s:
            pdf = DocumentStore(settings.document_dir).get(
                s.get(IssuedDocument, issued.number).pdf_sha256
            )
        assert crls.fetched >= 1
        # Offline, with only what the PDF keeps (its DSS), revocation checked strictly.
        reader = PdfFileReader(io.BytesIO(pdf))
        kept = DocumentSecurityStore.read_dss(reader)
        assert len(kept.crls) == 1
        context = kept.as_validation_context(
            {
                "trust_roots": [asn1_x509.Certificate.load(ca_der)],
                "allow_fetching": False,
                "revocation_mode": "hard-fail",
            }
        )
        status = validate_pdf_signature(reader.embedded_signatures[0], context)
        assert status.bottom_line and status.trusted
        bare = ValidationContext(
            trust_roots=[asn1_x509.Certificate.load(ca_der)],
            allow_fetching=False,
            revocation_mode="hard-fail",
            crls=[],
            ocsps=[],
        )  # the same check without what the PDF keeps fails: the DSS is what proves it
        assert not validate_pdf_signature(reader.embedded_signatures[0], bare).bottom_line
        crls.down = True
        with pytest.raises(SigningUnavailable):
            signer.sign(SigningRequest(pdf=pdf, reason="uji", location="Sukamaju"))
    finally:
        crls.close()
    # A PKCS#12 without its root cannot gather revocation information: refused at start.
    key, cert, _ = pkcs12.load_key_and_certificates(issue_pkcs12("Tanpa Akar", "x")[0], b"x")
    leaf_only = pkcs12.serialize_key_and_certificates(
        b"ppk", key, cert, None, serialization.BestAvailableEncryption(b"x")
    )
    with pytest.raises(SigningRefused, match="akar"):
        PadesSigner(leaf_only, "x", embed_revocation=True)
    assert PadesSigner(leaf_only, "x").subject == "Tanpa Akar"  # without it, no root needed


def test_a_minutes_template_without_the_chairs_block_or_the_recommendations_is_refused(
    demo_engine, settings
):
    hr = auth_headers(demo_engine, settings, "hr")
    url = f"/api/v1/agencies/{AGENCY}/templates/minutes"
    default = default_template("minutes").body
    with TestClient(create_app(settings, engine=demo_engine)) as client:
        for needed in ("@chair", "@recommendation-table"):
            refused = client.put(url, json={"body": default.replace(needed, "")}, headers=hr)
            assert refused.status_code == 422 and needed in refused.json()["detail"]
        preview = client.get(url + "/preview", headers=hr)
    assert "BERITA ACARA SIDANG TIM PENILAI KINERJA" in text_of(preview.content)
    assert "disahkan melalui aplikasi Mutasi" in text_of(preview.content)

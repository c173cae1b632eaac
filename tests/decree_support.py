"""Shared by the decree tests (their fixtures `decree_pki` and `decree_settings` are in
conftest.py): an issuer over the settings, and a case of the demo agency taken to its decree."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from activities.cases import CaseActivities
from contracts.case import DecreeRequest, OpenCase, OpenTasks
from mutasi.decree.demo_certificate import key_usage
from mutasi.decree.frozen import Issuer
from mutasi.infra.clock import today
from mutasi.infra.documents import DocumentStore
from mutasi.infra.settings import Settings
from tests.support.cases import AT, SIGNER, case_input, env_for


def issuer(settings: Settings, method: str, signer=None) -> Issuer:
    return Issuer(
        store=DocumentStore(settings.document_dir),
        record_key=SIGNER,
        signer=signer,
        method=method,
        base_url=settings.public_base_url,
    )


def issue(engine, the_issuer: Issuer, decided_on: date | None = None, tmt: date | None = None):
    """A case of the demo agency taken to its decree by the activities."""
    acts = CaseActivities(engine, SIGNER, issuer=the_issuer)
    inp = case_input(engine, training=[])
    env_for("1").run(
        acts.open_case, OpenCase(case=inp, run_id="run-1", consultation_deadline=AT, at=AT)
    )
    env_for("2").run(
        acts.open_tasks, OpenTasks(case_id=inp.case_id, step_index=0, step=inp.steps[0], at=AT)
    )
    decided_on = decided_on or today()
    issued = env_for("3").run(
        acts.issue_decree,
        DecreeRequest(
            case_id=inp.case_id,
            decided_on=decided_on,
            tmt=tmt or decided_on + timedelta(days=30),
            at=AT,
        ),
    )
    return acts, inp, issued


def pki_with_crl(crl_url: str) -> tuple[bytes, bytes, bytes]:
    """A CA made for the test whose PPK certificate names `crl_url` as its CRL distribution
    point: (PKCS#12 with the full chain, passphrase "sandi-p12"; the CA in DER; the CA's
    current CRL in DER, revoking nothing)."""
    now = datetime.now(UTC)

    def name(cn: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("CA Uji CRL"))
        .issuer_name(name("CA Uji CRL"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(key_usage(ca=True), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    point = x509.DistributionPoint([x509.UniformResourceIdentifier(crl_url)], None, None, None)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name("Bupati Uji LTV"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=90))
        .add_extension(key_usage(ca=False), critical=True)
        .add_extension(x509.CRLDistributionPoints([point]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    crl = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.subject)
        .last_update(now - timedelta(hours=1))
        .next_update(now + timedelta(days=7))
        .sign(ca_key, hashes.SHA256())
    )
    bundle = pkcs12.serialize_key_and_certificates(
        b"ppk", key, cert, [ca], serialization.BestAvailableEncryption(b"sandi-p12")
    )
    der = serialization.Encoding.DER
    return bundle, ca.public_bytes(der), crl.public_bytes(der)

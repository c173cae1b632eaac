"""A demonstration certificate for development and `make run`: a throw-away CA named as
such and a "DEMO" PPK certificate under it, written once as a PKCS#12 file. Production
refuses to start without the agency's own certificate (MUTASI_PADES_PKCS12)."""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

DEMO_PASSPHRASE = "demo"


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Mutasi DEMO (bukan BSrE)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def key_usage(*, ca: bool) -> x509.KeyUsage:
    """A CA signs certificates and CRLs; a signer signs documents (non-repudiation)."""
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def issue_pkcs12(
    subject: str, passphrase: str, *, ca_name: str = "Mutasi DEMO CA", days: int = 3650
) -> tuple[bytes, bytes]:
    """(PKCS#12 of a signing certificate for `subject` with its CA, the CA certificate in DER)."""
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name(ca_name))
        .issuer_name(_name(ca_name))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(key_usage(ca=True), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(key_usage(ca=False), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    bundle = pkcs12.serialize_key_and_certificates(
        b"ppk", key, cert, [ca], serialization.BestAvailableEncryption(passphrase.encode())
    )
    return bundle, ca.public_bytes(serialization.Encoding.DER)


def demo_pkcs12(path: Path) -> bytes:
    """The demo PKCS#12 at `path`, made on first use (written aside, then renamed)."""
    if path.is_file():
        return path.read_bytes()
    bundle, _ = issue_pkcs12("PPK DEMO - bukan tanda tangan sah", DEMO_PASSPHRASE)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as out:
        out.write(bundle)
    os.replace(tmp, path)
    return path.read_bytes()

"""The decree issuer of this process, from its settings."""

from __future__ import annotations

from pathlib import Path

from mutasi.decree.demo_certificate import DEMO_PASSPHRASE, demo_pkcs12
from mutasi.decree.document_signers import DocumentSigner, PadesSigner, RemoteSigner
from mutasi.decree.frozen import Issuer
from mutasi.infra.documents import DocumentStore
from mutasi.infra.record_key import DecreeSigner
from mutasi.infra.settings import VAR_DIR, Settings


def document_signer(settings: Settings) -> DocumentSigner | None:
    """The PPK's signer for the configured method (none for wet signatures)."""
    if settings.decree_signature == "pades":
        if settings.pades_pkcs12:
            return PadesSigner(
                Path(settings.pades_pkcs12).read_bytes(),
                settings.pades_passphrase,
                settings.pades_tsa_url,
                embed_revocation=settings.pades_embed_revocation,
            )
        bundle = demo_pkcs12(Path(VAR_DIR) / "demo-ppk.p12")
        return PadesSigner(bundle, DEMO_PASSPHRASE, settings.pades_tsa_url)
    if settings.decree_signature == "remote":
        return RemoteSigner(
            settings.remote_signing_url or "",
            username=settings.remote_signing_username,
            password=settings.remote_signing_password,
            timeout=settings.remote_signing_timeout,
        )
    return None


def issuer_of(settings: Settings, record_key: DecreeSigner | None = None) -> Issuer:
    return Issuer(
        store=DocumentStore(settings.document_dir),
        record_key=record_key or DecreeSigner.from_base64(settings.decree_signing_key),
        signer=document_signer(settings),
        method=settings.decree_signature,
        base_url=settings.public_base_url,
    )

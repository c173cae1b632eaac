"""Issuing a decree once and for good: its text rendered from the snapshot and the
template, signed (PAdES or a remote service) or awaiting its hand-signed scan, the bytes kept
in the document store by hash, and a verification record signed with the application's key
over the hashes of the bytes and of the snapshot.

Verification reads the stored bytes and the record, never a rendering: a later change of
settings, org data or templates cannot alter an issued document, and an edit of the stored
bytes, the snapshot or the record shows as altered."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from models import IssuedDocument
from mutasi.decree.document_signers import DocumentSigner, SigningRequest
from mutasi.decree.layout import render_pdf
from mutasi.decree.templates import DecreeTemplate, render_text, template_version
from mutasi.infra.documents import DocumentCorrupt, DocumentMissing, DocumentStore
from mutasi.infra.record_key import DecreeSigner, signature_valid
from planning.calendar import date_text

AWAITING = "awaiting_signature"
ISSUED = "issued"
# A decree row (models.Decree, CollectiveDecree) numbered and drafted, not yet signed.
UNSIGNED = "unsigned"


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def digest(value: Any) -> str:
    return hashlib.sha256(canonical(value)).hexdigest()


def verification_record(doc: IssuedDocument) -> bytes:
    """What the application's key signs: which document this is and the hashes of its bytes
    and of its snapshot."""
    return canonical(
        {
            "number": doc.number,
            "kind": doc.kind,
            "agency_code": doc.agency_code,
            "method": doc.method,
            "template": doc.template,
            "snapshot_sha256": doc.snapshot_sha256,
            "pdf_sha256": doc.pdf_sha256,
            "signed_at": doc.signed_at.isoformat() if doc.signed_at else None,
        }
    )


def template_reference(template: DecreeTemplate) -> str:
    return f"{template.name}@{template.version} {template.sha256}"


def arms_of(store: DocumentStore, snapshot: dict[str, Any]) -> bytes | None:
    sha = snapshot.get("coat_of_arms")
    if not sha:
        return None
    try:
        return store.get(sha)
    except (DocumentMissing, DocumentCorrupt, ValueError):
        return None


def render(store: DocumentStore, template: DecreeTemplate, snapshot: dict[str, Any]) -> bytes:
    """The unsigned PDF of a snapshot: the same snapshot and template give the same bytes."""
    return render_pdf(snapshot, render_text(template, snapshot), arms_of(store, snapshot))


def dated(snapshot: dict[str, Any], on: date) -> dict[str, Any]:
    return {**snapshot, "decided_on": on.isoformat(), "decided_on_text": date_text(on)}


@dataclass(frozen=True, kw_only=True)
class Issuer:
    """What issuing needs from the process: the store, the application's record key and,
    for an electronic method, the PPK's signer."""

    store: DocumentStore
    record_key: DecreeSigner
    signer: DocumentSigner | None
    method: str  # pades | remote | wet
    base_url: str  # printed in the QR code

    def draft(
        self, *, number: str, kind: str, snapshot: dict[str, Any], template: DecreeTemplate
    ) -> IssuedDocument:
        return IssuedDocument(
            number=number,
            kind=kind,
            agency_code=snapshot["agency_code"],
            state=AWAITING,
            method=snapshot["method"],
            snapshot=snapshot,
            snapshot_sha256=digest(snapshot),
            template=template_reference(template),
        )

    def seal(self, doc: IssuedDocument, pdf: bytes, at: datetime) -> IssuedDocument:
        """The document of record stored and its verification record signed."""
        doc.pdf_sha256 = self.store.put(pdf)
        doc.snapshot_sha256 = digest(doc.snapshot)
        doc.signed_at, doc.state = at, ISSUED
        doc.record_signature = self.record_key.sign(verification_record(doc))
        doc.key_id = self.record_key.key_id
        return doc

    def sign_electronically(
        self, doc: IssuedDocument, template: DecreeTemplate, at: datetime, **who: str
    ) -> IssuedDocument:
        """Render, sign with the PPK's certificate (or the remote service), seal."""
        if self.signer is None:
            raise RuntimeError("tidak ada penanda tangan elektronik yang dikonfigurasi")
        pdf = render(self.store, template, doc.snapshot)
        snap = doc.snapshot
        signed = self.signer.sign(
            SigningRequest(
                pdf=pdf,
                reason=f"Penetapan Keputusan Nomor {snap['number']}",
                location=snap["seat"],
                **who,
            )
        )
        return self.seal(doc, signed, at)


def template_of(session: Session, doc: IssuedDocument) -> DecreeTemplate:
    """The exact template version a document was drafted with."""
    name, _, rest = doc.template.partition("@")
    version = int(rest.split(" ", 1)[0])
    found = template_version(session, doc.agency_code, name, version)
    if found is None:
        raise LookupError(f"templat {doc.template} tidak ada")
    return found


@dataclass(frozen=True)
class DocumentCheck:
    intact: bool
    reason: str = ""
    pdf: bytes | None = None


def check_document(
    doc: IssuedDocument, record_key: DecreeSigner, store: DocumentStore
) -> DocumentCheck:
    """Whether an issued document is exactly what was issued: the record's signature, the
    snapshot's hash, the stored bytes' hash."""
    if doc.state != ISSUED or not doc.pdf_sha256:
        return DocumentCheck(False, "belum ditandatangani")
    if doc.key_id != record_key.key_id or not signature_valid(
        record_key.public_key, verification_record(doc), doc.record_signature
    ):
        return DocumentCheck(False, "rekaman verifikasi tidak cocok dengan tanda tangannya")
    if digest(doc.snapshot) != doc.snapshot_sha256:
        return DocumentCheck(False, "data keputusan diubah setelah terbit")
    try:
        pdf = store.get(doc.pdf_sha256)
    except DocumentMissing:
        return DocumentCheck(False, "berkas keputusan hilang dari penyimpanan")
    except DocumentCorrupt:
        return DocumentCheck(False, "berkas keputusan diubah setelah terbit")
    return DocumentCheck(True, pdf=pdf)

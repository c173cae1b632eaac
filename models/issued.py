"""What a decree was when it was issued, kept for good: the exact PDF bytes (in the document
store, by hash) with the snapshot of every input it was made from, and the agency's own
decree templates, one row per saved version."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class IssuedDocument(SQLModel, table=True):
    """One issued document: a decree, a collective decree, an employee's extract (petikan)
    or a revoking/amending decree. Never re-rendered: the bytes under `pdf_sha256` are the
    document of record (for a wet signature, the uploaded scan)."""

    __tablename__ = "issued_document"

    number: str = Field(primary_key=True, max_length=80)
    kind: str = Field(max_length=16)  # decree | collective | extract | revocation
    agency_code: str = Field(max_length=32, index=True)
    # awaiting_signature (remote or wet: drafted, not yet signed) | issued
    state: str = Field(default="issued", max_length=24)
    method: str = Field(max_length=8)  # pades | remote | wet
    snapshot: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    snapshot_sha256: str = Field(max_length=64)
    template: str = Field(max_length=120)  # "decree@3 <sha256>"
    pdf_sha256: str | None = Field(default=None, max_length=64)
    # For a wet signature: the date of the draft the PPK signed (printed on it).
    draft_dated: date | None = None
    signed_at: datetime | None = None
    # Ed25519 of the application over the verification record (mutasi.decree.frozen).
    record_signature: str | None = Field(default=None, max_length=100)
    key_id: str | None = Field(default=None, max_length=16)
    # The code printed in the QR code of a document with no decree row of its own (a
    # revoking decree); decrees and extracts keep theirs on their row.
    verification_code: str | None = Field(default=None, max_length=32)


class DocumentTemplate(SQLModel, table=True):
    """A saved version of one of the agency's decree templates; versions are never edited."""

    __tablename__ = "document_template"

    agency_code: str = Field(primary_key=True, max_length=32)
    name: str = Field(primary_key=True, max_length=32)
    version: int = Field(primary_key=True)
    body: str
    sha256: str = Field(max_length=64)
    created_by: str = Field(max_length=120)
    created_at: datetime

"""What the API answers about a case's documents: its checklist and each upload."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class DocumentOut(BaseModel):
    id: int
    kind: str
    title: str
    filename: str
    media_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime
    status: str = Field(description="submitted | accepted | rejected")
    verified_by: str | None
    verified_at: datetime | None
    reason: str | None


class ChecklistEntry(BaseModel):
    code: str
    title: str
    required: bool
    status: str = Field(description="missing, or the latest upload's status")
    document_id: int | None


class Dossier(BaseModel):
    """The checklist with each item's latest upload, and every upload of the case."""

    case_id: str
    mutation_type: str
    checklist: list[ChecklistEntry]
    missing: list[str] = Field(description="kode dokumen wajib yang belum diterima")
    documents: list[DocumentOut]

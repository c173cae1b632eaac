"""A case's documents (uploads checked by content, kept by hash) and the checklist of
required documents per mutation type."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class CaseDocument(SQLModel, table=True):
    """One uploaded file of a case: a checklist item or the letter of a recorded act. The
    bytes live in the document store under `sha256`; the latest upload of a kind counts."""

    __tablename__ = "case_document"

    id: int | None = Field(default=None, primary_key=True)
    case_id: str = Field(foreign_key="mutation_case.id", index=True, max_length=96)
    kind: str = Field(max_length=48)
    filename: str = Field(max_length=200)
    media_type: str = Field(max_length=48)
    size: int
    sha256: str = Field(max_length=64)
    uploaded_by: str = Field(max_length=120)
    uploaded_role: str = Field(max_length=16)
    uploaded_at: datetime
    status: str = Field(default="submitted", max_length=16)  # submitted | accepted | rejected
    verified_by: str | None = Field(default=None, max_length=120)
    verified_at: datetime | None = None
    reason: str | None = Field(default=None, max_length=1000)


class DocumentChecklist(SQLModel, table=True):
    """An agency's own checklist for one mutation type (else the default one applies)."""

    __tablename__ = "document_checklist"

    mutation_type: str = Field(primary_key=True, max_length=24)
    items: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    updated_by: str = Field(max_length=120)
    updated_at: datetime

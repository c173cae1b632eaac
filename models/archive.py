"""Temporal histories kept beyond the namespace's retention: one row per archived run, the
history itself (gzipped JSON) in the document store under `document_sha256`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class HistoryArchive(SQLModel, table=True):
    __tablename__ = "history_archive"
    __table_args__ = (UniqueConstraint("workflow_id", "run_id"),)

    id: int | None = Field(default=None, primary_key=True)
    workflow_id: str = Field(max_length=128, index=True)
    run_id: str = Field(max_length=64)
    workflow_type: str = Field(max_length=64)
    subject_type: str = Field(max_length=32)  # case | cycle
    subject_id: str = Field(max_length=96, index=True)
    agency_code: str = Field(max_length=32)
    status: str = Field(max_length=24)  # Temporal's close status: completed, failed, terminated...
    closed_at: datetime | None = None
    events: int
    # SHA-256 of the history JSON as Temporal exported it (what an auditor re-hashes) and of
    # the stored gzip file (how the document store names it).
    history_sha256: str = Field(max_length=64)
    document_sha256: str = Field(max_length=64)
    size: int
    archived_at: datetime

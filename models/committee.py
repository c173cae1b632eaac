"""Review committees (TPK; Baperjakat for structural posts) and their sittings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


class ReviewCommittee(SQLModel, table=True):
    """An agency's committee as configured by HR (else formed from org data)."""

    __tablename__ = "review_committee"

    agency_code: str = Field(foreign_key="agency.code", primary_key=True, max_length=32)
    kind: str = Field(primary_key=True, max_length=16)  # tpk | baperjakat
    chair_nip: str = Field(foreign_key="employee.nip", max_length=18)
    members: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    quorum: int = Field(ge=1)
    updated_by: str = Field(max_length=120)
    updated_at: datetime


class CommitteeSitting(SQLModel, table=True):
    """One sitting: drafted by HR, signed by the chair; its minutes (berita acara) are a PDF
    in the document store, and its recommendations go to each case."""

    __tablename__ = "committee_sitting"
    __table_args__ = (UniqueConstraint("agency_code", "kind", "year", "sequence"),)

    number: str = Field(primary_key=True, max_length=80)
    agency_code: str = Field(foreign_key="agency.code", index=True, max_length=32)
    kind: str = Field(max_length=16)
    year: int
    sequence: int
    held_on: date
    chair_nip: str = Field(max_length=18)
    attendees: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    quorum: int
    # [{case_id, task_id, nip, name, origin, destination, recommendation, reason}]
    items: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    status: str = Field(default="draft", max_length=16)  # draft | signed
    minutes_sha256: str | None = Field(default=None, max_length=64)
    # The template version the minutes were worded by ("minutes@2 <sha256>").
    minutes_template: str | None = Field(default=None, max_length=120)
    created_by: str = Field(max_length=120)
    created_at: datetime
    signed_at: datetime | None = None

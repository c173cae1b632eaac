"""Moves that start outside a cycle: an employee's own request (atas permintaan sendiri,
APS) and an individual move HR opens for one person. Each ends as a case on the same path
as a planned move, or refused or withdrawn with its reason."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, text
from sqlmodel import Field, SQLModel

# One request under way per person: a second one waits until the first has an answer.
OPEN_REQUEST = "status IN ('opinion', 'screening')"
OPEN_REQUEST_PER_NIP = "uq_transfer_request_open_nip"


class TransferRequest(SQLModel, table=True):
    __tablename__ = "transfer_request"
    __table_args__ = (
        Index(
            OPEN_REQUEST_PER_NIP,
            "nip",
            unique=True,
            sqlite_where=text(OPEN_REQUEST),
            postgresql_where=text(OPEN_REQUEST),
        ),
    )

    id: str = Field(primary_key=True, max_length=40)  # "APS-<yyyymmdd>-<hex>" | "IND-..."
    kind: str = Field(max_length=16)  # aps | individual
    nip: str = Field(foreign_key="employee.nip", index=True, max_length=18)
    agency_code: str = Field(max_length=32, index=True)
    category: str = Field(max_length=32)
    reason: str = Field(max_length=2000)
    # Unit codes the employee wishes to go to, first choice first.
    wishes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    destination_position: str | None = Field(default=None, max_length=32)
    # opinion -> screening -> accepted | refused; withdrawn at any point before acceptance
    status: str = Field(max_length=16, index=True)
    superior_nip: str | None = Field(default=None, max_length=18, index=True)
    opinion_due: datetime | None = None
    opinion: str | None = Field(
        default=None, max_length=16
    )  # mendukung | tidak_mendukung | tidak_ada
    opinion_reason: str | None = Field(default=None, max_length=1000)
    opinion_at: datetime | None = None
    # The eligibility rules as HR's screening judged them: [{code, ok, message}].
    screening: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    override_reason: str | None = Field(default=None, max_length=1000)
    decided_by: str | None = Field(default=None, max_length=120)
    decided_at: datetime | None = None
    decision_reason: str | None = Field(default=None, max_length=1000)
    case_id: str | None = Field(default=None, max_length=96)
    workflow_id: str = Field(max_length=64)
    created_by: str = Field(max_length=120)
    created_at: datetime
    updated_at: datetime


class RequestDocument(SQLModel, table=True):
    """A supporting document of a request (read by content, kept by hash), listed with the
    request for HR and the superior."""

    __tablename__ = "request_document"

    id: int | None = Field(default=None, primary_key=True)
    request_id: str = Field(foreign_key="transfer_request.id", index=True, max_length=40)
    filename: str = Field(max_length=200)
    media_type: str = Field(max_length=48)
    size: int
    sha256: str = Field(max_length=64)
    uploaded_by: str = Field(max_length=120)
    uploaded_at: datetime


class DecreeAppeal(SQLModel, table=True):
    """An employee's formal objection (keberatan) to their decree, lodged within the
    configured days after it; decided with a reason by the PPK (in the inbox where the
    Sekda decides on the PPK's behalf, else recorded by BKPSDM from the PPK's letter)."""

    __tablename__ = "decree_appeal"

    id: int | None = Field(default=None, primary_key=True)
    case_id: str = Field(foreign_key="mutation_case.id", index=True, max_length=96)
    nip: str = Field(index=True, max_length=18)
    decree_number: str = Field(max_length=80)
    reason: str = Field(max_length=2000)
    document_sha256: str | None = Field(default=None, max_length=64)
    document_name: str | None = Field(default=None, max_length=200)
    filed_at: datetime
    # The official who decides in the inbox; None: BKPSDM records the PPK's letter.
    decider_nip: str | None = Field(default=None, index=True, max_length=18)
    status: str = Field(default="filed", max_length=16, index=True)  # filed | upheld | dismissed
    decided_by: str | None = Field(default=None, max_length=120)
    decided_at: datetime | None = None
    decision_reason: str | None = Field(default=None, max_length=2000)
    letter_number: str | None = Field(default=None, max_length=120)

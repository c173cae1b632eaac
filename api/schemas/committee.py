"""What the API answers about the review committees (TPK, Baperjakat) and their sittings."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field


class Member(BaseModel):
    nip: str
    name: str
    chair: bool


class CommitteeOut(BaseModel):
    agency_code: str
    kind: str = Field(description="tpk | baperjakat")
    chair_nip: str
    members: list[Member]
    quorum: int
    configured: bool = Field(description="false: dibentuk dari data organisasi")


class WaitingCase(BaseModel):
    """A case whose committee step waits for a sitting."""

    case_id: str
    task_id: str
    nip: str
    name: str
    origin: str = Field(description="jabatan asal")
    destination: str = Field(description="jabatan tujuan")
    due_at: datetime


class SittingItem(WaitingCase):
    recommendation: str
    reason: str


class SittingOut(BaseModel):
    number: str
    agency_code: str
    kind: str
    held_on: date
    chair_nip: str
    attendees: list[str]
    quorum: int
    items: list[SittingItem]
    status: str = Field(description="draft | signed")
    minutes_sha256: str | None
    created_by: str
    signed_at: datetime | None

"""What the API answers a person about themselves and the published results: notices,
objections (keberatan) and who moves where."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from api.schemas import PublicModel, public
from models import DecreeAppeal

if TYPE_CHECKING:
    AppealOut = PublicModel
else:
    AppealOut = public(DecreeAppeal, "AppealOut")


class Notice(BaseModel):
    key: str
    kind: str
    message: str = Field(description="dalam Bahasa Indonesia, seperti dikirim lewat surel")
    code: str | None = Field(description="kode pesan di katalog (mutasi/locale); null: lama")
    params: dict[str, str] | None = Field(description="nilai-nilai pesan, menurut kode")
    case_id: str | None
    created_at: datetime
    read: bool
    mail_status: str | None


class Notices(BaseModel):
    unread: int
    items: list[Notice]


class Marked(BaseModel):
    marked: int = Field(description="berapa pemberitahuan yang baru ditandai dibaca")


class PublishedMove(BaseModel):
    """A move decided by an issued decree; a revoked one stays, naming the revoking decree."""

    decree: str
    decided_on: date
    tmt: date
    name: str | None
    nip: str | None
    from_position: str | None
    from_unit: str | None
    to_position: str | None
    to_unit: str | None
    revoked_by: str | None


class IssuedCode(BaseModel):
    """A one-time code, shown once."""

    username: str
    code: str
    expires_at: datetime
    emailed: bool

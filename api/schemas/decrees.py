"""What the API answers about decrees: their verification (public and full) and a signing."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field


class PublicVerification(BaseModel):
    """What anyone holding the decree's number and code may read: validity, dates, name and a
    masked NIP. A field the decree has no value for is left out."""

    number: str
    verdict: str = Field(description="genuine | annulled | revoked | altered | unsigned | unknown")
    message: str
    decided_on: date | None = None
    tmt: date | None = None
    status: str | None = None
    key_id: str | None = None
    revoked_by: str | None = None
    employees: int | None = Field(None, description="SK kolektif: jumlah pegawai")
    name: str | None = None
    nip: str | None = Field(None, description="NIP tersamar (publik) atau lengkap")
    collective_number: str | None = None
    extract_no: int | None = None


class FullVerification(PublicVerification):
    """Everything the decree says, for roles allowed to read it."""

    old_position: str | None = None
    old_unit: str | None = None
    new_position: str | None = None
    new_unit: str | None = None
    annulled_reason: str | None = None


class SigningOutcome(BaseModel):
    number: str
    status: Literal["issued", "processing"] = Field(
        description="processing: layanan tanda tangan belum selesai; dicoba lagi otomatis"
    )

"""What the API answers about collective decrees: the cases waiting, a batch started, a
batch's decree, and the coat of arms it prints."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class WaitingForDecree(BaseModel):
    case_id: str
    nip: str
    mutation_type: str


class BatchStarted(BaseModel):
    """One collective decree's batch. A field without a value yet is left out."""

    batch_id: str
    status: str = Field(description="processing | awaiting_signature | issued")
    number: str | None = None
    extracts: list[str] | None = Field(None, description="nomor petikan, satu per pegawai")
    skipped: list[str] | None = Field(None, description="kasus yang tidak ikut (sudah selesai)")


class BatchesStarted(BatchStarted):
    """The first batch's fields, and every batch: one decree per ASN type (PNS, PPPK)."""

    batches: list[BatchStarted]


class BatchDecree(BaseModel):
    batch_id: str
    number: str
    decided_on: date
    tmt: date
    employees: int
    considering: list[str]
    status: str


class CoatOfArms(BaseModel):
    agency_code: str
    sha256: str
    media_type: str

"""What the API answers about moves outside cycles: a request as its employee reads it, as HR
and the superior read it, the screening's judgement and its outcome."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class DocumentRef(BaseModel):
    id: int
    filename: str
    size: int


class UploadedDocument(DocumentRef):
    sha256: str


class OwnRequest(BaseModel):
    """What the employee sees of their own request: its state and a plain reason; never the
    screening's rule-by-rule judgement."""

    id: str
    kind: str = Field(description="aps | individual")
    category: str
    category_label: str
    reason: str
    wishes: list[str] = Field(description="kode unit yang diinginkan, pilihan pertama dulu")
    status: str
    opinion_given: bool
    decision_reason: str | None
    destination_position: str | None
    destination_title: str | None
    case_id: str | None
    case_stage: str | None
    may_withdraw: bool
    created_at: datetime
    documents: list[DocumentRef]


class RuleCheck(BaseModel):
    code: str
    ok: bool
    message: str


class RequestView(OwnRequest):
    """A request as HR (every one) and the asked superior read it."""

    nip: str
    name: str
    agency_code: str
    superior_nip: str | None
    opinion: str | None
    opinion_reason: str | None
    opinion_due: datetime | None
    screening: list[RuleCheck]
    override_reason: str | None
    decided_by: str | None
    decided_at: datetime | None
    created_by: str


class ScreeningPreview(BaseModel):
    destination_position: str
    rules: list[RuleCheck]
    problems: list[str] = Field(description="kosong: permohonan dapat diterima")


class ScreeningOutcome(BaseModel):
    request_id: str
    status: str
    case_id: str | None

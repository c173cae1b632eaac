"""Typed inputs and outputs of a request's workflow (an employee's own request, APS, or
HR's individual move) and its activities."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from contracts.case import CaseInput
from contracts.messages import Msg

APS = "aps"
INDIVIDUAL = "individual"

# What an employee may give as the ground of their own request.
APS_CATEGORIES = {
    "ikut_pasangan": "Mengikuti suami/istri",
    "kesehatan": "Alasan kesehatan",
    "keluarga": "Alasan keluarga",
    "pengembangan_karier": "Pengembangan karier",
    "lainnya": "Lainnya",
}
# Why HR moves one person outside a cycle.
INDIVIDUAL_CATEGORIES = {
    "kebutuhan_mendesak": "Kebutuhan organisasi yang mendesak",
    "putusan_pengadilan": "Melaksanakan putusan pengadilan",
    "reorganisasi": "Penataan organisasi",
    "lainnya": "Lainnya",
}


def category_label(kind: str, category: str) -> str:
    """The category as people read it."""
    labels = APS_CATEGORIES if kind == APS else INDIVIDUAL_CATEGORIES
    return labels.get(category, category)


class RequestStatus:
    OPINION = "opinion"  # waiting for the direct superior's opinion
    SCREENING = "screening"  # waiting for HR's screening
    ACCEPTED = "accepted"  # a case was opened
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


OPEN_STATUSES = (RequestStatus.OPINION, RequestStatus.SCREENING)


@dataclass(kw_only=True)
class RequestScreening:
    """HR's screening: accept with the destination post (rules judged as for the
    optimiser; a broken rule only with an override reason) or refuse with a reason."""

    actor: str
    accept: bool
    reason: str
    destination_position: str = ""
    override_reason: str = ""
    actor_nip: str | None = None


@dataclass(kw_only=True)
class RequestInput:
    request_id: str
    kind: str  # aps | individual
    nip: str
    agency_code: str
    superior_nip: str  # "" when nobody is above the person: straight to screening
    opinion_days: int = 5
    # An individual move: HR's acceptance, given when it opened the move.
    screening: RequestScreening | None = None


@dataclass(kw_only=True)
class SuperiorOpinion:
    actor_nip: str
    support: bool
    reason: str


@dataclass(kw_only=True)
class RequestWithdrawal:
    actor: str
    reason: str


@dataclass(kw_only=True)
class RequestOpen:
    request_id: str
    at: datetime
    opinion_due: datetime | None


@dataclass(kw_only=True)
class RequestNotice:
    request_id: str
    recipient_nip: str
    message: Msg
    at: datetime


@dataclass(kw_only=True)
class OpinionRecord:
    request_id: str
    opinion: str  # mendukung | tidak_mendukung | tidak_ada
    reason: str
    actor: str
    at: datetime


@dataclass(kw_only=True)
class ScreeningApply:
    request_id: str
    screening: RequestScreening
    at: datetime


@dataclass(kw_only=True)
class ScreeningOutcome:
    status: str  # accepted | refused | screening (problems: nothing changed)
    problems: list[str] = field(default_factory=list)
    case: CaseInput | None = None


@dataclass(kw_only=True)
class RequestClose:
    request_id: str
    actor: str
    reason: str
    at: datetime


@dataclass(kw_only=True)
class RequestState:
    request_id: str
    status: str
    case_id: str = ""
    problems: list[str] = field(default_factory=list)

"""Plain inputs of the planning engine (built by activities from the database)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class UnitInfo:
    code: str
    name: str
    kind: str = "dinas"
    region: str = ""
    parent_code: str | None = None
    head_position_code: str | None = None


@dataclass(frozen=True)
class PositionInfo:
    code: str
    unit_code: str
    title: str
    kind: str
    authorized: int
    technical_competency: str
    required_technical: int
    required_managerial: int
    required_sociocultural: int
    education_fields: tuple[str, ...] = ()
    min_education: str | None = None
    job_class: int = 7
    min_rank: str | None = None  # lowest golongan ruang that may hold the post
    jenjang: str | None = None  # functional level a holder must already have
    education_required: bool = False  # min_education and fields are a hard condition
    superior_position_code: str | None = None


@dataclass(frozen=True)
class Assessment:
    competency: str
    kind: str  # teknis | manajerial | sosial_kultural
    level: int
    assessed_on: date


@dataclass(frozen=True)
class EmployeeInfo:
    nip: str
    name: str
    position_code: str
    position_tmt: date
    education_level: str = "S1"
    education_field: str = ""
    home_region: str = ""
    rank: str = "III/a"
    movable: bool = True
    not_movable_reason: str | None = None
    ratings: tuple[tuple[int, str], ...] = ()  # (year, predikat)
    sanctions: tuple[tuple[date, str], ...] = ()  # (decided_on, level)
    assessments: tuple[Assessment, ...] = ()
    preferences: tuple[str, ...] = ()  # unit codes, first choice first
    asn_type: str = "PNS"  # PNS | PPPK
    birth_date: date | None = None
    service_status: str = "aktif"


@dataclass(frozen=True)
class WorkloadItem:
    position_code: str
    task: str
    yearly_volume: float
    norm_minutes: float


@dataclass(frozen=True)
class PendingMove:
    """A move already under way (an open case, or approved in another cycle and not yet
    opened): its person is not proposed again, and the plan counts it as done."""

    nip: str
    origin_position: str
    destination_position: str
    case_id: str


@dataclass
class PlanningInput:
    as_of: date
    units: list[UnitInfo]
    positions: list[PositionInfo]
    employees: list[EmployeeInfo]
    workload: list[WorkloadItem]
    # Proposals HR pinned or excluded by NIP, applied by the optimiser.
    excluded_nips: frozenset[str] = field(default_factory=frozenset)
    pending_moves: tuple[PendingMove, ...] = ()
    # NIP -> the NIPs of their family (both directions): nobody lands in a relative's line of command.
    relations: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    """Something about the data the user should know, naming the record."""

    code: str
    subject: str  # the record: a NIP, a position or unit code
    message: str  # Bahasa Indonesia

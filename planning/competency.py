"""Competency mapping: job-person match (JPM) of an employee against a position,
its category, and the gaps that become training needs in JP hours."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from planning.reference import EDUCATION_LEVELS
from planning.types import Assessment, EmployeeInfo, PositionInfo


@dataclass(frozen=True)
class CompetencySettings:
    education_weight: float = 1.0  # education fit counts like one more competency level
    optimal: float = 90.0
    fairly_optimal: float = 78.0
    jp_per_level: int = 20
    yearly_floor_jp: int = 20  # regulatory minimum development per ASN per year


@dataclass(frozen=True)
class Profile:
    """What an employee brings: latest technical levels, average managerial and
    socio-cultural levels (None when never assessed), and education."""

    technical: dict[str, int]
    managerial: float | None
    sociocultural: float | None
    education_level: str
    education_field: str

    @property
    def assessed(self) -> bool:
        return bool(self.technical) or self.managerial is not None or self.sociocultural is not None


def profile(employee: EmployeeInfo) -> Profile:
    return build_profile(employee.assessments, employee.education_level, employee.education_field)


def build_profile(assessments: Iterable[Assessment], education_level: str, education_field: str) -> Profile:
    latest: dict[str, Assessment] = {}
    for a in assessments:
        seen = latest.get(a.competency)
        if seen is None or a.assessed_on > seen.assessed_on:
            latest[a.competency] = a
    technical = {a.competency: a.level for a in latest.values() if a.kind == "teknis"}

    def average(kind: str) -> float | None:
        levels = [a.level for a in latest.values() if a.kind == kind]
        return sum(levels) / len(levels) if levels else None

    return Profile(technical, average("manajerial"), average("sosial_kultural"), education_level, education_field)


def education_fit(level: str, field: str, position: PositionInfo) -> float:
    """1 when field and level fit, 0.5 when the field fits but the level is short, else 0."""
    field_ok = not position.education_fields or field in position.education_fields
    if not field_ok:
        return 0.0
    if position.min_education and education_rank(level) < education_rank(position.min_education):
        return 0.5
    return 1.0


def education_rank(level: str) -> int:
    return EDUCATION_LEVELS.index(level) if level in EDUCATION_LEVELS else 0


@dataclass(frozen=True)
class Gap:
    kind: str
    competency: str
    required: int
    actual: float
    jp: int  # training hours to close it


@dataclass(frozen=True)
class Match:
    jpm: float  # percent
    category: str
    gaps: tuple[Gap, ...]
    education_fit: float

    @property
    def training_jp(self) -> int:
        return sum(g.jp for g in self.gaps)


def category(jpm: float, settings: CompetencySettings = CompetencySettings()) -> str:
    if jpm >= settings.optimal:
        return "optimal"
    if jpm >= settings.fairly_optimal:
        return "cukup optimal"
    return "kurang optimal"


def match(person: Profile, position: PositionInfo, settings: CompetencySettings = CompetencySettings()) -> Match:
    technical = person.technical.get(position.technical_competency, 0)
    managerial = person.managerial or 0.0
    sociocultural = person.sociocultural or 0.0
    edu = education_fit(person.education_level, person.education_field, position)
    points = (min(technical, position.required_technical) + min(managerial, position.required_managerial)
              + min(sociocultural, position.required_sociocultural) + settings.education_weight * edu)
    maximum = (position.required_technical + position.required_managerial + position.required_sociocultural
               + settings.education_weight)
    score = round(100.0 * points / maximum, 2)
    gaps = []
    for kind, name, required, actual in (
        ("teknis", position.technical_competency, position.required_technical, technical),
        ("manajerial", "Kompetensi manajerial", position.required_managerial, managerial),
        ("sosial_kultural", "Kompetensi sosial kultural", position.required_sociocultural, sociocultural),
    ):
        if actual < required:
            levels = required - actual
            gaps.append(Gap(kind, name, required, round(actual, 2), int(round(levels * settings.jp_per_level))))
    return Match(score, category(score, settings), tuple(gaps), edu)


@dataclass(frozen=True)
class TrainingNeed:
    program: str
    kind: str
    jp: int
    reason: str


def training_needs(result: Match, settings: CompetencySettings = CompetencySettings()) -> list[TrainingNeed]:
    """Gaps become programmes; topped up to the yearly 20 JP floor."""
    needs = [TrainingNeed(f"Pelatihan {g.competency}", g.kind, g.jp,
                          f"level {g.actual:g} di bawah standar {g.required}") for g in result.gaps]
    total = sum(n.jp for n in needs)
    if total < settings.yearly_floor_jp:
        needs.append(TrainingNeed("Pengembangan kompetensi umum", "umum", settings.yearly_floor_jp - total,
                                  f"memenuhi batas minimal {settings.yearly_floor_jp} JP per tahun"))
    return needs

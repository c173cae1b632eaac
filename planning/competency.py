"""Competency mapping: job-person match (JPM) of an employee against a position, its
category, and the gaps that become training needs in JP hours.

JPM as PermenPANRB 38/2017 intends: every required competency compared on its own — the
post's technical competency, each of the eight managerial competencies and the
socio-cultural one — so a level above the requirement in one never offsets a gap in
another. Per kind, the points are Σ min(actual, required) over Σ required; the kinds are
weighted (`CompetencySettings`, 1:1:1 by default, i.e. every competency level counts the
same). Education fit is reported beside the score, not in it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from planning.reference import EDUCATION_LEVELS, MANAGERIAL_COMPETENCIES, SOCIOCULTURAL_COMPETENCIES
from planning.types import Assessment, EmployeeInfo, PositionInfo


@dataclass(frozen=True)
class CompetencySettings:
    technical_weight: float = 1.0
    managerial_weight: float = 1.0
    sociocultural_weight: float = 1.0
    optimal: float = 90.0
    fairly_optimal: float = 78.0
    jp_per_level: int = 20
    yearly_floor_jp: int = 20  # regulatory minimum development per ASN per year


@dataclass(frozen=True)
class Profile:
    """What an employee brings: the latest level of each competency they were assessed in
    (by kind), and their education."""

    technical: dict[str, int]
    managerial: dict[str, int]
    sociocultural: dict[str, int]
    education_level: str
    education_field: str

    @property
    def assessed(self) -> bool:
        return bool(self.technical or self.managerial or self.sociocultural)

    def managerial_levels(self) -> list[int]:
        return [self.managerial.get(_key(c), 0) for c in MANAGERIAL_COMPETENCIES]

    def sociocultural_levels(self) -> list[int]:
        return [self.sociocultural.get(_key(c), 0) for c in SOCIOCULTURAL_COMPETENCIES]


@lru_cache(maxsize=1024)
def _key(name: str) -> str:
    return " ".join(name.lower().split())


def profile(employee: EmployeeInfo) -> Profile:
    return build_profile(employee.assessments, employee.education_level, employee.education_field)


def build_profile(
    assessments: Iterable[Assessment], education_level: str, education_field: str
) -> Profile:
    levels: dict[str, dict[str, int]] = {"teknis": {}, "manajerial": {}, "sosial_kultural": {}}
    when: dict[tuple[str, str], object] = {}
    for a in assessments:
        name = a.competency if a.kind == "teknis" else _key(a.competency)
        seen = when.get((a.kind, name))
        if seen is None or a.assessed_on > seen:  # type: ignore[operator]
            when[(a.kind, name)] = a.assessed_on
            levels.setdefault(a.kind, {})[name] = a.level
    return Profile(
        levels["teknis"],
        levels["manajerial"],
        levels["sosial_kultural"],
        education_level,
        education_field,
    )


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


def score(
    points: tuple[float, float, float],
    required: tuple[float, float, float],
    settings: CompetencySettings,
) -> float:
    """JPM in percent from the (technical, managerial, socio-cultural) points and requirements."""
    weights = (settings.technical_weight, settings.managerial_weight, settings.sociocultural_weight)
    maximum = sum(w * r for w, r in zip(weights, required, strict=True))
    if maximum <= 0:
        return 100.0
    return round(100.0 * sum(w * p for w, p in zip(weights, points, strict=True)) / maximum, 2)


def match(
    person: Profile, position: PositionInfo, settings: CompetencySettings = CompetencySettings()
) -> Match:
    rows: list[tuple[str, str, int, int]] = [
        (
            "teknis",
            position.technical_competency,
            position.required_technical,
            person.technical.get(position.technical_competency, 0),
        )
    ]
    rows += [
        ("manajerial", name, position.required_managerial, level)
        for name, level in zip(MANAGERIAL_COMPETENCIES, person.managerial_levels(), strict=True)
    ]
    rows += [
        ("sosial_kultural", name, position.required_sociocultural, level)
        for name, level in zip(
            SOCIOCULTURAL_COMPETENCIES, person.sociocultural_levels(), strict=True
        )
    ]
    points = dict.fromkeys(("teknis", "manajerial", "sosial_kultural"), 0)
    required = dict(points)
    gaps = []
    for kind, name, need, have in rows:
        points[kind] += min(have, need)
        required[kind] += need
        if have < need:
            gaps.append(Gap(kind, name, need, have, (need - have) * settings.jp_per_level))
    jpm = score(
        (points["teknis"], points["manajerial"], points["sosial_kultural"]),
        (required["teknis"], required["manajerial"], required["sosial_kultural"]),
        settings,
    )
    edu = education_fit(person.education_level, person.education_field, position)
    return Match(jpm, category(jpm, settings), tuple(gaps), edu)


@dataclass(frozen=True)
class TrainingNeed:
    program: str
    kind: str
    jp: int
    reason: str


def training_needs(
    result: Match, settings: CompetencySettings = CompetencySettings()
) -> list[TrainingNeed]:
    """Each competency below its requirement becomes a programme; topped up to the yearly
    20 JP floor."""
    needs = [
        TrainingNeed(
            f"Pelatihan {g.competency}",
            g.kind,
            g.jp,
            f"level {g.actual:g} di bawah standar {g.required}",
        )
        for g in result.gaps
    ]
    total = sum(n.jp for n in needs)
    if total < settings.yearly_floor_jp:
        needs.append(
            TrainingNeed(
                "Pengembangan kompetensi umum",
                "umum",
                settings.yearly_floor_jp - total,
                f"memenuhi batas minimal {settings.yearly_floor_jp} JP per tahun",
            )
        )
    return needs

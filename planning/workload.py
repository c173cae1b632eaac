"""Analisis Beban Kerja: workload minutes, required staff, surplus/deficit and
job efficiency (EJ) per position and unit, plus an agency-wide imbalance index."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Context, Decimal, Inexact
from fractions import Fraction

from planning.types import Finding, PositionInfo, UnitInfo, WorkloadItem

EFFECTIVE_HOURS_CHOICES = (1200, 1250, 1300)
# EJ is published, printed and graded to this many decimals, rounded half up.
EJ_DECIMALS = 2
HALF = Fraction(1, 2)

Number = int | float | Decimal | Fraction


def exact(value: Number) -> Fraction:
    """A figure as HR typed it. A float goes through its shortest decimal form, so the
    0.1 stored for "0.1" counts as one tenth, not as 0.1000000000000000055..."""
    if isinstance(value, float):
        return Fraction(Decimal(repr(value)))
    return Fraction(value)


# Products and sums of figures as typed are exact in decimal at this precision; anything
# that would round raises instead (and is then summed as a fraction).
_EXACT = Context(prec=120, traps=[Inexact])


def _typed(value: Number) -> Decimal | None:
    """A workload figure as the decimal HR typed (None when it has no finite decimal form)."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, int | Decimal):
        return Decimal(value)
    return None


def workload_minutes(items: Iterable[tuple[Number, Number]]) -> Fraction:
    """Σ volume × norm time, exactly. Decimal arithmetic (fast, in C) for typed figures; a
    fraction where a figure has no decimal form."""
    total = Decimal(0)
    rest = Fraction(0)
    for volume, norm in items:
        v, n = _typed(volume), _typed(norm)
        try:
            if v is None or n is None:
                raise Inexact
            total = _EXACT.add(total, _EXACT.multiply(v, n))
        except Inexact:
            rest += exact(volume) * exact(norm)
    return Fraction(total) + rest


def round_half_up(value: Number, decimals: int = 0) -> Fraction:
    scale = 10**decimals
    return Fraction(math.floor(exact(value) * scale + HALF), scale)


def published_ej(efficiency: Number | None) -> Decimal | None:
    """EJ as it is shown and graded everywhere: exact value rounded half up to
    EJ_DECIMALS decimals (0.695 -> 0.70, 0.895 -> 0.90, 0.8949 -> 0.89)."""
    if efficiency is None:
        return None
    return Decimal(_hundredths(efficiency)).scaleb(-EJ_DECIMALS)


def _hundredths(efficiency: Number) -> int:
    """floor(100 x + 1/2) in integers: the published EJ in hundredths."""
    value = exact(efficiency)
    scale = 10**EJ_DECIMALS
    return int((2 * scale * value.numerator + value.denominator) // (2 * value.denominator))


def efficiency_of(workload_minutes: Number, staff: int, effective_minutes: int) -> Fraction | None:
    """EJ = workload / (staff x effective minutes), exactly; None without staff."""
    if staff <= 0:
        return None
    return exact(workload_minutes) / (staff * effective_minutes)


@dataclass(frozen=True)
class WorkloadSettings:
    effective_hours: int = 1250
    # (lower bound, grade), highest first; below the last bound the grade is E.
    grades: tuple[tuple[float, str], ...] = ((1.0, "A"), (0.9, "B"), (0.7, "C"), (0.5, "D"))
    lowest_grade: str = "E"
    # A post with any workload needs at least one person, however small the figure.
    at_least_one: bool = True

    @property
    def effective_minutes(self) -> int:
        return self.effective_hours * 60

    def grade(self, efficiency: Number | None) -> str | None:
        """The one grading function: grades the published EJ (see `published_ej`), so the
        number printed beside a grade always explains it (0.895 -> 0.90 -> B)."""
        if efficiency is None:
            return None
        value = Fraction(_hundredths(efficiency), 10**EJ_DECIMALS)
        for bound, grade in self.grades:
            # A is strictly above 1.00; the other bounds are inclusive.
            limit = exact(bound)
            if value > limit if grade == self.grades[0][1] else value >= limit:
                return grade
        return self.lowest_grade


def round_headcount(required: Number, at_least_one: bool = True) -> int:
    """Round half up, exactly (0.724 -> 1, 1.5 -> 2, 2.5 -> 3); any workload needs at
    least one person."""
    value = exact(required)
    rounded = math.floor(value + HALF)
    if at_least_one and value > 0 and rounded == 0:
        return 1
    return rounded


class _Staffed:
    """Surplus and job efficiency, shared by positions and units."""

    workload_minutes: Fraction
    required: int
    current: int

    @property
    def surplus(self) -> int:
        """Positive: more staff than needed; negative: a deficit."""
        return self.current - self.required

    def efficiency(self, effective_minutes: int) -> Fraction | None:
        return efficiency_of(self.workload_minutes, self.current, effective_minutes)


@dataclass(frozen=True)
class PositionLoad(_Staffed):
    code: str
    unit_code: str
    workload_minutes: Fraction
    required_exact: Fraction
    required: int
    current: int
    authorized: int
    has_workload: bool


@dataclass(frozen=True)
class UnitLoad(_Staffed):
    code: str
    workload_minutes: Fraction
    required_exact: Fraction
    required: int
    current: int


@dataclass
class WorkloadAnalysis:
    settings: WorkloadSettings
    positions: dict[str, PositionLoad]
    units: dict[str, UnitLoad]
    findings: list[Finding] = field(default_factory=list)

    def imbalance(self, counts: Mapping[str, int] | None = None) -> float:
        """Share of staff in the wrong place: sum |current - required| / 2 over
        positions with ABK, divided by total required. 0 is perfect balance."""
        total_required = sum(p.required for p in self.positions.values() if p.has_workload)
        if total_required == 0:
            return 0.0
        gap = 0
        for p in self.positions.values():
            if p.has_workload:
                current = counts[p.code] if counts is not None else p.current
                gap += abs(current - p.required)
        return gap / 2 / total_required

    def squared_gap(self, counts: Mapping[str, int] | None = None) -> int:
        """Sum of (current - required)^2: the balance term the optimiser minimises."""
        total = 0
        for p in self.positions.values():
            if p.has_workload:
                current = counts[p.code] if counts is not None else p.current
                total += (current - p.required) ** 2
        return total

    def unit_dispersion(self, counts: Mapping[str, int] | None = None) -> float:
        """Staff-weighted standard deviation of unit EJ: how unevenly loaded units are."""
        eff = self.settings.effective_minutes
        unit_staff: Counter[str] = Counter()
        unit_minutes: defaultdict[str, float] = defaultdict(float)
        for p in self.positions.values():
            current = counts[p.code] if counts is not None else p.current
            unit_staff[p.unit_code] += current
            unit_minutes[p.unit_code] += float(
                p.workload_minutes
            )  # a statistic, not a graded figure
        staffed = [(unit_minutes[u] / (s * eff), s) for u, s in unit_staff.items() if s > 0]
        total = sum(s for _, s in staffed)
        if total == 0:
            return 0.0
        mean = sum(ej * s for ej, s in staffed) / total
        return math.sqrt(sum(s * (ej - mean) ** 2 for ej, s in staffed) / total)


def staff_counts(position_codes: Iterable[str]) -> Counter[str]:
    return Counter(position_codes)


def analyse(
    positions: Iterable[PositionInfo],
    units: Iterable[UnitInfo],
    workload: Iterable[WorkloadItem],
    counts: Mapping[str, int],
    settings: WorkloadSettings = WorkloadSettings(),
) -> WorkloadAnalysis:
    eff = settings.effective_minutes
    # Exact sums: 112 500 minutes from decimal norm times is 1.5 people, never 1.4999...
    rows: dict[str, list[tuple[Number, Number]]] = {}
    for item in workload:
        rows.setdefault(item.position_code, []).append((item.yearly_volume, item.norm_minutes))
    minutes = {code: workload_minutes(items) for code, items in rows.items()}
    findings: list[Finding] = []
    loads: dict[str, PositionLoad] = {}
    for p in positions:
        current = counts.get(p.code, 0)
        has = p.code in minutes
        if has:
            need = minutes[p.code] / eff
            required = round_headcount(need, settings.at_least_one)
        else:
            # Without ABK rows nothing is known: treat as balanced and say so.
            need, required = Fraction(current), current
            findings.append(
                Finding(
                    "position_without_abk",
                    p.code,
                    f"Jabatan {p.code} ({p.title}) tidak memiliki data ABK; tidak ikut penyeimbangan",
                )
            )
        loads[p.code] = PositionLoad(
            p.code,
            p.unit_code,
            minutes.get(p.code, Fraction(0)),
            need,
            required,
            current,
            p.authorized,
            has,
        )
    unit_loads: dict[str, UnitLoad] = {}
    by_unit: dict[str, list[PositionLoad]] = {}
    for load in loads.values():
        by_unit.setdefault(load.unit_code, []).append(load)
    for unit in units:
        members = by_unit.get(unit.code, [])
        unit_loads[unit.code] = UnitLoad(
            unit.code,
            sum((m.workload_minutes for m in members), Fraction(0)),
            sum((m.required_exact for m in members), Fraction(0)),
            sum(m.required for m in members),
            sum(m.current for m in members),
        )
        if members and unit_loads[unit.code].current == 0:
            findings.append(
                Finding(
                    "unit_without_staff",
                    unit.code,
                    f"Unit {unit.code} ({unit.name}) tidak memiliki pegawai",
                )
            )
    return WorkloadAnalysis(settings, loads, unit_loads, findings)

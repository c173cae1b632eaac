"""Analisis Beban Kerja: workload minutes, required staff, surplus/deficit and
job efficiency (EJ) per position and unit, plus an agency-wide imbalance index."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from planning.types import Finding, PositionInfo, UnitInfo, WorkloadItem

EFFECTIVE_HOURS_CHOICES = (1200, 1250, 1300)


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

    def grade(self, efficiency: float | None) -> str | None:
        if efficiency is None:
            return None
        # Graded as published: to two decimals, so 0.897 shows and grades as 0.90 (B).
        efficiency = round(efficiency, 2)
        for bound, grade in self.grades:
            # A is strictly above 1.00; the other bounds are inclusive.
            if efficiency > bound if grade == self.grades[0][1] else efficiency >= bound:
                return grade
        return self.lowest_grade


def round_headcount(exact: float, at_least_one: bool = True) -> int:
    """Round half up (0.724 -> 1, 2.5 -> 3); any workload needs at least one person."""
    rounded = math.floor(exact + 0.5)
    if at_least_one and exact > 0 and rounded == 0:
        return 1
    return rounded


class _Staffed:
    """Surplus and job efficiency, shared by positions and units."""

    workload_minutes: float
    required: int
    current: int

    @property
    def surplus(self) -> int:
        """Positive: more staff than needed; negative: a deficit."""
        return self.current - self.required

    def efficiency(self, effective_minutes: int) -> float | None:
        if self.current == 0:
            return None
        return self.workload_minutes / (self.current * effective_minutes)


@dataclass(frozen=True)
class PositionLoad(_Staffed):
    code: str
    unit_code: str
    workload_minutes: float
    required_exact: float
    required: int
    current: int
    authorized: int
    has_workload: bool


@dataclass(frozen=True)
class UnitLoad(_Staffed):
    code: str
    workload_minutes: float
    required_exact: float
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
        unit_minutes: Counter[str] = Counter()
        for p in self.positions.values():
            current = counts[p.code] if counts is not None else p.current
            unit_staff[p.unit_code] += current
            unit_minutes[p.unit_code] += p.workload_minutes
        staffed = [(unit_minutes[u] / (s * eff), s) for u, s in unit_staff.items() if s > 0]
        total = sum(s for _, s in staffed)
        if total == 0:
            return 0.0
        mean = sum(ej * s for ej, s in staffed) / total
        return math.sqrt(sum(s * (ej - mean) ** 2 for ej, s in staffed) / total)


def staff_counts(position_codes: Iterable[str]) -> Counter[str]:
    return Counter(position_codes)


def analyse(positions: Iterable[PositionInfo], units: Iterable[UnitInfo], workload: Iterable[WorkloadItem],
            counts: Mapping[str, int], settings: WorkloadSettings = WorkloadSettings()) -> WorkloadAnalysis:
    eff = settings.effective_minutes
    minutes: dict[str, float] = {}
    for item in workload:
        minutes[item.position_code] = minutes.get(item.position_code, 0.0) + item.yearly_volume * item.norm_minutes
    findings: list[Finding] = []
    loads: dict[str, PositionLoad] = {}
    for p in positions:
        current = counts.get(p.code, 0)
        has = p.code in minutes
        if has:
            exact = minutes[p.code] / eff
            required = round_headcount(exact, settings.at_least_one)
        else:
            # Without ABK rows nothing is known: treat as balanced and say so.
            exact, required = float(current), current
            findings.append(Finding("position_without_abk", p.code,
                                    f"Jabatan {p.code} ({p.title}) tidak memiliki data ABK; tidak ikut penyeimbangan"))
        loads[p.code] = PositionLoad(p.code, p.unit_code, minutes.get(p.code, 0.0), exact, required, current,
                                     p.authorized, has)
    unit_loads: dict[str, UnitLoad] = {}
    by_unit: dict[str, list[PositionLoad]] = {}
    for load in loads.values():
        by_unit.setdefault(load.unit_code, []).append(load)
    for unit in units:
        members = by_unit.get(unit.code, [])
        unit_loads[unit.code] = UnitLoad(
            unit.code, sum(m.workload_minutes for m in members), sum(m.required_exact for m in members),
            sum(m.required for m in members), sum(m.current for m in members))
        if members and unit_loads[unit.code].current == 0:
            findings.append(Finding("unit_without_staff", unit.code,
                                    f"Unit {unit.code} ({unit.name}) tidak memiliki pegawai"))
    return WorkloadAnalysis(settings, loads, unit_loads, findings)

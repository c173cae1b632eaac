"""Hard rules that decide whether an employee may be proposed for a move at all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from planning.calendar import add_months, months_between, span_text, years_as_months
from planning.reference import GOOD_PREDIKATS
from planning.types import EmployeeInfo


@dataclass(frozen=True)
class RuleSettings:
    """Spans are counted by calendar anniversaries (planning.calendar), in whole months."""

    min_tenure_years: float = 2.0
    rotation_due_years: float = 5.0
    sanction_lookback_years: float = 2.0
    blocking_sanctions: tuple[str, ...] = ("sedang", "berat")
    good_ratings_required: int = 2  # the last N yearly ratings must be Baik or better
    min_jpm: float = 60.0  # below this, a destination does not fit at all


@dataclass(frozen=True)
class RuleCheck:
    code: str
    ok: bool
    message: str


@dataclass(frozen=True)
class Eligibility:
    nip: str
    checks: tuple[RuleCheck, ...]
    tenure_years: float
    rotation_due: bool
    tenure_months: int = 0

    @property
    def tenure_text(self) -> str:
        return span_text(self.tenure_months)

    @property
    def eligible(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def failures(self) -> list[RuleCheck]:
        return [c for c in self.checks if not c.ok]


def check(employee: EmployeeInfo, as_of: date, settings: RuleSettings = RuleSettings()) -> Eligibility:
    tenure = months_between(employee.position_tmt, as_of)
    minimum = years_as_months(settings.min_tenure_years)
    checks = [
        RuleCheck("movable", employee.movable,
                  "dapat dimutasi" if employee.movable
                  else f"tidak dapat dimutasi: {employee.not_movable_reason or 'tanpa alasan'}"),
        RuleCheck("min_tenure", tenure >= minimum,
                  f"masa jabatan {span_text(tenure)} (minimal {span_text(minimum)})"),
    ]
    # A sanction blocks until the anniversary that ends its look-back period.
    lookback = years_as_months(settings.sanction_lookback_years)
    recent = [(d, level) for d, level in employee.sanctions
              if level in settings.blocking_sanctions and as_of < add_months(d, lookback)]
    checks.append(RuleCheck(
        "no_recent_sanction", not recent,
        f"tidak ada hukuman disiplin sedang/berat dalam {span_text(lookback)} terakhir" if not recent
        else f"hukuman disiplin {recent[0][1]} pada {recent[0][0].isoformat()} "
             f"(berlaku sebagai penghalang hingga {add_months(recent[0][0], lookback).isoformat()})"))
    last = sorted(employee.ratings, reverse=True)[: settings.good_ratings_required]
    good = len(last) == settings.good_ratings_required and all(p in GOOD_PREDIKATS for _, p in last)
    shown = ", ".join(f"{y}: {p}" for y, p in last) or "belum ada"
    checks.append(RuleCheck("good_ratings", good,
                            f"{settings.good_ratings_required} predikat kinerja terakhir minimal Baik ({shown})"))
    return Eligibility(employee.nip, tuple(checks), round(tenure / 12, 2),
                       tenure >= years_as_months(settings.rotation_due_years), tenure)

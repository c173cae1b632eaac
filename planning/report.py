"""Cycle report data: workload per unit before and after the plan, moves by unit and by
rank/grade, imbalance before and after. Plain dicts, ready for tables and charts."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from planning.workload import (
    PositionLoad,
    WorkloadAnalysis,
    WorkloadSettings,
    efficiency_of,
    exact,
    published_ej,
    round_half_up,
)


@dataclass(frozen=True)
class PlannedMove:
    nip: str
    origin_position: str
    destination_position: str
    rank: str = ""


def cycle_report(
    loads: Iterable[PositionLoad],
    unit_names: dict[str, str],
    moves: Iterable[PlannedMove],
    settings: WorkloadSettings | None = None,
) -> dict[str, Any]:
    settings = settings or WorkloadSettings()
    positions = {p.code: p for p in loads}
    moves = list(moves)
    after = {c: p.current for c, p in positions.items()}
    for m in moves:
        if m.origin_position not in positions or m.destination_position not in positions:
            raise ValueError(f"mutasi {m.nip} menyebut jabatan yang tidak ada dalam analisis")
        after[m.origin_position] -= 1
        after[m.destination_position] += 1
    analysis = WorkloadAnalysis(settings, positions, {})
    eff = settings.effective_minutes
    unit_minutes: defaultdict[str, Fraction] = defaultdict(Fraction)
    unit_required: Counter[str] = Counter()
    before_staff: Counter[str] = Counter()
    after_staff: Counter[str] = Counter()
    for p in positions.values():
        unit_minutes[p.unit_code] += exact(p.workload_minutes)
        unit_required[p.unit_code] += p.required
        before_staff[p.unit_code] += p.current
        after_staff[p.unit_code] += after[p.code]
    out_by_unit = Counter(positions[m.origin_position].unit_code for m in moves)
    in_by_unit = Counter(positions[m.destination_position].unit_code for m in moves)

    def ej(unit: str, staff: int) -> float | None:
        value = published_ej(efficiency_of(unit_minutes[unit], staff, eff))
        return None if value is None else float(value)

    units = []
    for code in sorted(set(before_staff) | set(unit_names)):
        b, a = before_staff[code], after_staff[code]
        units.append(
            {
                "unit": code,
                "name": unit_names.get(code, code),
                "workload_minutes": float(round_half_up(unit_minutes[code], 1)),
                "required": unit_required[code],
                "staff_before": b,
                "staff_after": a,
                "ej_before": ej(code, b),
                "ej_after": ej(code, a),
                "grade_before": settings.grade(ej(code, b)),
                "grade_after": settings.grade(ej(code, a)),
                "moves_out": out_by_unit[code],
                "moves_in": in_by_unit[code],
            }
        )
    grades_before = Counter(u["grade_before"] for u in units if u["grade_before"])
    grades_after = Counter(u["grade_after"] for u in units if u["grade_after"])
    return {
        "moves": len(moves),
        "imbalance_before": round(analysis.imbalance(), 4),
        "imbalance_after": round(analysis.imbalance(after), 4),
        "dispersion_before": round(analysis.unit_dispersion(), 4),
        "dispersion_after": round(analysis.unit_dispersion(after), 4),
        "units": units,
        "units_by_grade": {
            "before": dict(sorted(grades_before.items())),
            "after": dict(sorted(grades_after.items())),
        },
        "moves_by_rank": dict(sorted(Counter(m.rank for m in moves if m.rank).items())),
        "flows": [
            {"from": f, "to": t, "moves": n}
            for (f, t), n in sorted(
                Counter(
                    (
                        positions[m.origin_position].unit_code,
                        positions[m.destination_position].unit_code,
                    )
                    for m in moves
                ).items()
            )
        ],
    }

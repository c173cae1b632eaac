"""Why each proposed move is there: a machine-readable record and a Bahasa Indonesia text.

Each proposal names the load of both units before and after the whole plan, the JPM at
the destination (and in the current post), tenure, preference and home-region match,
the hard rules that were checked, the training the move implies, and the runner-up for
the same destination with the reason the chosen person ranked ahead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

import numpy as np

from planning.command import CommandLines, conflict_check, relative_posts
from planning.competency import match, training_needs
from planning.explain_text import hr_explanation, number
from planning.problem import OptimiserSettings, Problem, Solution
from planning.rules import pair_checks
from planning.types import PlanningInput
from planning.workload import efficiency_of, published_ej


def unit_counts(problem: Problem, counts: Mapping[str, int]) -> Counter[str]:
    per_unit: Counter[str] = Counter()
    for code, load in problem.analysis.positions.items():
        per_unit[load.unit_code] += counts[code]
    return per_unit


def _unit_state(problem: Problem, unit_code: str, staff: int) -> dict[str, Any]:
    unit = problem.analysis.units.get(unit_code)
    settings = problem.analysis.settings
    ej = published_ej(
        efficiency_of(unit.workload_minutes if unit else 0, staff, settings.effective_minutes)
    )
    return {
        "staff": staff,
        "required": unit.required if unit else None,
        "ej": None if ej is None else float(ej),
        "grade": settings.grade(ej),
    }


def _runner_up(
    problem: Problem,
    order: np.ndarray,
    starts: dict[int, tuple[int, int]],
    dest: int,
    chosen: int,
    moved_here: set[int],
) -> int | None:
    """The best-fitting other candidate for `dest` whom the plan did not move there too."""
    lo, hi = starts.get(dest, (0, 0))
    for a in order[lo:hi]:
        person = int(problem.pairs_employee[a])
        if person != chosen and person not in moved_here:
            return int(a)
    return None


def preference_rank(preferences: tuple[str, ...], unit_code: str) -> int | None:
    return next((r + 1 for r, u in enumerate(dict.fromkeys(preferences)) if u == unit_code), None)


def home_region_match(home_region: str, unit_region: str) -> bool:
    """A match needs both regions known: two blanks are not the same place."""
    return bool(home_region.strip()) and home_region.strip() == unit_region.strip()


def fit_components(
    problem: Problem,
    person: int,
    jpm: float,
    unit_code: str,
    unit_region: str,
    settings: OptimiserSettings,
) -> dict[str, float]:
    w = settings.weights
    e = problem.employees[person]
    rank = preference_rank(e.preferences, unit_code)
    return {
        "jpm": w.mismatch * (100.0 - jpm),
        "preference": -w.preference[rank - 1] if rank and rank <= len(w.preference) else 0.0,
        "home_region": -w.home_region if home_region_match(e.home_region, unit_region) else 0.0,
        "rotation": -w.rotation_due if problem.eligibility[person].rotation_due else 0.0,
    }


def deciding_factor(chosen: dict[str, float], other: dict[str, float]) -> str | None:
    """The component that favours the chosen candidate most, if any does."""
    gains = {k: other[k] - chosen[k] for k in chosen}
    best = max(gains, key=lambda k: gains[k])
    return best if gains[best] > 0 else None


def explain_plan(
    inp: PlanningInput,
    problem: Problem,
    solution: Solution,
    counts_after: Mapping[str, int],
    settings: OptimiserSettings,
) -> list[dict[str, Any]]:
    if not solution.moves:
        return []
    positions = {p.code: p for p in inp.positions}
    units = {u.code: u for u in inp.units}
    before = unit_counts(problem, {c: p.current for c, p in problem.analysis.positions.items()})
    after = unit_counts(problem, counts_after)
    index = {e.nip: i for i, e in enumerate(problem.employees)}
    dest_index = {d.code: q for q, d in enumerate(problem.destinations)}
    # Pairs sorted by destination, then by fit cost: the runner-up is one slice away.
    order = np.lexsort((problem.pairs_cost, problem.pairs_destination))
    sorted_dest = problem.pairs_destination[order]
    bounds = np.searchsorted(sorted_dest, np.arange(len(problem.destinations) + 1))
    starts = {q: (int(bounds[q]), int(bounds[q + 1])) for q in range(len(problem.destinations))}
    moved = {m.nip: m for m in solution.moves}
    states: dict[tuple[str, int], dict[str, Any]] = {}

    def unit_state(unit_code: str, staff: int) -> dict[str, Any]:
        # Many moves share a unit: each (unit, staff) is graded once.
        if (unit_code, staff) not in states:
            states[(unit_code, staff)] = _unit_state(problem, unit_code, staff)
        return dict(states[(unit_code, staff)])

    lines = CommandLines(inp.positions, inp.units)
    post_of = {e.nip: e.position_code for e in inp.employees}
    moved_to: dict[str, set[int]] = {}
    for m in solution.moves:
        moved_to.setdefault(m.destination, set()).add(index[m.nip])
    leaving = Counter(m.origin for m in solution.moves)
    proposals = []
    for m in sorted(
        solution.moves, key=lambda m: (positions[m.destination].unit_code, m.destination, m.nip)
    ):
        i = index[m.nip]
        e = problem.employees[i]
        origin, dest = positions[m.origin], positions[m.destination]
        verdict = problem.eligibility[i]
        fit = match(problem.profiles[i], dest, settings.competency)
        fit_here = match(problem.profiles[i], origin, settings.competency)
        pref_rank = preference_rank(e.preferences, dest.unit_code)
        dest_region = units[dest.unit_code].region if dest.unit_code in units else ""
        home = home_region_match(e.home_region, dest_region)
        units_state = {
            "origin": {
                "code": origin.unit_code,
                "name": units[origin.unit_code].name if origin.unit_code in units else "",
                "before": unit_state(origin.unit_code, before[origin.unit_code]),
                "after": unit_state(origin.unit_code, after[origin.unit_code]),
            },
            "destination": {
                "code": dest.unit_code,
                "name": units[dest.unit_code].name if dest.unit_code in units else "",
                "before": unit_state(dest.unit_code, before[dest.unit_code]),
                "after": unit_state(dest.unit_code, after[dest.unit_code]),
            },
        }
        o_load, d_load = (
            problem.analysis.positions[m.origin],
            problem.analysis.positions[m.destination],
        )
        runner = _runner_up(
            problem, order, starts, dest_index[m.destination], i, moved_to[m.destination]
        )
        runner_info = None
        if runner is not None:
            j = int(problem.pairs_employee[runner])
            other = problem.employees[j]
            mine = fit_components(problem, i, fit.jpm, dest.unit_code, dest_region, settings)
            theirs = fit_components(
                problem, j, float(problem.pairs_jpm[runner]), dest.unit_code, dest_region, settings
            )
            elsewhere = other.nip in moved and moved[other.nip].destination != m.destination
            origin_full = leaving[other.position_code] >= problem.origin_capacity.get(
                other.position_code, 0
            )
            runner_info = {
                "nip": other.nip,
                "name": other.name,
                "jpm": float(problem.pairs_jpm[runner]),
                "fit_cost": int(problem.pairs_cost[runner]),
                "moved_elsewhere": elsewhere,
                "deciding_factor": deciding_factor(mine, theirs),
                "origin_released_all": origin_full and not elsewhere,
            }
        needs = training_needs(fit, settings.competency)
        record = {
            "nip": e.nip,
            "name": e.name,
            "origin_position": m.origin,
            "origin_title": origin.title,
            "origin_unit": origin.unit_code,
            "destination_position": m.destination,
            "destination_title": dest.title,
            "destination_unit": dest.unit_code,
            "jpm": fit.jpm,
            "jpm_category": fit.category,
            "jpm_origin": fit_here.jpm,
            "tenure_years": verdict.tenure_years,
            "tenure_months": verdict.tenure_months,
            "tenure_text": verdict.tenure_text,
            "rotation_due": verdict.rotation_due,
            "preference_rank": pref_rank,
            "home_region_match": home,
            "fit_cost": m.cost,
            "positions": {
                "origin": {
                    "current": o_load.current,
                    "required": o_load.required,
                    "required_exact": round(float(o_load.required_exact), 3),
                },
                "destination": {
                    "current": d_load.current,
                    "required": d_load.required,
                    "required_exact": round(float(d_load.required_exact), 3),
                },
            },
            "units": units_state,
            "rules": [
                {"code": c.code, "ok": c.ok, "message": c.message}
                for c in (
                    *verdict.checks,
                    *pair_checks(e, origin, dest, settings.rules),
                    conflict_check(lines, dest.code, relative_posts(inp.relations, post_of, e.nip)),
                )
            ]
            + [
                {
                    "code": "headcount",
                    "ok": True,
                    "message": f"formasi tujuan {d_load.authorized}, terisi {d_load.current} sebelum rencana",
                },
                {
                    "code": "different_position",
                    "ok": True,
                    "message": "jabatan tujuan berbeda dari jabatan sekarang",
                },
                {
                    "code": "min_jpm",
                    "ok": True,
                    "message": f"JPM {number(fit.jpm, 'id')}% di atas batas minimal {number(settings.rules.min_jpm, 'id')}%",
                },
            ],
            "gaps": [
                {
                    "kind": g.kind,
                    "competency": g.competency,
                    "required": g.required,
                    "actual": g.actual,
                    "jp": g.jp,
                }
                for g in fit.gaps
            ],
            "training": [
                {"program": n.program, "kind": n.kind, "jp": n.jp, "reason": n.reason}
                for n in needs
            ],
            "runner_up": runner_info,
        }
        record["explanation"] = hr_explanation(record)
        proposals.append(record)
    return proposals

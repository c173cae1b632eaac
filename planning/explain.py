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


def _fmt_ej(state: dict[str, Any]) -> str:
    if state["ej"] is None:
        return "tanpa pegawai"
    return f"EJ {state['ej']:.2f} ({state['grade']})"


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


# The parts of a pair's fit cost that can set two candidates apart, as cost units
# (lower is better), and how each is said when it decides.
FACTOR_TEXT = {
    "jpm": "kesesuaian kompetensinya (JPM) lebih tinggi",
    "preference": "unit tujuan termasuk pilihannya",
    "home_region": "unit tujuan berada di daerah domisilinya",
    "rotation": "masa jabatannya sudah mencapai batas rotasi",
}
FACTOR_TEXT_EMPLOYEE = {
    "jpm": "kesesuaian kompetensi (JPM) Anda dengan jabatan tujuan lebih tinggi",
    "preference": "unit tujuan termasuk pilihan Anda",
    "home_region": "unit tujuan berada di daerah domisili Anda",
    "rotation": "masa jabatan Anda sudah mencapai batas rotasi",
}


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
                    "message": f"JPM {fit.jpm:g}% di atas batas minimal {settings.rules.min_jpm:g}%",
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
        record["explanation"] = _text(record)
        proposals.append(record)
    return proposals


def _tenure(r: dict[str, Any]) -> str:
    return r.get("tenure_text") or f"{r['tenure_years']:.1f} tahun"


def _common_parts(r: dict[str, Any], you: bool) -> list[str]:
    """What the HR text and the employee's own text share: the move's own facts."""
    u, pos = r["units"], r["positions"]
    parts = [
        f"Jabatan asal kelebihan pegawai ({pos['origin']['current']} pegawai, kebutuhan ABK "
        f"{pos['origin']['required']}); jabatan tujuan kekurangan "
        f"({pos['destination']['current']} pegawai, kebutuhan {pos['destination']['required']}).",
        f"Sebagai dampak seluruh rencana (semua mutasi yang diusulkan bersama), beban unit asal "
        f"{_fmt_ej(u['origin']['before'])} menjadi {_fmt_ej(u['origin']['after'])}; unit tujuan "
        f"{_fmt_ej(u['destination']['before'])} menjadi {_fmt_ej(u['destination']['after'])}.",
        f"Kesesuaian kompetensi (JPM) {'Anda ' if you else ''}di jabatan tujuan {r['jpm']:g}% "
        f"({r['jpm_category']}), di jabatan sekarang {r['jpm_origin']:g}%.",
        f"Masa jabatan {_tenure(r)}" + ("; sudah waktunya rotasi." if r["rotation_due"] else "."),
    ]
    if r["preference_rank"]:
        parts.append(
            f"Unit tujuan adalah pilihan ke-{r['preference_rank']} {'Anda' if you else 'pegawai'}."
        )
    if r["home_region_match"]:
        parts.append(f"Unit tujuan berada di daerah domisili {'Anda' if you else 'pegawai'}.")
    parts.append("Syarat yang diperiksa: " + "; ".join(c["message"] for c in r["rules"]) + ".")
    if r["gaps"]:
        parts.append(
            "Kesenjangan kompetensi: "
            + ", ".join(
                f"{g['competency']} (level {g['actual']:g} dari {g['required']}, {g['jp']} JP)"
                for g in r["gaps"]
            )
            + "."
        )
    return parts


def _text(r: dict[str, Any]) -> str:
    """The full explanation, for HR, approvers and auditors: names the runner-up."""
    u = r["units"]
    parts = [
        f"{r['name']} ({r['nip']}) diusulkan pindah dari {r['origin_title']} di {u['origin']['name'] or r['origin_unit']} "
        f"ke {r['destination_title']} di {u['destination']['name'] or r['destination_unit']}.",
        *_common_parts(r, you=False),
    ]
    runner = r["runner_up"]
    if runner is None:
        parts.append("Tidak ada kandidat lain yang memenuhi syarat untuk jabatan tujuan ini.")
        return " ".join(parts)
    who = f"{runner['name']} ({runner['nip']}, JPM {runner['jpm']:g}%)"
    factor = runner.get("deciding_factor")
    if factor:
        parts.append(
            f"Dipilih dibanding kandidat berikutnya yang tidak diusulkan ke jabatan ini, {who}, "
            f"karena {FACTOR_TEXT[factor]}."
        )
    elif runner["moved_elsewhere"]:
        parts.append(
            f"Kandidat berikutnya, {who}, diusulkan ke jabatan lain yang lebih membutuhkannya."
        )
    elif runner.get("origin_released_all"):
        parts.append(
            f"Kandidat berikutnya, {who}, tidak dipindah karena jabatan asalnya sudah melepas "
            "sebanyak kelebihan pegawainya."
        )
    else:
        parts.append(
            f"Kandidat berikutnya, {who}, sama cocoknya; keseimbangan seluruh rencana lebih baik "
            "dengan pilihan ini."
        )
    return " ".join(parts)


def employee_explanation(r: dict[str, Any]) -> str:
    """The explanation the employee reads about their own move: the same facts in the
    second person, and never a word about another employee (no runner-up name, NIP or
    score)."""
    if r.get("added_by_hr"):
        jpm = (
            f" Kesesuaian kompetensi (JPM) Anda di jabatan tujuan {r['jpm']:g}% ({r['jpm_category']})."
            if r.get("jpm") is not None
            else ""
        )
        return (
            f"Anda diusulkan mutasi oleh BKPSDM: {r.get('reason') or 'tanpa alasan tertulis'}.{jpm}"
        )
    u = r["units"]
    parts = [
        f"Anda diusulkan pindah dari {r['origin_title']} di {u['origin']['name'] or r['origin_unit']} "
        f"ke {r['destination_title']} di {u['destination']['name'] or r['destination_unit']}.",
        *_common_parts(r, you=True),
    ]
    runner = r.get("runner_up")
    factor = runner.get("deciding_factor") if runner else None
    if factor:
        parts.append(
            f"Dibanding kandidat lain, Anda dipilih karena {FACTOR_TEXT_EMPLOYEE[factor]}."
        )
    elif runner is not None:
        parts.append(
            "Dibanding kandidat lain, pilihan ini membuat seluruh rencana paling seimbang."
        )
    return " ".join(parts)

"""Why each proposed move is there: a machine-readable record and a Bahasa Indonesia text.

Each proposal names the load of both units before and after the whole plan, the JPM at
the destination (and in the current post), tenure, preference and home-region match,
the hard rules that were checked, the training the move implies, and the runner-up for
the same destination with the reason the chosen person ranked ahead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from planning.competency import match, training_needs
from planning.types import PlanningInput

if TYPE_CHECKING:
    from planning.optimizer import OptimiserSettings, Problem, Solution


def unit_counts(problem: Problem, counts: Mapping[str, int]) -> Counter[str]:
    per_unit: Counter[str] = Counter()
    for code, load in problem.analysis.positions.items():
        per_unit[load.unit_code] += counts[code]
    return per_unit


def _unit_state(problem: Problem, unit_code: str, staff: int) -> dict:
    unit = problem.analysis.units.get(unit_code)
    settings = problem.analysis.settings
    minutes = unit.workload_minutes if unit else 0.0
    ej = minutes / (staff * settings.effective_minutes) if staff else None
    return {"staff": staff, "required": unit.required if unit else None,
            "ej": None if ej is None else round(ej, 3), "grade": settings.grade(ej)}


def _fmt_ej(state: dict) -> str:
    if state["ej"] is None:
        return "tanpa pegawai"
    return f"EJ {state['ej']:.2f} ({state['grade']})"


def _runner_up(problem: Problem, order: np.ndarray, starts: dict[int, tuple[int, int]],
               dest: int, chosen: int) -> int | None:
    lo, hi = starts.get(dest, (0, 0))
    for a in order[lo:hi]:
        if int(problem.pairs_employee[a]) != chosen:
            return int(a)
    return None


def explain_plan(inp: PlanningInput, problem: Problem, solution: Solution, counts_after: Mapping[str, int],
                 settings: OptimiserSettings) -> list[dict]:
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
    proposals = []
    for m in sorted(solution.moves, key=lambda m: (positions[m.destination].unit_code, m.destination, m.nip)):
        i = index[m.nip]
        e = problem.employees[i]
        origin, dest = positions[m.origin], positions[m.destination]
        verdict = problem.eligibility[i]
        fit = match(problem.profiles[i], dest, settings.competency)
        fit_here = match(problem.profiles[i], origin, settings.competency)
        pref_rank = next((r + 1 for r, u in enumerate(e.preferences) if u == dest.unit_code), None)
        home = bool(e.home_region) and units.get(dest.unit_code) is not None \
            and units[dest.unit_code].region == e.home_region
        units_state = {
            "origin": {"code": origin.unit_code, "name": units[origin.unit_code].name if origin.unit_code in units else "",
                       "before": _unit_state(problem, origin.unit_code, before[origin.unit_code]),
                       "after": _unit_state(problem, origin.unit_code, after[origin.unit_code])},
            "destination": {"code": dest.unit_code, "name": units[dest.unit_code].name if dest.unit_code in units else "",
                            "before": _unit_state(problem, dest.unit_code, before[dest.unit_code]),
                            "after": _unit_state(problem, dest.unit_code, after[dest.unit_code])},
        }
        o_load, d_load = problem.analysis.positions[m.origin], problem.analysis.positions[m.destination]
        runner = _runner_up(problem, order, starts, dest_index[m.destination], i)
        runner_info = None
        if runner is not None:
            other = problem.employees[int(problem.pairs_employee[runner])]
            runner_info = {"nip": other.nip, "name": other.name, "jpm": float(problem.pairs_jpm[runner]),
                           "fit_cost": int(problem.pairs_cost[runner]),
                           "moved_elsewhere": other.nip in moved and moved[other.nip].destination != m.destination}
        needs = training_needs(fit, settings.competency)
        record = {
            "nip": e.nip, "name": e.name,
            "origin_position": m.origin, "origin_title": origin.title, "origin_unit": origin.unit_code,
            "destination_position": m.destination, "destination_title": dest.title, "destination_unit": dest.unit_code,
            "jpm": fit.jpm, "jpm_category": fit.category, "jpm_origin": fit_here.jpm,
            "tenure_years": verdict.tenure_years, "rotation_due": verdict.rotation_due,
            "preference_rank": pref_rank, "home_region_match": home,
            "fit_cost": m.cost,
            "positions": {
                "origin": {"current": o_load.current, "required": o_load.required,
                           "required_exact": round(o_load.required_exact, 3)},
                "destination": {"current": d_load.current, "required": d_load.required,
                                "required_exact": round(d_load.required_exact, 3)},
            },
            "units": units_state,
            "rules": [{"code": c.code, "ok": c.ok, "message": c.message} for c in verdict.checks]
            + [{"code": "headcount", "ok": True,
                "message": f"formasi tujuan {d_load.authorized}, terisi {d_load.current} sebelum rencana"},
               {"code": "different_position", "ok": True, "message": "jabatan tujuan berbeda dari jabatan sekarang"},
               {"code": "min_jpm", "ok": True,
                "message": f"JPM {fit.jpm:g}% di atas batas minimal {settings.rules.min_jpm:g}%"}],
            "gaps": [{"kind": g.kind, "competency": g.competency, "required": g.required, "actual": g.actual,
                      "jp": g.jp} for g in fit.gaps],
            "training": [{"program": n.program, "kind": n.kind, "jp": n.jp, "reason": n.reason} for n in needs],
            "runner_up": runner_info,
        }
        record["explanation"] = _text(record)
        proposals.append(record)
    return proposals


def _text(r: dict) -> str:
    u = r["units"]
    parts = [
        f"{r['name']} ({r['nip']}) diusulkan pindah dari {r['origin_title']} di {u['origin']['name'] or r['origin_unit']} "
        f"ke {r['destination_title']} di {u['destination']['name'] or r['destination_unit']}.",
        f"Jabatan asal kelebihan pegawai ({r['positions']['origin']['current']} pegawai, kebutuhan ABK "
        f"{r['positions']['origin']['required']}); jabatan tujuan kekurangan "
        f"({r['positions']['destination']['current']} pegawai, kebutuhan {r['positions']['destination']['required']}).",
        f"Beban unit asal {_fmt_ej(u['origin']['before'])} menjadi {_fmt_ej(u['origin']['after'])}; "
        f"unit tujuan {_fmt_ej(u['destination']['before'])} menjadi {_fmt_ej(u['destination']['after'])}.",
        f"Kesesuaian kompetensi (JPM) di jabatan tujuan {r['jpm']:g}% ({r['jpm_category']}), "
        f"di jabatan sekarang {r['jpm_origin']:g}%.",
        f"Masa jabatan {r['tenure_years']:.1f} tahun" + ("; sudah waktunya rotasi." if r["rotation_due"] else "."),
    ]
    if r["preference_rank"]:
        parts.append(f"Unit tujuan adalah pilihan ke-{r['preference_rank']} pegawai.")
    if r["home_region_match"]:
        parts.append("Unit tujuan berada di daerah asal pegawai.")
    parts.append("Syarat yang diperiksa: " + "; ".join(c["message"] for c in r["rules"]) + ".")
    if r["gaps"]:
        parts.append("Kesenjangan kompetensi: " + ", ".join(
            f"{g['competency']} (level {g['actual']:g} dari {g['required']}, {g['jp']} JP)" for g in r["gaps"]) + ".")
    runner = r["runner_up"]
    if runner is None:
        parts.append("Tidak ada kandidat lain yang memenuhi syarat untuk jabatan tujuan ini.")
    elif runner["moved_elsewhere"]:
        parts.append(f"Kandidat berikutnya, {runner['name']} ({runner['nip']}, JPM {runner['jpm']:g}%), "
                     "diusulkan ke jabatan lain yang lebih membutuhkannya.")
    else:
        diff = runner["fit_cost"] - r["fit_cost"]
        why = (f"skor kecocokannya lebih rendah {diff} poin" if diff > 0
               else "kombinasi rencana secara keseluruhan lebih seimbang dengan pilihan ini")
        parts.append(f"Dipilih dibanding kandidat berikutnya, {runner['name']} ({runner['nip']}, "
                     f"JPM {runner['jpm']:g}%), karena {why}.")
    return " ".join(parts)

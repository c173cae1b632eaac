"""Planning engine at agency scale: needs analysis and the optimiser (with the greedy
baseline and the solver bound side by side in the same run)."""

from __future__ import annotations

import time
from datetime import date
from types import SimpleNamespace

from bench.results import Results
from mutasi.dataio.nip import parse_nip
from mutasi.demo.generator import DemoOptions, generate
from mutasi.org.planning_source import position_info
from planning.optimizer import optimise
from planning.types import (
    Assessment,
    EmployeeInfo,
    PlanningInput,
    UnitInfo,
    WorkloadItem,
)
from planning.workload import analyse, staff_counts


def planning_input(employees: int, seed: int) -> PlanningInput:
    """The generator's rows straight into the engine's types (no database in the way)."""
    data = generate(DemoOptions(employees=employees, seed=seed))
    by_nip: dict[str, dict] = {}
    for key, sheet in (
        ("ratings", "predikat_kinerja"),
        ("sanctions", "hukuman_disiplin"),
        ("assessments", "penilaian_kompetensi"),
        ("preferences", "preferensi_penempatan"),
    ):
        for row in data[sheet]:
            by_nip.setdefault(row["nip"], {}).setdefault(key, []).append(row)
    units = [UnitInfo(r["code"], r["name"], r["kind"], r["region"]) for r in data["unit_kerja"]]
    positions = [position_info(SimpleNamespace(**r)) for r in data["jabatan"]]
    people = []
    for r in data["pegawai"]:
        extra = by_nip.get(r["nip"], {})
        people.append(
            EmployeeInfo(
                r["nip"],
                r["name"],
                r["position_code"],
                r["position_tmt"],
                r["education_level"],
                r["education_field"],
                r["home_region"],
                r["rank"],
                r.get("movable", True) is not False,
                r.get("not_movable_reason"),
                tuple(sorted((x["year"], x["predikat"]) for x in extra.get("ratings", []))),
                tuple(sorted((x["decided_on"], x["level"]) for x in extra.get("sanctions", []))),
                tuple(
                    Assessment(x["competency"], x["kind"], x["level"], x["assessed_on"])
                    for x in extra.get("assessments", [])
                ),
                tuple(
                    x["unit_code"]
                    for x in sorted(extra.get("preferences", []), key=lambda x: x["rank"])
                ),
                r["asn_type"],
                parse_nip(r["nip"]).birth_date,
                r.get("service_status") or "aktif",
            )
        )
    workload = [
        WorkloadItem(r["position_code"], r["task"], r["yearly_volume"], r["norm_minutes"])
        for r in data["beban_kerja"]
    ]
    return PlanningInput(date(2026, 1, 1), units, positions, people, workload)


def run(results: Results) -> None:
    big = planning_input(50_000, 11)
    started = time.perf_counter()
    analysis = analyse(
        big.positions, big.units, big.workload, staff_counts(e.position_code for e in big.employees)
    )
    seconds = time.perf_counter() - started
    results.add(
        f"needs_analysis_{len(big.employees)}_employees_{len(big.positions)}_positions",
        seconds,
        "s",
        "<= 1",
        seconds <= 1,
    )
    assert analysis.positions

    inp = planning_input(20_000, 3)
    results.add("optimiser_instance_employees", len(inp.employees), "count")
    results.add("optimiser_instance_units", len(inp.units), "count")
    # End to end with every eligibility rule on: problem build, solve, bound, greedy baseline
    # and an explanation for every move. The median of three runs (a single run on this
    # shared 2-core machine moves by +-0.2 s); the spread is reported beside it.
    runs = sorted((optimise(inp) for _ in range(3)), key=lambda p: p.seconds["total"])
    plan = runs[1]
    total = plan.seconds["total"]
    results.add("optimiser_20k_seconds", total, "s", "<= 1.5", total <= 1.5)
    results.add("optimiser_20k_seconds_fastest", runs[0].seconds["total"], "s")
    results.add("optimiser_20k_seconds_slowest", runs[2].seconds["total"], "s")
    results.add("optimiser_20k_gap_to_bound", 100 * plan.gap, "%", "<= 0.5", plan.gap <= 0.005)
    results.add("optimiser_20k_moves", len(plan.proposals), "count")
    results.add("greedy_20k_moves", plan.greedy_moves, "count")
    # Objectives are negative (gains); the ratio says how much more the solver gains than greedy.
    ratio = plan.objective / plan.greedy_objective if plan.greedy_objective else 1.0
    results.add("optimiser_vs_greedy_gain_ratio", ratio, "x", ">= 1", ratio >= 1)
    results.add("imbalance_before", 100 * plan.imbalance_before, "%")
    results.add(
        "imbalance_after",
        100 * plan.imbalance_after,
        "%",
        "< before",
        plan.imbalance_after < plan.imbalance_before,
    )

"""Transfer optimiser: who moves where, as a min-cost flow.

Objective (lower is better), all in integer cost units:
    balance * [sum over positions of (staff - required)^2, after minus before]
  + per move: mismatch * (100 - JPM at destination) + move
              - preference bonus - home-region bonus - rotation-due bonus
Moves go only from positions with a surplus (at most the surplus) to positions with a
deficit (at most the deficit, never past the authorised headcount), so every move
strictly lowers the staffing gap. The quadratic balance term is exact in a flow because
its marginal cost per extra leaver/arrival grows linearly: one unit arc per slot with
increasing cost. A zero-cost bypass arc lets the solver make only the moves that pay.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from ortools.graph.python import min_cost_flow

from planning.calendar import months_between, span_text, years_as_months
from planning.candidates import ScoredPairs, family, score_pairs
from planning.command import CommandLines, relative_posts, relatives_in_line
from planning.competency import profile
from planning.explain import explain_plan
from planning.problem import Move, OptimiserSettings, Problem, Solution
from planning.rules import RuleSettings, check
from planning.types import Finding, PendingMove, PlanningInput
from planning.workload import WorkloadAnalysis, analyse, staff_counts


@dataclass
class Plan:
    proposals: list[dict[str, Any]]
    objective: int
    bound: int
    optimal: bool
    gap: float
    greedy_objective: int
    greedy_moves: int
    candidates: int
    pairs: int
    pruned: bool
    imbalance_before: float
    imbalance_after: float
    dispersion_before: float
    dispersion_after: float
    findings: list[Finding] = field(default_factory=list)
    ineligible: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    analysis: WorkloadAnalysis | None = None
    counts_after: dict[str, int] = field(default_factory=dict)


def apply_pending(
    inp: PlanningInput, counts: Counter[str]
) -> tuple[dict[str, PendingMove], list[Finding]]:
    """Count moves under way as done (their arrivals fill the destination's headcount) and
    say so; returns the people they concern, who are not proposed again."""
    where = {e.nip: e for e in inp.employees}
    pending: dict[str, PendingMove] = {}
    findings: list[Finding] = []
    for move in inp.pending_moves:
        person = where.get(move.nip)
        if person is None or move.nip in pending:
            continue
        pending[move.nip] = move
        findings.append(
            Finding(
                "open_case",
                move.nip,
                f"{person.name} ({move.nip}) masih dalam proses mutasi {move.case_id} ke "
                f"{move.destination_position}; tidak diusulkan lagi",
            )
        )
        if person.position_code == move.origin_position:  # not yet applied at its TMT
            counts[move.origin_position] -= 1
            counts[move.destination_position] += 1
    if pending:
        findings.append(
            Finding(
                "pending_moves",
                "-",
                f"{len(pending)} mutasi yang masih berjalan dihitung seolah sudah terjadi "
                "(formasi dan kebutuhan jabatan asal dan tujuannya)",
            )
        )
    return pending, findings


def build_problem(
    inp: PlanningInput, settings: OptimiserSettings
) -> tuple[Problem, list[Finding], Counter[str]]:
    counts = staff_counts(e.position_code for e in inp.employees)
    pending, pending_findings = apply_pending(inp, counts)
    analysis = analyse(inp.positions, inp.units, inp.workload, counts, settings.workload)
    findings = list(analysis.findings) + pending_findings
    positions = {p.code: p for p in inp.positions}
    units = {u.code: u for u in inp.units}
    origin_capacity = {
        c: p.surplus for c, p in analysis.positions.items() if p.has_workload and p.surplus > 0
    }
    if settings.rules.rotation_rule == "must_consider":
        # Past the five-year ceiling: a candidate even from a post without surplus (each may
        # leave; the balance cost of doing so still weighs against the move).
        ceiling = years_as_months(settings.rules.rotation_due_years)
        for e in inp.employees:
            load = analysis.positions.get(e.position_code)
            if (
                load is not None
                and load.has_workload
                and e.nip not in pending
                and months_between(e.position_tmt, inp.as_of) >= ceiling
            ):
                origin_capacity[e.position_code] = origin_capacity.get(e.position_code, 0) + 1
    destination_capacity = {}
    for code, load in analysis.positions.items():
        room = min(load.required - load.current, load.authorized - load.current)
        if load.has_workload and room > 0:
            destination_capacity[code] = room
    ineligible: Counter[str] = Counter()
    candidates, eligibility, profiles = [], [], []
    for e in inp.employees:
        if e.position_code not in origin_capacity:
            continue
        if e.position_code not in positions:
            findings.append(
                Finding(
                    "unknown_position",
                    e.nip,
                    f"Pegawai {e.nip} memegang jabatan tak dikenal {e.position_code}",
                )
            )
            continue
        if e.nip in pending:
            ineligible["open_case"] += 1
            continue
        if e.nip in inp.excluded_nips:
            ineligible["excluded_by_hr"] += 1
            continue
        verdict = check(e, inp.as_of, settings.rules, positions[e.position_code])
        if not verdict.eligible:
            for failure in verdict.failures:
                ineligible[failure.code] += 1
            continue
        person = profile(e)
        if not person.assessed:
            findings.append(
                Finding(
                    "employee_without_assessment",
                    e.nip,
                    f"Pegawai {e.name} ({e.nip}) belum memiliki penilaian kompetensi",
                )
            )
        candidates.append(e)
        eligibility.append(verdict)
        profiles.append(person)
    destinations = [positions[c] for c in destination_capacity]
    lines = CommandLines(inp.positions, inp.units)
    post_of = {e.nip: e.position_code for e in inp.employees}
    forbidden = [
        frozenset(
            d.code
            for d in destinations
            if relatives_in_line(lines, d.code, relative_posts(inp.relations, post_of, e.nip))
        )
        if e.nip in inp.relations
        else frozenset()
        for e in candidates
    ]
    by_family_dest: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for i, d in enumerate(destinations):
        by_family_dest[family(d)].append(i)
    by_family_emp: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for i, e in enumerate(candidates):
        by_family_emp[family(positions[e.position_code])].append(i)
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    cut_bound = np.full(len(candidates), np.inf)
    candidate_family = np.full(len(candidates), -1, dtype=np.int64)
    family_destinations: list[list[int]] = []
    w = settings.weights
    for key, emp_ids in by_family_emp.items():
        dest_ids = by_family_dest.get(key)
        if not dest_ids:
            continue
        candidate_family[emp_ids] = len(family_destinations)
        family_destinations.append(dest_ids)
        dests = [destinations[i] for i in dest_ids]
        scored: ScoredPairs = score_pairs(
            [candidates[i] for i in emp_ids],
            [profiles[i] for i in emp_ids],
            np.array([eligibility[i].rotation_due for i in emp_ids], dtype=float),
            dests,
            [units[d.unit_code].region if d.unit_code in units else "" for d in dests],
            [d.unit_code for d in dests],
            w,
            settings.rules,
            settings.candidates_per_employee,
            settings.competency,
            [positions[candidates[i].position_code] for i in emp_ids],
            [forbidden[i] for i in emp_ids],
        )
        emp_global = np.array(emp_ids)
        dest_global = np.array(dest_ids)
        parts.append(
            (emp_global[scored.employee], dest_global[scored.destination], scored.cost, scored.jpm)
        )
        cut_bound[emp_global] = scored.excluded_min
    if parts:
        pe, pd, pc, pj = (np.concatenate(x) for x in zip(*parts, strict=True))
    else:
        pe = pd = pc = np.zeros(0, dtype=np.int64)
        pj = np.zeros(0)
    problem = Problem(
        analysis,
        w,
        candidates,
        eligibility,
        profiles,
        destinations,
        origin_capacity,
        destination_capacity,
        pe.astype(np.int64),
        pd.astype(np.int64),
        pc.astype(np.int64),
        pj,
        cut_bound,
        candidate_family,
        family_destinations,
    )
    return problem, findings, ineligible


def solve_flow(problem: Problem, relax_pruning: bool = False) -> Solution:
    """Optimal moves on the scored pairs (or, relaxed, a lower bound for all pairs)."""
    n_emp = len(problem.employees)
    origins = sorted({e.position_code for e in problem.employees})
    origin_node = {c: 3 + i for i, c in enumerate(origins)}
    emp_base = 3 + len(origins)
    dest_base = emp_base + n_emp
    tails, heads, caps, costs = [], [], [], []

    def add(t: int, h: int, cap: int, cost: int) -> None:
        tails.append(t)
        heads.append(h)
        caps.append(cap)
        costs.append(cost)

    supply = 0
    for code in origins:
        for k in range(1, problem.origin_capacity[code] + 1):
            add(0, origin_node[code], 1, problem.origin_slot_cost(code, k))
            supply += 1
    for i, e in enumerate(problem.employees):
        add(origin_node[e.position_code], emp_base + i, 1, 0)
    for q, d in enumerate(problem.destinations):
        for k in range(1, problem.destination_capacity[d.code] + 1):
            add(dest_base + q, 1, 1, problem.destination_slot_cost(d.code, k))
    add(0, 1, supply, 0)  # bypass: leaving people where they are costs nothing
    flow = min_cost_flow.SimpleMinCostFlow()
    if tails:
        flow.add_arcs_with_capacity_and_unit_cost(
            np.array(tails), np.array(heads), np.array(caps), np.array(costs)
        )
    pair_start = flow.num_arcs()
    if len(problem.pairs_employee):
        flow.add_arcs_with_capacity_and_unit_cost(
            emp_base + problem.pairs_employee,
            dest_base + problem.pairs_destination,
            np.ones(len(problem.pairs_employee), dtype=np.int64),
            problem.pairs_cost,
        )
    if relax_pruning:
        # Relaxation for the bound: every candidate may also reach any destination of its
        # family through a family node, at its cheapest pruned fit cost. Destination slots
        # (and so capacities and balance costs) stay real, so the bound stays tight.
        cut = np.nonzero(np.isfinite(problem.cut_bound))[0]
        if len(cut):
            family_base = dest_base + len(problem.destinations)
            flow.add_arcs_with_capacity_and_unit_cost(
                emp_base + cut,
                family_base + problem.candidate_family[cut],
                np.ones(len(cut), dtype=np.int64),
                np.floor(problem.cut_bound[cut]).astype(np.int64),
            )
            for f, dest_ids in enumerate(problem.family_destinations):
                ids = np.array(dest_ids, dtype=np.int64)
                flow.add_arcs_with_capacity_and_unit_cost(
                    np.full(len(ids), family_base + f),
                    dest_base + ids,
                    np.full(len(ids), n_emp, dtype=np.int64),
                    np.zeros(len(ids), dtype=np.int64),
                )
    flow.set_node_supply(0, supply)
    flow.set_node_supply(1, -supply)
    if supply == 0:
        return Solution([], 0)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow tidak optimal: status {status}")
    moves = []
    if len(problem.pairs_employee):
        flows = flow.flows(np.arange(pair_start, pair_start + len(problem.pairs_employee)))
        for a in np.nonzero(flows)[0]:
            moves.append(_move(problem, int(a)))
    return Solution(moves, int(flow.optimal_cost()))


def _move(problem: Problem, pair: int) -> Move:
    e = problem.employees[int(problem.pairs_employee[pair])]
    d = problem.destinations[int(problem.pairs_destination[pair])]
    return Move(
        e.nip,
        e.position_code,
        d.code,
        int(problem.pairs_cost[pair]),
        float(problem.pairs_jpm[pair]),
    )


def evaluate(problem: Problem, moves: list[Move]) -> int:
    """Objective of any set of moves, from first principles; raises if a move breaks a limit."""
    out = Counter(m.origin for m in moves)
    into = Counter(m.destination for m in moves)
    if len({m.nip for m in moves}) != len(moves):
        raise ValueError("pegawai dipindah lebih dari sekali")
    for code, n in out.items():
        if n > problem.origin_capacity.get(code, 0):
            raise ValueError(f"jabatan asal {code} melepas {n} > kelebihan")
    for code, n in into.items():
        if n > problem.destination_capacity.get(code, 0):
            raise ValueError(f"jabatan tujuan {code} menerima {n} > kekurangan/formasi")
    counts = {c: p.current for c, p in problem.analysis.positions.items()}
    for m in moves:
        counts[m.origin] -= 1
        counts[m.destination] += 1
    balance = problem.analysis.squared_gap(counts) - problem.analysis.squared_gap()
    return problem.weights.balance * balance + sum(m.cost for m in moves)


def greedy(problem: Problem) -> Solution:
    """What a careful spreadsheet would do: best-fitting pairs first, while a move still pays."""
    # Slot costs only rise as people leave or arrive, so a pair that would not pay even at the
    # first free slot of both posts never pays: leave those out before the loop.
    first_out = np.array(
        [problem.origin_slot_cost(e.position_code, 1) for e in problem.employees], dtype=np.int64
    )
    first_in = np.array(
        [problem.destination_slot_cost(d.code, 1) for d in problem.destinations], dtype=np.int64
    )
    best_case = (
        first_out[problem.pairs_employee] + problem.pairs_cost + first_in[problem.pairs_destination]
        if len(problem.pairs_cost)
        else problem.pairs_cost
    )
    order = np.argsort(problem.pairs_cost, kind="stable")
    order = order[best_case[order] < 0]
    left: Counter[str] = Counter()
    arrived: Counter[str] = Counter()
    moved: set[int] = set()
    moves = []
    for a in order:
        i = int(problem.pairs_employee[a])
        if i in moved:
            continue
        e = problem.employees[i]
        d = problem.destinations[int(problem.pairs_destination[a])]
        if left[e.position_code] >= problem.origin_capacity[e.position_code]:
            continue
        if arrived[d.code] >= problem.destination_capacity[d.code]:
            continue
        marginal = (
            problem.origin_slot_cost(e.position_code, left[e.position_code] + 1)
            + int(problem.pairs_cost[a])
            + problem.destination_slot_cost(d.code, arrived[d.code] + 1)
        )
        if marginal >= 0:
            continue
        moved.add(i)
        left[e.position_code] += 1
        arrived[d.code] += 1
        moves.append(_move(problem, int(a)))
    return Solution(moves, evaluate(problem, moves))


def optimise(inp: PlanningInput, settings: OptimiserSettings | None = None) -> Plan:
    settings = settings or OptimiserSettings()

    started = time.perf_counter()
    problem, findings, ineligible = build_problem(inp, settings)
    built = time.perf_counter()
    solution = solve_flow(problem)
    solved = time.perf_counter()
    pruned = bool(np.isfinite(problem.cut_bound).any())
    bound = solve_flow(problem, relax_pruning=True).objective if pruned else solution.objective
    bounded = time.perf_counter()
    base = greedy(problem)
    analysis = problem.analysis
    counts = {c: p.current for c, p in analysis.positions.items()}
    for m in solution.moves:
        counts[m.origin] -= 1
        counts[m.destination] += 1
    findings.extend(_empty_plan_reasons(problem, solution, ineligible))
    findings.extend(rotation_overdue(inp, settings.rules))
    proposals = explain_plan(inp, problem, solution, counts, settings)
    gap = (
        0.0 if solution.objective == bound else abs(solution.objective - bound) / max(1, abs(bound))
    )
    return Plan(
        proposals=proposals,
        objective=solution.objective,
        bound=bound,
        optimal=solution.objective == bound,
        gap=gap,
        greedy_objective=base.objective,
        greedy_moves=len(base.moves),
        candidates=len(problem.employees),
        pairs=len(problem.pairs_cost),
        pruned=pruned,
        imbalance_before=analysis.imbalance(),
        imbalance_after=analysis.imbalance(counts),
        dispersion_before=analysis.unit_dispersion(),
        dispersion_after=analysis.unit_dispersion(counts),
        findings=findings,
        ineligible=dict(ineligible),
        seconds={
            "build": built - started,
            "solve": solved - built,
            "bound": bounded - solved,
            "total": time.perf_counter() - started,
        },
        analysis=analysis,
        counts_after=counts,
    )


def rotation_overdue(inp: PlanningInput, rules: RuleSettings) -> list[Finding]:
    """Everyone at or past the five-year ceiling in their post (Ps 190), whether or not the
    plan moves them: HR sees who is overdue, per unit, on the plan and in the report."""
    ceiling = years_as_months(rules.rotation_due_years)
    titles = {p.code: p.title for p in inp.positions}
    found = []
    for e in inp.employees:
        months = months_between(e.position_tmt, inp.as_of)
        if months >= ceiling:
            found.append(
                Finding(
                    "rotation_overdue",
                    e.nip,
                    f"{e.name} ({e.nip}) menjabat {titles.get(e.position_code, e.position_code)} "
                    f"{span_text(months)} (batas {span_text(ceiling)})",
                )
            )
    return found


def _empty_plan_reasons(
    problem: Problem, solution: Solution, ineligible: Counter[str]
) -> list[Finding]:
    if solution.moves:
        return []
    if not problem.origin_capacity:
        return [Finding("no_surplus", "-", "Tidak ada jabatan yang kelebihan pegawai menurut ABK")]
    if not problem.destination_capacity:
        return [
            Finding(
                "no_deficit",
                "-",
                "Tidak ada jabatan yang kekurangan pegawai dengan formasi tersedia",
            )
        ]
    if not problem.employees:
        why = ", ".join(f"{k}: {v}" for k, v in sorted(ineligible.items())) or "tidak ada"
        return [
            Finding(
                "no_eligible",
                "-",
                f"Tidak ada pegawai di jabatan yang kelebihan yang memenuhi syarat ({why})",
            )
        ]
    if not len(problem.pairs_cost):
        return [
            Finding(
                "no_fit",
                "-",
                "Tidak ada pasangan pegawai dan jabatan tujuan yang cocok (rumpun/JPM)",
            )
        ]
    return [
        Finding("no_gain", "-", "Tidak ada mutasi yang manfaat keseimbangannya melebihi biayanya")
    ]

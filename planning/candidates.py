"""Vectorised scoring of (employee, destination position) pairs.

The JPM formula here is the same as `competency.match`; a unit test holds the two
equal, so explanations and the optimiser never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planning.competency import CompetencySettings, Profile, education_rank
from planning.problem import PlanWeights
from planning.reference import STRUCTURAL_KINDS, rank_order
from planning.rules import RuleSettings
from planning.types import EmployeeInfo, PositionInfo


def family(position: PositionInfo) -> tuple[str, ...]:
    """Who may move where: structural posts rotate within their kind, functional
    posts within their technical field, pelaksana among pelaksana posts."""
    if position.kind in STRUCTURAL_KINDS:
        return ("structural", position.kind)
    if position.kind == "fungsional":
        return ("fungsional", position.technical_competency)
    return ("pelaksana",)


@dataclass
class ScoredPairs:
    employee: np.ndarray  # index into the candidate list
    destination: np.ndarray  # index into the destination list
    jpm: np.ndarray
    cost: np.ndarray  # int64 fit cost (before balance terms)
    # Per candidate: cheapest fit cost among pairs cut by pruning (inf if none was cut).
    excluded_min: np.ndarray


def jpm_matrix(
    profiles: list[Profile], dests: list[PositionInfo], settings: CompetencySettings
) -> np.ndarray:
    """`competency.match(...).jpm` for every pair at once. Per kind, Σ min(level, required)
    over its competencies depends on the person and the required level only, so it is
    tabulated per possible level (1..5) and picked per destination."""
    competencies = sorted({d.technical_competency for d in dests})
    column = {c: i for i, c in enumerate(competencies)}
    levels = np.array(
        [[p.technical.get(c, 0) for c in competencies] for p in profiles], dtype=float
    )
    technical = levels[:, [column[d.technical_competency] for d in dests]]
    req_t = np.array([d.required_technical for d in dests], dtype=float)[None, :]
    points_t = np.minimum(technical, req_t)

    def tabulated(person_levels: np.ndarray, required: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        steps = np.arange(0, 6)  # required level 0..5
        table = np.minimum(person_levels[:, :, None], steps[None, None, :]).sum(
            axis=1
        )  # (people, 6)
        req = np.clip(required.astype(int), 0, 5)
        return table[:, req], (required * person_levels.shape[1])[None, :]

    manag = np.array([p.managerial_levels() for p in profiles], dtype=float).reshape(
        len(profiles), -1
    )
    social = np.array([p.sociocultural_levels() for p in profiles], dtype=float).reshape(
        len(profiles), -1
    )
    points_m, req_m = tabulated(
        manag, np.array([d.required_managerial for d in dests], dtype=float)
    )
    points_s, req_s = tabulated(
        social, np.array([d.required_sociocultural for d in dests], dtype=float)
    )
    wt, wm, ws = (
        settings.technical_weight,
        settings.managerial_weight,
        settings.sociocultural_weight,
    )
    maximum = wt * req_t + wm * req_m + ws * req_s
    points = wt * points_t + wm * points_m + ws * points_s
    return np.round(
        np.where(maximum > 0, 100.0 * points / np.where(maximum > 0, maximum, 1), 100.0), 2
    )


def rule_breaking(
    employees: list[EmployeeInfo],
    origins: list[PositionInfo],
    dests: list[PositionInfo],
    rules: RuleSettings,
) -> np.ndarray:
    """(employee, destination) pairs that break a post rule, exactly as `rules.pair_checks`
    decides them one by one (a unit test holds the two equal)."""
    origin_class = np.array([o.job_class for o in origins])[:, None]
    dest_class = np.array([d.job_class for d in dests])[None, :]
    bad = dest_class - origin_class > rules.job_class_tolerance
    needs = np.array([rank_order(d.min_rank) if d.min_rank else -1 for d in dests])[None, :]
    if (needs >= 0).any():
        have = np.array(
            [-2 if rank_order(e.rank) is None else rank_order(e.rank) for e in employees]
        )[:, None]
        bad |= (needs >= 0) & ((have < needs) | (have == -2))
    levels = sorted({d.jenjang for d in dests if d.jenjang})
    if levels:
        held = np.array([o.jenjang or "" for o in origins], dtype=object)[:, None]
        wanted = np.array([d.jenjang or "" for d in dests], dtype=object)[None, :]
        bad |= (wanted != "") & (held != wanted)
    strict = np.array([d.education_required for d in dests])
    if strict.any():
        for q in np.nonzero(strict)[0]:
            d = dests[q]
            minimum = education_rank(d.min_education) if d.min_education else -1
            fit = np.array(
                [
                    education_rank(e.education_level) >= minimum
                    and (not d.education_fields or e.education_field in d.education_fields)
                    for e in employees
                ]
            )
            bad[:, q] |= ~fit
    return np.asarray(bad, dtype=bool)


def score_pairs(
    employees: list[EmployeeInfo],
    profiles: list[Profile],
    rotation_due: np.ndarray,
    dests: list[PositionInfo],
    dest_region: list[str],
    dest_unit: list[str],
    weights: PlanWeights,
    rules: RuleSettings,
    keep: int | None,
    settings: CompetencySettings,
    origins: list[PositionInfo],
    forbidden: list[frozenset[str]] | None = None,
) -> ScoredPairs:
    """Score all pairs of one family; keep the `keep` cheapest per employee.
    `forbidden`: per employee, destination codes in a relative's line of command.

    A per-pair jitter below one cost unit breaks ties, so equally fitting employees do
    not all keep the same k destinations and leave the others unreachable. (Ranking by
    the destinations' deficit as well was tried: it herded everyone to the same posts.)"""
    jpm = jpm_matrix(profiles, dests, settings)
    cost = weights.mismatch * (100.0 - jpm) + weights.move
    regions = np.array([r.strip() for r in dest_region], dtype=object)
    home = np.array([e.home_region.strip() for e in employees], dtype=object)
    # Two blank regions are not a match: the bonus needs both places known.
    cost -= weights.home_region * ((home[:, None] == regions[None, :]) & (home != "")[:, None])
    cost -= weights.rotation_due * rotation_due[:, None]
    units = np.array(dest_unit, dtype=object)
    for i, e in enumerate(employees):
        # A unit named twice earns its bonus once, at its first rank.
        for rank, unit in enumerate(list(dict.fromkeys(e.preferences))[: len(weights.preference)]):
            cost[i, units == unit] -= weights.preference[rank]
    dest_codes = np.array([d.code for d in dests], dtype=object)
    origin = np.array([e.position_code for e in employees], dtype=object)
    invalid = (
        (jpm < rules.min_jpm)
        | (origin[:, None] == dest_codes[None, :])
        | rule_breaking(employees, origins, dests, rules)
    )
    for i, codes in enumerate(forbidden or ()):
        if codes:
            invalid[i] |= np.isin(dest_codes, list(codes))
    cost = np.where(invalid, np.inf, np.rint(cost))
    excluded_min = np.full(len(employees), np.inf)
    if keep is not None and len(dests) > keep:
        rows_i = np.arange(len(employees))[:, None]
        cols_q = np.arange(len(dests))[None, :]
        jitter = ((rows_i * 7919 + cols_q * 104729) % 997) / 1000.0
        order = np.argpartition(cost + jitter, keep, axis=1)
        kept = order[:, :keep]
        cut = np.take_along_axis(cost, order[:, keep:], axis=1)
        excluded_min = cut.min(axis=1)
        rows = np.repeat(np.arange(len(employees)), keep)
        cols = kept.ravel()
    else:
        rows, cols = np.nonzero(np.ones_like(cost, dtype=bool))
    values = cost[rows, cols]
    valid = np.isfinite(values)
    rows, cols = rows[valid], cols[valid]
    return ScoredPairs(rows, cols, jpm[rows, cols], values[valid].astype(np.int64), excluded_min)

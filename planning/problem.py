"""What the optimiser solves and answers, shared by the solvers and the explanations: the
weights and settings of a plan, the problem built once per plan, and a solution's moves."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planning.competency import CompetencySettings, Profile
from planning.rules import Eligibility, RuleSettings
from planning.types import EmployeeInfo, PositionInfo
from planning.workload import WorkloadAnalysis, WorkloadSettings


@dataclass(frozen=True)
class PlanWeights:
    balance: int = 100
    mismatch: float = 3.0
    move: int = 40
    preference: tuple[int, ...] = (60, 40, 20)
    home_region: int = 25
    rotation_due: int = 30


@dataclass(frozen=True)
class OptimiserSettings:
    weights: PlanWeights = PlanWeights()
    rules: RuleSettings = RuleSettings()
    competency: CompetencySettings = CompetencySettings()
    workload: WorkloadSettings = WorkloadSettings()
    candidates_per_employee: int | None = 50  # None: score every pair


@dataclass(frozen=True)
class Move:
    nip: str
    origin: str
    destination: str
    cost: int  # fit cost of this pair (balance terms are in the plan objective)
    jpm: float


@dataclass
class Solution:
    moves: list[Move]
    objective: int


@dataclass
class Problem:
    """Everything the solvers and the evaluator share; built once per plan."""

    analysis: WorkloadAnalysis
    weights: PlanWeights
    employees: list[EmployeeInfo]  # candidates only
    eligibility: list[Eligibility]
    profiles: list[Profile]
    destinations: list[PositionInfo]
    origin_capacity: dict[str, int]
    destination_capacity: dict[str, int]
    pairs_employee: np.ndarray
    pairs_destination: np.ndarray
    pairs_cost: np.ndarray
    pairs_jpm: np.ndarray
    # Per candidate: lowest fit cost among the pairs pruning cut (inf: nothing cut).
    cut_bound: np.ndarray
    # Per candidate: its family's index; per family: the destinations (indices) it may reach.
    candidate_family: np.ndarray
    family_destinations: list[list[int]]

    def origin_slot_cost(self, code: str, k: int) -> int:
        """Balance cost of the k-th (1-based) person leaving `code`."""
        load = self.analysis.positions[code]
        return self.weights.balance * (-2 * (load.current - k + 1 - load.required) + 1)

    def destination_slot_cost(self, code: str, k: int) -> int:
        load = self.analysis.positions[code]
        return self.weights.balance * (2 * (load.current + k - 1 - load.required) + 1)

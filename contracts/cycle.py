"""What crosses the cycle workflow's boundaries: HR's requests, the activities' inputs and
results, and the state its query answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime


@dataclass(kw_only=True)
class ProposalRemoval:
    nip: str
    reason: str


@dataclass(kw_only=True)
class ProposalAddition:
    nip: str
    destination_position: str
    reason: str
    # Breaking a hard rule needs HR to say why (recorded, shown on the case, counted in the report).
    override_reason: str = ""


@dataclass(kw_only=True)
class PlanChanges:
    removals: list[ProposalRemoval] = field(default_factory=list)
    additions: list[ProposalAddition] = field(default_factory=list)


@dataclass(kw_only=True)
class CycleRef:
    cycle_id: str


@dataclass(kw_only=True)
class CycleStatusChange:
    cycle_id: str
    status: str


@dataclass(kw_only=True)
class NeedsResult:
    positions: int
    units: int
    surplus_positions: int
    deficit_positions: int
    imbalance: float
    dispersion: float
    findings: int


@dataclass(kw_only=True)
class CompetencyResult:
    employees: int
    optimal: int
    fairly_optimal: int
    below: int
    unassessed: int
    training_jp: int


@dataclass(kw_only=True)
class PlanRequest:
    cycle_id: str
    excluded_nips: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class PlanResult:
    proposals: int
    objective: int
    bound: int
    optimal: bool
    greedy_objective: int
    imbalance_before: float
    imbalance_after: float
    findings: int


@dataclass(kw_only=True)
class PlanDecisionApply:
    cycle_id: str
    changes: PlanChanges
    actor: str
    reason: str
    at: datetime


@dataclass(kw_only=True)
class CaseBatch:
    cycle_id: str
    cycle_workflow_id: str
    requested_by: str
    requested_by_nip: str | None
    offset: int
    limit: int


@dataclass(kw_only=True)
class CycleClose:
    cycle_id: str
    status: str
    stages: dict[str, int] = field(default_factory=dict)
    at: datetime = field(default_factory=lambda: datetime(1970, 1, 1, tzinfo=UTC))


@dataclass(kw_only=True)
class ReplanRequest:
    excluded_nips: list[str] = field(default_factory=list)
    reason: str = ""


@dataclass(kw_only=True)
class PlanDecision:
    approve: bool
    reason: str = ""
    removals: list[ProposalRemoval] = field(default_factory=list)
    additions: list[ProposalAddition] = field(default_factory=list)
    actor: str = "hr"
    actor_nip: str | None = None


@dataclass(kw_only=True)
class CycleCancel:
    actor: str
    reason: str


@dataclass(kw_only=True)
class CycleResume:
    """What a continued-as-new run needs to carry on."""

    total: int
    started: int
    cases: dict[str, str]
    case_units: dict[str, list[str]]
    decision: PlanDecision
    cancel: CycleCancel | None = None


@dataclass(kw_only=True)
class CycleInput:
    cycle_id: str
    resume: CycleResume | None = None
    # Tests force continue-as-new early; production follows the server's suggestion.
    continue_as_new_after_events: int | None = None


@dataclass(kw_only=True)
class CycleState:
    cycle_id: str
    status: str
    needs: NeedsResult | None = None
    competencies: CompetencyResult | None = None
    plan: PlanResult | None = None
    plan_runs: int = 0
    decision: PlanDecision | None = None
    cases_total: int = 0
    cases_started: int = 0
    cases_by_stage: dict[str, int] = field(default_factory=dict)
    # unit code -> {"out": planned leavers, "in": planned arrivals, "out_done": ..., "in_done": ...}
    unit_effect: dict[str, dict[str, int]] = field(default_factory=dict)

"""MutationCycleWorkflow: one per transfer cycle, started by HR.

Planning phase: needs analysis (ABK) and the transfer plan run as activities over the
pure planning engine; then the cycle waits, for weeks if need be, for HR's decision on
the plan. HR may re-plan (after correcting data, or excluding people) any number of
times before deciding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.planning import (
        CycleRef,
        CycleStatusChange,
        NeedsResult,
        PlanningActivities,
        PlanRequest,
        PlanResult,
    )
    from workflows.search_attributes import CYCLE_ID, CYCLE_STATUS

PLANNING_TIMEOUT = timedelta(minutes=10)
DB_TIMEOUT = timedelta(seconds=60)
RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(seconds=30))


@dataclass
class CycleInput:
    cycle_id: str


@dataclass
class ReplanRequest:
    excluded_nips: list[str] = field(default_factory=list)
    reason: str = ""


@dataclass
class PlanDecision:
    approve: bool
    reason: str = ""


@dataclass
class CycleState:
    cycle_id: str
    status: str
    needs: NeedsResult | None = None
    plan: PlanResult | None = None
    plan_runs: int = 0
    decision: PlanDecision | None = None


@workflow.defn(name="MutationCycleWorkflow")
class MutationCycleWorkflow:
    def __init__(self) -> None:
        self._state: CycleState | None = None
        self._replan: ReplanRequest | None = None
        self._decision: PlanDecision | None = None
        self._busy = False

    @workflow.run
    async def run(self, inp: CycleInput) -> CycleState:
        self._state = CycleState(inp.cycle_id, "analysing")
        workflow.upsert_search_attributes([CYCLE_ID.value_set(inp.cycle_id)])
        await self._plan(ReplanRequest())
        while True:
            await workflow.wait_condition(lambda: self._replan is not None or self._decision is not None)
            if self._decision is not None:
                break
            request, self._replan = self._replan, None
            await self._plan(request)
        self._state.decision = self._decision
        await self._set_status("plan_approved" if self._decision.approve else "cancelled")
        return self._state

    async def _plan(self, request: ReplanRequest) -> None:
        self._busy = True
        await self._set_status("analysing")
        self._state.needs = await workflow.execute_activity_method(
            PlanningActivities.analyse_needs, CycleRef(self._state.cycle_id),
            start_to_close_timeout=PLANNING_TIMEOUT, retry_policy=RETRY)
        await self._set_status("planning")
        self._state.plan = await workflow.execute_activity_method(
            PlanningActivities.propose_transfers, PlanRequest(self._state.cycle_id, request.excluded_nips),
            start_to_close_timeout=PLANNING_TIMEOUT, retry_policy=RETRY)
        self._state.plan_runs += 1
        await self._set_status("plan_ready")
        self._busy = False

    async def _set_status(self, status: str) -> None:
        self._state.status = status
        workflow.upsert_search_attributes([CYCLE_STATUS.value_set(status)])
        await workflow.execute_activity_method(
            PlanningActivities.set_cycle_status, CycleStatusChange(self._state.cycle_id, status),
            start_to_close_timeout=DB_TIMEOUT, retry_policy=RETRY)

    @workflow.query
    def state(self) -> CycleState | None:
        return self._state

    @workflow.update
    def replan(self, request: ReplanRequest) -> str:
        self._replan = request
        return "rencana akan disusun ulang"

    @replan.validator
    def _validate_replan(self, request: ReplanRequest) -> None:
        self._require_plan_ready()
        if not request.reason.strip():
            raise ApplicationError("alasan penyusunan ulang wajib diisi", type="InvalidRequest")

    @workflow.update
    def decide_plan(self, decision: PlanDecision) -> str:
        self._decision = decision
        return "rencana disetujui" if decision.approve else "siklus dibatalkan"

    @decide_plan.validator
    def _validate_decision(self, decision: PlanDecision) -> None:
        self._require_plan_ready()
        if not decision.approve and not decision.reason.strip():
            raise ApplicationError("pembatalan wajib disertai alasan", type="InvalidRequest")

    def _require_plan_ready(self) -> None:
        if self._state is None or self._busy or self._replan is not None or self._decision is not None:
            raise ApplicationError("rencana belum siap atau sudah diputuskan", type="InvalidState")

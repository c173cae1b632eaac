"""MutationCycleWorkflow: one per transfer cycle, started by HR.

Planning phase: needs analysis (ABK) and the transfer plan run as activities over the
pure planning engine; then the cycle waits, for weeks if need be, for HR's decision on
the plan. HR may re-plan (after correcting data, or excluding people) any number of
times before deciding. Once approved (with HR's removals and additions), one
MutationCaseWorkflow child runs per move; the cases report their stages back by signal,
so the cycle can continue-as-new without losing track of them. Cancelling the cycle
withdraws its open cases, which compensate themselves.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.cycle import CycleActivities
    from activities.planning import PlanningActivities
    from contracts.case import CaseInput, CaseProgress, Withdrawal
    from contracts.cycle import (
        CaseBatch,
        CycleCancel,
        CycleClose,
        CycleInput,
        CycleRef,
        CycleResume,
        CycleState,
        CycleStatusChange,
        PlanChanges,
        PlanDecision,
        PlanDecisionApply,
        PlanRequest,
        ReplanRequest,
    )
    from contracts.enums import TERMINAL, CycleStatus, Stage
    from contracts.ids import case_workflow_id
    from workflows.activity_calls import run_activity
    from workflows.case import MutationCaseWorkflow
    from workflows.case_start import start_case
    from workflows.search_attributes import CYCLE_ID, CYCLE_STATUS

PLANNING_TIMEOUT = timedelta(minutes=10)
DB_TIMEOUT = timedelta(seconds=60)
RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(seconds=30))
START_BATCH = 100  # children started together per workflow task


@workflow.defn(name="MutationCycleWorkflow")
class MutationCycleWorkflow:
    @workflow.init
    def __init__(self, inp: CycleInput) -> None:
        # A continued-as-new run starts from what the previous run handed over.
        r = inp.resume
        self._state: CycleState = CycleState(cycle_id=inp.cycle_id, status=CycleStatus.ANALYSING)
        self._replan: ReplanRequest | None = None
        self._decision: PlanDecision | None = r.decision if r else None
        self._busy = False
        self._cases: dict[str, str] = dict(r.cases) if r else {}
        self._case_units: dict[str, list[str]] = (
            {k: list(v) for k, v in r.case_units.items()} if r else {}
        )
        self._cancel: CycleCancel | None = r.cancel if r else None
        self._cancel_sent = False  # re-sending a withdrawal is harmless: closed cases ignore it
        if r is not None:
            self._state = CycleState(
                cycle_id=inp.cycle_id,
                status=CycleStatus.CANCELLING if r.cancel else CycleStatus.RUNNING,
                decision=r.decision,
                cases_total=r.total,
                cases_started=r.started,
            )

    @property
    def _approved(self) -> PlanDecision:
        assert self._decision is not None, "the plan was decided before this point"
        return self._decision

    @workflow.run
    async def run(self, inp: CycleInput) -> CycleState:
        if inp.resume is not None:
            self._refresh_progress()
            return await self._run_cases(inp)
        workflow.upsert_search_attributes([CYCLE_ID.value_set(inp.cycle_id)])
        await self._plan(ReplanRequest())
        while True:
            await workflow.wait_condition(
                lambda: self._replan is not None or self._decision is not None
            )
            if self._decision is not None:
                break
            request, self._replan = self._replan, None
            assert request is not None  # the wait ended on a replan
            await self._plan(request)
        self._state.decision = self._approved
        if not self._approved.approve:
            await self._set_status(CycleStatus.CANCELLED)
            return self._state
        await self._set_status(CycleStatus.PLAN_APPROVED)
        d = self._approved
        self._state.cases_total = await run_activity(
            CycleActivities.apply_plan_decision,
            PlanDecisionApply(
                cycle_id=inp.cycle_id,
                changes=PlanChanges(removals=d.removals, additions=d.additions),
                actor=d.actor,
                reason=d.reason,
                at=workflow.now(),
            ),
            timeout=PLANNING_TIMEOUT,
            retry=RETRY,
        )
        await self._set_status(CycleStatus.RUNNING)
        return await self._run_cases(inp)

    async def _run_cases(self, inp: CycleInput) -> CycleState:
        s = self._state
        while True:
            if self._cancel is not None and not self._cancel_sent:
                await self._withdraw_open_cases()
            if s.cases_started < s.cases_total and self._cancel is None:
                await self._start_batch(inp.cycle_id)
                if self._should_continue_as_new(inp):
                    return await self._continue_as_new(inp)
                continue
            await workflow.wait_condition(
                lambda: (
                    self._all_closed()
                    or (self._cancel is not None and not self._cancel_sent)
                    or self._should_continue_as_new(inp)
                )
            )
            if self._all_closed():
                break
            if self._should_continue_as_new(inp):
                return await self._continue_as_new(inp)
        status = CycleStatus.CANCELLED if self._cancel is not None else CycleStatus.CLOSED
        self._refresh_progress()
        await run_activity(
            CycleActivities.close_cycle,
            CycleClose(
                cycle_id=inp.cycle_id,
                status=status,
                stages=dict(s.cases_by_stage),
                at=workflow.now(),
            ),
            timeout=DB_TIMEOUT,
            retry=RETRY,
        )
        await self._set_status(status)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return s

    async def _start_batch(self, cycle_id: str) -> None:
        s = self._state
        d = self._approved
        inputs = await run_activity(
            CycleActivities.case_inputs,
            CaseBatch(
                cycle_id=cycle_id,
                cycle_workflow_id=workflow.info().workflow_id,
                requested_by=d.actor,
                requested_by_nip=d.actor_nip,
                offset=s.cases_started,
                limit=START_BATCH,
            ),
            timeout=DB_TIMEOUT,
            retry=RETRY,
        )
        starts = [self._start_case(case) for case in inputs]
        await asyncio.gather(*starts)
        s.cases_started += len(inputs)
        if not inputs:  # fewer approved proposals than counted: nothing more to start
            s.cases_total = s.cases_started

    async def _start_case(self, case: CaseInput) -> None:
        self._cases.setdefault(case.case_id, "starting")
        self._case_units.setdefault(case.case_id, [case.origin_unit, case.destination_unit])
        await start_case(case)  # started by an earlier run of this cycle: nothing to do

    async def _withdraw_open_cases(self) -> None:
        self._cancel_sent = True
        c = self._cancel
        assert c is not None  # called once a cancel arrived
        if self._state.status != CycleStatus.CANCELLING:
            await self._set_status(CycleStatus.CANCELLING)
        open_cases = [cid for cid, stage in self._cases.items() if stage not in TERMINAL]
        signals = [
            workflow.get_external_workflow_handle(case_workflow_id(cid)).signal(
                MutationCaseWorkflow.withdraw_signal,
                Withdrawal(actor=c.actor, reason=f"siklus dibatalkan: {c.reason}"),
            )
            for cid in open_cases
        ]
        results = await asyncio.gather(*signals, return_exceptions=True)
        for cid, result in zip(open_cases, results, strict=True):
            if isinstance(
                result, Exception
            ):  # already closed: it has reported (or will report) its end
                workflow.logger.info("kasus %s tidak menerima penarikan: %s", cid, result)

    def _all_closed(self) -> bool:
        s = self._state
        return (
            s.cases_started >= s.cases_total
            and len(self._cases) >= s.cases_started
            and all(stage in TERMINAL for stage in self._cases.values())
        )

    def _should_continue_as_new(self, inp: CycleInput) -> bool:
        info = workflow.info()
        if inp.continue_as_new_after_events is not None:
            return info.get_current_history_length() >= inp.continue_as_new_after_events
        return info.is_continue_as_new_suggested()

    async def _continue_as_new(self, inp: CycleInput) -> CycleState:
        await workflow.wait_condition(workflow.all_handlers_finished)
        s = self._state
        workflow.continue_as_new(
            CycleInput(
                cycle_id=inp.cycle_id,
                resume=CycleResume(
                    total=s.cases_total,
                    started=s.cases_started,
                    cases=dict(self._cases),
                    case_units=dict(self._case_units),
                    decision=self._approved,
                    cancel=self._cancel,
                ),
                continue_as_new_after_events=inp.continue_as_new_after_events,
            )
        )

    def _refresh_progress(self) -> None:
        s = self._state
        s.cases_by_stage = dict(sorted(Counter(self._cases.values()).items()))
        effect: dict[str, dict[str, int]] = {}
        for cid, (origin, destination) in self._case_units.items():
            stage = self._cases.get(cid, "starting")
            if stage in (Stage.REJECTED, Stage.WITHDRAWN, Stage.BLOCKED):
                continue
            done = stage == Stage.COMPLETED
            out, into = (
                effect.setdefault(origin, Counter()),
                effect.setdefault(destination, Counter()),
            )
            out["out"] += 1
            into["in"] += 1
            if done:
                out["out_done"] += 1
                into["in_done"] += 1
        s.unit_effect = {u: dict(c) for u, c in sorted(effect.items())}

    async def _plan(self, request: ReplanRequest) -> None:
        self._busy = True
        await self._set_status(CycleStatus.ANALYSING)
        self._state.needs = await run_activity(
            PlanningActivities.analyse_needs,
            CycleRef(cycle_id=self._state.cycle_id),
            timeout=PLANNING_TIMEOUT,
            retry=RETRY,
        )
        self._state.competencies = await run_activity(
            PlanningActivities.map_competencies,
            CycleRef(cycle_id=self._state.cycle_id),
            timeout=PLANNING_TIMEOUT,
            retry=RETRY,
        )
        await self._set_status(CycleStatus.PLANNING)
        self._state.plan = await run_activity(
            PlanningActivities.propose_transfers,
            PlanRequest(cycle_id=self._state.cycle_id, excluded_nips=request.excluded_nips),
            timeout=PLANNING_TIMEOUT,
            retry=RETRY,
        )
        self._state.plan_runs += 1
        await self._set_status(CycleStatus.PLAN_READY)
        self._busy = False

    async def _set_status(self, status: str) -> None:
        self._state.status = status
        workflow.upsert_search_attributes([CYCLE_STATUS.value_set(status)])
        await run_activity(
            PlanningActivities.set_cycle_status,
            CycleStatusChange(cycle_id=self._state.cycle_id, status=status),
            timeout=DB_TIMEOUT,
            retry=RETRY,
        )

    # -- queries, updates, signals ---------------------------------------------------------
    @workflow.query
    def state(self) -> CycleState | None:
        # Counted on demand: a signal per case stage must stay O(1) for thousands of cases.
        if self._state is not None and self._decision is not None and self._decision.approve:
            self._refresh_progress()
        return self._state

    @workflow.signal
    def case_progress(self, progress: CaseProgress) -> None:
        if self._cases.get(progress.case_id) in TERMINAL:
            return  # a late duplicate never reopens a closed case
        self._cases[progress.case_id] = progress.stage
        self._case_units[progress.case_id] = [progress.unit_from, progress.unit_to]

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
        if not decision.approve and (decision.removals or decision.additions):
            raise ApplicationError(
                "perubahan usulan hanya bersama persetujuan rencana", type="InvalidRequest"
            )

    @workflow.update
    def cancel_cycle(self, cancel: CycleCancel) -> str:
        self._cancel = cancel
        return "siklus dibatalkan; kasus yang terbuka ditarik"

    @cancel_cycle.validator
    def _validate_cancel(self, cancel: CycleCancel) -> None:
        if (
            self._state is None
            or self._state.status != CycleStatus.RUNNING
            or self._cancel is not None
        ):
            raise ApplicationError(
                "hanya siklus yang sedang berjalan yang dapat dibatalkan; "
                "sebelum rencana disetujui, tolak rencananya",
                type="InvalidState",
            )
        if not cancel.reason.strip():
            raise ApplicationError("pembatalan wajib disertai alasan", type="InvalidRequest")

    def _require_plan_ready(self) -> None:
        # Once the plan is stored its status reads plan_ready (query, database) while the
        # status write is still running: a decision then is held until planning returns.
        ready = self._state is not None and (
            not self._busy or self._state.status == CycleStatus.PLAN_READY
        )
        if not ready or self._replan is not None or self._decision is not None:
            raise ApplicationError("rencana belum siap atau sudah diputuskan", type="InvalidState")

"""TransferRequestWorkflow: a move that starts outside a cycle.

An employee's own request (APS) waits for the direct superior's opinion (a reminder at
half the deadline; silence is recorded as "no opinion" and the request goes on), then for
HR's screening; HR's individual move arrives already screened. An accepted request opens
a case on the same path as a planned move (review, approvals, decree, TMT), as a child
that outlives this workflow. The employee may withdraw the request until it is accepted."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.requests import RequestActivities
    from contracts.case import CaseInput
    from contracts.messages import Msg
    from contracts.requests import (
        APS,
        OpinionRecord,
        RequestClose,
        RequestInput,
        RequestNotice,
        RequestOpen,
        RequestScreening,
        RequestState,
        RequestStatus,
        RequestWithdrawal,
        ScreeningApply,
        SuperiorOpinion,
    )
    from workflows.activity_calls import run_activity
    from workflows.case_start import start_case

A = TypeVar("A")
R = TypeVar("R")
DB_TIMEOUT = timedelta(seconds=30)
RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(minutes=1))


@workflow.defn(name="TransferRequestWorkflow")
class TransferRequestWorkflow:
    @workflow.init
    def __init__(self, inp: RequestInput) -> None:
        self._inp = inp
        waits_for_opinion = inp.kind == APS and bool(inp.superior_nip)
        self._state = RequestState(
            request_id=inp.request_id,
            status=RequestStatus.OPINION if waits_for_opinion else RequestStatus.SCREENING,
        )
        self._opinion: SuperiorOpinion | None = None
        self._withdrawal: RequestWithdrawal | None = None
        self._case: CaseInput | None = None
        self._screening = asyncio.Lock()

    @workflow.run
    async def run(self, inp: RequestInput) -> RequestState:
        now = workflow.now()
        due = (
            now + timedelta(days=inp.opinion_days)
            if self._state.status == RequestStatus.OPINION
            else None
        )
        await self._act(
            RequestActivities.open_request,
            RequestOpen(request_id=inp.request_id, at=now, opinion_due=due),
        )
        if due is not None:
            await self._wait_for_opinion(due)
        if self._withdrawal is None and inp.screening is not None:
            await self._screen(inp.screening)
        await workflow.wait_condition(
            lambda: (
                self._state.status in (RequestStatus.ACCEPTED, RequestStatus.REFUSED)
                or (self._withdrawal is not None and not self._screening.locked())
            )
        )
        if self._state.status not in (RequestStatus.ACCEPTED, RequestStatus.REFUSED):
            w = self._withdrawal
            assert w is not None  # the wait ended on the withdrawal
            await self._act(
                RequestActivities.withdraw_request,
                RequestClose(
                    request_id=inp.request_id, actor=w.actor, reason=w.reason, at=workflow.now()
                ),
            )
            self._state.status = RequestStatus.WITHDRAWN
        elif self._case is not None:
            await self._open_case(self._case)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._state

    async def _wait_for_opinion(self, due: datetime) -> None:
        inp = self._inp
        answered = lambda: self._opinion is not None or self._withdrawal is not None  # noqa: E731
        half = (due - workflow.now()) / 2
        if not await self._wait(answered, half):
            await self._act(
                RequestActivities.notify_request,
                RequestNotice(
                    request_id=inp.request_id,
                    recipient_nip=inp.superior_nip,
                    message=Msg(
                        code="notice.opinion_reminder",
                        params={"request": inp.request_id, "due": due.isoformat()},
                    ),
                    at=workflow.now(),
                ),
            )
            await self._wait(answered, due - workflow.now())
        if self._withdrawal is not None:
            return
        op = self._opinion
        record = (
            OpinionRecord(
                request_id=inp.request_id,
                opinion="mendukung" if op.support else "tidak_mendukung",
                reason=op.reason,
                actor=op.actor_nip,
                at=workflow.now(),
            )
            if op is not None
            else OpinionRecord(
                request_id=inp.request_id,
                opinion="tidak_ada",
                reason="atasan tidak memberi pendapat hingga tenggat",
                actor="sistem",
                at=workflow.now(),
            )
        )
        await self._act(RequestActivities.record_opinion, record)
        self._state.status = RequestStatus.SCREENING

    async def _screen(self, screening: RequestScreening) -> RequestState:
        async with self._screening:
            outcome = await self._act(
                RequestActivities.screen_request,
                ScreeningApply(
                    request_id=self._inp.request_id, screening=screening, at=workflow.now()
                ),
            )
            self._state.status = outcome.status
            self._state.problems = list(outcome.problems)
            if outcome.case is not None:
                self._case = outcome.case
                self._state.case_id = outcome.case.case_id
            return RequestState(
                request_id=self._state.request_id,
                status=self._state.status,
                case_id=self._state.case_id,
                problems=list(self._state.problems),
            )

    async def _open_case(self, case: CaseInput) -> None:
        await start_case(case)  # started by an earlier attempt: nothing to do

    async def _wait(self, condition: Callable[[], bool], timeout: timedelta) -> bool:
        try:
            await workflow.wait_condition(condition, timeout=max(timeout, timedelta(seconds=1)))
        except TimeoutError:
            return False
        return True

    async def _act(self, fn: Callable[[Any, A], R], arg: A) -> R:
        return await run_activity(fn, arg, timeout=DB_TIMEOUT, retry=RETRY)

    # -- what people send --------------------------------------------------------------
    @workflow.query
    def state(self) -> RequestState:
        return self._state

    @workflow.update
    def give_opinion(self, opinion: SuperiorOpinion) -> str:
        self._opinion = opinion
        return "pendapat atasan tercatat"

    @give_opinion.validator
    def _check_opinion(self, opinion: SuperiorOpinion) -> None:
        if self._state.status != RequestStatus.OPINION or self._opinion is not None:
            raise ApplicationError("permohonan tidak menunggu pendapat atasan", type="InvalidState")
        if self._withdrawal is not None:
            raise ApplicationError("permohonan sudah ditarik", type="InvalidState")
        if opinion.actor_nip != self._inp.superior_nip:
            raise ApplicationError("hanya atasan langsung yang memberi pendapat", type="Forbidden")
        if not opinion.support and not opinion.reason.strip():
            raise ApplicationError(
                "pendapat tidak mendukung wajib disertai alasan", type="InvalidRequest"
            )

    @workflow.update
    async def screen(self, screening: RequestScreening) -> RequestState:
        return await self._screen(screening)

    @screen.validator
    def _check_screen(self, screening: RequestScreening) -> None:
        if self._state.status != RequestStatus.SCREENING or self._screening.locked():
            raise ApplicationError(
                "permohonan tidak sedang menunggu penyaringan", type="InvalidState"
            )
        if self._withdrawal is not None:
            raise ApplicationError("permohonan sudah ditarik", type="InvalidState")
        if not screening.reason.strip():
            raise ApplicationError(
                "keputusan penyaringan wajib disertai alasan", type="InvalidRequest"
            )
        if screening.accept and not screening.destination_position:
            raise ApplicationError("pilih jabatan tujuan", type="InvalidRequest")

    @workflow.update
    def withdraw(self, withdrawal: RequestWithdrawal) -> str:
        self._withdrawal = withdrawal
        return "permohonan ditarik"

    @withdraw.validator
    def _check_withdraw(self, withdrawal: RequestWithdrawal) -> None:
        if self._state.status not in (RequestStatus.OPINION, RequestStatus.SCREENING):
            raise ApplicationError("permohonan sudah diputuskan", type="InvalidState")
        if self._withdrawal is not None or self._screening.locked():
            raise ApplicationError("permohonan sedang diproses", type="InvalidState")
        if not withdrawal.reason.strip():
            raise ApplicationError("penarikan wajib disertai alasan", type="InvalidRequest")

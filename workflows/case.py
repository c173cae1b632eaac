"""MutationCaseWorkflow: one employee's move, from consultation to the effective date.

consultation -> (hr_review) -> training -> approval chain (documents complete before the
competent authority's step) -> decree (collective: HR's signing batch; or individual) ->
awaiting_tmt -> reporting (SPMT) -> completed
(-> post-mutation evaluation by the destination head, evaluation_days after TMT)
Any step rejection ends the case with its reason; HR may withdraw it at any stage before
TMT, and compensation cancels trainings and open tasks and annuls the decree.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, WorkflowAlreadyStartedError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from activities.cases import CaseActivities
    from activities.evaluation import EvaluationActivities
    from contracts.case import (
        OPEN_CASE_EXISTS,
        SERVICE_INDICATORS,
        ActRecord,
        CaseInput,
        CaseProgress,
        CaseRef,
        CaseState,
        CommitteeRecord,
        CommitteeVerdict,
        Compensation,
        ConsultationAnswer,
        ConsultationRecord,
        DecidersChange,
        DecisionRecord,
        DecreeIssued,
        DecreeNotice,
        DecreeRequest,
        DocumentCheck,
        DocumentsChanged,
        Escalation,
        EvaluationOpen,
        EvaluationRecord,
        EvaluationSubmission,
        ObjectionRecord,
        ObjectionResolution,
        OpenCase,
        OpenTasks,
        RecordedAct,
        Reminder,
        ReportingForDuty,
        ReportingOpen,
        ReportingRecord,
        RevocationRequest,
        StageChange,
        TaskAssign,
        TaskDecision,
        TaskReassignment,
        TaskView,
        TrainingAssign,
        TrainingCompletion,
        TrainingDone,
        TransferApply,
        Withdrawal,
    )
    from contracts.chain import ChainStep, deciding_step, step_outcome
    from contracts.enums import TERMINAL, EvaluationStatus, Stage, TaskKind, TaskStatus
    from contracts.ids import is_sha256, revocation_workflow_id
    from workflows.activity_calls import run_activity
    from workflows.decree_revocation import DecreeRevocationWorkflow
    from workflows.visibility import CaseVisibility

# The case revision (contracts.case.CASE_REVISION) from which each path is taken.
LEGAL_PROCESS_WITHOUT_MARKER = 1
DECREE_IN_ONE_ACTIVITY = 1
QUIET_WHILE_DECISION_IN_HAND = 2
REVOKE_ON_WITHDRAWAL = 3
DECISION_RECORDED_FIRST = 4

DB_TIMEOUT = timedelta(seconds=60)
RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(seconds=30))


A = TypeVar("A")
R = TypeVar("R")


class _Withdrawn(Exception):
    pass


@dataclass(frozen=True)
class Ending:
    """How a case ends: its outcome (also its last stage), why, by whose act, and whether what
    it did so far must be undone (trainings, open tasks, the decree)."""

    outcome: Stage
    reason: str | None
    actor: str
    role: str
    compensate: bool = False


def tmt_after(decided_on: date, min_days: int) -> date:
    """TMT: the first day of the month after the decree (at least `min_days` later)."""
    earliest = decided_on + timedelta(days=min_days)
    if earliest.day == 1:
        return earliest
    return date(earliest.year + (earliest.month == 12), earliest.month % 12 + 1, 1)


@workflow.defn(name="MutationCaseWorkflow")
class MutationCaseWorkflow:
    @workflow.init
    def __init__(self, inp: CaseInput) -> None:
        # Set before any update arrives: an answer sent right after the start is valid.
        self._inp = inp
        self._ref = CaseRef.of(inp, workflow.info().workflow_id)  # spares activities a read
        self._state = CaseState(inp.case_id, Stage.CONSULTATION)
        self._answer: ConsultationAnswer | None = None
        self._resolution: ObjectionResolution | None = None
        self._withdrawal: Withdrawal | None = None
        self._trainings_open: set[str] = set()
        self._tasks: dict[str, TaskView] = {}
        self._dirty = False
        self._in_hand: list[str] = []  # tasks whose decision is being checked or recorded
        self._recording: set[str] = set()  # tasks whose decision's activity is under way
        self._finishing = False
        self._evaluators: set[str] = set()
        self._evaluation: EvaluationSubmission | None = None
        self._recorded: set[str] = set()  # "answer", "resolution", "evaluation": in the database
        self._waiting = False
        self._visibility = CaseVisibility()
        self._legal = False  # the legal-process path (documents gate, recorded acts, SPMT)
        self._accepted_documents: set[str] = set()
        self._documents_signals = 0
        self._reporters: set[str] = set()
        self._structural = False
        self._reporting: ReportingForDuty | None = None
        self._sittings: set[str] = set()  # committee sittings already applied
        self._early_verdicts: dict[str, CommitteeVerdict] = {}
        self._notice: DecreeNotice | None = None

    # -- the process ---------------------------------------------------------------------
    @workflow.run
    async def run(self, inp: CaseInput) -> CaseState:
        self._legal = inp.revision >= LEGAL_PROCESS_WITHOUT_MARKER or workflow.patched(
            "legal-process-v1"
        )
        now = workflow.now()
        deadline = now + timedelta(days=inp.policy.consultation_days)
        self._state.consultation_deadline = deadline
        self._visibility.start(inp.cycle_id, inp.agency_code, Stage.CONSULTATION)
        try:
            await self._act(
                CaseActivities.open_case, OpenCase(inp, workflow.info().run_id, deadline, now)
            )
        except ActivityError as err:
            if not (isinstance(err.cause, ApplicationError) and err.cause.type == OPEN_CASE_EXISTS):
                raise
            return await self._blocked(err.cause.message)
        await self._progress()
        try:
            if not await self._consult(deadline):
                res = self._resolution
                assert res is not None  # consultation ends False only on HR's withdrawal
                return await self._finish(
                    Ending(Stage.WITHDRAWN, res.reason, res.actor, "hr_admin")
                )
            await self._train()
            rejected = await self._approve()
            if rejected is not None:
                # The compensation that follows is the rejecting approver's (or delegate's) act.
                if rejected.kind == TaskKind.RECORDED:
                    role = "hr_admin"
                elif rejected.decided_by == rejected.assignee_nip:
                    role = "approver"
                else:
                    role = "delegate"
                return await self._finish(
                    Ending(
                        Stage.REJECTED,
                        rejected.comment,
                        rejected.decided_by or "",
                        role,
                        compensate=True,
                    )
                )
            await self._decree()
            await self._await_tmt()
        except _Withdrawn:
            w = self._withdrawal
            assert w is not None  # _Withdrawn is raised only once a withdrawal arrived
            return await self._finish(
                Ending(Stage.WITHDRAWN, w.reason, w.actor, w.role, compensate=True)
            )
        await self._act(
            CaseActivities.apply_transfer, TransferApply(inp.case_id, workflow.now(), self._ref)
        )
        if self._legal and inp.policy.spmt_days > 0:
            await self._report_for_duty()
        state = await self._finish(Ending(Stage.COMPLETED, None, "sistem", "system"))
        if inp.policy.evaluation_days > 0:
            await self._evaluate()
        return state

    async def _blocked(self, reason: str) -> CaseState:
        """The person already has an open case (from another cycle): this one was recorded
        closed by the activity; tell the cycle and stop."""
        self._state.stage = Stage.BLOCKED
        self._state.outcome_reason = reason
        self._show()
        await self._progress()
        return self._state

    async def _consult(self, deadline: datetime) -> bool:
        """True when the move goes ahead; False when HR withdrew it after an objection."""
        inp = self._inp
        if inp.consent:  # the employee asked for this move: the request is their answer
            self._answer = ConsultationAnswer(inp.nip, True, inp.consent)
        half = (deadline - workflow.now()) / 2
        if not await self._wait(lambda: self._answer is not None, half):
            await self._act(
                CaseActivities.remind,
                Reminder(
                    inp.case_id,
                    [inp.nip],
                    Stage.CONSULTATION,
                    f"Pengingat: tanggapan atas usulan mutasi Anda ditunggu sebelum {deadline:%d-%m-%Y %H:%M}.",
                    workflow.now(),
                ),
            )
            await self._wait(lambda: self._answer is not None, deadline - workflow.now())
        answer = self._answer
        if answer is not None:
            response = "accepted" if answer.accept else "objected"
            record = ConsultationRecord(
                inp.case_id,
                response,
                answer.actor_nip,
                answer.reason or None,
                list(answer.preferences),
                workflow.now(),
                self._ref,
            )
        else:
            response = (
                "deemed_accepted"
                if inp.policy.silence_rule == "deemed_accepted"
                else "routed_to_hr"
            )
            record = ConsultationRecord(
                inp.case_id,
                response,
                "sistem",
                "tidak ada tanggapan hingga tenggat",
                [],
                workflow.now(),
                self._ref,
            )
        self._state.consultation_response = response
        await self._act(CaseActivities.record_consultation, record)
        self._recorded.add("answer")
        if response in ("accepted", "deemed_accepted"):
            return True
        await self._set_stage(Stage.HR_REVIEW, "case.hr_review", reason=record.reason)
        await self._wait(lambda: self._resolution is not None)
        res = self._resolution
        assert res is not None  # the wait ended on HR's resolution
        await self._act(
            CaseActivities.record_objection_resolution,
            ObjectionRecord(inp.case_id, res.confirm, res.actor, res.reason, workflow.now()),
        )
        self._recorded.add("resolution")
        return res.confirm

    async def _train(self) -> None:
        inp = self._inp
        if not inp.training:
            return
        await self._set_stage(Stage.TRAINING, "case.training")
        due = (workflow.now() + timedelta(days=inp.policy.training_due_days)).date()
        await self._act(
            CaseActivities.assign_training,
            TrainingAssign(inp.case_id, inp.training, due, workflow.now()),
        )
        self._trainings_open = {t.program for t in inp.training}
        self._state.trainings_open = sorted(self._trainings_open)
        if inp.policy.training_blocks_approval:
            await self._wait(lambda: not self._trainings_open)

    async def _approve(self) -> TaskView | None:
        """Run the chain; the deciding rejected task if a step rejects, else None."""
        await self._set_stage(Stage.APPROVAL, "case.approval")
        gate = (
            deciding_step(self._inp.steps) if self._legal and self._inp.required_documents else None
        )
        for index, step in enumerate(self._inp.steps):
            if index == gate:
                await self._documents_complete()
            views = await self._act(
                CaseActivities.open_tasks,
                OpenTasks(self._inp.case_id, index, step, workflow.now(), self._ref),
            )
            for view in views:
                self._tasks[view.id] = view
            self._publish_tasks()
            for view in views:
                early = self._early_verdicts.pop(view.id, None)
                if early is not None:
                    await self._apply_verdict(early)
            outcome = await self._run_step(index, step)
            if outcome == TaskStatus.REJECTED:
                return next(t for t in self._step_tasks(index) if t.status == TaskStatus.REJECTED)
        return None

    def _step_tasks(self, index: int) -> list[TaskView]:
        return [t for t in self._tasks.values() if t.step == index]

    async def _run_step(self, index: int, step: ChainStep) -> str:
        while True:
            tasks = self._step_tasks(index)
            outcome = step_outcome(
                step.needed(),
                len(tasks),
                sum(t.status == TaskStatus.APPROVED for t in tasks),
                sum(t.status == TaskStatus.REJECTED for t in tasks),
            )
            if outcome is not None:
                if any(
                    t.status == TaskStatus.OPEN for t in tasks
                ):  # quorum reached: the rest need not decide
                    for t in tasks:
                        if t.status == TaskStatus.OPEN:
                            t.status = TaskStatus.CANCELLED
                    await self._act(
                        CaseActivities.cancel_open_tasks,
                        StageChange(
                            self._inp.case_id,
                            "approval",
                            "task.cancelled",
                            reason=f"langkah {index + 1}: {outcome}",
                            at=workflow.now(),
                        ),
                    )
                # The next step's tasks or the next stage replace the finished step's assignees.
                self._publish_tasks()
                return outcome
            waiting = [t for t in tasks if t.status == TaskStatus.OPEN]
            self._dirty = False
            if self._inp.revision >= QUIET_WHILE_DECISION_IN_HAND and any(
                t.id in self._in_hand for t in waiting
            ):
                # A decision sent ahead is being checked and recorded: until it is, the step
                # waits on no person, so it starts no reminder timer and shows no assignees.
                # Reminders and escalation keep their dates and are caught up right after.
                await self._wait(lambda: self._dirty, shown=False)
                continue
            next_due = min(t.due_at if t.reminded else t.reminder_at for t in waiting)
            await self._wait(lambda: self._dirty, max(next_due - workflow.now(), timedelta(0)))
            await self._handle_timers(step, waiting)

    async def _handle_timers(self, step: ChainStep, waiting: list[TaskView]) -> None:
        now = workflow.now()
        for t in waiting:
            if t.status != TaskStatus.OPEN:
                continue
            if now >= t.due_at:
                view = await self._act(
                    CaseActivities.escalate_task,
                    Escalation(
                        t.id,
                        now,
                        now + timedelta(days=step.deadline_days),
                        now + timedelta(days=step.reminder_days),
                    ),
                )
                self._tasks[t.id] = view
                self._publish_tasks()
            elif not t.reminded and now >= t.reminder_at:
                await self._act(
                    CaseActivities.remind,
                    Reminder(
                        self._inp.case_id,
                        list(t.deciders),
                        "task",
                        f"Pengingat: {t.title} untuk mutasi {self._inp.nip} bertenggat {t.due_at:%d-%m-%Y %H:%M}.",
                        now,
                        t.id,
                    ),
                )
                t.reminded = True

    async def _decree(self) -> None:
        policy = self._inp.policy
        collective = self._legal and policy.decree_mode == "collective"
        if not collective and self._inp.revision >= DECREE_IN_ONE_ACTIVITY:
            await self._individual_decree()
            return
        await self._set_stage(Stage.DECREE, "case.decree")
        decided_on = workflow.now().date()
        tmt = self._tmt(decided_on)
        if collective:
            # HR's signing batch issues one decree for many cases (DecreeBatchWorkflow).
            await self._wait(lambda: self._notice is not None)
            notice = self._notice
            assert notice is not None  # the wait ended on it
            issued = DecreeIssued(notice.extract_number, notice.tmt)
        else:
            issued = await self._act(
                CaseActivities.issue_decree,
                DecreeRequest(self._inp.case_id, decided_on, tmt, workflow.now(), self._ref),
            )
        self._state.decree_number, self._state.tmt = issued.number, issued.tmt
        await self._set_stage(
            Stage.AWAITING_TMT,
            "case.awaiting_tmt",
            detail={"decree": issued.number, "tmt": issued.tmt.isoformat()},
        )

    def _tmt(self, decided_on: date) -> date:
        policy = self._inp.policy
        if policy.tmt_rule == "decree_date":
            return decided_on
        return tmt_after(decided_on, policy.tmt_min_days_after_decree)

    async def _individual_decree(self) -> None:
        """The case's own decree with both stage changes around it (to `decree`, then to
        `awaiting_tmt`), each audited, in one activity and one transaction."""
        decided_on = workflow.now().date()
        issued = await self._act(
            CaseActivities.issue_decree,
            DecreeRequest(
                self._inp.case_id,
                decided_on,
                self._tmt(decided_on),
                workflow.now(),
                self._ref,
                previous=self._state.stage,
            ),
        )
        if issued.awaiting_signature:
            # A remote or wet signature: the case stays at `decree` until the PPK has signed;
            # DecreeSigningWorkflow then sends the decree as a collective decree's extract.
            self._state.stage = Stage.DECREE
            await self._progress()
            await self._wait(lambda: self._notice is not None)
            notice = self._notice
            assert notice is not None  # the wait ended on it
            self._state.decree_number, self._state.tmt = notice.extract_number, notice.tmt
            await self._set_stage(
                Stage.AWAITING_TMT,
                "case.awaiting_tmt",
                detail={"decree": notice.extract_number, "tmt": notice.tmt.isoformat()},
            )
            return
        self._state.decree_number, self._state.tmt = issued.number, issued.tmt
        self._state.stage = Stage.AWAITING_TMT
        await self._progress()

    async def _documents_complete(self) -> None:
        """The competent authority decides only on a complete dossier: wait until HR has
        accepted every required document (uploads and verifications signal the case)."""
        inp = self._inp
        signals_before = self._documents_signals
        accepted = await self._act(
            CaseActivities.accepted_documents,
            DocumentCheck(inp.case_id, list(inp.required_documents)),
        )
        if self._documents_signals == signals_before:  # else a newer signal already told us
            self._accepted_documents = set(accepted)
        missing = self._missing_documents()
        if not missing:
            return
        self._state.documents_missing = missing
        await self._act(
            CaseActivities.remind,
            Reminder(
                inp.case_id,
                [inp.nip],
                "documents",
                "Dokumen wajib mutasi belum lengkap atau belum diterima: "
                + ", ".join(missing)
                + ". Keputusan menunggu dokumen lengkap.",
                workflow.now(),
            ),
        )
        await self._wait(lambda: not self._missing_documents())
        self._state.documents_missing = []

    def _missing_documents(self) -> list[str]:
        return [k for k in self._inp.required_documents if k not in self._accepted_documents]

    async def _report_for_duty(self) -> None:
        """After TMT: the destination head confirms the SPMT, reminded at half the period;
        late, HR is told and the case waits on (HR may record it)."""
        inp = self._inp
        await self._set_stage(Stage.REPORTING, "case.reporting")
        due = workflow.now() + timedelta(days=inp.policy.spmt_days)
        view = await self._act(
            CaseActivities.open_reporting, ReportingOpen(inp.case_id, due, workflow.now())
        )
        self._reporters, self._structural = set(view.deciders), view.structural
        self._state.reporting_due = due
        if not await self._reported_within((due - workflow.now()) / 2) and view.deciders:
            await self._act(
                CaseActivities.remind,
                Reminder(
                    inp.case_id,
                    list(view.deciders),
                    "spmt",
                    f"Pengingat: SPMT {inp.name} ({inp.nip}) ditunggu sebelum "
                    f"{due:%d-%m-%Y %H:%M}.",
                    workflow.now(),
                ),
            )
        if not await self._reported_within(due - workflow.now()):
            await self._act(
                CaseActivities.remind,
                Reminder(
                    inp.case_id,
                    list(view.escalate_to),
                    "spmt_overdue",
                    f"Eskalasi: SPMT {inp.name} ({inp.nip}) melewati tenggat "
                    f"{due:%d-%m-%Y %H:%M}; mohon ditindaklanjuti BKPSDM.",
                    workflow.now(),
                ),
            )
            await self._reported_within(None)
        rec = self._reporting
        assert rec is not None  # every wait above ended on the SPMT
        await self._act(
            CaseActivities.record_reporting,
            ReportingRecord(
                inp.case_id,
                rec.actor,
                "hr_admin" if not rec.actor_nip else "approver",
                rec.reported_on,
                rec.document_sha256,
                rec.sworn_in_on,
                workflow.now(),
            ),
        )
        self._state.reported_on = rec.reported_on
        self._recorded.add("reporting")

    async def _reported_within(self, timeout: timedelta | None) -> bool:
        """After TMT nothing withdraws a case: a plain wait, not `_wait`."""
        self._show()
        try:
            await workflow.wait_condition(lambda: self._reporting is not None, timeout=timeout)
        except TimeoutError:
            return False
        return True

    async def _await_tmt(self) -> None:
        tmt = self._state.tmt
        assert tmt is not None  # set with the decree
        effective = datetime(tmt.year, tmt.month, tmt.day, tzinfo=UTC)
        if effective > workflow.now():
            await self._wait(lambda: False, effective - workflow.now())

    async def _evaluate(self) -> None:
        """After the move: wait, ask the destination head, wait for the answer or the deadline."""
        policy = self._inp.policy
        await workflow.sleep(timedelta(days=policy.evaluation_days))
        due = workflow.now() + timedelta(days=policy.evaluation_deadline_days)
        view = await self._act(
            EvaluationActivities.open_evaluation,
            EvaluationOpen(self._inp.case_id, due, workflow.now()),
        )
        if view.evaluator_nip is None:
            return
        self._evaluators = set(view.deciders) or {view.evaluator_nip}
        self._state.evaluation = EvaluationStatus.OPEN
        answered = True
        try:
            await workflow.wait_condition(
                lambda: self._evaluation is not None, timeout=due - workflow.now()
            )
        except TimeoutError:
            answered = False
        e = self._evaluation
        record = (
            EvaluationRecord(
                self._inp.case_id,
                EvaluationStatus.SUBMITTED,
                workflow.now(),
                e.actor_nip,
                dict(e.indicators),
                e.adaptation_score,
                e.comment or None,
            )
            if answered and e is not None
            else EvaluationRecord(self._inp.case_id, EvaluationStatus.EXPIRED, workflow.now())
        )
        self._state.evaluation = record.status
        await self._act(EvaluationActivities.record_evaluation, record)
        self._recorded.add("evaluation")
        await workflow.wait_condition(workflow.all_handlers_finished)

    async def _finish(self, end: Ending) -> CaseState:
        inp = self._inp
        self._finishing = True
        if self._inp.revision >= DECISION_RECORDED_FIRST:
            # A decision under way lands first; the compensation then cancels only what is open.
            await workflow.wait_condition(lambda: not self._recording)
        if end.compensate:
            await self._act(
                CaseActivities.compensate,
                Compensation(
                    inp.case_id,
                    end.actor or "sistem",
                    end.reason or end.outcome,
                    workflow.now(),
                    end.role,
                ),
            )
            for t in self._tasks.values():
                if t.status == TaskStatus.OPEN:
                    t.status = TaskStatus.CANCELLED
            await self._revoke_signed_decree(end)
        self._state.outcome_reason = end.reason
        await self._set_stage(
            end.outcome,
            f"case.{end.outcome}",
            actor=end.actor or "sistem",
            role=end.role,
            reason=end.reason,
            outcome=end.outcome,
        )
        self._publish_tasks()
        self._show()
        # Let in-flight updates finish before the run closes.
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._state

    async def _revoke_signed_decree(self, end: Ending) -> None:
        """A decree already signed is not simply annulled: a revoking decree, signed like it,
        takes it back (its own workflow, which outlives the case)."""
        number, withdrawal = self._state.decree_number, self._withdrawal
        if self._inp.revision < REVOKE_ON_WITHDRAWAL or number is None:
            return
        if withdrawal is None or not withdrawal.revokes_decree:
            return
        now = workflow.now()
        request = RevocationRequest(
            number=number,
            reason=end.reason or "mutasi ditarik",
            letter_number="",
            actor=end.actor or "sistem",
            at=now,
            decided_on=now.date(),
            cause="withdrawal",
        )
        # Already started: revoked on other grounds (an upheld objection).
        with suppress(WorkflowAlreadyStartedError):
            await workflow.start_child_workflow(
                DecreeRevocationWorkflow.run,
                request,
                id=revocation_workflow_id(number),
                parent_close_policy=ParentClosePolicy.ABANDON,
            )

    # -- plumbing ------------------------------------------------------------------------
    async def _act(self, fn: Callable[[Any, A], R], arg: A) -> R:
        """Run one of the case's database activities (typed: `fn`'s input and result)."""
        return await run_activity(fn, arg, timeout=DB_TIMEOUT, retry=RETRY)

    async def _wait(
        self, condition: Callable[[], bool], timeout: timedelta | None = None, *, shown: bool = True
    ) -> bool:
        """Wait for `condition`; False on timeout. A withdrawal interrupts any wait. A wait
        that is `shown` (on a person or a date) publishes the case's stage and deciders."""
        if shown:
            self._show()
        self._waiting = shown
        try:
            await workflow.wait_condition(
                lambda: self._withdrawal is not None or condition(), timeout=timeout
            )
        except TimeoutError:
            if self._withdrawal is not None:
                raise _Withdrawn() from None
            return False
        finally:
            self._waiting = False
        if self._withdrawal is not None:
            raise _Withdrawn()
        return True

    async def _set_stage(
        self,
        stage: str,
        action: str,
        *,
        actor: str = "sistem",
        role: str = "system",
        reason: str | None = None,
        outcome: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        previous = self._state.stage
        if stage in TERMINAL:
            self._state.stage = stage  # closed at once: no request is taken from here on
        await self._act(
            CaseActivities.record_stage,
            StageChange(
                self._inp.case_id,
                stage,
                action,
                actor,
                role,
                reason,
                outcome,
                detail,
                workflow.now(),
                previous,
                self._ref,
            ),
        )
        # Reported once recorded: whoever sees the stage in a query finds it in the database
        # (the pages and the batch of decrees read the database).
        self._state.stage = stage
        await self._progress()

    async def _progress(self) -> None:
        inp = self._inp
        if not inp.cycle_workflow_id:
            return
        try:
            await workflow.get_external_workflow_handle(inp.cycle_workflow_id).signal(
                "case_progress",
                CaseProgress(inp.case_id, self._state.stage, inp.origin_unit, inp.destination_unit),
            )
        except Exception as exc:  # a closed cycle cannot hear it; the case goes on regardless
            workflow.logger.warning("progres tidak terkirim ke siklus: %s", exc)

    def _publish_tasks(self) -> None:
        self._state.tasks = sorted(self._tasks.values(), key=lambda t: (t.step, t.role))
        if self._waiting:  # a handler changed the tasks the case is waiting on
            self._show()

    def _open_deciders(self) -> list[str]:
        return sorted(
            {n for t in self._tasks.values() if t.status == TaskStatus.OPEN for n in t.deciders}
        )

    def _show(self) -> None:
        self._visibility.show(self._state.stage, self._open_deciders())

    def _closed(self) -> bool:
        return self._state.stage in TERMINAL

    # -- what people send ----------------------------------------------------------------
    @workflow.query
    def state(self) -> CaseState | None:
        return self._state

    async def _until_recorded(self, what: str, case_may_end_first: bool = True) -> None:
        """An answer's update returns once the database holds it, so the page the person lands
        on next shows it (or once the case ends without it)."""
        await workflow.wait_condition(
            lambda: (
                what in self._recorded
                or (
                    case_may_end_first
                    and (self._withdrawal is not None or self._closed() or self._finishing)
                )
            )
        )

    @workflow.update
    async def respond(self, answer: ConsultationAnswer) -> str:
        self._answer = answer
        await self._until_recorded("answer")
        return "tanggapan diterima"

    @respond.validator
    def _check_respond(self, answer: ConsultationAnswer) -> None:
        if self._closed() or self._state.stage != Stage.CONSULTATION or self._answer is not None:
            raise ApplicationError("konsultasi sudah ditutup", type="InvalidState")
        if answer.actor_nip != self._inp.nip:
            raise ApplicationError(
                "hanya pegawai yang bersangkutan yang dapat menanggapi", type="Forbidden"
            )
        if not answer.accept and not answer.reason.strip():
            raise ApplicationError("keberatan wajib disertai alasan", type="InvalidRequest")

    @workflow.update
    async def evaluate(self, submission: EvaluationSubmission) -> str:
        self._evaluation = submission
        await self._until_recorded(
            "evaluation", case_may_end_first=False
        )  # it has ended: this comes after
        return "evaluasi pascamutasi tercatat"

    @evaluate.validator
    def _check_evaluation(self, submission: EvaluationSubmission) -> None:
        if self._state.evaluation != EvaluationStatus.OPEN or self._evaluation is not None:
            raise ApplicationError(
                "tidak ada evaluasi pascamutasi yang terbuka", type="InvalidState"
            )
        if submission.actor_nip not in self._evaluators:
            raise ApplicationError(
                "hanya kepala unit tujuan (atau delegasinya) yang dapat mengevaluasi",
                type="Forbidden",
            )
        if set(submission.indicators) != set(SERVICE_INDICATORS):
            raise ApplicationError(
                f"indikator layanan harus: {', '.join(SERVICE_INDICATORS)}", type="InvalidRequest"
            )
        if not all(
            1 <= v <= 5 for v in [*submission.indicators.values(), submission.adaptation_score]
        ):
            raise ApplicationError("setiap nilai harus 1 sampai 5", type="InvalidRequest")

    @workflow.update
    async def resolve_objection(self, resolution: ObjectionResolution) -> str:
        self._resolution = resolution
        await self._until_recorded("resolution")
        return "mutasi dilanjutkan" if resolution.confirm else "usulan mutasi ditarik"

    @resolve_objection.validator
    def _check_resolution(self, resolution: ObjectionResolution) -> None:
        if self._closed() or self._state.stage != Stage.HR_REVIEW or self._resolution is not None:
            raise ApplicationError(
                "tidak ada keberatan yang menunggu keputusan", type="InvalidState"
            )
        if not resolution.reason.strip():
            raise ApplicationError(
                "keputusan atas keberatan wajib disertai alasan", type="InvalidRequest"
            )

    @workflow.update
    async def complete_training(self, done: TrainingCompletion) -> str:
        self._trainings_open.discard(done.program)
        self._state.trainings_open = sorted(self._trainings_open)
        await self._act(
            CaseActivities.complete_training,
            TrainingDone(
                self._inp.case_id, done.program, done.actor, done.completed_on, workflow.now()
            ),
        )
        return "pelatihan dicatat selesai"

    @complete_training.validator
    def _check_training(self, done: TrainingCompletion) -> None:
        if self._closed():
            raise ApplicationError("kasus sudah selesai", type="InvalidState")
        if done.program not in self._trainings_open:
            raise ApplicationError(
                f"pelatihan '{done.program}' tidak ada atau sudah selesai", type="InvalidRequest"
            )

    @workflow.update
    async def decide(self, decision: TaskDecision) -> str:
        return await self._apply_decision(decision)

    async def _apply_decision(self, decision: TaskDecision) -> str:
        if self._inp.revision >= DECISION_RECORDED_FIRST:
            return await self._record_then_apply(decision)
        task = self._tasks[decision.task_id]
        status = TaskStatus.APPROVED if decision.approve else TaskStatus.REJECTED
        if task.status == status and task.decided_by == decision.actor_nip:
            return "keputusan sudah tercatat"  # the same decision again changes nothing
        task.status, task.decided_by, task.comment = (
            status,
            decision.actor_nip,
            decision.comment or None,
        )
        await self._act(
            CaseActivities.record_decision,
            DecisionRecord(
                task.id, status, decision.actor_nip, decision.comment, workflow.now(), self._ref
            ),
        )
        self._dirty = True
        return "disetujui" if decision.approve else "ditolak"

    async def _record_then_apply(self, decision: TaskDecision) -> str:
        """One decision per task at a time, and the case moves on it only once the database
        holds it. Set in memory before its activity ran, a decision let the step finish (and
        the case, on a rejection, cancel its open rows) while that activity was still under
        way: the row then read "cancelled" while the audit said "rejected"."""
        task = self._tasks[decision.task_id]
        status = TaskStatus.APPROVED if decision.approve else TaskStatus.REJECTED
        await workflow.wait_condition(lambda: task.id not in self._recording)
        task = self._tasks[decision.task_id]
        if task.status != TaskStatus.OPEN:  # another decider's was recorded meanwhile
            if task.status == status and task.decided_by == decision.actor_nip:
                return "keputusan sudah tercatat"
            raise ApplicationError(
                f"tugas sudah {task.status}; keputusan lain tidak dapat diterima",
                type="InvalidState",
            )
        if self._closed() or self._finishing:
            raise ApplicationError("kasus sudah selesai", type="InvalidState")
        self._recording.add(task.id)
        try:
            await self._act(
                CaseActivities.record_decision,
                DecisionRecord(
                    task.id, status, decision.actor_nip, decision.comment, workflow.now(), self._ref
                ),
            )
        finally:
            self._recording.discard(task.id)
        task = self._tasks[decision.task_id]
        task.status, task.decided_by, task.comment = (
            status,
            decision.actor_nip,
            decision.comment or None,
        )
        self._dirty = True
        return "disetujui" if decision.approve else "ditolak"

    @workflow.update
    async def decide_when_open(self, decision: TaskDecision) -> str:
        """A decision sent ahead (e.g. by an integrating system): held until the task
        opens, then checked exactly like `decide`; refused if the case ends first."""
        in_hand = self._inp.revision >= QUIET_WHILE_DECISION_IN_HAND
        if in_hand:
            self._in_hand.append(decision.task_id)
        try:
            await workflow.wait_condition(
                lambda: decision.task_id in self._tasks or self._closed() or self._finishing
            )
            self._check_decision(decision)
            return await self._apply_decision(decision)
        finally:
            if in_hand:
                self._in_hand.remove(decision.task_id)
                self._dirty = True  # the step looks again: if refused, it waits on its people

    @decide_when_open.validator
    def _check_ahead(self, decision: TaskDecision) -> None:
        step, _, role = decision.task_id.removeprefix(f"{self._inp.case_id}/").partition("/")
        if not (
            decision.task_id.startswith(f"{self._inp.case_id}/")
            and step.isdigit()
            and int(step) < len(self._inp.steps)
            and role in self._inp.steps[int(step)].roles
        ):
            raise ApplicationError(
                f"tugas {decision.task_id} tidak ada pada rantai kasus ini", type="NotFound"
            )
        if decision.task_id in self._tasks or self._closed():
            self._check_decision(decision)
        elif not decision.approve and not decision.comment.strip():
            raise ApplicationError("penolakan wajib disertai alasan", type="InvalidRequest")

    @decide.validator
    def _check_decision(self, decision: TaskDecision) -> None:
        task = self._tasks.get(decision.task_id)
        if task is None:
            raise ApplicationError(
                f"tugas {decision.task_id} tidak ada pada kasus ini", type="NotFound"
            )
        status = TaskStatus.APPROVED if decision.approve else TaskStatus.REJECTED
        if task.status != TaskStatus.OPEN:
            if task.status == status and task.decided_by == decision.actor_nip:
                return
            raise ApplicationError(
                f"tugas sudah {task.status}; keputusan lain tidak dapat diterima",
                type="InvalidState",
            )
        if self._closed():
            raise ApplicationError("kasus sudah selesai", type="InvalidState")
        if task.kind == TaskKind.RECORDED:
            raise ApplicationError(
                "langkah ini diputuskan dengan surat; BKPSDM mencatatnya beserta dokumennya",
                type="Forbidden",
            )
        if decision.actor_nip not in task.deciders:
            raise ApplicationError(
                "hanya penerima tugas atau delegasinya yang dapat memutuskan", type="Forbidden"
            )
        if decision.actor_nip in (self._inp.requested_by_nip, self._inp.nip):
            raise ApplicationError(
                "prinsip empat mata: pengusul atau pegawai yang dimutasi tidak dapat menyetujui",
                type="Forbidden",
            )
        if not decision.approve and not decision.comment.strip():
            raise ApplicationError("penolakan wajib disertai alasan", type="InvalidRequest")

    @workflow.update
    async def record_act(self, act: RecordedAct) -> str:
        task = self._tasks[act.task_id]
        status = TaskStatus.APPROVED if act.approve else TaskStatus.REJECTED
        task.status, task.decided_by, task.comment = status, act.actor, act.comment or None
        await self._act(
            CaseActivities.record_act,
            ActRecord(
                task.id,
                status,
                act.actor,
                act.letter_number,
                act.letter_date,
                act.document_sha256,
                act.comment,
                workflow.now(),
            ),
        )
        self._dirty = True
        return "surat dicatat: " + ("disetujui" if act.approve else "tidak disetujui")

    @record_act.validator
    def _check_act(self, act: RecordedAct) -> None:
        task = self._tasks.get(act.task_id)
        if task is None or task.kind != TaskKind.RECORDED:
            raise ApplicationError(
                f"tugas {act.task_id} bukan langkah yang dicatat dengan surat", type="NotFound"
            )
        if task.status != TaskStatus.OPEN or self._closed():
            raise ApplicationError(f"langkah sudah {task.status}", type="InvalidState")
        if not act.letter_number.strip():
            raise ApplicationError("nomor surat wajib diisi", type="InvalidRequest")
        if not is_sha256(act.document_sha256):
            raise ApplicationError("surat wajib diunggah sebagai bukti", type="InvalidRequest")
        if act.letter_date > workflow.now().date():
            raise ApplicationError("tanggal surat tidak boleh di masa depan", type="InvalidRequest")
        if not act.approve and not act.comment.strip():
            raise ApplicationError(
                "surat yang tidak menyetujui wajib dicatat dengan alasannya", type="InvalidRequest"
            )

    @workflow.signal
    async def committee_verdict(self, verdict: CommitteeVerdict) -> None:
        """A signed sitting's recommendation (sent by CommitteeSittingWorkflow). One that
        arrives before the case has taken in its committee step (the same activation) is
        kept until the step opens; a repeat, or one for a step no longer open, is ignored."""
        if verdict.task_id not in self._tasks and verdict.task_id.startswith(
            f"{self._inp.case_id}/"
        ):
            self._early_verdicts.setdefault(verdict.task_id, verdict)
            return
        await self._apply_verdict(verdict)

    async def _apply_verdict(self, verdict: CommitteeVerdict) -> None:
        task = self._tasks.get(verdict.task_id)
        if (
            task is None
            or task.kind != TaskKind.COMMITTEE
            or task.status != TaskStatus.OPEN
            or self._closed()
            or self._finishing
            or verdict.sitting in self._sittings
        ):
            return
        self._sittings.add(verdict.sitting)
        status = {"setuju": TaskStatus.APPROVED, "tidak_setuju": TaskStatus.REJECTED}.get(
            verdict.recommendation
        )
        if status is not None:
            task.status, task.decided_by, task.comment = status, verdict.chair, verdict.reason
        await self._act(CaseActivities.record_committee, CommitteeRecord(verdict, workflow.now()))
        self._dirty = True

    @workflow.signal
    def decree_issued(self, notice: DecreeNotice) -> None:
        """The case's extract of a collective decree (sent by DecreeBatchWorkflow, which picks
        only cases recorded at the decree stage), or its own decree once signed remotely or
        by hand (sent by DecreeSigningWorkflow). Kept even if it arrives in the same
        activation as the case's step into that stage, before its wait begins."""
        if self._notice is None and self._state.decree_number is None and not self._closed():
            self._notice = notice

    @workflow.signal
    def documents_changed(self, change: DocumentsChanged) -> None:
        self._accepted_documents = set(change.accepted)
        self._documents_signals += 1
        if self._state.documents_missing:
            self._state.documents_missing = self._missing_documents()

    @workflow.update
    async def confirm_reporting(self, rec: ReportingForDuty) -> str:
        self._reporting = rec
        await self._until_recorded("reporting", case_may_end_first=False)
        return "SPMT tercatat: pegawai melaksanakan tugas sejak " + rec.reported_on.strftime(
            "%d-%m-%Y"
        )

    @confirm_reporting.validator
    def _check_reporting(self, rec: ReportingForDuty) -> None:
        if self._state.stage != Stage.REPORTING or self._reporting is not None:
            raise ApplicationError("tidak ada SPMT yang menunggu konfirmasi", type="InvalidState")
        if rec.actor_nip and rec.actor_nip not in self._reporters:
            raise ApplicationError(
                "hanya kepala unit tujuan (atau delegasinya) atau BKPSDM yang dapat "
                "mengonfirmasi SPMT",
                type="Forbidden",
            )
        if not is_sha256(rec.document_sha256):
            raise ApplicationError("SPMT wajib diunggah sebagai bukti", type="InvalidRequest")
        tmt = self._state.tmt
        if tmt is not None and rec.reported_on < tmt:
            raise ApplicationError(
                f"tanggal melaksanakan tugas sebelum TMT {tmt:%d-%m-%Y}", type="InvalidRequest"
            )
        if rec.reported_on > workflow.now().date():
            raise ApplicationError(
                "tanggal melaksanakan tugas tidak boleh di masa depan", type="InvalidRequest"
            )
        if self._structural and rec.sworn_in_on is None:
            raise ApplicationError(
                "jabatan struktural: tanggal pelantikan wajib diisi", type="InvalidRequest"
            )
        if rec.sworn_in_on is not None and tmt is not None and rec.sworn_in_on < tmt:
            raise ApplicationError(
                f"tanggal pelantikan sebelum TMT {tmt:%d-%m-%Y}", type="InvalidRequest"
            )

    @workflow.update
    async def reassign(self, change: TaskReassignment) -> str:
        task = self._tasks[change.task_id]
        task.assignee_nip, task.deciders = change.assignee_nip, list(change.deciders)
        await self._act(
            CaseActivities.reassign_task,
            TaskAssign(
                task.id,
                change.assignee_nip,
                list(change.deciders),
                change.actor,
                change.reason,
                workflow.now(),
            ),
        )
        self._publish_tasks()
        self._dirty = True
        return "tugas dialihkan"

    @reassign.validator
    def _check_reassign(self, change: TaskReassignment) -> None:
        task = self._tasks.get(change.task_id)
        if task is None or task.status != TaskStatus.OPEN or self._closed():
            raise ApplicationError(
                "hanya tugas yang masih terbuka yang dapat dialihkan", type="InvalidState"
            )
        if not change.reason.strip():
            raise ApplicationError("pengalihan tugas wajib disertai alasan", type="InvalidRequest")
        if change.assignee_nip not in change.deciders:
            raise ApplicationError(
                "penerima tugas harus termasuk yang dapat memutuskan", type="InvalidRequest"
            )

    @workflow.update
    async def change_deciders(self, change: DecidersChange) -> str:
        task = self._tasks[change.task_id]
        task.deciders = list(change.deciders)
        await self._act(
            CaseActivities.update_deciders,
            TaskAssign(
                task.id,
                task.assignee_nip,
                list(change.deciders),
                change.actor,
                change.reason,
                workflow.now(),
                change.role,
            ),
        )
        self._publish_tasks()
        return "daftar pemutus diperbarui"

    @change_deciders.validator
    def _check_deciders(self, change: DecidersChange) -> None:
        task = self._tasks.get(change.task_id)
        if task is None or task.status != TaskStatus.OPEN or self._closed():
            raise ApplicationError("tugas tidak terbuka", type="InvalidState")
        if task.assignee_nip not in change.deciders:
            raise ApplicationError(
                "penerima tugas harus tetap dapat memutuskan", type="InvalidRequest"
            )

    @workflow.update
    def withdraw(self, withdrawal: Withdrawal) -> str:
        self._withdrawal = withdrawal
        return "kasus ditarik"

    @withdraw.validator
    def _check_withdraw(self, withdrawal: Withdrawal) -> None:
        if self._closed() or self._finishing or self._withdrawal is not None:
            raise ApplicationError("kasus sudah selesai atau sedang ditarik", type="InvalidState")
        if self._state.tmt is not None and workflow.now().date() >= self._state.tmt:
            raise ApplicationError(
                "TMT sudah tiba; mutasi yang berlaku tidak dapat ditarik", type="InvalidState"
            )
        if not withdrawal.reason.strip():
            raise ApplicationError("penarikan wajib disertai alasan", type="InvalidRequest")

    @workflow.signal
    def withdraw_signal(self, withdrawal: Withdrawal) -> None:
        """The cycle's cancellation reaches its open cases this way (workflows cannot send updates)."""
        if not self._closed() and not self._finishing and self._withdrawal is None:
            if self._state.stage == Stage.REPORTING:
                return  # in effect since TMT: a cancelled cycle cannot undo it
            self._withdrawal = withdrawal

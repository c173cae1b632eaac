"""MutationCaseWorkflow: one employee's move, from consultation to the effective date.

consultation -> (hr_review) -> training -> approval chain (documents complete before the
competent authority's step) -> decree (collective: HR's signing batch; or individual) ->
awaiting_tmt -> reporting (SPMT) -> completed
(-> post-mutation evaluation by the destination head, evaluation_days after TMT)
Any step rejection ends the case with its reason; HR may withdraw it at any stage before
TMT, and compensation cancels trainings and open tasks and annuls the decree.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.cases import CaseActivities
    from activities.evaluation import EvaluationActivities
    from contracts.case import (
        OPEN_CASE_EXISTS,
        CaseInput,
        CaseState,
        Compensation,
        ConsultationAnswer,
        ConsultationRecord,
        DocumentCheck,
        Escalation,
        EvaluationOpen,
        EvaluationRecord,
        ObjectionRecord,
        OpenCase,
        OpenTasks,
        Reminder,
        ReportingOpen,
        ReportingRecord,
        StageChange,
        TaskView,
        TrainingAssign,
        TransferApply,
    )
    from contracts.chain import ChainStep, deciding_step, step_outcome
    from contracts.enums import EvaluationStatus, Stage, TaskKind, TaskStatus
    from contracts.messages import Msg
    from workflows.case_core import (
        DECISION_RECORDED_FIRST,
        LEGAL_PROCESS_WITHOUT_MARKER,
        QUIET_WHILE_DECISION_IN_HAND,
        Ending,
        _Withdrawn,
    )
    from workflows.case_decree import CaseDecreeStage


@workflow.defn(name="MutationCaseWorkflow")
class MutationCaseWorkflow(CaseDecreeStage):
    @workflow.init
    def __init__(self, inp: CaseInput) -> None:
        # Set before any update arrives: an answer sent right after the start is valid.
        super().__init__(inp)

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
                CaseActivities.open_case,
                OpenCase(
                    case=inp, run_id=workflow.info().run_id, consultation_deadline=deadline, at=now
                ),
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
            CaseActivities.apply_transfer,
            TransferApply(case_id=inp.case_id, at=workflow.now(), case=self._ref),
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
            self._answer = ConsultationAnswer(actor_nip=inp.nip, accept=True, reason=inp.consent)
        half = (deadline - workflow.now()) / 2
        if not await self._wait(lambda: self._answer is not None, half):
            await self._act(
                CaseActivities.remind,
                Reminder(
                    case_id=inp.case_id,
                    recipients=[inp.nip],
                    kind=Stage.CONSULTATION,
                    message=Msg(
                        code="notice.consultation_reminder",
                        params={"deadline": deadline.isoformat()},
                    ),
                    at=workflow.now(),
                ),
            )
            await self._wait(lambda: self._answer is not None, deadline - workflow.now())
        answer = self._answer
        if answer is not None:
            response = "accepted" if answer.accept else "objected"
            record = ConsultationRecord(
                case_id=inp.case_id,
                response=response,
                actor=answer.actor_nip,
                reason=answer.reason or None,
                preferences=list(answer.preferences),
                at=workflow.now(),
                case=self._ref,
            )
        else:
            response = (
                "deemed_accepted"
                if inp.policy.silence_rule == "deemed_accepted"
                else "routed_to_hr"
            )
            record = ConsultationRecord(
                case_id=inp.case_id,
                response=response,
                actor="sistem",
                reason="tidak ada tanggapan hingga tenggat",
                preferences=[],
                at=workflow.now(),
                case=self._ref,
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
            ObjectionRecord(
                case_id=inp.case_id,
                confirm=res.confirm,
                actor=res.actor,
                reason=res.reason,
                at=workflow.now(),
            ),
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
            TrainingAssign(case_id=inp.case_id, items=inp.training, due_on=due, at=workflow.now()),
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
                OpenTasks(
                    case_id=self._inp.case_id,
                    step_index=index,
                    step=step,
                    at=workflow.now(),
                    case=self._ref,
                ),
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
                            case_id=self._inp.case_id,
                            stage="approval",
                            action="task.cancelled",
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
                        task_id=t.id,
                        at=now,
                        due_at=now + timedelta(days=step.deadline_days),
                        reminder_at=now + timedelta(days=step.reminder_days),
                    ),
                )
                self._tasks[t.id] = view
                self._publish_tasks()
            elif not t.reminded and now >= t.reminder_at:
                await self._act(
                    CaseActivities.remind,
                    Reminder(
                        case_id=self._inp.case_id,
                        recipients=list(t.deciders),
                        kind="task",
                        message=Msg(
                            code="notice.task_reminder",
                            params={
                                "title": t.title,
                                "nip": self._inp.nip,
                                "due": t.due_at.isoformat(),
                            },
                        ),
                        at=now,
                        task_id=t.id,
                    ),
                )
                t.reminded = True

    async def _documents_complete(self) -> None:
        """The competent authority decides only on a complete dossier: wait until HR has
        accepted every required document (uploads and verifications signal the case)."""
        inp = self._inp
        signals_before = self._documents_signals
        accepted = await self._act(
            CaseActivities.accepted_documents,
            DocumentCheck(case_id=inp.case_id, required=list(inp.required_documents)),
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
                case_id=inp.case_id,
                recipients=[inp.nip],
                kind="documents",
                message=Msg(
                    code="notice.documents_missing", params={"documents": ",".join(missing)}
                ),
                at=workflow.now(),
            ),
        )
        await self._wait(lambda: not self._missing_documents())
        self._state.documents_missing = []

    async def _report_for_duty(self) -> None:
        """After TMT: the destination head confirms the SPMT, reminded at half the period;
        late, HR is told and the case waits on (HR may record it)."""
        inp = self._inp
        await self._set_stage(Stage.REPORTING, "case.reporting")
        due = workflow.now() + timedelta(days=inp.policy.spmt_days)
        view = await self._act(
            CaseActivities.open_reporting,
            ReportingOpen(case_id=inp.case_id, due_at=due, at=workflow.now()),
        )
        self._reporters, self._structural = set(view.deciders), view.structural
        self._state.reporting_due = due
        if not await self._reported_within((due - workflow.now()) / 2) and view.deciders:
            await self._act(
                CaseActivities.remind,
                Reminder(
                    case_id=inp.case_id,
                    recipients=list(view.deciders),
                    kind="spmt",
                    message=Msg(
                        code="notice.spmt_reminder",
                        params={"name": inp.name, "nip": inp.nip, "due": due.isoformat()},
                    ),
                    at=workflow.now(),
                ),
            )
        if not await self._reported_within(due - workflow.now()):
            await self._act(
                CaseActivities.remind,
                Reminder(
                    case_id=inp.case_id,
                    recipients=list(view.escalate_to),
                    kind="spmt_overdue",
                    message=Msg(
                        code="notice.spmt_overdue",
                        params={"name": inp.name, "nip": inp.nip, "due": due.isoformat()},
                    ),
                    at=workflow.now(),
                ),
            )
            await self._reported_within(None)
        rec = self._reporting
        assert rec is not None  # every wait above ended on the SPMT
        await self._act(
            CaseActivities.record_reporting,
            ReportingRecord(
                case_id=inp.case_id,
                actor=rec.actor,
                role="hr_admin" if not rec.actor_nip else "approver",
                reported_on=rec.reported_on,
                document_sha256=rec.document_sha256,
                sworn_in_on=rec.sworn_in_on,
                at=workflow.now(),
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
            EvaluationOpen(case_id=self._inp.case_id, due_at=due, at=workflow.now()),
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
                case_id=self._inp.case_id,
                status=EvaluationStatus.SUBMITTED,
                at=workflow.now(),
                actor_nip=e.actor_nip,
                indicators=dict(e.indicators),
                adaptation_score=e.adaptation_score,
                comment=e.comment or None,
            )
            if answered and e is not None
            else EvaluationRecord(
                case_id=self._inp.case_id, status=EvaluationStatus.EXPIRED, at=workflow.now()
            )
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
                    case_id=inp.case_id,
                    actor=end.actor or "sistem",
                    reason=end.reason or end.outcome,
                    at=workflow.now(),
                    role=end.role,
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

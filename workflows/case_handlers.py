"""What people send a case: the query, the updates (answer, decisions, recorded acts, the
SPMT, reassignment, withdrawal) with their validators, and the signals (a committee's
verdict, a decree issued, documents changed). The lifecycle (workflows.case) waits on
what these handlers record."""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.cases import CaseActivities
    from contracts.case import (
        SERVICE_INDICATORS,
        ActRecord,
        CaseState,
        CommitteeRecord,
        CommitteeVerdict,
        ConsultationAnswer,
        DecidersChange,
        DecisionRecord,
        DecreeNotice,
        DocumentsChanged,
        EvaluationSubmission,
        ObjectionResolution,
        RecordedAct,
        ReportingForDuty,
        TaskAssign,
        TaskDecision,
        TaskReassignment,
        TrainingCompletion,
        TrainingDone,
        Withdrawal,
    )
    from contracts.enums import EvaluationStatus, Stage, TaskKind, TaskStatus
    from contracts.ids import is_sha256
    from workflows.case_core import (
        DECISION_RECORDED_FIRST,
        QUIET_WHILE_DECISION_IN_HAND,
        CaseCore,
    )


class CaseHandlers(CaseCore):
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
                case_id=self._inp.case_id,
                program=done.program,
                actor=done.actor,
                completed_on=done.completed_on,
                at=workflow.now(),
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
        await self._record_decision(task.id, status, decision)
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
            await self._record_decision(task.id, status, decision)
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

    async def _record_decision(self, task_id: str, status: str, decision: TaskDecision) -> None:
        """The decision's row and audit event, written by its activity."""
        await self._act(
            CaseActivities.record_decision,
            DecisionRecord(
                task_id=task_id,
                status=status,
                actor=decision.actor_nip,
                comment=decision.comment,
                at=workflow.now(),
                case=self._ref,
            ),
        )

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
                task_id=task.id,
                status=status,
                actor=act.actor,
                letter_number=act.letter_number,
                letter_date=act.letter_date,
                document_sha256=act.document_sha256,
                comment=act.comment,
                at=workflow.now(),
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
        await self._act(
            CaseActivities.record_committee, CommitteeRecord(verdict=verdict, at=workflow.now())
        )
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
                task_id=task.id,
                assignee_nip=change.assignee_nip,
                deciders=list(change.deciders),
                actor=change.actor,
                reason=change.reason,
                at=workflow.now(),
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
                task_id=task.id,
                assignee_nip=task.assignee_nip,
                deciders=list(change.deciders),
                actor=change.actor,
                reason=change.reason,
                at=workflow.now(),
                role=change.role,
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

"""The state a case workflow keeps and the plumbing both its halves use: the lifecycle
(workflows.case) and what people send it (workflows.case_handlers)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.cases import CaseActivities
    from contracts.case import (
        CaseInput,
        CaseProgress,
        CaseRef,
        CaseState,
        CommitteeVerdict,
        ConsultationAnswer,
        DecreeNotice,
        EvaluationSubmission,
        ObjectionResolution,
        ReportingForDuty,
        StageChange,
        TaskView,
        Withdrawal,
    )
    from contracts.enums import TERMINAL, Stage, TaskStatus
    from workflows.activity_calls import run_activity
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


class CaseCore:
    def __init__(self, inp: CaseInput) -> None:
        # Set before any update arrives: an answer sent right after the start is valid.
        self._inp = inp
        self._ref = CaseRef.of(inp, workflow.info().workflow_id)  # spares activities a read
        self._state = CaseState(case_id=inp.case_id, stage=Stage.CONSULTATION)
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

    def _missing_documents(self) -> list[str]:
        return [k for k in self._inp.required_documents if k not in self._accepted_documents]

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
                case_id=self._inp.case_id,
                stage=stage,
                action=action,
                actor=actor,
                role=role,
                reason=reason,
                outcome=outcome,
                detail=detail,
                at=workflow.now(),
                previous=previous,
                case=self._ref,
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
                CaseProgress(
                    case_id=inp.case_id,
                    stage=self._state.stage,
                    unit_from=inp.origin_unit,
                    unit_to=inp.destination_unit,
                ),
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

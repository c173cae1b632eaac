"""The decree stage of a case: an individual decree issued (and signed) in one activity, or
the collective decree HR's signing batch issues (DecreeBatchWorkflow), then TMT; and, when
a case ends after its decree was signed, the revoking decree it starts."""

from __future__ import annotations

from contextlib import suppress
from datetime import date

from temporalio import workflow
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from activities.cases import CaseActivities
    from contracts.case import (
        DecreeIssued,
        DecreeRequest,
        RevocationRequest,
    )
    from contracts.enums import Stage
    from contracts.ids import revocation_workflow_id
    from workflows.case_core import (
        DECREE_IN_ONE_ACTIVITY,
        REVOKE_ON_WITHDRAWAL,
        Ending,
        tmt_after,
    )
    from workflows.case_handlers import CaseHandlers
    from workflows.decree_revocation import DecreeRevocationWorkflow


class CaseDecreeStage(CaseHandlers):
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
            issued = DecreeIssued(number=notice.extract_number, tmt=notice.tmt)
        else:
            issued = await self._act(
                CaseActivities.issue_decree,
                DecreeRequest(
                    case_id=self._inp.case_id,
                    decided_on=decided_on,
                    tmt=tmt,
                    at=workflow.now(),
                    case=self._ref,
                ),
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
                case_id=self._inp.case_id,
                decided_on=decided_on,
                tmt=self._tmt(decided_on),
                at=workflow.now(),
                case=self._ref,
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

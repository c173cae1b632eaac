"""DecreeRevocationWorkflow: a decree revoked as far as one employee is concerned (an upheld
objection). The revoking decree is drafted and signed like any decree (at once with the
PPK's certificate; otherwise DecreeSigningWorkflow signals it once signed), then applied:
the original revoked and a move already made reversed. Its id names the revoked decree, so
it is revoked once."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.cases import CaseActivities
    from contracts.case import DecreeNotice, RevocationApply, RevocationIssued, RevocationRequest
    from workflows.activity_calls import run_activity

RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(minutes=10))


@workflow.defn(name="DecreeRevocationWorkflow")
class DecreeRevocationWorkflow:
    def __init__(self) -> None:
        self._signed: DecreeNotice | None = None

    @workflow.run
    async def run(self, req: RevocationRequest) -> RevocationIssued:
        issued = await run_activity(
            CaseActivities.issue_revocation, req, timeout=timedelta(minutes=5), retry=RETRY
        )
        if issued.awaiting_signature:
            await workflow.wait_condition(lambda: self._signed is not None)
        await run_activity(
            CaseActivities.apply_revocation,
            RevocationApply(number=issued.number, at=workflow.now()),
            timeout=timedelta(minutes=2),
            retry=RETRY,
        )
        return RevocationIssued(number=issued.number)

    @workflow.signal
    def decree_issued(self, notice: DecreeNotice) -> None:
        """The revoking decree, signed remotely or by hand (sent by DecreeSigningWorkflow)."""
        self._signed = notice

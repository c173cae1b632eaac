"""DecreeSigningWorkflow: the PPK's signature on a drafted decree (a remote signing service
or a hand-signed scan), then the decree delivered to each of its cases.

Its id is `decree-signing-<number>`: one signature per decree. A refused attempt (wrong
passphrase) fails this run and a new attempt may start again under the same id; a service
that is down keeps the activity retrying with back-off, so the decree waits and is signed
once, never twice."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.cases import CaseActivities
    from contracts.case import SignatureDone, SignatureInput
    from workflows.activity_calls import run_activity
    from workflows.decree_delivery import deliver

# A service that is down: retried with back-off while the sealed passphrase lasts (an hour);
# after it the activity refuses for good and the signer enters the passphrase again.
RETRY = RetryPolicy(initial_interval=timedelta(seconds=2), maximum_interval=timedelta(minutes=5))


def signing_workflow_id(number: str) -> str:
    return f"decree-signing-{number}"


@workflow.defn(name="DecreeSigningWorkflow")
class DecreeSigningWorkflow:
    @workflow.run
    async def run(self, inp: SignatureInput) -> SignatureDone:
        done = await run_activity(
            CaseActivities.complete_signature,
            inp,
            timeout=timedelta(minutes=2),
            retry=RETRY,
        )
        await deliver(done.deliveries)
        return done

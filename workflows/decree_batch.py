"""DecreeBatchWorkflow: HR's signing batch. Issues one collective decree for the batch's
cases still waiting for a decree (an extract each), then tells each case its extract.

Its workflow id is the batch id, so a repeated request issues nothing twice; the activity
itself answers from the stored decree when retried."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.cases import CaseActivities
    from contracts.case import CollectiveIssued, CollectiveRequest
    from workflows.activity_calls import run_activity
    from workflows.decree_delivery import deliver

# An embargo keeps the activity retrying (with this back-off) until it is lifted.
RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(minutes=10))


@workflow.defn(name="DecreeBatchWorkflow")
class DecreeBatchWorkflow:
    @workflow.run
    async def run(self, req: CollectiveRequest) -> CollectiveIssued:
        issued = await run_activity(
            CaseActivities.issue_collective_decree,
            req,
            timeout=timedelta(minutes=5),
            retry=RETRY,
        )
        await deliver(issued.deliveries)
        return issued

"""CommitteeSittingWorkflow: delivers a signed sitting's recommendations to its cases.

Started once per sitting (its workflow id is the sitting's number), so a repeated signing
request delivers nothing twice; each case applies a sitting once in any case."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from contracts.case import SittingInput


@workflow.defn(name="CommitteeSittingWorkflow")
class CommitteeSittingWorkflow:
    @workflow.run
    async def run(self, inp: SittingInput) -> int:
        delivered = 0
        for delivery in inp.deliveries:
            try:
                await workflow.get_external_workflow_handle(delivery.workflow_id).signal(
                    "committee_verdict", delivery.verdict
                )
                delivered += 1
            except Exception as exc:  # the case ended meanwhile: nothing left to decide
                workflow.logger.warning(
                    "rekomendasi %s tidak terkirim ke %s: %s",
                    inp.number,
                    delivery.workflow_id,
                    exc,
                )
        return delivered

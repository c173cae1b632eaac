"""AuditCheckpointWorkflow: run by a Temporal schedule (every MUTASI_AUDIT_CHECKPOINT_MINUTES),
it signs each agency's audit chain head into the checkpoint store; its history keeps the
signed heads too, where no database user can reach them."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.audit import AuditActivities
    from contracts.housekeeping import CheckpointRequest, CheckpointResult
    from workflows.activity_calls import HOUSEKEEPING_RETRY, run_activity

SCHEDULE_ID = "mutasi-audit-checkpoint"


@workflow.defn(name="AuditCheckpointWorkflow")
class AuditCheckpointWorkflow:
    @workflow.run
    async def run(self, req: CheckpointRequest) -> CheckpointResult:
        return await run_activity(
            AuditActivities.take_audit_checkpoints,
            req,
            timeout=timedelta(minutes=5),
            retry=HOUSEKEEPING_RETRY,
        )

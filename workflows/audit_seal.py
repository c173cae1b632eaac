"""AuditSealWorkflow: run by a Temporal schedule (every MUTASI_AUDIT_SEAL_MINUTES), it links
the audit events written since the last seal into their agencies' chains
(mutasi.audit.chain.seal)."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.audit import AuditActivities
    from contracts.housekeeping import SealReport, SealRun
    from workflows.activity_calls import HOUSEKEEPING_RETRY, run_activity

SCHEDULE_ID = "mutasi-audit-seal"


@workflow.defn(name="AuditSealWorkflow")
class AuditSealWorkflow:
    @workflow.run
    async def run(self, req: SealRun) -> SealReport:
        return await run_activity(
            AuditActivities.seal_audit,
            req,
            timeout=timedelta(minutes=5),
            retry=HOUSEKEEPING_RETRY,
        )

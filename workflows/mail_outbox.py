"""MailOutboxWorkflow: run by a Temporal schedule (every MUTASI_MAIL_MINUTES), it mails
the pending notices batch by batch (mutasi.mail.outbox); a server that is down ends the
run early and the next run picks up where it stopped."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.mail import MailActivities
    from contracts.housekeeping import MailRun, OutboxReport
    from workflows.activity_calls import run_activity

SCHEDULE_ID = "mutasi-mail-outbox"
MAX_BATCHES = 50  # then the next scheduled run goes on (a short history per run)


@workflow.defn(name="MailOutboxWorkflow")
class MailOutboxWorkflow:
    @workflow.run
    async def run(self, req: MailRun) -> OutboxReport:
        total = OutboxReport()
        for _ in range(MAX_BATCHES):
            report = await run_activity(
                MailActivities.deliver_mail,
                req,
                timeout=timedelta(minutes=5),
                retry=RetryPolicy(
                    initial_interval=timedelta(seconds=1),
                    maximum_interval=timedelta(seconds=30),
                    maximum_attempts=5,
                ),
            )
            total.sent += report.sent
            total.no_address += report.no_address
            total.bounced += report.bounced
            total.unreachable = report.unreachable
            total.more = report.more
            if report.unreachable or not report.more:
                break
        return total

"""Giving each case its decree or extract once it is signed: one signal per case. A case
that ended meanwhile (its extract annulled) cannot hear it; that is logged, not fatal."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from contracts.case import ExtractDelivery


async def deliver(deliveries: list[ExtractDelivery]) -> None:
    for delivery in deliveries:
        try:
            await workflow.get_external_workflow_handle(delivery.workflow_id).signal(
                "decree_issued", delivery.notice
            )
        except Exception as exc:  # the case ended meanwhile
            workflow.logger.warning("SK %s tidak terkirim: %s", delivery.notice.extract_number, exc)

"""The Mutasi worker: runs every workflow and activity on the `mutasi` task queue.

Stateless: start as many as you like against one Temporal cluster and database
(`TEMPORAL_ADDRESS`, `DATABASE_URL`).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import signal

from temporalio.client import Client
from temporalio.service import RPCError
from temporalio.worker import UnsandboxedWorkflowRunner, Worker, WorkflowRunner
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner

from activities import registry
from mutasi.audit.anchor import CheckpointStore
from mutasi.decree.issuer_setup import issuer_of
from mutasi.infra.db import build_engine, upgrade_database
from mutasi.infra.documents import DocumentStore
from mutasi.infra.logs import configure_logging
from mutasi.infra.record_key import DecreeSigner
from mutasi.infra.settings import Settings, get_settings
from mutasi.infra.temporal import connect, ensure_search_attributes, worker_runtime
from mutasi.infra.tracing import tracing_interceptors
from workflows.audit_checkpoint import AuditCheckpointWorkflow
from workflows.audit_seal import AuditSealWorkflow
from workflows.case import MutationCaseWorkflow
from workflows.committee import CommitteeSittingWorkflow
from workflows.cycle import MutationCycleWorkflow
from workflows.decree_batch import DecreeBatchWorkflow
from workflows.decree_revocation import DecreeRevocationWorkflow
from workflows.decree_signing import DecreeSigningWorkflow
from workflows.history_archive import HistoryArchiveWorkflow
from workflows.mail_outbox import MailOutboxWorkflow
from workflows.schedules import ensure_schedules
from workflows.transfer_request import TransferRequestWorkflow

WORKFLOWS = [
    MutationCycleWorkflow,
    MutationCaseWorkflow,
    AuditCheckpointWorkflow,
    AuditSealWorkflow,
    HistoryArchiveWorkflow,
    CommitteeSittingWorkflow,
    DecreeBatchWorkflow,
    DecreeSigningWorkflow,
    DecreeRevocationWorkflow,
    TransferRequestWorkflow,
    MailOutboxWorkflow,
]
# Evicting open cycles/cases replays whole histories (6-20x slower here): keep them cached.
MAX_CACHED_WORKFLOWS = 2000


def activities_for(engine, settings: Settings | None = None) -> list:
    """The activity registry over this process's settings."""
    settings = settings or get_settings()
    record_key = DecreeSigner.from_base64(settings.decree_signing_key)
    return registry(
        engine,
        record_key,
        CheckpointStore(settings.audit_checkpoint_dir),
        DocumentStore(settings.document_dir),
        settings.mail_settings(),
        settings.public_base_url,
        issuer_of(settings, record_key),
    )


def workflow_runner(settings: Settings) -> WorkflowRunner:
    return SandboxedWorkflowRunner() if settings.workflow_sandbox else UnsandboxedWorkflowRunner()


def build_worker(
    client: Client, settings: Settings, engine, executor: concurrent.futures.Executor
) -> Worker:
    return Worker(
        client,
        task_queue=settings.task_queue,
        workflows=WORKFLOWS,
        activities=activities_for(engine, settings),
        activity_executor=executor,
        max_concurrent_activities=settings.activity_concurrency,
        workflow_runner=workflow_runner(settings),
        max_cached_workflows=MAX_CACHED_WORKFLOWS,
    )


def _metrics_runtime(address: str | None):
    """The SDK runtime with its Prometheus endpoint. A port already taken costs the metrics,
    loudly, never the work: the worker runs on without them."""
    try:
        runtime = worker_runtime(address)
    except ValueError as exc:
        logging.error(
            "metrik worker tidak dapat dibuka di %s (%s): worker berjalan tanpa metrik",
            address,
            exc,
        )
        return None
    if runtime is not None:
        logging.info("metrik worker (Prometheus) di http://%s/metrics", address)
    return runtime


async def main() -> None:
    settings = get_settings()
    configure_logging("worker", settings.log_format)
    settings.check_secure()
    upgrade_database(settings.database_url)
    engine = build_engine(settings.database_url, writer=True)
    client = await connect(
        settings.temporal_target,
        settings.temporal_namespace,
        interceptors=tracing_interceptors(settings.otel_exporter, "mutasi-worker"),
        runtime=_metrics_runtime(settings.worker_metrics_address),
    )
    try:
        added = await ensure_search_attributes(client, settings.temporal_namespace)
        if added:
            logging.info("atribut pencarian didaftarkan: %s", ", ".join(added))
    except RPCError as exc:  # e.g. no operator permission on a managed cluster
        logging.warning("atribut pencarian tidak dapat diperiksa/didaftarkan: %s", exc.message)
    try:
        for schedule_id in await ensure_schedules(
            client,
            settings.task_queue,
            settings.audit_checkpoint_minutes,
            settings.history_archive_minutes,
            settings.mail_minutes,
            settings.audit_seal_minutes,
        ):
            logging.info("jadwal %s dibuat", schedule_id)
    except RPCError as exc:
        logging.warning("jadwal checkpoint audit/arsip riwayat tidak dapat dibuat: %s", exc.message)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    with concurrent.futures.ThreadPoolExecutor(
        max_workers=settings.activity_concurrency
    ) as executor:
        worker = build_worker(client, settings, engine, executor)
        logging.info("worker siap di %s, antrean %s", settings.temporal_target, settings.task_queue)
        async with worker:
            await stop.wait()
    logging.info("worker berhenti")


if __name__ == "__main__":
    asyncio.run(main())

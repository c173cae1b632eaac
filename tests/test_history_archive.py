"""Histories that outlive Temporal's retention: closed cases and cycles are archived (gzipped
JSON in the document store, hash in the audit chain); after the workflow is deleted from
Temporal the auditor still reads its history from the archive, hash-checked, and a file
changed on disk is caught."""

from __future__ import annotations

import gzip
import hashlib
import json
import uuid

import httpx
import pytest
from sqlalchemy import select
from sqlmodel import Session
from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.workflowservice.v1 import DeleteWorkflowExecutionRequest
from temporalio.service import RPCError, RPCStatusCode

from api.main import create_app
from contracts.cycle import CycleCancel
from contracts.housekeeping import ArchiveRequest
from models import AuditEvent, HistoryArchive, MutationCase
from mutasi.audit import chain as audit
from mutasi.audit.history_archive import ARCHIVED, pack, verify_archives
from mutasi.infra.documents import DocumentStore
from mutasi.infra.settings import Settings, get_settings
from tests.auth_support import auth_headers
from tests.workflow_support import cycle_waiting_for_answers, eventually, running_worker
from workflows.cycle import MutationCycleWorkflow
from workflows.history_archive import HistoryArchiveWorkflow


def test_packing_hashes_the_history_whatever_order_its_maps_print_in():
    one = '{"events": [{"eventId": "1", "header": {"fields": {"a": 1, "b": 2}}}, {"eventId": "2"}]}'
    other = (
        '{"events": [{"header": {"fields": {"b": 2, "a": 1}}, "eventId": "1"}, {"eventId": "2"}]}'
    )
    first, second = pack(one), pack(other)
    assert first.gz == second.gz and first.events == 2
    assert first.history_sha256 == hashlib.sha256(gzip.decompress(first.gz)).hexdigest()
    assert json.loads(gzip.decompress(first.gz)) == json.loads(one)
    assert pack(one.replace('"b": 2', '"b": 3')).history_sha256 != first.history_sha256


def test_document_store_refuses_a_changed_file(tmp_path):
    store = DocumentStore(tmp_path)
    digest = store.put(b"isi asli")
    assert store.put(b"isi asli") == digest and store.get(digest) == b"isi asli"
    store.path_of(digest).write_bytes(b"isi palsu")
    with pytest.raises(ValueError, match="tidak cocok"):
        store.get(digest)
    with pytest.raises(ValueError, match="bukan hash"):
        store.path_of("../../etc/passwd")


async def _delete_from_temporal(client, workflow_id: str, run_id: str) -> None:
    await client.workflow_service.delete_workflow_execution(
        DeleteWorkflowExecutionRequest(
            namespace=client.namespace,
            workflow_execution=WorkflowExecution(workflow_id=workflow_id, run_id=run_id),
        )
    )

    async def gone() -> bool:
        try:
            await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
        except RPCError as exc:
            return exc.status == RPCStatusCode.NOT_FOUND
        return False

    # The server deletes asynchronously (about 30-60 s on the dev server).
    await eventually(gone, f"{workflow_id} terhapus dari Temporal", seconds=150)


@pytest.mark.devserver
async def test_closed_case_history_read_from_archive_after_temporal_deleted_it(
    dev_server, demo_engine
):
    env = dev_server
    async with running_worker(env.client, demo_engine) as queue:
        cycle, _ = await cycle_waiting_for_answers(env.client, demo_engine, queue, "ARS-1")
        await cycle.execute_update(
            MutationCycleWorkflow.cancel_cycle, CycleCancel(actor="hr", reason="uji arsip")
        )
        await cycle.result()
        with Session(demo_engine) as s:
            case = s.execute(select(MutationCase).order_by(MutationCase.id)).scalars().first()
        before = json.loads(
            (
                await env.client.get_workflow_handle(
                    case.workflow_id, run_id=case.run_id
                ).fetch_history()
            ).to_json()
        )

        async def archived() -> bool:
            # The schedule's workflow, run by hand: visibility lists closed runs eventually.
            await env.client.execute_workflow(
                HistoryArchiveWorkflow.run,
                ArchiveRequest(),
                id=f"history-archive-{uuid.uuid4().hex[:6]}",
                task_queue=queue,
            )
            with Session(demo_engine) as s:
                kinds = set(s.execute(select(HistoryArchive.subject_id)).scalars())
            return case.id in kinds and "ARS-1" in kinds

        await eventually(archived, "riwayat kasus dan siklus diarsipkan", seconds=60)
        with Session(demo_engine) as s:
            rows = s.execute(select(HistoryArchive)).scalars().all()
            events = (
                s.execute(select(AuditEvent).where(AuditEvent.action == ARCHIVED)).scalars().all()
            )
            assert len(rows) == len({(r.workflow_id, r.run_id) for r in rows}) == len(events)
            assert all(r.status == "completed" for r in rows)
            assert all(report.ok for report in audit.verify_all(s))
        await _delete_from_temporal(env.client, case.workflow_id, case.run_id)

        settings = Settings(task_queue=queue)
        app = create_app(settings, engine=demo_engine, temporal=env.client)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://test",
            headers=auth_headers(demo_engine, settings, "auditor"),
        ) as api:
            answer = await api.get(f"/api/v1/cases/{case.id}/temporal-history")
            assert answer.status_code == 200, answer.text
            body = answer.json()
            assert body["source"] == "arsip" and answer.headers["x-history-source"] == "arsip"
            assert body["history"] == before
            assert body["history_sha256"] == body["archive"]["history_sha256"]
            live = (await api.get("/api/v1/cycles/ARS-1/temporal-history")).json()
            assert (
                live["source"] == "temporal"
                and live["archive"]["history_sha256"] == live["history_sha256"]
            )

            store = DocumentStore(get_settings().document_dir)
            with Session(demo_engine) as s:
                assert verify_archives(s, store).ok
                row = s.execute(
                    select(HistoryArchive).where(HistoryArchive.subject_id == case.id)
                ).scalar_one()
            store.path_of(row.document_sha256).write_bytes(gzip.compress(b'{"events": []}'))
            with Session(demo_engine) as s:
                report = verify_archives(s, store)
            assert not report.ok and case.workflow_id in report.problems[0]
            broken = await api.get(f"/api/v1/cases/{case.id}/temporal-history")
            assert broken.status_code == 500 and "hash" in broken.json()["detail"]
            verified = (await api.get("/api/v1/audit/verify")).json()
            assert verified["ok"] is False and verified["history_archives"]["problems"]

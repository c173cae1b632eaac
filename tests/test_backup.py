"""Backup and restore, drilled: a backup taken mid-cycle restores into an empty database whose
counts, audit chains, checkpoints and decrees verify, and the cases still open in Temporal
carry on against the restored data. Bad backups and non-empty targets are refused."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, select, text
from sqlmodel import Session
from typer.testing import CliRunner

from activities.cases import CaseActivities
from contracts.case import ConsultationAnswer, OpenCase
from models import AuditEvent, Decree, MutationCase
from mutasi.audit import chain as audit
from mutasi.audit.anchor import CheckpointStore, take_checkpoints, verify_everything
from mutasi.cli import app as cli
from mutasi.demo.loader import load_demo
from mutasi.infra.backup import MANIFEST, BackupError, backup, read_manifest, restore
from mutasi.infra.db import build_engine, upgrade_database
from mutasi.infra.documents import DocumentStore
from mutasi.infra.record_key import DEMO_SIGNING_KEY, DecreeSigner
from mutasi.infra.settings import get_settings
from tests.support.cases import AT, case_input, env_for
from tests.workflow_support import (
    approve_step,
    cycle_waiting_for_answers,
    decree_by_batch,
    running_worker,
    wait_for,
)
from workflows.case import MutationCaseWorkflow

SIGNER = DecreeSigner.from_base64(DEMO_SIGNING_KEY)


def url_of(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def chains_verify(engine, checkpoint_dir) -> bool:
    with Session(engine) as s:
        reports = verify_everything(s, SIGNER, CheckpointStore(checkpoint_dir))
    return bool(reports) and all(r.ok for r in reports)


async def _carry_case_to_decree(client, queue: str, case_id: str, agency_code: str) -> None:
    handle = client.get_workflow_handle(f"case-{case_id}")
    await handle.execute_update(
        MutationCaseWorkflow.respond,
        ConsultationAnswer(actor_nip=case_id.split(".")[-1], accept=True),
    )
    state = await wait_for(
        handle,
        MutationCaseWorkflow.state,
        lambda s: s.stage == "approval" and any(t.status == "open" for t in s.tasks),
    )
    while state.stage == "approval":
        task = next(t for t in state.tasks if t.status == "open")
        await approve_step(handle, task)
        state = await wait_for(
            handle,
            MutationCaseWorkflow.state,
            lambda s, done=task.id: (
                s.stage != "approval" or any(t.status == "open" and t.id != done for t in s.tasks)
            ),
        )
    await decree_by_batch(client, queue, handle, agency_code, datetime.now(UTC).date())


async def test_backup_mid_cycle_restores_and_open_cases_continue(
    time_skipping_env, demo_engine, tmp_path, monkeypatch
):
    client = time_skipping_env.client
    settings = get_settings()
    async with running_worker(client, demo_engine, max_cached_workflows=0) as queue:
        _, state = await cycle_waiting_for_answers(client, demo_engine, queue, "BAK-1")
        with Session(demo_engine) as s:
            take_checkpoints(s, SIGNER, CheckpointStore(settings.audit_checkpoint_dir))
        DocumentStore(settings.document_dir).put(b"%PDF-1.4 berkas uji")
        taken = backup(
            url_of(demo_engine),
            settings.audit_checkpoint_dir,
            settings.document_dir,
            tmp_path / "bak",
        )
    assert taken.manifest["tables"]["mutation_case"] >= state.cases_total > 0
    assert taken.manifest["audit_chain_heads"]

    # The site is lost: restore into a new, empty database and empty folders.
    restored_url = f"sqlite:///{tmp_path / 'restored' / 'mutasi.db'}"
    new_checkpoints, new_documents = (
        tmp_path / "restored" / "checkpoints",
        tmp_path / "restored" / "documents",
    )
    result = restore(tmp_path / "bak", restored_url, new_checkpoints, new_documents)
    assert result.ok, result.problems
    assert result.tables == taken.manifest["tables"]
    assert DocumentStore(new_documents).digests() == DocumentStore(settings.document_dir).digests()
    restored = build_engine(restored_url)
    try:
        assert chains_verify(restored, new_checkpoints)
        monkeypatch.setenv("MUTASI_AUDIT_CHECKPOINT_DIR", str(new_checkpoints))
        get_settings.cache_clear()
        with Session(restored) as s:
            case_id, agency = s.execute(
                select(MutationCase.id, MutationCase.agency_code)
                .where(MutationCase.cycle_id == "BAK-1")
                .order_by(MutationCase.id)
            ).first()
        async with running_worker(client, restored, task_queue=queue):
            await _carry_case_to_decree(client, queue, case_id, agency)
        with Session(restored) as s:
            decree = s.execute(select(Decree).where(Decree.case_id == case_id)).scalar_one()
            assert decree.number
            assert s.get(MutationCase, case_id).stage == "awaiting_tmt"
        with Session(demo_engine) as s:  # the lost site's database saw none of it
            assert s.execute(select(Decree).where(Decree.case_id == case_id)).first() is None
        assert chains_verify(restored, new_checkpoints)
    finally:
        restored.dispose()


def test_restore_refuses_a_changed_backup_and_a_non_empty_target(demo_engine, tmp_path):
    settings = get_settings()
    backup(
        url_of(demo_engine), settings.audit_checkpoint_dir, settings.document_dir, tmp_path / "bak"
    )
    with pytest.raises(BackupError, match="tidak kosong"):
        backup(
            url_of(demo_engine),
            settings.audit_checkpoint_dir,
            settings.document_dir,
            tmp_path / "bak",
        )
    with pytest.raises(BackupError, match="tidak kosong"):
        restore(tmp_path / "bak", url_of(demo_engine), tmp_path / "cp", tmp_path / "docs")
    tampered = tmp_path / "tampered"
    shutil.copytree(tmp_path / "bak", tampered)
    manifest = json.loads((tampered / MANIFEST).read_text())
    manifest["tables"]["employee"] += 1
    (tampered / MANIFEST).write_text(json.dumps(manifest))
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    result = restore(tampered, fresh, tmp_path / "cp", tmp_path / "docs")
    assert not result.ok and any("employee" in p for p in result.problems)
    with (tampered / "database.sqlite3").open("r+b") as db:
        db.seek(200)
        db.write(b"\x00rusak")
    with pytest.raises(BackupError, match="berubah"):
        read_manifest(tampered)


def test_cli_backup_and_restore_into_an_empty_database(demo_engine, tmp_path, monkeypatch):
    runner = CliRunner()
    monkeypatch.setenv("DATABASE_URL", url_of(demo_engine))
    get_settings.cache_clear()
    made = runner.invoke(cli, ["backup", str(tmp_path / "bak")])
    assert made.exit_code == 0, made.output
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'baru.db'}")
    monkeypatch.setenv("MUTASI_AUDIT_CHECKPOINT_DIR", str(tmp_path / "cp-baru"))
    get_settings.cache_clear()
    restored = runner.invoke(cli, ["restore", str(tmp_path / "bak")])
    assert restored.exit_code == 0, restored.output
    assert "semua terverifikasi" in restored.output
    again = runner.invoke(cli, ["restore", str(tmp_path / "bak")])
    assert again.exit_code == 2 and "tidak kosong" in again.output


@pytest.mark.postgres
def test_postgres_backup_restores_into_a_second_database(postgres_url, tmp_path):
    upgrade_database(postgres_url)
    source = build_engine(postgres_url)
    second = postgres_url.rsplit("/", 1)[0] + "/" + postgres_url.rsplit("/", 1)[1] + "_restored"
    admin = create_engine(postgres_url.rsplit("/", 1)[0] + "/test", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{second.rsplit("/", 1)[1]}"'))
    restored = build_engine(second)
    try:
        load_demo(source, 200, 3)
        inp = case_input(source, training=[])
        env_for("1").run(
            CaseActivities(source, SIGNER).open_case,
            OpenCase(case=inp, run_id="run-1", consultation_deadline=AT, at=AT),
        )
        cp = tmp_path / "cp"
        with Session(source) as s:
            take_checkpoints(s, SIGNER, CheckpointStore(cp))
        taken = backup(postgres_url, cp, tmp_path / "docs", tmp_path / "bak")
        assert (
            taken.manifest["database"] == "postgresql"
            and taken.manifest["tables"]["audit_event"] > 0
        )
        result = restore(tmp_path / "bak", second, tmp_path / "cp2", tmp_path / "docs2")
        assert result.ok, result.problems
        assert chains_verify(restored, tmp_path / "cp2")
        with Session(restored) as s:
            assert (
                s.execute(select(AuditEvent).where(AuditEvent.subject_id == inp.case_id)).first()
                is not None
            )
            assert all(r.ok for r in audit.verify_all(s))
    finally:
        restored.dispose()
        source.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{second.rsplit("/", 1)[1]}" WITH (FORCE)'))
        admin.dispose()

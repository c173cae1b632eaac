"""The audit trail cannot be cut or rewritten unseen by someone with database access: signed
checkpoints outside the database, decrees that sign the chain head, and Temporal's own
histories each catch what the hash chain alone cannot."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import delete, select, update
from sqlmodel import Session
from typer.testing import CliRunner

from activities.cases import CaseActivities
from contracts.case import DecisionRecord, DecreeRequest, OpenCase, OpenTasks
from models import AuditChainHead, AuditEvent, Decree
from mutasi.audit import chain as audit
from mutasi.audit.anchor import CheckpointStore, take_checkpoints, verify_anchors, verify_everything
from mutasi.decree.signing import decree_content
from mutasi.infra.record_key import DEMO_SIGNING_KEY, DecreeSigner, signature_valid
from tests.support.cases import AT, case_input, env_for

SIGNER = DecreeSigner.from_base64(DEMO_SIGNING_KEY)


def rewrite_chain(s: Session, agency: str) -> None:
    """What an insider with database access does after tampering: recompute every hash and
    move the head, so the chain is consistent again."""
    prev = audit.GENESIS
    events = s.execute(
        select(AuditEvent).where(AuditEvent.agency_code == agency).order_by(AuditEvent.seq)
    ).scalars()
    last = 0
    for number, event in enumerate(events, start=1):
        s.execute(
            update(AuditEvent).where(AuditEvent.id == event.id).values(seq=number, prev_hash=prev)
        )
        event.seq, event.prev_hash = number, prev
        digest = audit.event_hash(prev, number, event)
        s.execute(update(AuditEvent).where(AuditEvent.id == event.id).values(hash=digest))
        prev, last = digest, number
    s.execute(
        update(AuditChainHead)
        .where(AuditChainHead.agency_code == agency)
        .values(seq=last, hash=prev)
    )
    s.expire_all()


@pytest.fixture
def anchored(demo_engine, tmp_path):
    """A case up to its decree, with the checkpoint store the worker writes at each decree."""
    store = CheckpointStore(tmp_path / "checkpoints")
    acts = CaseActivities(demo_engine, SIGNER, store)
    inp = case_input(demo_engine, training=[])
    env_for("1").run(
        acts.open_case, OpenCase(case=inp, run_id="run-1", consultation_deadline=AT, at=AT)
    )
    [task] = env_for("2").run(
        acts.open_tasks, OpenTasks(case_id=inp.case_id, step_index=0, step=inp.steps[0], at=AT)
    )
    env_for("3").run(
        acts.record_decision,
        DecisionRecord(
            task_id=task.id, status="approved", actor=task.assignee_nip, comment="ok", at=AT
        ),
    )
    issued = env_for("4").run(
        acts.issue_decree,
        DecreeRequest(
            case_id=inp.case_id, decided_on=date(2026, 3, 10), tmt=date(2026, 4, 1), at=AT
        ),
    )
    return store, inp.agency_code, issued.number


def chain_ok(engine, agency) -> bool:
    with Session(engine) as s:
        return audit.verify(s, agency).ok


def anchor_report(engine, store, agency):
    with Session(engine) as s:
        return next(r for r in verify_anchors(s, SIGNER, store) if r.agency_code == agency)


def test_every_decree_signs_the_chain_head_and_leaves_a_checkpoint(demo_engine, anchored):
    store, agency, number = anchored
    with Session(demo_engine) as s:
        decree = s.get(Decree, number)
        head = s.get(AuditChainHead, agency)
        head_seq, head_hash = head.seq, head.hash
        assert (decree.chain_seq, decree.chain_hash) == (
            head_seq,
            head_hash,
        )  # its own event is the head
        assert signature_valid(SIGNER.public_key, decree_content(decree), decree.signature)
        decree.chain_hash = "0" * 64  # the chain head is part of what the signature covers
        assert not signature_valid(SIGNER.public_key, decree_content(decree), decree.signature)
        s.rollback()
    [checkpoint] = store.read(agency)
    assert (checkpoint.seq, checkpoint.hash) == (head_seq, head_hash)
    assert anchor_report(demo_engine, store, agency).ok


def test_a_cut_tail_with_the_head_moved_back_is_caught(demo_engine, anchored):
    store, agency, _ = anchored
    with Session(demo_engine) as s:
        last = s.get(AuditChainHead, agency).seq
        s.execute(
            delete(AuditEvent).where(AuditEvent.agency_code == agency, AuditEvent.seq == last)
        )
        rewrite_chain(s, agency)
        s.commit()
    assert chain_ok(demo_engine, agency)  # the chain alone cannot tell
    report = anchor_report(demo_engine, store, agency)
    assert (
        not report.ok and report.first_broken_seq == last and "ekor rantai hilang" in report.problem
    )


def test_an_edited_event_with_every_later_hash_recomputed_is_caught(demo_engine, anchored):
    store, agency, _ = anchored
    with Session(demo_engine) as s:
        s.execute(
            update(AuditEvent)
            .where(AuditEvent.agency_code == agency, AuditEvent.seq == 2)
            .values(actor="penyusup")
        )
        rewrite_chain(s, agency)
        s.commit()
        # The event's MAC, keyed outside the database, tells the edit though every hash
        # was recomputed; so do the anchors.
        chain = audit.verify(s, agency)
    assert not chain.ok and chain.first_broken_seq == 2 and "MAC tidak sah" in chain.problem
    report = anchor_report(demo_engine, store, agency)
    assert not report.ok and "ditulis ulang" in report.problem


def test_an_emptied_trail_is_broken_not_empty(demo_engine, anchored, monkeypatch):
    store, agency, _ = anchored
    with Session(demo_engine) as s:
        s.execute(delete(AuditEvent))
        s.execute(delete(AuditChainHead))
        s.commit()
        assert audit.verify_all(s) == []  # nothing left for the chain check to look at
        reports = verify_everything(s, SIGNER, store)
    assert [r.ok for r in reports if r.agency_code == agency] == [False]
    assert "dihapus semua" in next(r.problem for r in reports if r.agency_code == agency)
    from mutasi.cli import app
    from mutasi.infra.settings import get_settings

    monkeypatch.setenv("DATABASE_URL", str(demo_engine.url))
    monkeypatch.setenv("MUTASI_AUDIT_CHECKPOINT_DIR", str(store.folder))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["audit", "verify"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1 and "RUSAK" in result.output


def test_a_forged_checkpoint_is_reported(demo_engine, anchored):
    store, agency, _ = anchored
    path = next(store.folder.glob("*.jsonl"))
    line = json.loads(path.read_text().splitlines()[-1])
    path.write_text(
        json.dumps({**line, "seq": line["seq"] - 1}) + "\n"
    )  # moved back, signature kept
    report = anchor_report(demo_engine, store, agency)
    assert not report.ok and "tidak sah" in report.problem


def test_checkpoints_are_appended_only_when_the_head_moved(demo_engine, anchored):
    store, agency, _ = anchored
    with Session(demo_engine) as s:
        take_checkpoints(s, SIGNER, store)
        take_checkpoints(s, SIGNER, store)
    assert len(store.read(agency)) == 1


async def test_the_scheduled_checkpoint_workflow_keeps_the_signed_head_in_its_history(
    time_skipping_env, demo_engine, anchored, isolated_checkpoints
):
    from contracts.housekeeping import CheckpointRequest
    from tests.workflow_support import running_worker
    from workflows.audit_checkpoint import AuditCheckpointWorkflow

    _, agency, _ = anchored
    async with running_worker(time_skipping_env.client, demo_engine) as queue:
        result = await time_skipping_env.client.execute_workflow(
            AuditCheckpointWorkflow.run,
            CheckpointRequest(),
            id="audit-checkpoint-test",
            task_queue=queue,
        )
    with Session(demo_engine) as s:
        head = s.get(AuditChainHead, agency)
        head_seq, head_hash = head.seq, head.hash
    [taken] = [c for c in result.checkpoints if c.agency_code == agency]
    assert (taken.seq, taken.hash) == (head_seq, head_hash)
    assert CheckpointStore(isolated_checkpoints).latest(agency).hash == head_hash


async def test_audit_events_are_cross_checked_against_temporal_histories(
    time_skipping_env, demo_engine
):
    from mutasi.audit.temporal_check import cross_check
    from tests.support.cases import accept_and_wait_for_task, start
    from tests.workflow_support import running_worker

    inp = case_input(demo_engine, training=[])
    async with running_worker(time_skipping_env.client, demo_engine) as queue:
        handle = await start(time_skipping_env, queue, inp)
        await accept_and_wait_for_task(handle, inp)
    with Session(demo_engine) as s:
        clean = await cross_check(s, time_skipping_env.client)
        assert clean.ok and clean.runs == 1, clean.problems
        # An insider deletes the consultation answer's event and recomputes the chain...
        s.execute(delete(AuditEvent).where(AuditEvent.action == "consultation.accepted"))
        # ... and forges a decision with a key no activity of the run ever had.
        run_id = s.execute(
            select(AuditEvent.run_id).where(AuditEvent.workflow_id == f"case-{inp.case_id}")
        ).scalar()
        audit.append(
            s,
            audit.AuditInput(
                key=f"{run_id}/999",
                agency_code=inp.agency_code,
                at=AT,
                actor="palsu",
                role="approver",
                action="task.approved",
                subject_type="task",
                subject_id="x",
                workflow_id=f"case-{inp.case_id}",
                run_id=run_id,
            ),
        )
        rewrite_chain(s, inp.agency_code)
        s.commit()
        assert audit.verify(s, inp.agency_code).ok
        found = await cross_check(s, time_skipping_env.client)
    assert not found.ok
    assert any("record_consultation" in p and "tidak ada" in p for p in found.problems)
    assert any(f"{run_id}/999" in p for p in found.problems)


def test_an_unwritable_checkpoint_store_never_blocks_a_decree(demo_engine, tmp_path):
    blocker = tmp_path / "bukan-folder"
    blocker.write_text("sebuah berkas, bukan folder")  # the store cannot create its folder here
    acts = CaseActivities(demo_engine, SIGNER, CheckpointStore(blocker / "checkpoints"))
    inp = case_input(demo_engine, training=[])
    env_for("1").run(
        acts.open_case, OpenCase(case=inp, run_id="run-1", consultation_deadline=AT, at=AT)
    )
    issued = env_for("2").run(
        acts.issue_decree,
        DecreeRequest(
            case_id=inp.case_id, decided_on=date(2026, 3, 10), tmt=date(2026, 4, 1), at=AT
        ),
    )
    with Session(demo_engine) as s:
        assert (
            s.get(Decree, issued.number).chain_seq is not None
        )  # still anchored by its own signature

"""The insider window closed to one seal: each attack a database writer made between two
checkpoints — cutting the tail, rewriting and recomputing, slipping in a back-dated row for
the sealer to link, editing an event before its seal, flipping a decree's status — is
reported as broken, naming the first link it can prove, once the events were sealed (the
seal anchors every head it moves, in the checkpoint folder and in its result)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, func, insert, select, update
from sqlmodel import Session

from activities.cases import CaseActivities
from contracts.case import Compensation
from models import AuditChainHead, AuditEvent, Decree
from mutasi.audit import chain as audit
from mutasi.audit.anchor import CheckpointStore, seal_and_anchor, verify_everything
from mutasi.audit.records_check import check_records
from tests.support.cases import AT, env_for
from tests.test_audit_anchor import SIGNER, anchored, rewrite_chain  # noqa: F401  (fixture)
from tests.test_audit_chain import entry

EVENTS = 60


def write_events(engine, agency: str, n: int = EVENTS, start: int = 0) -> None:
    """`n` events as the application writes them (each with its MAC), not yet sealed."""
    with Session(engine) as s:
        for i in range(start, start + n):
            audit.append(s, entry(f"orang-dalam/{i}", agency))
        s.commit()


def scheduled_seal(engine, store: CheckpointStore) -> None:
    """What AuditSealWorkflow's activity does every MUTASI_AUDIT_SEAL_MINUTES."""
    with Session(engine) as s:
        seal_and_anchor(s, SIGNER, store)


def report_of(engine, store: CheckpointStore, agency: str):
    with Session(engine) as s:
        return next(r for r in verify_everything(s, SIGNER, store) if r.agency_code == agency)


@pytest.fixture
def sealed_minute(demo_engine, anchored):  # noqa: F811
    """A decree's events, then a minute of activity, sealed by the schedule (no decree or
    hourly checkpoint since)."""
    store, agency, number = anchored
    write_events(demo_engine, agency)
    scheduled_seal(demo_engine, store)
    with Session(demo_engine) as s:
        head = s.get(AuditChainHead, agency)
        assert (store.latest(agency).seq, store.latest(agency).hash) == (head.seq, head.hash)
        last = head.seq
    assert report_of(demo_engine, store, agency).ok
    return store, agency, number, last


def test_a_tail_cut_within_the_minute_after_a_seal_is_caught(demo_engine, sealed_minute):
    store, agency, _, last = sealed_minute
    keep = last - 40
    with Session(demo_engine) as s:
        s.execute(delete(AuditEvent).where(AuditEvent.agency_code == agency, AuditEvent.seq > keep))
        rewrite_chain(s, agency)
        s.commit()
    report = report_of(demo_engine, store, agency)
    assert not report.ok and report.first_broken_seq == keep + 1
    assert "ekor rantai hilang" in report.problem


def test_a_rewrite_with_every_hash_recomputed_is_caught_at_the_edited_event(
    demo_engine, sealed_minute
):
    store, agency, _, last = sealed_minute
    edited = last - 10
    with Session(demo_engine) as s:
        s.execute(
            update(AuditEvent)
            .where(AuditEvent.agency_code == agency, AuditEvent.seq == edited)
            .values(actor="penyusup")
        )
        rewrite_chain(s, agency)
        s.commit()
    report = report_of(demo_engine, store, agency)
    assert not report.ok and report.first_broken_seq == edited and "MAC" in report.problem


def test_a_back_dated_row_slipped_in_unsealed_is_never_linked_and_is_reported(
    demo_engine, sealed_minute
):
    store, agency, _, last = sealed_minute
    with Session(demo_engine) as s:
        s.execute(
            insert(AuditEvent).values(
                key="palsu/1",
                agency_code=agency,
                seq=None,
                at=AT - timedelta(days=30),
                actor="ppk",
                role="approver",
                action="task.approved",
                subject_type="task",
                subject_id="palsu",
            )
        )
        s.commit()
    write_events(demo_engine, agency, 5, start=EVENTS)  # the application goes on writing
    scheduled_seal(demo_engine, store)
    with Session(demo_engine) as s:
        forged = s.execute(select(AuditEvent).where(AuditEvent.key == "palsu/1")).scalar_one()
        assert forged.seq is None  # the sealer linked the application's five, not this one
        assert s.get(AuditChainHead, agency).seq == last + 5
    report = report_of(demo_engine, store, agency)
    assert not report.ok and report.first_broken_seq == last + 6
    assert f"#{forged.id} (belum disegel)" in report.problem and "MAC" in report.problem


def test_an_event_edited_before_its_seal_is_not_linked_and_is_reported(demo_engine, sealed_minute):
    store, agency, _, last = sealed_minute
    write_events(demo_engine, agency, 3, start=EVENTS)
    with Session(demo_engine) as s:
        s.execute(
            update(AuditEvent)
            .where(AuditEvent.key == f"orang-dalam/{EVENTS + 1}")
            .values(new={"i": "diubah"})
        )
        s.commit()
    scheduled_seal(demo_engine, store)
    with Session(demo_engine) as s:
        assert s.get(AuditChainHead, agency).seq == last + 2
    report = report_of(demo_engine, store, agency)
    assert not report.ok and "belum disegel" in report.problem and "MAC" in report.problem


def test_a_flipped_decree_status_is_reported_by_the_records_check(demo_engine, anchored):  # noqa: F811
    store, agency, number = anchored
    with Session(demo_engine) as s:
        case_id = s.get(Decree, number).case_id
    acts = CaseActivities(demo_engine, SIGNER, store)
    env_for("9").run(
        acts.compensate, Compensation(case_id=case_id, actor="hr", reason="ditarik", at=AT)
    )
    with Session(demo_engine) as s:
        assert check_records(s).ok
        s.execute(update(Decree).where(Decree.number == number).values(status="issued"))
        s.commit()
        problems = check_records(s).problems
    assert problems == [
        f"SK {number}: status SK di basis data 'issued' tidak cocok dengan jejak audit ('annulled')"
    ]


def test_nothing_sealed_is_left_unanchored(demo_engine, sealed_minute):
    """Every sealed head is in the folder: the last checkpoint is the head itself."""
    store, agency, _, _ = sealed_minute
    with Session(demo_engine) as s:
        sealed = s.execute(
            select(func.max(AuditEvent.seq)).where(AuditEvent.agency_code == agency)
        ).scalar_one()
    assert store.latest(agency).seq == sealed


def test_the_cli_seals_anchors_and_names_a_flipped_status(demo_engine, anchored, monkeypatch):  # noqa: F811
    """`mutasi audit seal` anchors what it seals; `mutasi audit verify --records` exits 1
    naming the decree whose status was flipped by hand (and 0 before)."""
    from typer.testing import CliRunner

    from mutasi.cli import app
    from mutasi.infra.settings import get_settings

    store, agency, number = anchored
    write_events(demo_engine, agency, 3)
    monkeypatch.setenv("DATABASE_URL", str(demo_engine.url))
    monkeypatch.setenv("MUTASI_AUDIT_CHECKPOINT_DIR", str(store.folder))
    get_settings.cache_clear()
    try:
        sealed = CliRunner().invoke(app, ["audit", "seal"])
        clean = CliRunner().invoke(app, ["audit", "verify", "--records"])
        with Session(demo_engine) as s:
            s.execute(update(Decree).where(Decree.number == number).values(status="annulled"))
            s.commit()
        flipped = CliRunner().invoke(app, ["audit", "verify", "--records"])
    finally:
        get_settings.cache_clear()
    assert sealed.exit_code == 0 and "3 peristiwa disegel" in sealed.output, sealed.output
    assert "ditambatkan" in sealed.output
    with Session(demo_engine) as s:
        assert store.latest(agency).seq == s.get(AuditChainHead, agency).seq
    assert clean.exit_code == 0, clean.output
    assert flipped.exit_code == 1 and f"SK {number}" in flipped.output, flipped.output

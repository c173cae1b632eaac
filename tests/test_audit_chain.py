"""The audit trail on SQLite and PostgreSQL: an event written in one statement, unlinked,
by a change that waits for no other case; the sealer linking the agency's events in the
order written and moving the head; the same key written once; verify naming the first
broken sealed link and counting the events waiting for the next seal."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, event, select, text, update
from sqlmodel import Session

from contracts.messages import Msg
from models import AuditChainHead, AuditEvent
from mutasi.audit.chain import GENESIS, AuditInput, append, seal, seal_all, verify
from mutasi.infra.db import build_engine, upgrade_database


def entry(key: str, agency: str = "AG1") -> AuditInput:
    return AuditInput(
        key=key,
        agency_code=agency,
        at=datetime(2026, 11, 30, tzinfo=UTC),
        actor="hr",
        role="hr_admin",
        action="case.opened",
        subject_type="case",
        subject_id=f"C.{key}",
        new={"key": key},
    )


def test_an_append_is_one_statement_and_a_seal_links_in_the_order_written(engine):
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    for key in ("first", "second", "third"):
        with Session(engine) as s:
            assert append(s, entry(key))
            s.commit()
    written = [q for q in statements if not q.lstrip().upper().startswith(("BEGIN", "COMMIT"))]
    assert len(written) == 3, written
    with Session(engine) as s:
        report = verify(s, "AG1")
        assert (report.ok, report.events, report.unsealed) == (True, 0, 3)
        assert seal(s, "AG1") == 3
        s.commit()
    with Session(engine) as s:
        events = (
            s.execute(
                select(AuditEvent).where(AuditEvent.agency_code == "AG1").order_by(AuditEvent.id)
            )
            .scalars()
            .all()
        )
        assert [(e.key, e.seq) for e in events] == [("first", 1), ("second", 2), ("third", 3)]
        assert events[0].prev_hash == GENESIS and events[1].prev_hash == events[0].hash
        head = s.get(AuditChainHead, "AG1")
        assert (head.seq, head.hash) == (3, events[-1].hash)
        assert seal(s, "AG1") == 0  # nothing left: the head stays
        s.commit()
        append(s, entry("fourth"))
        s.commit()
        report = verify(s, "AG1")
        assert (report.ok, report.events, report.unsealed) == (True, 3, 1)


def test_the_same_key_is_written_once(engine):
    with Session(engine) as s:
        assert append(s, entry("once"))
        s.commit()
        seal(s, "AG1")
        s.commit()
    with Session(engine) as s:
        assert append(s, entry("once")) is False
        s.commit()
        assert len(s.execute(select(AuditEvent).where(AuditEvent.key == "once")).all()) == 1
        assert seal(s, "AG1") == 0
        assert verify(s, "AG1").ok


def test_agencies_keep_their_own_chains(engine):
    with Session(engine) as s:
        for i in range(3):
            append(s, entry(f"a{i}", "AG1"))
            append(s, entry(f"b{i}", "AG2"))
        s.commit()
        assert seal_all(s) == {"AG1": 3, "AG2": 3}
    with Session(engine) as s:
        assert [s.get(AuditChainHead, a).seq for a in ("AG1", "AG2")] == [3, 3]
        assert verify(s, "AG1").ok and verify(s, "AG2").ok


def test_verify_names_the_first_broken_sealed_link(engine):
    with Session(engine) as s:
        for i in range(5):
            append(s, entry(f"k{i}"))
        s.commit()
        seal(s, "AG1")
        s.commit()
        s.execute(update(AuditEvent).where(AuditEvent.seq == 3).values(actor="penyusup"))
        s.commit()
        report = verify(s, "AG1")
        assert (report.ok, report.first_broken_seq) == (False, 3)
        s.execute(update(AuditEvent).where(AuditEvent.seq == 3).values(actor="hr"))
        s.execute(delete(AuditEvent).where(AuditEvent.seq == 2))
        s.commit()
        report = verify(s, "AG1")
        assert (report.ok, report.first_broken_seq) == (False, 2)


@pytest.mark.postgres
def test_cases_writing_at_once_wait_for_no_one_and_sealers_take_turns(postgres_url):
    """Two transactions of one agency append at the same time: neither waits for the other
    (the old chain head made the second wait until the first committed). Two sealers at
    once link every event exactly once."""
    upgrade_database(postgres_url)
    engine = build_engine(postgres_url)
    try:
        first = Session(engine)
        append(first, entry("held-open"))  # not committed: a long activity transaction
        started = time.perf_counter()
        with Session(engine) as s:
            s.execute(text("SET LOCAL lock_timeout = '2s'"))
            append(s, entry("meanwhile"))
            s.commit()
        assert time.perf_counter() - started < 1.0
        first.commit()
        first.close()
        for i in range(200):
            with Session(engine) as s:
                append(s, entry(f"n{i}"))
                s.commit()

        def sealer() -> int:
            with Session(engine) as s:
                done = seal(s, "AG1")
                s.commit()
                return done

        with ThreadPoolExecutor(2) as pool:
            assert sum(pool.map(lambda _: sealer(), range(2))) == 202
        with Session(engine) as s:
            report = verify(s, "AG1")
            assert (report.ok, report.events, report.unsealed) == (True, 202, 0)
    finally:
        engine.dispose()


def test_a_notice_is_written_once_however_often_its_activity_runs(engine):
    """On both databases: the notice's insert meets its key on a retry and does nothing."""
    from temporalio.testing import ActivityEnvironment

    from activities.common import notify_once
    from models import Notification

    def notify() -> None:
        with Session(engine) as s:
            notify_once(
                s.connection(),
                "199001012020011001",
                "C.1",
                "task",
                Msg(code="notice.task_reassigned", params={"title": "Persetujuan PPK"}),
                datetime.now(UTC),
            )
            s.commit()

    env = ActivityEnvironment()
    env.run(notify)
    env.run(notify)  # the same activity identity: a retry
    with Session(engine) as s:
        rows = s.execute(select(Notification)).scalars().all()
    assert [(n.recipient_nip, n.message, n.message_code) for n in rows] == [
        (
            "199001012020011001",
            "Tugas dialihkan kepada Anda: Persetujuan PPK.",
            "notice.task_reassigned",
        )
    ]


async def test_the_scheduled_seal_links_what_was_written_and_the_schedule_exists(
    dev_server, demo_engine
):
    from temporalio.client import ScheduleActionStartWorkflow

    from contracts.housekeeping import SealRun
    from tests.workflow_support import running_worker
    from workflows.audit_seal import SCHEDULE_ID, AuditSealWorkflow
    from workflows.schedules import ensure_schedules

    with Session(demo_engine) as s:
        for i in range(4):
            append(s, entry(f"s{i}", "AGS"))
        s.commit()
    client = dev_server.client
    async with running_worker(client, demo_engine) as queue:
        report = await client.execute_workflow(
            AuditSealWorkflow.run, SealRun(), id="audit-seal-uji", task_queue=queue
        )
        assert report.sealed.get("AGS") == 4
        assert SCHEDULE_ID in await ensure_schedules(client, queue, 0, 0, 0, seal_minutes=1)
        schedule = client.get_schedule_handle(SCHEDULE_ID)
        try:
            action = (await schedule.describe()).schedule.action
            assert isinstance(action, ScheduleActionStartWorkflow)
            assert action.workflow == "AuditSealWorkflow"
        finally:
            await schedule.delete()  # the server is shared with later tests
    with Session(demo_engine) as s:
        report = verify(s, "AGS")
        assert (report.ok, report.events, report.unsealed) == (True, 4, 0)

"""The audit append on SQLite and PostgreSQL: two statements from the application (advance
the head, insert the event), the head's hash following the last event, the same key
written once, and the chain verifying link by link."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import event, select
from sqlmodel import Session

from models import AuditChainHead, AuditEvent
from mutasi.audit.chain import GENESIS, AuditInput, append, verify


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


def test_an_append_is_two_statements_and_the_head_follows_the_last_event(engine):
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with Session(engine) as s:
        assert append(s, entry("first"))  # the agency's first event makes its head
        s.commit()
    statements.clear()
    for key in ("second", "third"):
        with Session(engine) as s:
            assert append(s, entry(key))
            s.commit()
    appends = [q for q in statements if not q.lstrip().upper().startswith(("BEGIN", "COMMIT"))]
    assert len(appends) == 4, appends
    with Session(engine) as s:
        head = s.get(AuditChainHead, "AG1")
        last = s.execute(
            select(AuditEvent).where(AuditEvent.agency_code == "AG1", AuditEvent.seq == 3)
        ).scalar_one()
        assert (head.seq, head.hash) == (3, last.hash) and last.hash != GENESIS
        assert verify(s, "AG1").ok


def test_the_same_key_is_written_once_and_leaves_the_head_alone(engine):
    with Session(engine) as s:
        assert append(s, entry("once"))
        s.commit()
    with Session(engine) as s:
        before = s.get(AuditChainHead, "AG1")
        seq, digest = before.seq, before.hash
    with Session(engine) as s:
        assert append(s, entry("once")) is False
        s.commit()
    with Session(engine) as s:
        head = s.get(AuditChainHead, "AG1")
        assert (head.seq, head.hash) == (seq, digest)
        assert len(s.execute(select(AuditEvent).where(AuditEvent.key == "once")).all()) == 1
        assert verify(s, "AG1").ok


def test_agencies_keep_their_own_chains(engine):
    with Session(engine) as s:
        for i in range(3):
            append(s, entry(f"a{i}", "AG1"))
            append(s, entry(f"b{i}", "AG2"))
        s.commit()
    with Session(engine) as s:
        assert [s.get(AuditChainHead, a).seq for a in ("AG1", "AG2")] == [3, 3]
        assert verify(s, "AG1").ok and verify(s, "AG2").ok


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
                "Tugas baru.",
                datetime.now(UTC),
            )
            s.commit()

    env = ActivityEnvironment()
    env.run(notify)
    env.run(notify)  # the same activity identity: a retry
    with Session(engine) as s:
        rows = s.execute(select(Notification)).scalars().all()
    assert [(n.recipient_nip, n.message) for n in rows] == [("199001012020011001", "Tugas baru.")]

"""A retried activity (same run id and activity id, as Temporal retries it) adds nothing."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlmodel import Session
from temporalio.testing import ActivityEnvironment

from activities.cases import CaseActivities
from contracts.case import DecisionRecord, DecreeRequest, OpenCase, OpenTasks, TransferApply
from models import (
    ApprovalTask,
    AuditEvent,
    Consultation,
    Decree,
    DecreeSequence,
    Employee,
    MutationCase,
    Notification,
    PositionHistory,
)
from mutasi import audit
from mutasi.decree_signing import DEMO_SIGNING_KEY, DecreeSigner
from tests.test_case_workflow import case_input

AT = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)

SIGNER = DecreeSigner.from_base64(DEMO_SIGNING_KEY)


def env_for(activity_id: str) -> ActivityEnvironment:
    env = ActivityEnvironment()
    env.info = dataclasses.replace(env.info, workflow_id="case-x", workflow_run_id="run-1", activity_id=activity_id)
    return env


def count(engine, model, *where) -> int:
    with Session(engine) as s:
        return s.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def test_every_case_write_is_idempotent_under_retry(demo_engine):
    acts = CaseActivities(demo_engine, SIGNER)
    inp = case_input(demo_engine, training=[])
    for _ in range(2):  # the second run is Temporal retrying after a lost completion
        env_for("1").run(acts.open_case, OpenCase(inp, "run-1", AT, AT))
    assert count(demo_engine, MutationCase, MutationCase.id == inp.case_id) == 1
    assert count(demo_engine, Consultation, Consultation.case_id == inp.case_id) == 1
    assert count(demo_engine, Notification, Notification.case_id == inp.case_id) == 1

    views = [env_for("2").run(acts.open_tasks, OpenTasks(inp.case_id, 0, inp.steps[0], AT)) for _ in range(2)]
    assert views[0] == views[1]
    assert count(demo_engine, ApprovalTask, ApprovalTask.case_id == inp.case_id) == 1
    task = views[0][0]
    for _ in range(2):
        env_for("3").run(acts.record_decision, DecisionRecord(task.id, "approved", task.assignee_nip, "ok", AT))
    issued = [env_for("4").run(acts.issue_decree, DecreeRequest(inp.case_id, date(2026, 3, 10), date(2026, 4, 1), AT))
              for _ in range(2)]
    assert issued[0] == issued[1]
    with Session(demo_engine) as s:
        assert s.get(DecreeSequence, (inp.agency_code, 2026)).last == 1
    assert count(demo_engine, Decree, Decree.case_id == inp.case_id) == 1
    for _ in range(2):
        env_for("5").run(acts.apply_transfer, TransferApply(inp.case_id, AT))
    assert count(demo_engine, PositionHistory, PositionHistory.nip == inp.nip,
                 PositionHistory.tmt_start == date(2026, 4, 1)) == 1
    with Session(demo_engine) as s:
        assert s.get(Employee, inp.nip).position_code == inp.destination_position
        # one audit event per distinct write, however often it was retried
        actions = s.execute(select(AuditEvent.action).where(AuditEvent.workflow_id == "case-x")
                            .order_by(AuditEvent.seq)).scalars().all()
        assert actions == ["case.opened", "task.opened", "task.approved", "decree.issued", "employee.moved"]
        assert audit.verify(s, inp.agency_code).ok


def test_decree_numbers_are_gap_free_per_agency_and_year(demo_engine):
    acts = CaseActivities(demo_engine, SIGNER)
    numbers = []
    for i in range(3):
        inp = case_input(demo_engine, training=[])
        env_for(f"o{i}").run(acts.open_case, OpenCase(inp, "run-1", AT, AT))
        numbers.append(env_for(f"d{i}").run(
            acts.issue_decree, DecreeRequest(inp.case_id, date(2026, 3, 10), date(2026, 4, 1), AT)).number)
    assert numbers == ["800/001/BKPSDM/2026", "800/002/BKPSDM/2026", "800/003/BKPSDM/2026"]


def test_audit_chain_detects_edit_delete_and_insert(demo_engine):
    from sqlalchemy import delete, insert, update

    acts = CaseActivities(demo_engine, SIGNER)
    inp = case_input(demo_engine, training=[])
    env_for("1").run(acts.open_case, OpenCase(inp, "run-1", AT, AT))
    env_for("2").run(acts.open_tasks, OpenTasks(inp.case_id, 0, inp.steps[0], AT))
    env_for("3").run(acts.issue_decree, DecreeRequest(inp.case_id, date(2026, 3, 10), date(2026, 4, 1), AT))
    with Session(demo_engine) as s:
        assert audit.verify(s, inp.agency_code).ok
        s.execute(update(AuditEvent).where(AuditEvent.seq == 2).values(reason="diubah diam-diam"))
        report = audit.verify(s, inp.agency_code)
        assert not report.ok and report.first_broken_seq == 2
        s.rollback()
        s.execute(delete(AuditEvent).where(AuditEvent.seq == 2))
        assert audit.verify(s, inp.agency_code).first_broken_seq == 2
        s.rollback()
        s.execute(delete(AuditEvent).where(AuditEvent.seq == 3))
        assert audit.verify(s, inp.agency_code).first_broken_seq == 3  # the last one, caught by the head
        s.rollback()
        row = s.execute(select(AuditEvent).where(AuditEvent.seq == 3)).scalar_one()
        s.execute(update(AuditEvent).where(AuditEvent.seq == 3).values(seq=4))
        s.execute(insert(AuditEvent).values(key="palsu", agency_code=row.agency_code, seq=3, at=row.at, actor="x",
                                            role="x", action="x", subject_type="x", subject_id="x",
                                            prev_hash=row.prev_hash, hash=row.hash))
        assert not audit.verify(s, inp.agency_code).ok
        s.rollback()
        assert audit.verify(s, inp.agency_code).ok

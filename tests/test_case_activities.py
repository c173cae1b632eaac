"""A retried activity (same run id and activity id, as Temporal retries it) adds nothing."""

from __future__ import annotations

import concurrent.futures
import threading
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session

from activities.cases import CaseActivities
from contracts.case import DecreeRequest, OpenCase, OpenTasks
from models import (
    AuditEvent,
    DecreeSequence,
)
from mutasi.audit import chain as audit
from mutasi.infra.db import build_engine
from tests.support.cases import AT, SIGNER, case_input, env_for


def count(engine, model, *where) -> int:
    with Session(engine) as s:
        return s.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def test_decree_numbers_are_gap_free_per_agency_and_year_under_concurrency(demo_engine):
    """Eight decrees issued at once by eight activity threads (as a worker runs them, on its
    writer engine): numbers 1..8 in the agency's series, none twice, none skipped."""
    writer = build_engine(demo_engine.url.render_as_string(hide_password=False), writer=True)
    acts = CaseActivities(writer, SIGNER)
    inputs = []
    for i in range(8):  # opened one by one: the next input picks someone without an open case
        inputs.append(case_input(demo_engine, training=[]))
        env_for(f"o{i}").run(
            acts.open_case,
            OpenCase(case=inputs[-1], run_id="run-1", consultation_deadline=AT, at=AT),
        )
    barrier = threading.Barrier(len(inputs))

    def issue(i: int) -> str:
        barrier.wait()
        return (
            env_for(f"d{i}")
            .run(
                acts.issue_decree,
                DecreeRequest(
                    case_id=inputs[i].case_id,
                    decided_on=date(2026, 3, 10),
                    tmt=date(2026, 4, 1),
                    at=AT,
                ),
            )
            .number
        )

    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=len(inputs)) as pool:
            numbers = list(pool.map(issue, range(len(inputs))))
    finally:
        writer.dispose()
    assert sorted(numbers) == [f"800/{n:03d}/BKPSDM/2026" for n in range(1, 9)]
    with Session(demo_engine) as s:
        assert s.get(DecreeSequence, (inputs[0].agency_code, 2026)).last == 8


def test_audit_chain_detects_edit_delete_and_insert(demo_engine):
    from sqlalchemy import delete, insert, update

    acts = CaseActivities(demo_engine, SIGNER)
    inp = case_input(demo_engine, training=[])
    env_for("1").run(
        acts.open_case, OpenCase(case=inp, run_id="run-1", consultation_deadline=AT, at=AT)
    )
    env_for("2").run(
        acts.open_tasks, OpenTasks(case_id=inp.case_id, step_index=0, step=inp.steps[0], at=AT)
    )
    env_for("3").run(
        acts.issue_decree,
        DecreeRequest(
            case_id=inp.case_id, decided_on=date(2026, 3, 10), tmt=date(2026, 4, 1), at=AT
        ),
    )
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
        assert (
            audit.verify(s, inp.agency_code).first_broken_seq == 3
        )  # the last one, caught by the head
        s.rollback()
        row = s.execute(select(AuditEvent).where(AuditEvent.seq == 3)).scalar_one()
        s.execute(update(AuditEvent).where(AuditEvent.seq == 3).values(seq=4))
        s.execute(
            insert(AuditEvent).values(
                key="palsu",
                agency_code=row.agency_code,
                seq=3,
                at=row.at,
                actor="x",
                role="x",
                action="x",
                subject_type="x",
                subject_id="x",
                prev_hash=row.prev_hash,
                hash=row.hash,
            )
        )
        assert not audit.verify(s, inp.agency_code).ok
        s.rollback()
        assert audit.verify(s, inp.agency_code).ok

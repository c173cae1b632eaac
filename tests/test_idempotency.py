"""Every activity in the worker's registry, retried as Temporal retries it (same run id, same
activity id, after the first attempt committed), changes nothing more: the same answer and
the same number of rows in every table. The story below walks a cycle, two cases and the
housekeeping activities through their activities in a valid order; an activity added to the
registry without a step here fails the test."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, inspect, select, table
from sqlmodel import Session
from temporalio.testing import ActivityEnvironment

from contracts.case import (
    ActRecord,
    CaseRef,
    CollectiveRequest,
    CommitteeRecord,
    Compensation,
    ConsultationRecord,
    DecisionRecord,
    DecreeRequest,
    DocumentCheck,
    Escalation,
    EvaluationOpen,
    EvaluationRecord,
    ObjectionRecord,
    OpenCase,
    OpenTasks,
    Reminder,
    ReportingOpen,
    ReportingRecord,
    RevocationApply,
    RevocationRequest,
    SignatureInput,
    StageChange,
    TaskAssign,
    TrainingAssign,
    TrainingDone,
    TrainingItem,
    TransferApply,
)
from contracts.chain import ChainStep
from contracts.cycle import (
    CaseBatch,
    CycleClose,
    CycleRef,
    CycleStatusChange,
    PlanChanges,
    PlanDecisionApply,
    PlanRequest,
)
from contracts.housekeeping import ArchiveRequest, CheckpointRequest, MailRun, SealRun
from contracts.ids import case_workflow_id, revocation_workflow_id
from contracts.messages import Msg
from contracts.requests import (
    OpinionRecord,
    RequestClose,
    RequestNotice,
    RequestOpen,
    RequestScreening,
    ScreeningApply,
)
from models import ApprovalTask, Decree, Employee, IssuedDocument, TransferRequest
from mutasi.audit import chain as audit
from mutasi.infra.clock import today
from mutasi.infra.documents import DocumentStore
from mutasi.infra.settings import get_settings
from mutasi.org.directory import OrgDirectory
from tests.support.cases import case_input, pick_move
from tests.workflow_support import committee_agrees, create_cycle_row, eventually, running_worker
from worker import activities_for
from workflows.case import MutationCaseWorkflow
from workflows.decree_signing import signing_workflow_id

AT = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def table_counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        names = sorted(inspect(conn).get_table_names())
        return {
            n: conn.execute(select(func.count()).select_from(table(n))).scalar_one() for n in names
        }


class Retrier:
    """Runs each activity twice under one identity and checks the retry changed nothing."""

    def __init__(self, engine, client=None) -> None:
        self.engine = engine
        self.acts = {a.__name__: a for a in activities_for(engine)}
        self.client = client
        self.done: list[str] = []

    async def twice(self, name: str, arg, workflow_id: str = "case-x", same_answer: bool = True):
        env = ActivityEnvironment(client=self.client)
        env.info = dataclasses.replace(
            env.info,
            workflow_id=workflow_id,
            workflow_run_id="run-1",
            activity_id=f"{name}-{len(self.done)}",
            heartbeat_timeout=None,
        )
        first = await _run(env, self.acts[name], arg)
        after_first = table_counts(self.engine)
        second = await _run(env, self.acts[name], arg)
        assert second == first or not same_answer, f"{name}: percobaan ulang memberi jawaban lain"
        assert table_counts(self.engine) == after_first, f"{name}: percobaan ulang menambah baris"
        self.done.append(name)
        return first


async def _run(env: ActivityEnvironment, fn, arg):
    result = env.run(fn, arg)
    return await result if hasattr(result, "__await__") else result


def open_task(engine, case_id: str) -> ApprovalTask:
    with Session(engine) as s:
        task = (
            s.execute(
                select(ApprovalTask)
                .where(ApprovalTask.case_id == case_id, ApprovalTask.status == "open")
                .order_by(ApprovalTask.id)
            )
            .scalars()
            .first()
        )
        s.expunge_all()
        return task


@pytest.mark.devserver
async def test_every_activity_in_the_registry_is_idempotent_under_retry(demo_engine, dev_server):
    run = Retrier(demo_engine, dev_server.client)

    # A cycle's planning and plan decision.
    create_cycle_row(demo_engine, "IDEM")
    await run.twice(
        "set_cycle_status", CycleStatusChange(cycle_id="IDEM", status="analysing"), "cycle-IDEM"
    )
    await run.twice("analyse_needs", CycleRef(cycle_id="IDEM"), "cycle-IDEM")
    await run.twice("map_competencies", CycleRef(cycle_id="IDEM"), "cycle-IDEM")
    await run.twice("propose_transfers", PlanRequest(cycle_id="IDEM"), "cycle-IDEM")
    approved = await run.twice(
        "apply_plan_decision",
        PlanDecisionApply(
            cycle_id="IDEM", changes=PlanChanges(), actor="hr", reason="setuju", at=AT
        ),
        "cycle-IDEM",
    )
    inputs = await run.twice(
        "case_inputs",
        CaseBatch(
            cycle_id="IDEM",
            cycle_workflow_id="cycle-IDEM",
            requested_by="hr",
            requested_by_nip=None,
            offset=0,
            limit=5,
        ),
        "cycle-IDEM",
    )
    assert approved > 0 and len(inputs) == min(5, approved)

    # One case through every stage.
    inp = case_input(
        demo_engine, training=[TrainingItem(program="Pelatihan Perizinan", kind="teknis", jp=20)]
    )
    cid = inp.case_id
    # What the workflow sends of its case (older workflows' calls, without it, come too).
    ref = CaseRef.of(inp, "case-x")
    await run.twice(
        "open_case",
        OpenCase(case=inp, run_id="run-1", consultation_deadline=AT + timedelta(days=7), at=AT),
    )
    await run.twice(
        "record_consultation",
        ConsultationRecord(
            case_id=cid,
            response="objected",
            actor=inp.nip,
            reason="jauh dari rumah",
            preferences=[],
            at=AT,
            case=ref,
        ),
    )
    await run.twice(
        "record_objection_resolution",
        ObjectionRecord(
            case_id=cid, confirm=True, actor="hr", reason="kebutuhan organisasi", at=AT
        ),
    )
    await run.twice(
        "record_stage",
        StageChange(
            case_id=cid,
            stage="training",
            action="case.training",
            at=AT,
            previous="consultation",
            case=ref,
        ),
    )
    await run.twice(
        "assign_training",
        TrainingAssign(case_id=cid, items=inp.training, due_on=date(2026, 6, 1), at=AT),
    )
    await run.twice(
        "complete_training",
        TrainingDone(
            case_id=cid,
            program="Pelatihan Perizinan",
            actor="hr",
            completed_on=date(2026, 3, 20),
            at=AT,
        ),
    )
    views = await run.twice(
        "open_tasks", OpenTasks(case_id=cid, step_index=0, step=inp.steps[0], at=AT, case=ref)
    )
    task = views[0]
    await run.twice(
        "remind",
        Reminder(
            case_id=cid,
            recipients=list(task.deciders),
            kind="reminder",
            message=Msg(
                code="notice.task_reminder",
                params={"title": "Persetujuan", "nip": "1", "due": "2027-01-01T00:00:00+00:00"},
            ),
            at=AT,
            task_id=task.id,
        ),
    )
    await run.twice(
        "escalate_task",
        Escalation(
            task_id=task.id,
            at=AT + timedelta(days=3),
            due_at=AT + timedelta(days=6),
            reminder_at=AT + timedelta(days=4),
        ),
    )
    escalated = open_task(demo_engine, cid)
    await run.twice(
        "reassign_task",
        TaskAssign(
            task_id=task.id,
            assignee_nip=inp.requested_by_nip or escalated.assignee_nip,
            deciders=[escalated.assignee_nip],
            actor="hr",
            reason="pejabat cuti",
            at=AT,
        ),
    )
    await run.twice(
        "update_deciders",
        TaskAssign(
            task_id=task.id,
            assignee_nip=escalated.assignee_nip,
            deciders=[escalated.assignee_nip, "199001012015011001"],
            actor="hr",
            reason="delegasi berlaku",
            at=AT,
        ),
    )
    await run.twice(
        "record_decision",
        DecisionRecord(
            task_id=task.id,
            status="approved",
            actor=escalated.assignee_nip,
            comment="setuju",
            at=AT,
            case=ref,
        ),
    )
    await run.twice("open_tasks", OpenTasks(case_id=cid, step_index=1, step=inp.steps[1], at=AT))
    await run.twice(
        "cancel_open_tasks",
        StageChange(
            case_id=cid,
            stage="approval",
            action="task.cancelled",
            actor="hr",
            role="hr_admin",
            reason="uji pembatalan",
            at=AT,
        ),
    )
    [pertek] = await run.twice(
        "open_tasks",
        OpenTasks(
            case_id=cid,
            step_index=2,
            step=ChainStep(name="Pertimbangan teknis BKN", roles=["bkn_pertek"]),
            at=AT,
        ),
    )
    assert pertek.kind == "recorded" and pertek.deciders == []
    await run.twice(
        "record_act",
        ActRecord(
            task_id=pertek.id,
            status="approved",
            actor="hr",
            letter_number="PERTEK-1/2026",
            letter_date=date(2026, 3, 1),
            document_sha256="cd" * 32,
            comment="",
            at=AT,
        ),
    )
    assert (
        await run.twice("accepted_documents", DocumentCheck(case_id=cid, required=["sk_pangkat"]))
        == []
    )
    [sitting] = await run.twice(
        "open_tasks",
        OpenTasks(
            case_id=cid, step_index=3, step=ChainStep(name="TPK", roles=["committee"]), at=AT
        ),
    )
    assert sitting.kind == "committee"
    await run.twice(
        "record_committee", CommitteeRecord(verdict=committee_agrees(sitting.id), at=AT)
    )
    decree = await run.twice(
        "issue_decree",
        DecreeRequest(
            case_id=cid,
            decided_on=date(2026, 3, 10),
            tmt=date(2026, 4, 1),
            at=AT,
            case=ref,
            previous="approval",
        ),
    )
    # A signing batch over another case waiting at the decree stage: issued once.
    waiting = case_input(demo_engine, training=[])
    await run.twice(
        "open_case",
        OpenCase(case=waiting, run_id="run-1", consultation_deadline=AT + timedelta(days=7), at=AT),
        case_workflow_id(waiting.case_id),
    )
    await run.twice(
        "record_stage",
        StageChange(case_id=waiting.case_id, stage="decree", action="case.decree", at=AT),
        case_workflow_id(waiting.case_id),
    )
    collective = await run.twice(
        "issue_collective_decree",
        CollectiveRequest(
            batch_id="batch-idem",
            agency_code=waiting.agency_code,
            case_ids=[waiting.case_id],
            decided_on=date(2026, 3, 10),
            tmt=date(2026, 4, 1),
            actor="hr",
            at=AT,
        ),
        "batch-idem",
    )
    assert [d.notice.extract_number for d in collective.deliveries] == [f"{collective.number}-P001"]
    await run.twice(
        "apply_transfer", TransferApply(case_id=cid, at=AT + timedelta(days=22), case=ref)
    )
    await run.twice(
        "open_reporting",
        ReportingOpen(case_id=cid, due_at=AT + timedelta(days=36), at=AT + timedelta(days=22)),
    )
    await run.twice(
        "record_reporting",
        ReportingRecord(
            case_id=cid,
            actor="kepala",
            role="approver",
            reported_on=date(2026, 4, 1),
            document_sha256="ef" * 32,
            sworn_in_on=None,
            at=AT + timedelta(days=23),
        ),
    )
    with Session(demo_engine) as s:
        assert s.get(Employee, inp.nip).position_code == inp.destination_position
    await run.twice(
        "open_evaluation",
        EvaluationOpen(case_id=cid, due_at=AT + timedelta(days=104), at=AT + timedelta(days=90)),
    )
    await run.twice(
        "record_evaluation",
        EvaluationRecord(case_id=cid, status="expired", at=AT + timedelta(days=104)),
    )
    await _signature_and_revocation_steps(run, demo_engine, decree.number)

    # A second case withdrawn (compensation), and the cycle closed.
    other = case_input(demo_engine, training=[])
    await run.twice(
        "open_case",
        OpenCase(case=other, run_id="run-1", consultation_deadline=AT + timedelta(days=7), at=AT),
        case_workflow_id(other.case_id),
    )
    await run.twice(
        "compensate",
        Compensation(case_id=other.case_id, actor="hr", reason="dibatalkan", at=AT),
        case_workflow_id(other.case_id),
    )
    await run.twice(
        "close_cycle",
        CycleClose(cycle_id="IDEM", status="closed", stages={"completed": 1}, at=AT),
        "cycle-IDEM",
    )

    # Housekeeping: checkpoints, and the archive of a closed case workflow.
    # A retry finds the events already linked: it seals nothing more and adds no row.
    sealed = await run.twice("seal_audit", SealRun(), "audit-seal", same_answer=False)
    assert sum(sealed.sealed.values()) > 0
    await run.twice("take_audit_checkpoints", CheckpointRequest(), "audit-checkpoint")
    blocked_first = case_input(demo_engine, training=[])  # holds its person's open case
    blocked = dataclasses.replace(
        blocked_first, case_id=f"IDEM2.{blocked_first.nip}", cycle_id="IDEM2"
    )
    create_cycle_row(demo_engine, "IDEM2")
    await run.twice(
        "open_case",
        OpenCase(
            case=blocked_first, run_id="run-1", consultation_deadline=AT + timedelta(days=7), at=AT
        ),
        case_workflow_id(blocked_first.case_id),
    )
    async with running_worker(dev_server.client, demo_engine) as queue:
        handle = await dev_server.client.start_workflow(
            MutationCaseWorkflow.run,
            blocked,
            id=case_workflow_id(blocked.case_id),
            task_queue=queue,
        )
        await handle.result()

        async def listed() -> bool:
            return any(
                [
                    w
                    async for w in dev_server.client.list_workflows(
                        f"WorkflowId = '{handle.id}' AND ExecutionStatus != 'Running'"
                    )
                ]
            )

        await eventually(listed, "kasus yang terblokir terlihat selesai", seconds=30)
        # Its answer counts what this attempt archived: 0 on the retry, by design.
        archived = await run.twice(
            "archive_closed_histories", ArchiveRequest(), "history-archive", same_answer=False
        )
    assert archived.archived >= 1

    await _request_steps(run, demo_engine)
    mailed = await run.twice("deliver_mail", MailRun(), "mail-outbox", same_answer=False)
    assert mailed.sent + mailed.no_address > 0  # the second attempt finds nothing left

    assert sorted(set(run.done)) == sorted(run.acts), "aktivitas tanpa langkah uji ulang"
    with Session(demo_engine) as s:
        assert all(report.ok for report in audit.verify_all(s))


async def _signature_and_revocation_steps(run: Retrier, engine, revoked: str) -> None:
    """A decree signed by hand (its scan uploaded) and the first case's decree revoked: each
    signed, revoked and reversed once however often retried."""
    wet = Retrier(engine, run.client)
    wet.acts = {
        a.__name__: a
        for a in activities_for(
            engine, get_settings().model_copy(update={"decree_signature": "wet"})
        )
    }
    signed = case_input(engine, training=[])
    wf = case_workflow_id(signed.case_id)
    await run.twice(
        "open_case",
        OpenCase(case=signed, run_id="run-1", consultation_deadline=AT + timedelta(days=7), at=AT),
        wf,
    )
    drafted = await wet.twice(
        "issue_decree",
        DecreeRequest(
            case_id=signed.case_id, decided_on=today(), tmt=today() + timedelta(days=30), at=AT
        ),
        wf,
    )
    assert drafted.awaiting_signature
    scan = DocumentStore(get_settings().document_dir).put(b"%PDF-1.4 pindaian SK bertanda tangan")
    with Session(engine) as s:
        s.get(IssuedDocument, drafted.number).draft_dated = today()
        s.commit()
    done = await run.twice(
        "complete_signature",
        SignatureInput(number=drafted.number, actor="hr", at=AT, scan_sha256=scan),
        signing_workflow_id(drafted.number),
    )
    assert [d.workflow_id for d in done.deliveries] == [wf]
    wf = revocation_workflow_id(revoked)
    revoking = await run.twice(
        "issue_revocation",
        RevocationRequest(
            number=revoked,
            reason="keberatan dikabulkan",
            letter_number="",
            actor="hr",
            at=AT,
            decided_on=date(2026, 6, 1),
        ),
        wf,
    )
    await run.twice("apply_revocation", RevocationApply(number=revoking.number, at=AT), wf)
    with Session(engine) as s:
        assert s.get(Decree, revoked).status == "revoked"


def _request_row(engine, rid: str, nip: str) -> str:
    with Session(engine) as s:
        superior = OrgDirectory(s).superior_of(nip, OrgDirectory(s).agency_of(nip)) or None
        s.add(
            TransferRequest(
                id=rid,
                kind="aps",
                nip=nip,
                agency_code=OrgDirectory(s).agency_of(nip),
                category="kesehatan",
                reason="dekat rumah sakit rujukan",
                status="opinion",
                superior_nip=superior,
                workflow_id=f"request-{rid}",
                created_by=nip,
                created_at=AT,
                updated_at=AT,
            )
        )
        s.commit()
        return superior or ""


async def _request_steps(run: Retrier, engine) -> None:
    """A request's activities: opened, reminded, opinion, accepted (a case input each time),
    and another one withdrawn."""
    person, dest = pick_move(engine)
    superior = _request_row(engine, "APS-IDEM-1", person.nip)
    wf = "request-APS-IDEM-1"
    await run.twice(
        "open_request",
        RequestOpen(request_id="APS-IDEM-1", at=AT, opinion_due=AT + timedelta(days=5)),
        wf,
    )
    await run.twice(
        "notify_request",
        RequestNotice(
            request_id="APS-IDEM-1",
            recipient_nip=superior,
            message=Msg(
                code="notice.opinion_reminder",
                params={"request": "APS-IDEM-1", "due": "2027-01-01T00:00:00+00:00"},
            ),
            at=AT,
        ),
        wf,
    )
    await run.twice(
        "record_opinion",
        OpinionRecord(
            request_id="APS-IDEM-1", opinion="mendukung", reason="setuju", actor=superior, at=AT
        ),
        wf,
    )
    outcome = await run.twice(
        "screen_request",
        ScreeningApply(
            request_id="APS-IDEM-1",
            screening=RequestScreening(
                actor="hr",
                accept=True,
                reason="diterima",
                destination_position=dest.code,
                override_reason="uji ulang",
            ),
            at=AT,
        ),
        wf,
    )
    assert outcome.status == "accepted" and outcome.case.case_id == f"APS-IDEM-1.{person.nip}"
    # The first is accepted (no longer open): the same person may have another request.
    _request_row(engine, "APS-IDEM-2", person.nip)
    await run.twice(
        "withdraw_request",
        RequestClose(request_id="APS-IDEM-2", actor="pegawai", reason="tidak jadi", at=AT),
        "request-APS-IDEM-2",
    )

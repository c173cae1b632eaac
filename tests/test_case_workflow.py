"""MutationCaseWorkflow on the time-skipping server: days-long deadlines in milliseconds."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlmodel import Session
from temporalio.client import WorkflowUpdateFailedError, WorkflowUpdateStage
from temporalio.service import RPCError

from contracts.case import (
    CasePolicy,
    ConsultationAnswer,
    ObjectionResolution,
    TaskDecision,
    TrainingCompletion,
    Withdrawal,
)
from contracts.chain import ChainStep
from contracts.ids import revocation_workflow_id
from models import (
    ApprovalTask,
    AuditEvent,
    Consultation,
    Decree,
    Employee,
    IssuedDocument,
    MutationCase,
    Position,
    PositionHistory,
    TrainingAssignment,
)
from mutasi.audit import chain as audit
from mutasi.org.directory import OrgDirectory
from tests.support.cases import (
    SPMT_SCAN,
    accept_and_wait_for_task,
    actions,
    approve_all,
    awaiting_decision,
    case_input,
    open_task,
    pick_move,
    recorded_consultation,
    repeated,
    report_for_duty,
    stage_is,
    start,
    upserts,
)
from tests.workflow_support import (
    decree_by_batch,
    record_history,
    running_worker,
    standing_delegation,
    wait_for,
)
from workflows.case import MutationCaseWorkflow
from workflows.case_core import tmt_after
from workflows.decree_revocation import DecreeRevocationWorkflow
from workflows.search_attributes import ASSIGNEES, STAGE


async def test_happy_path_reminders_escalation_decree_and_tmt(time_skipping_env, demo_engine):
    env = time_skipping_env
    inp = case_input(demo_engine)
    async with running_worker(env.client, demo_engine) as queue:
        handle = await start(env, queue, inp)
        await wait_for(handle, MutationCaseWorkflow.state, stage_is("consultation"))
        state = await accept_and_wait_for_task(handle, inp)
        first = open_task(state)
        assert first.role == "origin_head" and first.deciders[0] == first.assignee_nip
        visible = (await handle.describe()).typed_search_attributes
        assert visible.get(STAGE) == "approval" and visible.get(ASSIGNEES) == sorted(first.deciders)

        await env.sleep(timedelta(days=1, hours=13))  # past the 1.5-day reminder
        await wait_for(
            handle, MutationCaseWorkflow.state, lambda s: open_task(s) and open_task(s).reminded
        )
        await env.sleep(timedelta(days=1, hours=12))  # past the 3-day deadline: escalated
        state = await wait_for(
            handle,
            MutationCaseWorkflow.state,
            lambda s: open_task(s) and open_task(s).escalations == 1,
        )
        escalated = open_task(state)
        assert escalated.assignee_nip != first.assignee_nip

        with pytest.raises(WorkflowUpdateFailedError):  # the old assignee lost the task
            await handle.execute_update(
                MutationCaseWorkflow.decide,
                TaskDecision(task_id=escalated.id, actor_nip=first.assignee_nip, approve=True),
            )
        state = await approve_all(handle, state)
        today = (await env.get_current_time()).date()
        state = await decree_by_batch(env.client, queue, handle, inp.agency_code, today)
        assert state.decree_number.startswith("800/") and state.tmt.day == 1
        await report_for_duty(env, demo_engine, handle, inp)
        result = await handle.result()
        await record_history(handle, "case_within_agency_committee_collective")
        visible = (await handle.describe()).typed_search_attributes
        assert visible.get(STAGE) == "completed" and not visible.get(ASSIGNEES)
        sent = await upserts(handle)
        assert repeated(sent) == []
        # Only stages the case waits in (or ends in) are published: not training, not decree.
        assert [v for name, v in sent if name == STAGE.name] == [
            "consultation",
            "approval",
            "decree",
            "awaiting_tmt",
            "reporting",
            "completed",
        ]
    assert result.stage == "completed"
    with Session(demo_engine) as s:
        person = s.get(Employee, inp.nip)
        assert (
            person.position_code == inp.destination_position and person.position_tmt == result.tmt
        )
        history = s.get(PositionHistory, (inp.nip, result.tmt))
        decree = s.get(Decree, result.decree_number)
        # The collective decree's number and the person's extract, each in its own field.
        assert history.extract_number == result.decree_number == decree.number
        assert history.decree_number == decree.collective_number
        assert history.reported_on == result.tmt and history.spmt_document == SPMT_SCAN
        assert decree.applied_at is not None and decree.annex["nip"] == inp.nip
        assert s.get(MutationCase, inp.case_id).outcome == "completed"
        assert s.get(TrainingAssignment, (inp.case_id, "Pelatihan Perizinan")).status == "assigned"
        assert audit.verify(s, inp.agency_code).ok
    done = actions(demo_engine, inp.case_id)
    for expected in (
        "case.opened",
        "consultation.accepted",
        "training.assigned",
        "task.opened",
        "reminder.task",
        "task.escalated",
        "task.approved",
        "decree.issued",
        "employee.moved",
        "reporting.opened",
        "employee.reported_for_duty",
        "case.completed",
    ):
        assert expected in done, (expected, done)


async def test_silence_is_deemed_accepted_after_a_reminder(time_skipping_env, demo_engine):
    env = time_skipping_env
    inp = case_input(demo_engine, training=[])
    async with running_worker(env.client, demo_engine) as queue:
        handle = await start(env, queue, inp)
        await wait_for(handle, MutationCaseWorkflow.state, stage_is("consultation"))
        await env.sleep(timedelta(days=7, hours=1))
        state = await wait_for(handle, MutationCaseWorkflow.state, awaiting_decision)
        assert state.consultation_response == "deemed_accepted"
        await handle.execute_update(
            MutationCaseWorkflow.withdraw, Withdrawal(actor="hr.test", reason="uji selesai")
        )
        assert (await handle.result()).stage == "withdrawn"
    with Session(demo_engine) as s:
        consultation = s.get(Consultation, inp.case_id)
        assert consultation.reminded_at is not None and consultation.response == "deemed_accepted"


async def test_silence_routed_to_hr_then_withdrawn(time_skipping_env, demo_engine):
    env = time_skipping_env
    inp = case_input(demo_engine, policy=CasePolicy(silence_rule="route_to_hr"))
    async with running_worker(env.client, demo_engine) as queue:
        handle = await start(env, queue, inp)
        await env.sleep(timedelta(days=8))
        await wait_for(handle, MutationCaseWorkflow.state, stage_is("hr_review"))
        with pytest.raises(WorkflowUpdateFailedError):
            await handle.execute_update(
                MutationCaseWorkflow.resolve_objection,
                ObjectionResolution(actor="hr.test", confirm=False, reason=""),
            )
        await handle.execute_update(
            MutationCaseWorkflow.resolve_objection,
            ObjectionResolution(
                actor="hr.test", confirm=False, reason="pegawai tidak dapat dihubungi"
            ),
        )
        result = await handle.result()
    assert result.stage == "withdrawn" and result.outcome_reason == "pegawai tidak dapat dihubungi"


async def test_objection_confirmed_then_rejection_ends_case_and_compensates(
    time_skipping_env, demo_engine
):
    env = time_skipping_env
    inp = case_input(demo_engine)
    async with running_worker(env.client, demo_engine) as queue:
        handle = await start(env, queue, inp)
        await wait_for(handle, MutationCaseWorkflow.state, stage_is("consultation"))
        with pytest.raises(WorkflowUpdateFailedError):  # objection needs a reason
            await handle.execute_update(
                MutationCaseWorkflow.respond, ConsultationAnswer(actor_nip=inp.nip, accept=False)
            )
        with pytest.raises(WorkflowUpdateFailedError):  # only the employee answers
            await handle.execute_update(
                MutationCaseWorkflow.respond,
                ConsultationAnswer(actor_nip="199001012015011001", accept=True),
            )
        await handle.execute_update(
            MutationCaseWorkflow.respond,
            ConsultationAnswer(
                actor_nip=inp.nip, accept=False, reason="merawat orang tua", preferences=["BAPENDA"]
            ),
        )
        # the update returns once the answer is in the database: the next page shows it
        assert recorded_consultation(demo_engine, inp.case_id) == ("objected", None)
        await wait_for(handle, MutationCaseWorkflow.state, stage_is("hr_review"))
        await handle.execute_update(
            MutationCaseWorkflow.resolve_objection,
            ObjectionResolution(
                actor="hr.test", confirm=True, reason="kebutuhan organisasi mendesak"
            ),
        )
        assert recorded_consultation(demo_engine, inp.case_id) == ("objected", "confirmed")
        state = await wait_for(handle, MutationCaseWorkflow.state, awaiting_decision)
        task = open_task(state)
        with pytest.raises(WorkflowUpdateFailedError):  # a rejection needs a reason
            await handle.execute_update(
                MutationCaseWorkflow.decide,
                TaskDecision(task_id=task.id, actor_nip=task.assignee_nip, approve=False),
            )
        await handle.execute_update(
            MutationCaseWorkflow.decide,
            TaskDecision(
                task_id=task.id,
                actor_nip=task.assignee_nip,
                approve=False,
                comment="unit kekurangan pegawai",
            ),
        )
        # the same decision again is accepted and changes nothing; a different one is refused
        again = await handle.execute_update(
            MutationCaseWorkflow.decide,
            TaskDecision(
                task_id=task.id,
                actor_nip=task.assignee_nip,
                approve=False,
                comment="unit kekurangan pegawai",
            ),
        )
        assert "sudah" in again
        result = await handle.result()
        await record_history(handle, "case_objection_rejected")
        with pytest.raises(RPCError):  # the workflow is finished
            await handle.execute_update(
                MutationCaseWorkflow.decide,
                TaskDecision(task_id=task.id, actor_nip=task.assignee_nip, approve=True),
            )
    assert result.stage == "rejected" and result.outcome_reason == "unit kekurangan pegawai"
    with Session(demo_engine) as s:
        assert s.get(Consultation, inp.case_id).preferences == ["BAPENDA"]
        assert s.get(TrainingAssignment, (inp.case_id, "Pelatihan Perizinan")).status == "cancelled"
        statuses = set(
            s.execute(
                select(ApprovalTask.status).where(ApprovalTask.case_id == inp.case_id)
            ).scalars()
        )
        assert statuses == {"rejected"}
        assert (
            s.execute(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "task.rejected", AuditEvent.subject_id == task.id)
            ).scalar_one()
            == 1
        )


async def test_bad_decisions_change_nothing(time_skipping_env, demo_engine):
    env = time_skipping_env
    inp = case_input(demo_engine, training=[])
    async with running_worker(env.client, demo_engine) as queue:
        handle = await start(env, queue, inp)
        state = await accept_and_wait_for_task(handle, inp)
        task = open_task(state)
        for bad, fragment in (
            (
                TaskDecision(task_id="tidak-ada", actor_nip=task.assignee_nip, approve=True),
                "tidak ada",
            ),
            (
                TaskDecision(task_id=task.id, actor_nip="199001012015011001", approve=True),
                "penerima tugas",
            ),
            (TaskDecision(task_id=task.id, actor_nip=inp.nip, approve=True), "penerima tugas"),
        ):
            with pytest.raises(WorkflowUpdateFailedError) as caught:
                await handle.execute_update(MutationCaseWorkflow.decide, bad)
            assert fragment in str(caught.value.cause.message)
        await handle.execute_update(
            MutationCaseWorkflow.decide,
            TaskDecision(task_id=task.id, actor_nip=task.assignee_nip, approve=True),
        )
        with pytest.raises(WorkflowUpdateFailedError) as caught:  # a second, different decision
            await handle.execute_update(
                MutationCaseWorkflow.decide,
                TaskDecision(
                    task_id=task.id,
                    actor_nip=task.assignee_nip,
                    approve=False,
                    comment="berubah pikiran",
                ),
            )
        assert "sudah approved" in caught.value.cause.message
        state = await handle.query(MutationCaseWorkflow.state)
        assert next(t for t in state.tasks if t.id == task.id).status == "approved"
        await handle.execute_update(
            MutationCaseWorkflow.withdraw, Withdrawal(actor="hr.test", reason="uji selesai")
        )
        await handle.result()


async def test_four_eyes_and_delegation(time_skipping_env, demo_engine):
    env = time_skipping_env
    person, dest = pick_move(demo_engine)

    with Session(demo_engine) as s:
        directory = OrgDirectory(s)
        origin_head = directory.head_of(s.get(Position, person.position_code).unit_code)
        dest_head = directory.head_of(dest.unit_code)
        deputy = s.execute(
            select(Employee.nip)
            .where(Employee.nip.not_in([origin_head, dest_head, person.nip]))
            .order_by(Employee.nip)
            .limit(1)
        ).scalar_one()
        s.add(standing_delegation(origin_head, deputy, "cuti tahunan"))
        s.commit()
    # Parallel step: both heads at once, both must approve; the requester is the destination head.
    steps = [
        ChainStep(
            name="Kepala asal dan tujuan", roles=["origin_head", "destination_head"], quorum=0
        )
    ]
    inp = case_input(demo_engine, steps=steps, training=[], requested_by_nip=dest_head)
    async with running_worker(env.client, demo_engine) as queue:
        handle = await start(env, queue, inp)
        state = await accept_and_wait_for_task(handle, inp)
        tasks = {t.role: t for t in state.tasks}
        assert set(tasks) == {"origin_head", "destination_head"}
        assert deputy in tasks["origin_head"].deciders
        await handle.execute_update(
            MutationCaseWorkflow.decide,
            TaskDecision(
                task_id=tasks["origin_head"].id,
                actor_nip=deputy,
                approve=True,
                comment="a.n. kepala",
            ),
        )
        with pytest.raises(WorkflowUpdateFailedError) as caught:
            await handle.execute_update(
                MutationCaseWorkflow.decide,
                TaskDecision(
                    task_id=tasks["destination_head"].id, actor_nip=dest_head, approve=True
                ),
            )
        assert "empat mata" in caught.value.cause.message
        await handle.execute_update(
            MutationCaseWorkflow.withdraw,
            Withdrawal(actor="hr.test", reason="pengusul tidak boleh"),
        )
        assert (await handle.result()).stage == "withdrawn"
    assert "task.approved" in actions(demo_engine, inp.case_id)


async def test_the_employee_moved_cannot_approve_their_own_move_even_as_a_delegate(
    time_skipping_env, demo_engine
):
    """The employee half of four-eyes: made their head's delegate, the person being moved
    is among the task's deciders, and is still refused."""
    env = time_skipping_env
    person, _ = pick_move(demo_engine)

    with Session(demo_engine) as s:
        origin_head = OrgDirectory(s).head_of(s.get(Position, person.position_code).unit_code)
        s.add(standing_delegation(origin_head, person.nip, "pelaksana harian"))
        s.commit()
    inp = case_input(demo_engine, training=[])
    assert inp.nip == person.nip
    async with running_worker(env.client, demo_engine) as queue:
        handle = await start(env, queue, inp)
        state = await accept_and_wait_for_task(handle, inp)
        task = next(t for t in state.tasks if t.role == "origin_head")
        assert person.nip in task.deciders
        with pytest.raises(WorkflowUpdateFailedError) as caught:
            await handle.execute_update(
                MutationCaseWorkflow.decide,
                TaskDecision(task_id=task.id, actor_nip=person.nip, approve=True, comment="setuju"),
            )
        assert "empat mata" in caught.value.cause.message
        assert (await handle.query(MutationCaseWorkflow.state)).tasks[0].status == "open"
        await handle.execute_update(
            MutationCaseWorkflow.withdraw, Withdrawal(actor="hr.test", reason="uji selesai")
        )
        await handle.result()
    assert "task.approved" not in actions(demo_engine, inp.case_id)


async def test_training_can_block_approval(time_skipping_env, demo_engine):
    env = time_skipping_env
    inp = case_input(demo_engine, policy=CasePolicy(training_blocks_approval=True))
    async with running_worker(env.client, demo_engine) as queue:
        handle = await start(env, queue, inp)
        await handle.execute_update(
            MutationCaseWorkflow.respond, ConsultationAnswer(actor_nip=inp.nip, accept=True)
        )
        # the stage turns to training before the assignment is written; completion waits for the latter
        await wait_for(
            handle,
            MutationCaseWorkflow.state,
            lambda s: s.stage == "training" and "Pelatihan Perizinan" in s.trainings_open,
        )
        with pytest.raises(WorkflowUpdateFailedError):
            await handle.execute_update(
                MutationCaseWorkflow.complete_training,
                TrainingCompletion(
                    program="Tidak Ada", actor="hr.test", completed_on=date(2026, 2, 1)
                ),
            )
        await handle.execute_update(
            MutationCaseWorkflow.complete_training,
            TrainingCompletion(
                program="Pelatihan Perizinan", actor="hr.test", completed_on=date(2026, 2, 1)
            ),
        )
        await wait_for(handle, MutationCaseWorkflow.state, awaiting_decision)
        await handle.execute_update(
            MutationCaseWorkflow.withdraw, Withdrawal(actor="hr.test", reason="uji selesai")
        )
        await handle.result()
    with Session(demo_engine) as s:
        assert s.get(TrainingAssignment, (inp.case_id, "Pelatihan Perizinan")).status == "completed"


async def test_withdrawal_after_decree_annuls_it_and_a_revoking_decree_takes_it_back(
    time_skipping_env, demo_engine
):
    env = time_skipping_env
    inp = case_input(demo_engine, training=[])
    async with running_worker(env.client, demo_engine) as queue:
        handle = await start(env, queue, inp)
        state = await accept_and_wait_for_task(handle, inp)
        await approve_all(handle, state)
        today = (await env.get_current_time()).date()
        state = await decree_by_batch(env.client, queue, handle, inp.agency_code, today)
        with pytest.raises(WorkflowUpdateFailedError):
            await handle.execute_update(
                MutationCaseWorkflow.withdraw, Withdrawal(actor="hr.test", reason=" ")
            )
        await handle.execute_update(
            MutationCaseWorkflow.withdraw, Withdrawal(actor="hr.test", reason="formasi dibatalkan")
        )
        result = await handle.result()
        await record_history(handle, "case_withdrawn_after_decree_revoked")
        revocation = env.client.get_workflow_handle_for(
            DecreeRevocationWorkflow.run, revocation_workflow_id(state.decree_number)
        )
        revoking = await revocation.result()
    assert result.stage == "withdrawn"
    with Session(demo_engine) as s:
        decree = s.get(Decree, state.decree_number)
        assert decree.annulled_reason == "formasi dibatalkan"
        assert decree.status == "revoked" and decree.revoked_by == revoking.number
        assert s.get(Employee, inp.nip).position_code == inp.origin_position
        snapshot = s.get(IssuedDocument, revoking.number).snapshot
    assert snapshot["cause"] == "withdrawal" and "formasi dibatalkan" in snapshot["reason"]
    assert not any("79 Tahun 2021" in m for m in snapshot["mengingat"])


async def test_an_individual_decree_and_its_stage_changes_are_one_transaction(
    time_skipping_env, demo_engine
):
    """The decree, the stage before it and the stage after it are one activity: the case is
    never seen in `decree` without its decree, and every change keeps its audit event."""
    env = time_skipping_env
    policy = CasePolicy(decree_mode="individual", evaluation_days=0, spmt_days=0)
    inp = case_input(demo_engine, training=[], policy=policy)
    async with running_worker(env.client, demo_engine) as queue:
        handle = await start(env, queue, inp)
        state = await approve_all(handle, await accept_and_wait_for_task(handle, inp))
        assert state.stage in ("awaiting_tmt", "completed")
        with Session(demo_engine) as s:
            case = s.get(MutationCase, inp.case_id)
            decree = s.execute(select(Decree).where(Decree.case_id == inp.case_id)).scalar_one()
            assert case.tmt == decree.tmt == state.tmt and state.tmt.day == 1
            s.expunge(decree)
            audit.seal(s, inp.agency_code)
            s.commit()
            events = {
                e.action: e
                for e in s.execute(
                    select(AuditEvent).where(AuditEvent.workflow_id == f"case-{inp.case_id}")
                ).scalars()
            }
        assert events["case.decree"].old == {"stage": "approval"}
        assert events["case.awaiting_tmt"].old == {"stage": "decree"}
        assert events["case.awaiting_tmt"].new == {
            "stage": "awaiting_tmt",
            "decree": decree.number,
            "tmt": decree.tmt.isoformat(),
        }
        result = await handle.result()
        await record_history(handle, "case_individual_decree")
        history = (await handle.fetch_history()).events
    assert result.stage == "completed" and result.decree_number == decree.number
    done = actions(demo_engine, inp.case_id)
    at = done.index("decree.issued")
    assert done[at - 1 : at + 2] == ["case.decree", "decree.issued", "case.awaiting_tmt"]
    assert done[-2:] == ["employee.moved", "case.completed"]
    scheduled = [
        e.activity_task_scheduled_event_attributes.activity_type.name
        for e in history
        if e.HasField("activity_task_scheduled_event_attributes")
    ]
    after_approval = scheduled[len(scheduled) - 3 :]
    assert after_approval == ["issue_decree", "apply_transfer", "record_stage"]
    # A case of this revision takes its paths from its input: no patch marker, and so no
    # TemporalChangeVersion write for the server.
    assert not any(e.HasField("marker_recorded_event_attributes") for e in history)


def test_tmt_is_first_of_next_month():
    assert tmt_after(date(2026, 3, 14), 1) == date(2026, 4, 1)
    assert tmt_after(date(2026, 12, 31), 1) == date(2027, 1, 1)
    assert tmt_after(date(2026, 3, 31), 1) == date(2026, 4, 1)


async def test_decision_sent_ahead_is_held_until_the_task_opens(time_skipping_env, demo_engine):
    env = time_skipping_env
    inp = case_input(demo_engine, training=[])

    with Session(demo_engine) as s:
        head = OrgDirectory(s).head_of(inp.origin_unit)
    first_task = f"{inp.case_id}/0/origin_head"
    async with running_worker(env.client, demo_engine) as queue:
        handle = await start(env, queue, inp)
        with pytest.raises(WorkflowUpdateFailedError):  # not a task of this chain
            await handle.execute_update(
                MutationCaseWorkflow.decide_when_open,
                TaskDecision(task_id=f"{inp.case_id}/9/ppk", actor_nip=head, approve=True),
            )
        ahead = await handle.start_update(
            MutationCaseWorkflow.decide_when_open,
            TaskDecision(task_id=first_task, actor_nip=head, approve=True, comment="setuju"),
            wait_for_stage=WorkflowUpdateStage.ACCEPTED,
        )
        await handle.execute_update(
            MutationCaseWorkflow.respond, ConsultationAnswer(actor_nip=inp.nip, accept=True)
        )
        assert await ahead.result() == "disetujui"
        state = await wait_for(
            handle,
            MutationCaseWorkflow.state,
            lambda s: any(t.id == first_task and t.status == "approved" for t in s.tasks),
        )
        await handle.execute_update(
            MutationCaseWorkflow.withdraw, Withdrawal(actor="hr.test", reason="uji selesai")
        )
        await handle.result()
    assert state.stage == "approval"

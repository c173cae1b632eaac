"""Cases for tests: a move to start (a person without an open case and a post elsewhere),
the case's input and start, waiting for its first task, deciding it, and the activity
environment the activity tests run in."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session
from temporalio.converter import default as default_converter
from temporalio.testing import ActivityEnvironment

from contracts.case import (
    CASE_REVISION,
    CaseInput,
    CasePolicy,
    ConsultationAnswer,
    ReportingForDuty,
    TrainingItem,
)
from contracts.chain import DEFAULT_TEMPLATES
from models import (
    AuditEvent,
    Consultation,
    Employee,
    MutationCase,
    Position,
    Unit,
)
from mutasi.infra.record_key import DEMO_SIGNING_KEY, DecreeSigner
from mutasi.org.directory import OrgDirectory
from tests.workflow_support import (
    approve_step,
    create_cycle_row,
    wait_for,
)
from workflows.case import MutationCaseWorkflow

AT = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)

SIGNER = DecreeSigner.from_base64(DEMO_SIGNING_KEY)


def env_for(activity_id: str) -> ActivityEnvironment:
    env = ActivityEnvironment()
    env.info = dataclasses.replace(
        env.info, workflow_id="case-x", workflow_run_id="run-1", activity_id=activity_id
    )
    return env


def pick_move(engine) -> tuple[Employee, Position]:
    with Session(engine) as s:
        busy = select(MutationCase.nip).where(
            MutationCase.outcome.is_(None)
        )  # one open case per person
        person = s.execute(
            select(Employee)
            .join(Position, Position.code == Employee.position_code)
            .join(Unit, Unit.code == Position.unit_code)
            .where(Position.kind == "pelaksana", Unit.kind == "dinas", Employee.nip.not_in(busy))
            .order_by(Employee.nip)
            .limit(1)
        ).scalar_one()
        origin = s.get(Position, person.position_code)
        dest = s.execute(
            select(Position)
            .join(Unit, Unit.code == Position.unit_code)
            .where(
                Position.kind == "pelaksana",
                Unit.kind == "badan",
                Position.unit_code != origin.unit_code,
            )
            .order_by(Position.code)
            .limit(1)
        ).scalar_one()
        s.expunge_all()
        return person, dest


def case_input(
    engine, *, steps=None, policy=None, training=None, requested_by_nip=None
) -> CaseInput:
    cycle_id = f"T{uuid.uuid4().hex[:6]}"
    create_cycle_row(engine, cycle_id)
    person, dest = pick_move(engine)
    with Session(engine) as s:
        origin_unit = s.get(Position, person.position_code).unit_code
        agency = s.get(Unit, origin_unit).agency_code
    return CaseInput(
        case_id=f"{cycle_id}.{person.nip}",
        cycle_id=cycle_id,
        cycle_workflow_id="",
        nip=person.nip,
        name=person.name,
        agency_code=agency,
        mutation_type="within_agency",
        origin_position=person.position_code,
        origin_unit=origin_unit,
        destination_position=dest.code,
        destination_unit=dest.unit_code,
        requested_by="hr.test",
        requested_by_nip=requested_by_nip,
        steps=steps or DEFAULT_TEMPLATES["within_agency"].steps,
        training=training
        if training is not None
        else [TrainingItem(program="Pelatihan Perizinan", kind="teknis", jp=20)],
        policy=policy or CasePolicy(),
        revision=CASE_REVISION,
    )


async def start(env, queue, inp):
    return await env.client.start_workflow(
        MutationCaseWorkflow.run, inp, id=f"case-{inp.case_id}", task_queue=queue
    )


def stage_is(stage):
    return lambda s: s is not None and s.stage == stage


def open_task(state):
    return next((t for t in state.tasks if t.status == "open"), None)


def awaiting_decision(s) -> bool:
    return s is not None and s.stage == "approval" and open_task(s) is not None


async def accept_and_wait_for_task(handle, inp):
    """The employee accepts; returns the state once the first approval task is open."""
    await handle.execute_update(
        MutationCaseWorkflow.respond, ConsultationAnswer(actor_nip=inp.nip, accept=True)
    )
    return await wait_for(handle, MutationCaseWorkflow.state, awaiting_decision)


SPMT_SCAN = "ab" * 32  # a document's SHA-256 (the API checks the upload; the case the form)


def destination_head(engine, inp) -> str:
    with Session(engine) as s:
        return OrgDirectory(s).head_of(inp.destination_unit)


async def report_for_duty(env, engine, handle, inp, late_by=timedelta(0)):
    """From awaiting TMT: past TMT (and `late_by` after it), the destination head confirms
    the SPMT; returns the state once the case completed."""
    state = await wait_for(handle, MutationCaseWorkflow.state, stage_is("awaiting_tmt"))
    tmt = datetime(state.tmt.year, state.tmt.month, state.tmt.day, tzinfo=UTC)
    await env.sleep(tmt + timedelta(hours=1) + late_by - await env.get_current_time())
    state = await wait_for(handle, MutationCaseWorkflow.state, stage_is("reporting"))
    await handle.execute_update(
        MutationCaseWorkflow.confirm_reporting,
        ReportingForDuty(
            actor_nip=destination_head(engine, inp),
            actor="kepala",
            reported_on=state.tmt,
            document_sha256=SPMT_SCAN,
        ),
    )
    return await wait_for(handle, MutationCaseWorkflow.state, stage_is("completed"))


async def approve_all(handle, state):
    """Every step approves: inbox tasks by their assignee, the committee by a sitting."""
    while state.stage == "approval":
        task = open_task(state)
        await approve_step(handle, task)
        decided = task.id
        state = await wait_for(
            handle,
            MutationCaseWorkflow.state,
            lambda s, decided=decided: (
                s.stage != "approval" or (open_task(s) and open_task(s).id != decided)
            ),
        )
    return state


def recorded_consultation(engine, case_id: str) -> tuple[str | None, str | None]:
    with Session(engine) as s:
        consultation = s.get(Consultation, case_id)
        return consultation.response, consultation.hr_resolution


async def upserts(handle) -> list[tuple[str, object]]:
    """The search-attribute values the case made visible, in order (each workflow task that
    upserts costs the server a visibility write)."""
    converter = default_converter().payload_converter
    sent = []
    for event in (await handle.fetch_history()).events:
        if event.HasField("upsert_workflow_search_attributes_event_attributes"):
            fields = event.upsert_workflow_search_attributes_event_attributes.search_attributes.indexed_fields
            sent += [
                (name, converter.from_payload(payload))
                for name, payload in fields.items()
                if name != "TemporalChangeVersion"
            ]
    return sent


def repeated(sent: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """Upserts that re-send a value already visible."""
    visible, repeats = {}, []
    for name, value in sent:
        if visible.get(name) == value:
            repeats.append((name, value))
        visible[name] = value
    return repeats


def actions(engine, case_id) -> list[str]:
    with Session(engine) as s:
        return list(
            s.execute(
                select(AuditEvent.action)
                .where(AuditEvent.workflow_id == f"case-{case_id}")
                .order_by(AuditEvent.id)  # as written (the newest may await their seal)
            ).scalars()
        )

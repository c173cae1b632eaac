"""Committee sittings for the API: who sits, which cases wait for a sitting, the draft HR
prepares, and the chair's signature, after which the minutes are kept and every case
hears its recommendation (CommitteeSittingWorkflow)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlmodel import Session, col
from temporalio.client import Client
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from api.errors import ProblemError
from api.queries import employee_name
from contracts.case import CommitteeVerdict, SittingDelivery, SittingInput
from contracts.enums import TaskKind, TaskStatus
from contracts.messages import Msg
from models import Agency, ApprovalTask, CommitteeSitting, MutationCase, Position
from mutasi.audit import chain as audit
from mutasi.committee.membership import Committee, committee_kind, committee_of
from mutasi.committee.minutes import MinutesDocument, Person, render_minutes
from mutasi.decree.frozen import template_reference
from mutasi.decree.templates import current_template
from mutasi.infra.documents import DocumentStore
from mutasi.org.directory import Unresolvable
from workflows.committee import CommitteeSittingWorkflow

Kind = Literal["tpk", "baperjakat"]


class SittingItem(BaseModel):
    case_id: str = Field(..., max_length=96)
    recommendation: Literal["setuju", "tidak_setuju", "tunda"]
    reason: str = Field(..., min_length=3, max_length=1000)


class SittingBody(BaseModel):
    agency_code: str = Field(..., max_length=32)
    kind: Kind
    held_on: date
    attendees: list[str] = Field(..., min_length=1, max_length=30)
    items: list[SittingItem] = Field(..., min_length=1, max_length=500)


def committee_or_422(session: Session, agency_code: str, kind: str) -> Committee:
    try:
        return committee_of(session, agency_code, kind)
    except Unresolvable as exc:
        raise ProblemError(
            422,
            Msg(code="problem.no_committee_yet"),
            Msg(code="problem.exc_set_up_the_committee_first", params={"exc": str(exc)}),
        ) from exc


def committee_out(session: Session, committee: Committee) -> dict[str, Any]:
    return {
        "agency_code": committee.agency_code,
        "kind": committee.kind,
        "chair_nip": committee.chair_nip,
        "members": [
            {"nip": nip, "name": employee_name(session, nip), "chair": nip == committee.chair_nip}
            for nip in committee.members
        ],
        "quorum": committee.quorum,
        "configured": committee.configured,
    }


def waiting_tasks(
    session: Session, agency_code: str, kind: str
) -> list[tuple[ApprovalTask, MutationCase]]:
    """Open committee steps of the agency's cases, of this committee's kind."""
    rows = session.execute(
        select(ApprovalTask, MutationCase)
        .join(MutationCase, col(MutationCase.id) == col(ApprovalTask.case_id))
        .where(
            col(MutationCase.agency_code) == agency_code,
            col(ApprovalTask.kind) == TaskKind.COMMITTEE,
            col(ApprovalTask.status) == TaskStatus.OPEN,
        )
        .order_by(col(ApprovalTask.due_at), col(ApprovalTask.id))
    ).all()
    return [
        (task, case)
        for task, case in rows
        if committee_kind(session, case.destination_position) == kind
    ]


def pending_out(session: Session, agency_code: str, kind: str) -> list[dict[str, Any]]:
    return [_item(session, task, case) for task, case in waiting_tasks(session, agency_code, kind)]


def draft_sitting(session: Session, body: SittingBody, actor: str) -> CommitteeSitting:
    committee = committee_or_422(session, body.agency_code, body.kind)
    attendees = list(dict.fromkeys(body.attendees))
    problems = [f"{nip} bukan anggota tim" for nip in attendees if nip not in committee.members]
    if committee.chair_nip not in attendees:
        problems.append("ketua tim harus hadir")
    if len(attendees) < committee.quorum:
        problems.append(f"kuorum tidak terpenuhi: hadir {len(attendees)}, perlu {committee.quorum}")
    waiting = {
        case.id: (task, case) for task, case in waiting_tasks(session, body.agency_code, body.kind)
    }
    seen: set[str] = set()
    items = []
    for item in body.items:
        if item.case_id in seen:
            problems.append(f"kasus {item.case_id} dua kali")
            continue
        seen.add(item.case_id)
        if item.case_id not in waiting:
            problems.append(f"kasus {item.case_id} tidak menunggu sidang {body.kind}")
            continue
        task, case = waiting[item.case_id]
        items.append(
            {
                **_item(session, task, case),
                "recommendation": item.recommendation,
                "reason": item.reason,
            }
        )
    if problems:
        raise ProblemError(
            422, Msg(code="problem.invalid_meeting"), "; ".join(problems), errors=problems
        )
    year = body.held_on.year
    sequence = (
        session.execute(
            select(func.coalesce(func.max(col(CommitteeSitting.sequence)), 0)).where(
                col(CommitteeSitting.agency_code) == body.agency_code,
                col(CommitteeSitting.kind) == body.kind,
                col(CommitteeSitting.year) == year,
            )
        ).scalar_one()
        + 1
    )
    now = datetime.now(UTC)
    sitting = CommitteeSitting(
        number=f"BA-{body.kind.upper()}.{body.agency_code}.{year}.{sequence:03d}",
        agency_code=body.agency_code,
        kind=body.kind,
        year=year,
        sequence=sequence,
        held_on=body.held_on,
        chair_nip=committee.chair_nip,
        attendees=attendees,
        quorum=committee.quorum,
        items=items,
        created_by=actor,
        created_at=now,
    )
    session.add(sitting)
    session.flush()  # a concurrent draft with the same number fails here (unique), not later
    _audit(session, sitting, "committee.sitting_drafted", actor, "hr_admin", now)
    session.commit()
    return sitting


def sign_sitting(
    session: Session,
    store: DocumentStore,
    sitting: CommitteeSitting,
    actor_nip: str | None,
    actor: str,
) -> CommitteeSitting:
    if sitting.status == "signed":
        return sitting  # signing again changes nothing (the deliveries restart idempotently)
    if actor_nip != sitting.chair_nip:
        raise ProblemError(
            403,
            Msg(code="problem.access_denied"),
            Msg(code="problem.only_the_chair_signs_the_minutes"),
        )
    agency = session.get(Agency, sitting.agency_code)
    template = current_template(session, sitting.agency_code, "minutes")
    chair = Person(employee_name(session, sitting.chair_nip), sitting.chair_nip, "Ketua")
    pdf = render_minutes(
        MinutesDocument(
            number=sitting.number,
            office=agency.ppk_office if agency else sitting.agency_code,
            kind=sitting.kind,
            held_on=sitting.held_on,
            seat=agency.seat if agency else "",
            attendees=[
                Person(
                    employee_name(session, nip),
                    nip,
                    "Ketua" if nip == sitting.chair_nip else "Anggota",
                )
                for nip in sitting.attendees
            ],
            members_total=len(committee_or_422(session, sitting.agency_code, sitting.kind).members),
            quorum=sitting.quorum,
            items=sitting.items,
            chair=chair,
        ),
        template,
    )
    now = datetime.now(UTC)
    sitting.minutes_sha256 = store.put(pdf)
    sitting.minutes_template = template_reference(template)
    sitting.status, sitting.signed_at = "signed", now
    _audit(session, sitting, "committee.sitting_signed", actor, "committee_chair", now)
    session.commit()
    return sitting


async def deliver(temporal: Client, task_queue: str, sitting: CommitteeSitting) -> None:
    """Start the sitting's delivery; started before (a repeated signature): nothing to do."""
    deliveries = [
        SittingDelivery(
            workflow_id=item["workflow_id"],
            verdict=CommitteeVerdict(
                task_id=item["task_id"],
                sitting=sitting.number,
                held_on=sitting.held_on,
                recommendation=item["recommendation"],
                reason=item["reason"],
                minutes_sha256=sitting.minutes_sha256 or "",
                chair=sitting.chair_nip,  # the cases' trails name the decider by NIP
            ),
        )
        for item in sitting.items
    ]
    try:
        await temporal.start_workflow(
            CommitteeSittingWorkflow.run,
            SittingInput(number=sitting.number, deliveries=deliveries),
            id=f"committee-sitting-{sitting.number}",
            task_queue=task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
        )
    except WorkflowAlreadyStartedError:
        return


def sitting_out(sitting: CommitteeSitting) -> dict[str, Any]:
    return {
        "number": sitting.number,
        "agency_code": sitting.agency_code,
        "kind": sitting.kind,
        "held_on": sitting.held_on,
        "chair_nip": sitting.chair_nip,
        "attendees": sitting.attendees,
        "quorum": sitting.quorum,
        "items": [{k: v for k, v in i.items() if k != "workflow_id"} for i in sitting.items],
        "status": sitting.status,
        "minutes_sha256": sitting.minutes_sha256,
        "created_by": sitting.created_by,
        "signed_at": sitting.signed_at,
    }


def _item(session: Session, task: ApprovalTask, case: MutationCase) -> dict[str, Any]:
    return {
        "case_id": case.id,
        "task_id": task.id,
        "workflow_id": case.workflow_id,
        "nip": case.nip,
        "name": employee_name(session, case.nip),
        "origin": _post(session, case.origin_position),
        "destination": _post(session, case.destination_position),
        "due_at": task.due_at.isoformat(),
    }


def _post(session: Session, code: str) -> str:
    post = session.get(Position, code)
    return post.title if post is not None else code


def _audit(
    session: Session, sitting: CommitteeSitting, action: str, actor: str, role: str, at: datetime
) -> None:
    audit.append(
        session,
        audit.AuditInput(
            key=f"sitting/{sitting.number}/{action}",
            agency_code=sitting.agency_code,
            at=at,
            actor=actor,
            role=role,
            action=action,
            subject_type="committee_sitting",
            subject_id=sitting.number,
            new={
                "kind": sitting.kind,
                "held_on": sitting.held_on.isoformat(),
                "attendees": sitting.attendees,
                "items": [
                    {"case": i["case_id"], "recommendation": i["recommendation"]}
                    for i in sitting.items
                ],
                "minutes_sha256": sitting.minutes_sha256,
            },
        ),
    )

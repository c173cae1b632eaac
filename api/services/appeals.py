"""After the decree: the published results (who moves where and from when, for signed-in
staff: no scores, no explanations) and the employee's formal objection (keberatan),
decided with a reason by the PPK (the Sekda in the inbox where delegated, else recorded by
BKPSDM from the PPK's letter); the outcome lands on the case and in its audit trail."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlmodel import Session, col
from temporalio.client import Client
from temporalio.common import WorkflowIDConflictPolicy

from api.auth import Actor
from api.errors import ProblemError
from api.updates import send_update
from contracts.case import RevocationRequest, Withdrawal
from contracts.enums import TaskKind
from contracts.ids import revocation_workflow_id
from contracts.messages import Msg
from models import Decree, DecreeAppeal, MutationCase, Notification
from mutasi.audit import chain as audit
from mutasi.dossier.content import RefusedFile, check_upload
from mutasi.i18n.render import say
from mutasi.infra.clock import today
from mutasi.infra.db import must
from mutasi.infra.documents import DocumentStore
from mutasi.infra.settings import Settings, get_settings
from mutasi.org.directory import OrgDirectory, Unresolvable
from planning.calendar import date_text
from workflows.case import MutationCaseWorkflow
from workflows.decree_revocation import DecreeRevocationWorkflow

RESULTS_LIMIT = 2000


class AppealDecisionBody(BaseModel):
    uphold: bool
    reason: str = Field(..., min_length=3, max_length=2000)
    letter_number: str = Field(
        "", max_length=120, description="nomor surat PPK (bila dicatat BKPSDM)"
    )


def published_results(session: Session, agency_code: str | None = None) -> list[dict[str, Any]]:
    """Every move decided by an issued decree: name, NIP, from, to, TMT, decree number."""
    query = select(Decree).where(col(Decree.status).in_(["issued", "revoked"]))
    if agency_code:
        query = query.where(col(Decree.agency_code) == agency_code)
    rows = session.execute(
        query.order_by(col(Decree.decided_on).desc(), col(Decree.number)).limit(RESULTS_LIMIT)
    ).scalars()
    return [
        {
            "decree": d.collective_number or d.number,
            "decided_on": d.decided_on,
            "tmt": d.tmt,
            "name": d.annex.get("name"),
            "nip": d.annex.get("nip"),
            "from_position": d.annex.get("old_position"),
            "from_unit": d.annex.get("old_unit"),
            "to_position": d.annex.get("new_position"),
            "to_unit": d.annex.get("new_unit"),
            # A move revoked (an upheld objection) stays listed, with the revoking decree.
            "revoked_by": d.revoked_by if d.status == "revoked" else None,
        }
        for d in rows
    ]


def appeal_window(decree: Decree, days: int) -> tuple[bool, str]:
    last = decree.decided_on + timedelta(days=days)
    return today() <= last, date_text(last)


def appeal_state(session: Session, case: MutationCase, days: int) -> dict[str, Any]:
    """For the employee's page: their objections to this case's decree and whether (and
    until when) one may be lodged."""
    appeals = list(
        session.execute(
            select(DecreeAppeal)
            .where(col(DecreeAppeal.case_id) == case.id)
            .order_by(col(DecreeAppeal.id))
        ).scalars()
    )
    decree = session.execute(
        select(Decree).where(col(Decree.case_id) == case.id, col(Decree.status) == "issued")
    ).scalar_one_or_none()
    open_now, last = appeal_window(decree, days) if decree is not None else (False, "")
    pending = any(a.status == "filed" for a in appeals)
    return {"appeals": appeals, "appeal_open": open_now and not pending, "appeal_until": last}


def _audit(
    session: Session,
    case: MutationCase,
    appeal: DecreeAppeal,
    action: str,
    actor: str,
    role: str,
    new: dict[str, Any],
    reason: str,
) -> None:
    """On the case's trail, keyed by the appeal and the act (each happens once)."""
    audit.append(
        session,
        audit.AuditInput(
            key=f"appeal/{appeal.id}/{action}",
            agency_code=case.agency_code,
            at=datetime.now(UTC),
            actor=actor,
            role=role,
            action=action,
            subject_type="case",
            subject_id=case.id,
            new=new,
            reason=reason,
            workflow_id=case.workflow_id,
        ),
    )


def _notify(session: Session, recipient: str, case_id: str, message: Msg, suffix: str) -> None:
    session.add(
        Notification(
            key=f"appeal/{case_id}/{suffix}/{recipient}",
            recipient_nip=recipient,
            case_id=case_id,
            kind="objection",
            message=say(message, zone=get_settings().timezone),
            message_code=message.code,
            message_params=message.params,
            created_at=datetime.now(UTC),
        )
    )


def lodge(
    session: Session,
    settings: Settings,
    store: DocumentStore,
    actor: Actor,
    case: MutationCase,
    reason: str,
    upload: tuple[str, bytes] | None,
) -> DecreeAppeal:
    decree = session.execute(
        select(Decree).where(col(Decree.case_id) == case.id, col(Decree.status) == "issued")
    ).scalar_one_or_none()
    if decree is None:
        raise ProblemError(
            409,
            Msg(code="problem.no_decree_yet"),
            Msg(code="problem.an_objection_is_lodged_against_an_issued_decree"),
        )
    open_now, last = appeal_window(decree, settings.appeal_days)
    if not open_now:
        raise ProblemError(
            409,
            Msg(code="problem.objection_period_over"),
            Msg(
                code="problem.an_objection_can_be_lodged_until_last_appeal",
                params={"last": str(last), "appeal_days": str(settings.appeal_days)},
            ),
        )
    pending = session.execute(
        select(col(DecreeAppeal.id)).where(
            col(DecreeAppeal.case_id) == case.id, col(DecreeAppeal.status) == "filed"
        )
    ).first()
    if pending:
        raise ProblemError(
            409,
            Msg(code="problem.objection_already_lodged"),
            Msg(code="problem.your_objection_is_being_decided"),
        )
    if len(reason.strip()) < 10:
        raise ProblemError(
            422,
            Msg(code="problem.reason_too_short"),
            Msg(code="problem.write_the_reason_for_the_objection_at_least_10"),
        )
    digest = name = None
    if upload is not None:
        name, data = upload
        try:
            check_upload(data, settings.case_document_max_bytes)
        except RefusedFile as exc:
            status = 413 if len(data) > settings.case_document_max_bytes else 415
            raise ProblemError(status, Msg(code="problem.file_refused"), str(exc)) from exc
        digest = store.put(data)
    try:
        kind, decider = OrgDirectory(session).resolve_role(
            "ppk", case.agency_code, case.origin_unit, case.destination_unit
        )
    except Unresolvable:
        kind, decider = TaskKind.RECORDED, ""
    appeal = DecreeAppeal(
        case_id=case.id,
        nip=case.nip,
        decree_number=decree.number,
        reason=reason.strip(),
        document_sha256=digest,
        document_name=(name or "")[:200] or None,
        filed_at=datetime.now(UTC),
        decider_nip=decider if kind == TaskKind.DECIDED and decider else None,
    )
    session.add(appeal)
    session.flush()
    _audit(
        session,
        case,
        appeal,
        "appeal.filed",
        actor.name,
        "employee",
        {"decree": decree.number, "document": digest},
        appeal.reason,
    )
    if appeal.decider_nip:
        _notify(
            session,
            appeal.decider_nip,
            case.id,
            Msg(code="notice.appeal_filed", params={"decree": decree.number, "nip": case.nip}),
            f"{appeal.id}/filed",
        )
    session.commit()
    return appeal


def may_decide(session: Session, actor: Actor, appeal: DecreeAppeal) -> str:
    """The role the actor decides in, or a 403 saying who decides."""
    if appeal.decider_nip:
        deciders = OrgDirectory(session).deciders(appeal.decider_nip, today())
        if actor.nip and actor.nip in deciders:
            return "approver" if actor.nip == appeal.decider_nip else "delegate"
        raise ProblemError(
            403,
            Msg(code="problem.access_denied"),
            Msg(code="problem.this_objection_is_decided_by_the_ppk_the_sekda"),
        )
    if actor.has("hr_admin"):
        return "hr_admin"
    raise ProblemError(
        403,
        Msg(code="problem.access_denied"),
        Msg(code="problem.the_ppk_s_decision_on_this_objection_is_recorded"),
    )


async def decide(
    session: Session,
    temporal_of: Callable[[], Awaitable[Client]],
    actor: Actor,
    appeal: DecreeAppeal,
    body: AppealDecisionBody,
    task_queue: str,
) -> str:
    """`temporal_of` is asked only when an objection is upheld: the decree is revoked as far
    as the employee is concerned (DecreeRevocationWorkflow), and an open case withdrawn."""
    role = may_decide(session, actor, appeal)
    if appeal.status != "filed":
        raise ProblemError(
            409,
            Msg(code="problem.already_decided"),
            Msg(
                code="problem.this_objection_has_already_been_status",
                params={"status": str(appeal.status)},
            ),
        )
    if role == "hr_admin" and not body.letter_number.strip():
        raise ProblemError(
            422,
            Msg(code="problem.letter_number_required"),
            Msg(code="problem.record_the_number_of_the_ppk_s_decision_letter"),
        )
    case = must(session.get(MutationCase, appeal.case_id), f"kasus {appeal.case_id}")
    appeal.status = "upheld" if body.uphold else "dismissed"
    appeal.decided_by = actor.name
    appeal.decided_at = datetime.now(UTC)
    appeal.decision_reason = body.reason.strip()
    appeal.letter_number = body.letter_number.strip() or None
    _audit(
        session,
        case,
        appeal,
        f"appeal.{appeal.status}",
        actor.name,
        role,
        {"decree": appeal.decree_number, "letter": appeal.letter_number},
        appeal.decision_reason,
    )
    _notify(
        session,
        case.nip,
        case.id,
        Msg(
            code=f"notice.appeal_{appeal.status}",
            params={"decree": appeal.decree_number, "reason": appeal.decision_reason or ""},
        ),
        f"{appeal.id}/decided",
    )
    session.commit()
    if not body.uphold:
        return "Keberatan ditolak; pegawai diberi tahu alasannya."
    revocation = revocation_of(appeal, actor.name)
    said = "Keberatan dikabulkan"
    if case.outcome is None:
        workflow_id, case_id = case.workflow_id, case.id
        try:
            await send_update(
                await temporal_of(),
                workflow_id,
                MutationCaseWorkflow.withdraw,
                # The decree is revoked below, on the objection's grounds.
                Withdrawal(
                    actor=actor.name,
                    reason=f"keberatan dikabulkan: {appeal.decision_reason}",
                    role=role,
                    revokes_decree=False,
                ),
                f"kasus '{case_id}'",
                release=session,
                actor=actor.name,
            )
            said += "; kasus ditarik"
        except ProblemError as exc:
            said += f"; kasus tidak dapat ditarik otomatis ({exc.detail})"
    try:
        await start_revocation(await temporal_of(), task_queue, revocation)
    except Exception as exc:  # Temporal unreachable: the decision stands, the revocation waits
        return (
            f"{said}; SK pembatalan belum dapat disiapkan ({type(exc).__name__}): ulangi dari "
            f"keberatan ini (POST /api/v1/appeals/{appeal.id}/revocation)."
        )
    return f"{said}; SK pembatalan disiapkan melalui jalur penandatanganan SK."


def revocation_of(appeal: DecreeAppeal, actor_name: str) -> RevocationRequest:
    return RevocationRequest(
        number=appeal.decree_number,
        reason=appeal.decision_reason or "",
        letter_number=appeal.letter_number or "",
        actor=actor_name,
        at=datetime.now(UTC),
        decided_on=today(),
    )


async def start_revocation(temporal: Client, task_queue: str, req: RevocationRequest) -> None:
    """The revocation of the objected decree, once (its id names the decree)."""
    await temporal.start_workflow(
        DecreeRevocationWorkflow.run,
        req,
        id=revocation_workflow_id(req.number),
        task_queue=task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
    )


def appeals_for(session: Session, actor: Actor, status: str = "filed") -> list[DecreeAppeal]:
    """HR: those it records; an official: those they (or whom they stand in for) decide."""
    query = (
        select(DecreeAppeal)
        .where(col(DecreeAppeal.status) == status)
        .order_by(col(DecreeAppeal.filed_at))
    )
    if actor.has("hr_admin"):
        return list(session.execute(query.where(col(DecreeAppeal.decider_nip).is_(None))).scalars())
    rows = session.execute(query.where(col(DecreeAppeal.decider_nip).is_not(None))).scalars()
    day = today()
    directory = OrgDirectory(session)
    return [
        a for a in rows if actor.nip and actor.nip in directory.deciders(a.decider_nip or "", day)
    ]

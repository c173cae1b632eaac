"""Accounts for everyone on the API and the pages: HR provisions accounts (a file of codes
to hand out, and e-mail where an address is known), issues a reset code; a person sets
their password with a code; after an import, leavers' accounts stop and their open tasks
move to their superior."""

from __future__ import annotations

import csv
import io
import logging
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col
from temporalio.client import Client

from api.errors import ProblemError
from api.updates import send_update
from contracts.case import TaskReassignment
from contracts.enums import TaskStatus
from contracts.messages import Msg
from models import ActivationCode, ApprovalTask, MutationCase, UserAccount
from mutasi.accounts.activation import (
    SELF_SERVICE,
    IssuedCode,
    activate,
    deactivate_leavers,
    issue,
    provision,
)
from mutasi.accounts.password_policy import MIN_LENGTH
from mutasi.accounts.throttle import Throttled, ceiling, log_refusal, reserve
from mutasi.accounts.users import AccountError
from mutasi.audit import chain as audit
from mutasi.i18n.formats import moment
from mutasi.infra.settings import Settings
from mutasi.mail.sender import Bounced, Mailer, Unreachable, message
from mutasi.org.directory import OrgDirectory, Unresolvable
from workflows.case import MutationCaseWorkflow

_log = logging.getLogger("mutasi.accounts")
RESETS_PER_HOUR = 3
FORGOT_PER_ADDRESS = 20  # self-service reset requests from one address per sign-in window


class ProvisionBody(BaseModel):
    agency_code: str | None = Field(None, max_length=32, description="bawaan: semua instansi")
    valid_hours: int = Field(72, ge=1, le=720, description="masa berlaku kode")


class CodeBody(BaseModel):
    valid_hours: int = Field(72, ge=1, le=720)


class ActivateBody(BaseModel):
    username: str = Field(..., max_length=64)
    code: str = Field(..., min_length=12, max_length=20)
    password: str = Field(..., min_length=MIN_LENGTH, max_length=200)


class ForgotBody(BaseModel):
    username: str = Field(..., max_length=64)


def _audit(session: Session, action: str, actor: str, new: dict[str, Any]) -> None:
    now = datetime.now(UTC)
    audit.append(
        session,
        audit.AuditInput(
            key=f"{action}/{new.get('username', '*')}/{now.isoformat()}/{actor}",
            agency_code=audit.cycle_agency(session),
            at=now,
            actor=actor,
            role="hr_admin" if actor != "sistem" else "system",
            action=action,
            subject_type="account",
            subject_id=str(new.get("username", "*")),
            new=new,
        ),
    )


def mail_codes(settings: Settings, issued: list[IssuedCode]) -> set[str]:
    """Mail each code to its person where an address is known; the usernames reached. The
    code is in the mail body only: the link carries the username, so no address bar,
    proxy or access log ever holds a code."""
    reached: set[str] = set()
    with Mailer(settings.mail_settings()) as mailer:
        for item in issued:
            if not item.email:
                continue
            link = f"{settings.public_base_url.rstrip('/')}/aktivasi?u={item.username}"
            verb = "mengaktifkan akun" if item.purpose == "activate" else "mengganti kata sandi"
            body = (
                f"Yth. {item.name},\n\nKode untuk {verb} Mutasi Anda: {item.code}\n"
                f"Berlaku sampai {moment(item.expires_at, settings.timezone)}, sekali pakai.\n"
                f"Buka {link}, masukkan kode ini, lalu pilih kata sandi Anda.\n\n"
                "Abaikan surel ini bila Anda tidak memintanya."
            )
            try:
                mailer.send(
                    message(
                        settings.mail_settings(),
                        item.email,
                        "[Mutasi] Kode aktivasi akun",
                        body,
                        # Its own id per code: two codes in one second are two messages.
                        f"<activation.{uuid.uuid4().hex}@mutasi>",
                    )
                )
            except (Bounced, Unreachable) as exc:
                _log.warning("kode untuk %s tidak terkirim: %s", item.username, type(exc).__name__)
                continue
            reached.add(item.username)
    return reached


def provision_accounts(
    session: Session, settings: Settings, actor: str, body: ProvisionBody
) -> tuple[str, int]:
    """(CSV text for HR, number of accounts made). The file is the only place the codes
    are written down."""
    issued = provision(session, settings, actor, body.valid_hours, body.agency_code)
    _audit(
        session, "accounts.provisioned", actor, {"count": len(issued), "agency": body.agency_code}
    )
    session.commit()
    reached = mail_codes(settings, issued)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "nip",
            "nama",
            "nama_pengguna",
            "kode_aktivasi",
            "berlaku_sampai_utc",
            "tautan",
            "dikirim_ke_email",
        ]
    )
    for item in issued:
        writer.writerow(
            [
                item.nip,
                item.name,
                item.username,
                item.code,
                item.expires_at.strftime("%Y-%m-%d %H:%M"),
                f"{settings.public_base_url.rstrip('/')}/aktivasi?u={item.username}",
                "ya" if item.username in reached else "tidak",
            ]
        )
    return out.getvalue(), len(issued)


def reset_code(
    session: Session, settings: Settings, actor: str, username: str, hours: int
) -> tuple[IssuedCode, bool]:
    user = session.execute(
        select(UserAccount).where(col(UserAccount.username) == username)
    ).scalar_one_or_none()
    if user is None:
        raise ProblemError(
            404,
            Msg(code="problem.not_found"),
            Msg(code="problem.account_username_not_found", params={"username": str(username)}),
        )
    if not user.active:
        raise ProblemError(
            409,
            Msg(code="problem.account_not_active"),
            Msg(code="problem.activate_the_account_first_patch_users"),
        )
    issued = issue(session, settings, user, "reset", hours, actor)
    _audit(session, "accounts.reset_code", actor, {"username": username})
    session.commit()
    return issued, username in mail_codes(settings, [issued])


def activate_account(
    session: Session, settings: Settings, body: ActivateBody, ip: str
) -> UserAccount:
    try:
        return activate(session, settings, body.username, body.code, body.password, ip)
    except Throttled as exc:
        raise ProblemError(
            429,
            Msg(code="problem.too_many_attempts"),
            str(exc),
            headers={"Retry-After": str(exc.retry_after)},
        ) from exc
    except AccountError as exc:  # a wrong, spent or expired code: a failed proof of identity
        raise ProblemError(401, Msg(code="problem.activation_failed"), str(exc)) from exc


def forgot_password(engine: Engine, settings: Settings, username: str, ip: str) -> None:
    """A reset code by e-mail to the address on record, at most a few an hour per account
    and a few dozen requests per window from one address (a stranger cannot flood a whole
    office's mailboxes). Run after the answer is sent (a background task): the answer is
    the same, and as fast, whether or not the account exists, so nobody can probe
    usernames by it. A code HR issued stays valid (`issue`)."""
    now = datetime.now(UTC)
    window = timedelta(minutes=settings.login_window_minutes)
    with Session(engine) as session:
        key = f"forgot-ip:{ip}"[:100]
        mine = reserve(session, [key], now)
        try:
            ceiling(session, key, FORGOT_PER_ADDRESS, "reset_per_address", window, now, mine)
        except Throttled as refused:
            log_refusal(session, username[:64].lower(), ip, refused, now)
            return
        user = session.execute(
            select(UserAccount).where(col(UserAccount.username) == username)
        ).scalar_one_or_none()
        if user is None or not user.active or not user.nip:
            return
        recent = session.execute(
            select(func.count()).where(
                col(ActivationCode.user_id) == user.id,
                col(ActivationCode.created_at) >= datetime.now(UTC) - timedelta(hours=1),
            )
        ).scalar_one()
        if recent >= RESETS_PER_HOUR:
            return
        issued = issue(session, settings, user, "reset", 2, SELF_SERVICE)
        if not issued.email:
            session.rollback()
            return
        session.commit()
    mail_codes(settings, [issued])


async def retire_leavers(
    session: Session, temporal: Client | None, actor: str
) -> dict[str, list[str]]:
    """After an import: leavers' accounts stop working and each open task assigned to them
    moves to their superior (with the reason in the case's trail)."""
    leavers = deactivate_leavers(session)
    if leavers:
        for nip in leavers:
            _audit(
                session,
                "accounts.deactivated",
                actor,
                {"username": nip, "reason": "keluar dari layanan"},
            )
    session.commit()
    tasks = (
        session.execute(
            select(ApprovalTask, col(MutationCase.workflow_id), col(MutationCase.agency_code))
            .join(MutationCase, col(MutationCase.id) == col(ApprovalTask.case_id))
            .where(
                col(ApprovalTask.assignee_nip).in_(leavers),
                col(ApprovalTask.status) == TaskStatus.OPEN,
            )
        ).all()
        if leavers
        else []
    )
    directory = OrgDirectory(session)
    moved, stuck = [], []
    for task, workflow_id, agency in tasks:
        if temporal is None:
            stuck.append(task.id)
            continue
        try:
            target = directory.superior_of(task.assignee_nip, agency)
        except Unresolvable:
            target = None
        if not target:
            stuck.append(task.id)
            continue
        deciders = directory.deciders(target, datetime.now(UTC).date())
        try:
            await send_update(
                temporal,
                workflow_id,
                MutationCaseWorkflow.reassign,
                TaskReassignment(
                    task_id=task.id,
                    assignee_nip=target,
                    deciders=deciders,
                    actor=actor,
                    reason="penerima tugas keluar dari layanan",
                ),
                f"tugas '{task.id}'",
            )
            moved.append(task.id)
        except ProblemError:
            stuck.append(task.id)
    return {"deactivated": leavers, "tasks_reassigned": moved, "tasks_needing_hr": stuck}

"""Small helpers every activity module shares: the activity's identity as an idempotency
key, its audit event and its notice, each written once however often the activity retries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection
from sqlmodel import Session
from temporalio import activity

from contracts.messages import Msg
from models import Notification
from mutasi.audit import chain as audit
from mutasi.i18n.render import say
from mutasi.infra.db import as_utc, insert_ignoring_conflict
from mutasi.infra.settings import get_settings


def activity_key(suffix: str = "") -> str:
    """This activity's identity: stable across its retries, distinct across runs."""
    info = activity.info()
    return f"{info.workflow_run_id}/{info.activity_id}{suffix}"


def calling_workflow_id() -> str:
    """The workflow that scheduled this activity: every activity here is a workflow's."""
    workflow_id = activity.info().workflow_id
    if workflow_id is None:
        raise RuntimeError("aktivitas Mutasi hanya dijalankan oleh workflow")
    return workflow_id


def audit_event(
    s: Session,
    *,
    agency_code: str,
    at: datetime,
    action: str,
    actor: str,
    role: str,
    subject_type: str,
    subject_id: str,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    reason: str | None = None,
    suffix: str = "",
) -> None:
    """This activity's audit event, keyed by its identity (+ `suffix`): a retry adds nothing."""
    info = activity.info()
    audit.append(
        s,
        audit.AuditInput(
            key=activity_key(suffix),
            agency_code=agency_code,
            at=as_utc(at),
            actor=actor,
            role=role,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            old=old,
            new=new,
            reason=reason,
            workflow_id=info.workflow_id,
            run_id=info.workflow_run_id,
        ),
    )


def notify_once(
    conn: Connection,
    recipient: str,
    case_id: str | None,
    kind: str,
    message: Msg,
    at: datetime,
    suffix: str = "",
) -> None:
    """A notice (the mail outbox's row) from this activity to `recipient`, written once: its
    code and values for the pages, its Indonesian text for the mail."""
    # One statement: a retry's insert meets the key and does nothing.
    conn.execute(
        insert_ignoring_conflict(conn, Notification),
        dict(
            key=activity_key(f"/n/{recipient}{suffix}"),
            recipient_nip=recipient,
            case_id=case_id,
            kind=kind,
            message=say(message, zone=get_settings().timezone),
            message_code=message.code,
            message_params=message.params,
            created_at=as_utc(at),
        ),
    )

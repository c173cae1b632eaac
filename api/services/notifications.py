"""A person's notices (the same rows the outbox mails): the list, the unread count every
page shows, and marking them read. Only ever the signed-in person's own."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlmodel import Session, col

from models import Employee, Notification
from mutasi.infra.db import rows_changed

LIST_LIMIT = 100


def unread_count(session: Session, nip: str | None) -> int:
    if not nip:
        return 0
    count: int = session.execute(
        select(func.count())
        .select_from(Notification)
        .where(col(Notification.recipient_nip) == nip, col(Notification.read_at).is_(None))
    ).scalar_one()
    return count


def notices_of(session: Session, nip: str | None, limit: int = LIST_LIMIT) -> list[dict[str, Any]]:
    if not nip:
        return []
    rows = session.execute(
        select(Notification)
        .where(col(Notification.recipient_nip) == nip)
        .order_by(col(Notification.created_at).desc(), col(Notification.key))
        .limit(limit)
    ).scalars()
    return [
        {
            "key": n.key,
            "kind": n.kind,
            "message": n.message,
            "code": n.message_code,
            "params": n.message_params,
            "case_id": n.case_id,
            "created_at": n.created_at,
            "read": n.read_at is not None,
            "mail_status": n.mail_status,
        }
        for n in rows
    ]


def mark_read(session: Session, nip: str | None, keys: list[str] | None = None) -> int:
    """Mark the person's notices read (all, or those of `keys`); returns how many changed."""
    if not nip:
        return 0
    query = update(Notification).where(
        col(Notification.recipient_nip) == nip, col(Notification.read_at).is_(None)
    )
    if keys is not None:
        query = query.where(col(Notification.key).in_(keys))
    changed = rows_changed(session.execute(query.values(read_at=datetime.now(UTC))))
    session.commit()
    return changed


def outbox(session: Session, status: str = "", limit: int = LIST_LIMIT * 2) -> dict[str, Any]:
    """HR's view of the mail outbox: counts per delivery status and the latest notices with
    who they went to (bounced addresses and errors included), newest first."""
    counts = dict(
        session.execute(
            select(col(Notification.mail_status), func.count()).group_by(
                col(Notification.mail_status)
            )
        ).all()
    )
    query = (
        select(Notification, col(Employee.name), col(Employee.email))
        .outerjoin(Employee, col(Employee.nip) == col(Notification.recipient_nip))
        .order_by(col(Notification.created_at).desc(), col(Notification.key))
        .limit(limit)
    )
    if status:
        query = query.where(col(Notification.mail_status) == status)
    return {
        "counts": counts,
        "rows": [
            {"notice": n, "name": name or n.recipient_nip, "email": email}
            for n, name, email in session.execute(query).all()
        ],
    }

"""The transactional outbox: every notice is a `Notification` row written in the same
transaction as the change it tells of; this module mails the pending ones.

Each notice is claimed (pending -> sending) in its own committed statement before it is
sent and marked sent right after, so two runs never mail the same notice and a server
that is down loses nothing (the notice goes back to pending). The one window left is a
crash between the server's acceptance and the mark: such a claim is released after
`STALE` and the notice goes out again with the same Message-ID, which receivers use to
drop the duplicate."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult, Engine
from sqlmodel import Session, col

from contracts.housekeeping import OutboxReport
from models import Employee, Notification
from mutasi.mail.sender import Bounced, Mailer, MailSettings, Unreachable, message

STALE = timedelta(minutes=10)

SUBJECTS = {
    "task": "Tugas persetujuan baru",
    "escalation": "Tugas persetujuan dieskalasi",
    "consultation": "Usulan mutasi: mohon tanggapan Anda",
    "decree": "Surat keputusan mutasi Anda",
    "evaluation": "Evaluasi pascamutasi",
    "reporting": "Surat pernyataan melaksanakan tugas (SPMT)",
    "request": "Permohonan mutasi",
    "decision": "Keputusan atas mutasi Anda",
    "objection": "Keberatan atas keputusan mutasi",
    "account": "Akun Mutasi Anda",
}


def subject_for(kind: str) -> str:
    return "[Mutasi] " + SUBJECTS.get(kind, "Pengingat" if kind else "Pemberitahuan")


def message_id(key: str) -> str:
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@mutasi>"


def _set(s: Session, key: str, when: str | None = None, **values: Any) -> int:
    query = update(Notification).where(col(Notification.key) == key)
    if when is not None:
        query = query.where(col(Notification.mail_status) == when)
    result = s.execute(query.values(**values))
    s.commit()
    # The session's cursor result: its type does not name rowcount (mail sits below infra).
    return cast(CursorResult[Any], result).rowcount or 0


def deliver(engine: Engine, settings: MailSettings, base_url: str, limit: int) -> OutboxReport:
    report = OutboxReport()
    now = datetime.now(UTC)
    with Session(engine) as s:
        s.execute(
            update(Notification)
            .where(
                col(Notification.mail_status) == "sending",
                col(Notification.mailed_at) < now - STALE,
            )
            .values(mail_status="pending")
        )
        s.commit()
        rows = s.execute(
            select(
                col(Notification.key),
                col(Notification.recipient_nip),
                col(Notification.kind),
                col(Notification.message),
                col(Employee.email),
                col(Employee.email_bounced_at),
            )
            .outerjoin(Employee, col(Employee.nip) == col(Notification.recipient_nip))
            .where(col(Notification.mail_status) == "pending")
            .order_by(col(Notification.created_at), col(Notification.key))
            .limit(limit)
        ).all()
        with Mailer(settings) as mailer:
            for key, recipient, kind, text, email, bounced_at in rows:
                if not email or bounced_at is not None:
                    _set(s, key, "pending", mail_status="no_address")
                    report.no_address += 1
                    continue
                # Claimed in its own commit: another run skips it; mailed_at dates the claim.
                if not _set(
                    s,
                    key,
                    "pending",
                    mail_status="sending",
                    mail_attempts=col(Notification.mail_attempts) + 1,
                    mailed_at=datetime.now(UTC),
                ):
                    continue
                body = f"{text}\n\nBuka Mutasi: {base_url.rstrip('/')}/pemberitahuan\n"
                try:
                    mailer.send(message(settings, email, subject_for(kind), body, message_id(key)))
                except Bounced as exc:
                    _set(s, key, mail_status="bounced", mail_error=str(exc)[:500])
                    s.execute(
                        update(Employee)
                        .where(col(Employee.nip) == recipient)
                        .values(email_bounced_at=datetime.now(UTC))
                    )
                    s.commit()
                    report.bounced += 1
                    continue
                except Unreachable as exc:
                    _set(s, key, mail_status="pending", mail_error=str(exc)[:500], mailed_at=None)
                    report.unreachable = str(exc)
                    return report
                _set(s, key, mail_status="sent", mailed_at=datetime.now(UTC), mail_error=None)
                report.sent += 1
    report.more = len(rows) == limit
    return report

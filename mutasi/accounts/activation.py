"""Accounts for everyone, from the org data: each employee without an account gets one
with a one-time activation code (valid for a set time, stored only as a keyed hash) and
sets their own password with it. A password reset is the same mechanism. Codes are shown
once (HR's file, the person's e-mail) and never logged."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NoReturn

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from models import ActivationCode, Employee, Position, Unit, UserAccount
from mutasi.accounts.password_policy import WeakPassword, check_password
from mutasi.accounts.security import hash_password
from mutasi.accounts.throttle import Throttled, ceiling, log_refusal, release, remember, reserve
from mutasi.accounts.users import AccountError
from mutasi.infra.db import as_utc, rows_changed
from mutasi.infra.settings import Settings
from planning.reference import LEFT_SERVICE, STRUCTURAL_KINDS

# No 0/O, 1/I/L: read aloud or typed from paper without doubt. 12 characters of 31: 59 bits.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SELF_SERVICE = "lupa-sandi"  # who issued a code the person asked for by e-mail
UNUSABLE_PASSWORD = "!"  # no argon2 hash: nobody signs in before activating
# Wrong codes within the sign-in window before further wrong ones answer 429.
MAX_FAILURES = 10  # per username
MAX_FAILURES_PER_ADDRESS = 20


@dataclass(frozen=True)
class IssuedCode:
    username: str
    nip: str | None
    name: str
    email: str | None
    code: str
    expires_at: datetime
    purpose: str


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def code_hash(settings: Settings, code: str) -> str:
    normal = code.strip().upper().replace("-", "").replace(" ", "")
    return hmac.new(settings.jwt_secret.encode(), normal.encode(), hashlib.sha256).hexdigest()


def issue(
    session: Session, settings: Settings, user: UserAccount, purpose: str, hours: int, actor: str
) -> IssuedCode:
    """A fresh code for `user`; earlier unused ones stop working, except that a code the
    person asked for themselves (`SELF_SERVICE`) never voids one HR handed out: anyone can
    ask in someone's name, and must not cancel what HR just gave them."""
    now = datetime.now(UTC)
    replaced = update(ActivationCode).where(
        col(ActivationCode.user_id) == user.id, col(ActivationCode.used_at).is_(None)
    )
    if actor == SELF_SERVICE:
        replaced = replaced.where(col(ActivationCode.created_by) == SELF_SERVICE)
    session.execute(replaced.values(used_at=now, outcome="replaced"))
    code = new_code()
    expires = now + timedelta(hours=hours)
    session.add(
        ActivationCode(
            user_id=user.stored_id,
            code_hash=code_hash(settings, code),
            purpose=purpose,
            expires_at=expires,
            created_by=actor,
            created_at=now,
        )
    )
    person = session.get(Employee, user.nip) if user.nip else None
    email = person.email if person is not None and person.email_bounced_at is None else None
    return IssuedCode(user.username, user.nip, user.full_name, email, code, expires, purpose)


def provision(
    session: Session, settings: Settings, actor: str, hours: int, agency_code: str | None = None
) -> list[IssuedCode]:
    """An account and an activation code for every serving employee who has no account
    (approver where they hold a structural or head post). Committed by the caller."""
    people = (
        select(col(Employee.nip), col(Employee.name), col(Position.kind), col(Position.code))
        .join(Position, col(Position.code) == col(Employee.position_code))
        .where(
            col(Employee.service_status).not_in(LEFT_SERVICE),
            col(Employee.nip).not_in(
                select(col(UserAccount.nip)).where(col(UserAccount.nip).is_not(None))
            ),
        )
    )
    if agency_code:
        people = people.join(Unit, col(Unit.code) == col(Position.unit_code)).where(
            col(Unit.agency_code) == agency_code
        )
    head_posts = set(session.execute(select(col(Unit.head_position_code))).scalars())
    issued = []
    now = datetime.now(UTC)
    for nip, name, kind, code in session.execute(people.order_by(col(Employee.nip))).all():
        taken = session.execute(
            select(col(UserAccount.id)).where(col(UserAccount.username) == nip)
        ).first()
        if taken:  # a username equal to the NIP belongs to someone else: HR decides
            continue
        user = UserAccount(
            username=nip,
            password_hash=UNUSABLE_PASSWORD,
            full_name=name,
            nip=nip,
            roles="approver,employee"
            if kind in STRUCTURAL_KINDS or code in head_posts
            else "employee",
            active=True,
            created_at=now,
        )
        session.add(user)
        session.flush()
        issued.append(issue(session, settings, user, "activate", hours, actor))
    return issued


def activate(
    session: Session,
    settings: Settings,
    username: str,
    code: str,
    password: str,
    ip: str,
    now: datetime | None = None,
) -> UserAccount:
    """Set the password with a valid code; the code is then spent, and every session and
    token issued before ends.

    A correct code always works: the limits below answer only wrong guesses (429 once a
    ceiling stands), so a stranger's wrong codes never stop the owner. That is safe
    because a code carries 59 bits: a million guesses have odds of 2^-39. Every wrong
    guess is counted before it is checked, so parallel guesses meet the ceiling too."""
    now = now or datetime.now(UTC)
    name = username[:64].lower()
    account_key, address_key = f"activate:{name}", f"activate-ip:{ip}"[:100]
    mine = reserve(session, (account_key, address_key), now)
    user = session.execute(
        select(UserAccount).where(col(UserAccount.username) == username)
    ).scalar_one_or_none()
    found = (
        session.execute(
            select(ActivationCode).where(
                col(ActivationCode.user_id) == user.id,
                col(ActivationCode.code_hash) == code_hash(settings, code),
            )
        ).scalar_one_or_none()
        if user is not None
        else None
    )
    if user is None or found is None or found.used_at is not None or not user.active:
        _wrong_code(session, settings, name, ip, now, mine)
    assert user is not None and found is not None
    release(session, mine)  # the right code: not a guess
    if as_utc(found.expires_at) < now:
        session.commit()
        raise AccountError("kode sudah kedaluwarsa; minta kode baru ke BKPSDM")
    try:
        check_password(password, username=user.username, nip=user.nip, name=user.full_name)
    except WeakPassword as exc:
        session.commit()
        raise AccountError(str(exc)) from exc
    spent = rows_changed(
        session.execute(
            update(ActivationCode)
            .where(col(ActivationCode.id) == found.id, col(ActivationCode.used_at).is_(None))
            .values(used_at=now, outcome="used")
        )
    )
    if not spent:  # the same code used twice at once: the other request won
        session.rollback()
        raise AccountError("kode tidak sah atau sudah dipakai; minta kode baru ke BKPSDM")
    user.password_hash = hash_password(password)
    user.session_epoch += 1
    remember(session, name, ip, now)
    session.commit()
    return user


def _wrong_code(
    session: Session, settings: Settings, name: str, ip: str, now: datetime, mine: list[int]
) -> NoReturn:
    """A wrong, spent or unknown code: 401, or 429 once this account or this address has
    had its share of wrong guesses in the window (the guess stays counted either way)."""
    window = timedelta(minutes=settings.login_window_minutes)
    try:
        ceiling(session, f"activate:{name}", MAX_FAILURES, "code_per_account", window, now, mine)
        ceiling(
            session,
            f"activate-ip:{ip}"[:100],
            MAX_FAILURES_PER_ADDRESS,
            "code_per_address",
            window,
            now,
            mine,
        )
    except Throttled as exc:
        log_refusal(session, name, ip, exc, now)
        raise
    session.commit()
    raise AccountError("kode tidak sah atau sudah dipakai; minta kode baru ke BKPSDM")


def deactivate_leavers(session: Session) -> list[str]:
    """Accounts of people who left the service (retired, dismissed, died) stop working.
    Returns their NIPs; committed by the caller."""
    nips = [
        nip
        for nip in session.execute(
            select(col(UserAccount.nip))
            .join(Employee, col(Employee.nip) == col(UserAccount.nip))
            .where(col(UserAccount.active), col(Employee.service_status).in_(LEFT_SERVICE))
        ).scalars()
        if nip is not None  # the join holds only accounts with a NIP
    ]
    if nips:
        session.execute(
            update(UserAccount).where(col(UserAccount.nip).in_(nips)).values(active=False)
        )
    return nips

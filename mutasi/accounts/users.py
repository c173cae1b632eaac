"""User accounts: creation, sign-in with throttling, logout (token revocation), demo users."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlmodel import col

from models import Employee, LoginFailure, Position, RevokedToken, Unit, UserAccount
from models.auth import ROLES
from mutasi.accounts.password_policy import WeakPassword, check_password
from mutasi.accounts.security import burn_verification, hash_password, verify_password
from mutasi.accounts.throttle import (
    Throttled,
    ceiling,
    failures,
    known,
    log_refusal,
    prune,
    release,
    remember,
    reserve,
)
from mutasi.infra.settings import Settings
from mutasi.org.directory import OrgDirectory
from planning.reference import STRUCTURAL_KINDS


class AccountError(ValueError):
    pass


def check_roles(roles: list[str] | tuple[str, ...]) -> str:
    unknown = sorted(set(roles) - set(ROLES))
    if unknown or not roles:
        raise AccountError(
            f"peran tidak dikenal: {', '.join(unknown) or '(kosong)'}; pilih dari {', '.join(ROLES)}"
        )
    return ",".join(r for r in ROLES if r in roles)


def create_user(
    session: Session,
    username: str,
    password: str,
    roles: list[str],
    *,
    full_name: str = "",
    nip: str | None = None,
) -> UserAccount:
    if session.execute(
        select(col(UserAccount.id)).where(col(UserAccount.username) == username)
    ).first():
        raise AccountError(f"nama pengguna '{username}' sudah dipakai")
    if nip is not None:
        person = session.get(Employee, nip)
        if person is None:
            raise AccountError(f"NIP {nip} tidak ada di data pegawai")
        if session.execute(select(col(UserAccount.id)).where(col(UserAccount.nip) == nip)).first():
            raise AccountError(f"NIP {nip} sudah memiliki akun")
        full_name = full_name or person.name
    try:
        check_password(password, username=username, nip=nip, name=full_name)
    except WeakPassword as exc:
        raise AccountError(str(exc)) from exc
    user = UserAccount(
        username=username,
        password_hash=hash_password(password),
        full_name=full_name or username,
        nip=nip,
        roles=check_roles(roles),
        created_at=datetime.now(UTC),
    )
    session.add(user)
    session.flush()
    return user


@dataclass(frozen=True)
class LoginAttempt:
    username: str
    password: str
    ip: str


def authenticate(
    session: Session, settings: Settings, attempt: LoginAttempt, now: datetime | None = None
) -> UserAccount | None:
    """The user on success; None on wrong credentials (recorded); Throttled otherwise.

    Nobody can lock someone else out:
    - one address guessing one account waits longer and longer (three free tries, then
      1 s, 2 s, 4 s, ...), while the owner elsewhere signs in as usual;
    - a ceiling per username (a guess spread over many addresses) and one per address
      (one address trying many accounts, e.g. spraying) stop strangers, but not the
      account's owner from an address they signed in from within 90 days, so a colleague
      behind the same office NAT, or the owner under a distributed attack, still gets in.
    Every refusal is logged for HR (`LoginThrottle`)."""
    now = now or datetime.now(UTC)
    window = timedelta(minutes=settings.login_window_minutes)
    name = attempt.username[:64].lower()
    pair_key, user_key, ip_key = (
        f"pair:{name}|{attempt.ip}"[:100],
        f"user:{name}",
        f"ip:{attempt.ip}"[:100],
    )
    mine = reserve(session, (pair_key, user_key, ip_key), now)
    try:
        _pair_delay(session, pair_key, now - window, now, settings, mine)
        if not known(session, name, attempt.ip, now):
            ceiling(
                session,
                user_key,
                settings.login_max_failures_per_user,
                "per_user",
                window,
                now,
                mine,
            )
            ceiling(
                session,
                ip_key,
                settings.login_max_failures_per_ip,
                "per_address",
                window,
                now,
                mine,
            )
    except Throttled as exc:
        release(session, mine)  # nothing was checked: not a guess
        log_refusal(session, name, attempt.ip, exc, now)
        raise
    user = session.execute(
        select(UserAccount).where(col(UserAccount.username) == attempt.username)
    ).scalar_one_or_none()
    if user is None:
        burn_verification(attempt.password)
    if user is None or not user.active or not verify_password(user.password_hash, attempt.password):
        prune(session, now - window)
        session.commit()
        return None
    release(session, mine)
    session.execute(delete(LoginFailure).where(col(LoginFailure.key).in_((pair_key, user_key))))
    remember(session, name, attempt.ip, now)
    session.commit()
    return user


def _pair_delay(
    session: Session,
    key: str,
    window_start: datetime,
    now: datetime,
    settings: Settings,
    mine: list[int],
) -> None:
    """After the free tries, each further failure from this address for this username
    doubles the wait before the next try (1 s, 2 s, 4 s, ... up to the window)."""
    count, _, last = failures(session, key, window_start, mine)
    over = count - settings.login_free_failures_per_address
    if over < 0 or last is None:
        return
    delay = min(2 ** min(over, 30), settings.login_window_minutes * 60)
    ready = last + timedelta(seconds=delay)
    if now < ready:
        raise Throttled(max(1, int((ready - now).total_seconds()) + 1), "per_user_and_address")


def revoke(session: Session, jti: str, expires_at: datetime) -> None:
    if session.get(RevokedToken, jti) is None:
        session.add(RevokedToken(jti=jti, expires_at=expires_at))
    session.execute(delete(RevokedToken).where(col(RevokedToken.expires_at) < datetime.now(UTC)))
    session.commit()


def is_revoked(session: Session, jti: str) -> bool:
    return session.get(RevokedToken, jti) is not None


@dataclass(frozen=True)
class DemoUser:
    username: str
    roles: str
    who: str


def create_demo_users(engine: Engine, settings: Settings) -> list[DemoUser]:
    """An account for every employee (username = NIP, approver when they hold a structural
    post), plus `hr` and `auditor`. All demo accounts share settings.demo_password, hashed
    once: hashing 2 000 passwords one by one would take minutes of argon2 time."""
    password_hash = hash_password(settings.demo_password)
    now = datetime.now(UTC)
    with Session(engine) as session:
        if session.execute(select(col(UserAccount.id)).limit(1)).first():
            return demo_user_summary(session)
        people = session.execute(
            select(
                col(Employee.nip), col(Employee.name), col(Position.kind), col(Position.code)
            ).join(Position, col(Position.code) == col(Employee.position_code))
        ).all()
        head_posts = set(session.execute(select(col(Unit.head_position_code))).scalars())
        rows: list[dict[str, Any]] = [
            {
                "username": "hr",
                "full_name": "Admin Kepegawaian BKPSDM",
                "nip": None,
                "roles": "hr_admin",
            },
            {
                "username": "auditor",
                "full_name": "Auditor Inspektorat",
                "nip": None,
                "roles": "auditor",
            },
        ]
        rows += [
            {
                "username": nip,
                "full_name": name,
                "nip": nip,
                "roles": "approver,employee"
                if kind in STRUCTURAL_KINDS or code in head_posts
                else "employee",
            }
            for nip, name, kind, code in people
        ]
        for row in rows:
            row.update(password_hash=password_hash, active=True, created_at=now)
        session.execute(insert(UserAccount), rows)
        session.commit()
        return demo_user_summary(session)


def demo_user_summary(session: Session) -> list[DemoUser]:
    """A few accounts worth signing in as, each with what they are for."""
    found = [
        DemoUser("hr", "hr_admin", "Admin Kepegawaian (HR)"),
        DemoUser("auditor", "auditor", "Auditor"),
    ]
    directory = OrgDirectory(session)
    agency_code = session.execute(
        select(col(Unit.agency_code)).order_by(col(Unit.code)).limit(1)
    ).scalar_one_or_none()
    if agency_code is None:
        return found
    for label, resolve in (
        ("Sekretaris Daerah (PPK atas nama)", directory.sekda),
        ("Kepala BKPSDM", directory.bkpsdm_head),
    ):
        with contextlib.suppress(LookupError):
            found.append(DemoUser(resolve(agency_code), "approver,employee", label))
    staff = session.execute(
        select(col(UserAccount.username))
        .where(col(UserAccount.roles) == "employee")
        .order_by(col(UserAccount.username))
        .limit(1)
    ).scalar_one_or_none()
    if staff:
        found.append(DemoUser(staff, "employee", "Pegawai (contoh)"))
    return found

"""Counting wrong guesses so that attackers slow down and owners do not.

An attempt is counted *before* its secret is checked (a reservation, committed), so
parallel attempts see each other: thirty guesses at once cannot all slip under a ceiling
of ten. An attempt that proves right, or that was refused before anything was checked,
takes its reservation back. Addresses an account signed in from before are remembered
(`KnownSignIn`), so the ceilings meant for strangers spare the owner there."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from models import KnownSignIn, LoginFailure, LoginThrottle
from mutasi.infra.db import as_utc

KNOWN_FOR = timedelta(days=90)


class Throttled(Exception):
    def __init__(self, retry_after: int, rule: str = "") -> None:
        super().__init__(f"terlalu banyak percobaan; coba lagi dalam {retry_after} detik")
        self.retry_after = retry_after
        self.rule = rule


def reserve(session: Session, keys: Sequence[str], now: datetime) -> list[int]:
    rows = [LoginFailure(key=key, at=now) for key in keys]
    session.add_all(rows)
    session.flush()
    ids = [row.id for row in rows if row.id is not None]
    session.commit()
    return ids


def release(session: Session, ids: Sequence[int]) -> None:
    session.execute(delete(LoginFailure).where(col(LoginFailure.id).in_(ids)))


def failures(
    session: Session, key: str, since: datetime, mine: Sequence[int]
) -> tuple[int, datetime | None, datetime | None]:
    """Others' failures under `key` since `since`: how many, the oldest and the newest."""
    count, oldest, newest = session.execute(
        select(func.count(), func.min(LoginFailure.at), func.max(LoginFailure.at)).where(
            col(LoginFailure.key) == key,
            col(LoginFailure.at) >= since,
            col(LoginFailure.id).not_in(mine),
        )
    ).one()
    return count, oldest and as_utc(oldest), newest and as_utc(newest)


def ceiling(
    session: Session,
    key: str,
    limit: int,
    rule: str,
    window: timedelta,
    now: datetime,
    mine: Sequence[int],
) -> None:
    """Throttled when `limit` failures under `key` stand within the window; the wait is
    until the oldest of them leaves it."""
    count, oldest, _ = failures(session, key, now - window, mine)
    if count >= limit and oldest is not None:
        wait = oldest + window - now
        raise Throttled(max(1, int(wait.total_seconds()) + 1), rule)


def known(session: Session, username: str, address: str, now: datetime) -> bool:
    seen = session.get(KnownSignIn, (username, address[:64]))
    return seen is not None and as_utc(seen.last_at) >= now - KNOWN_FOR


def remember(session: Session, username: str, address: str, now: datetime) -> None:
    seen = session.get(KnownSignIn, (username, address[:64]))
    if seen is None:
        session.add(KnownSignIn(username=username, address=address[:64], last_at=now))
    else:
        seen.last_at = now


def log_refusal(
    session: Session, username: str, address: str, refused: Throttled, now: datetime
) -> None:
    """For HR: who was refused, from where, by which rule (committed at once)."""
    session.add(
        LoginThrottle(
            at=now,
            username=username,
            address=address[:64],
            rule=refused.rule,
            retry_after=refused.retry_after,
        )
    )
    session.commit()


def prune(session: Session, before: datetime) -> None:
    session.execute(delete(LoginFailure).where(col(LoginFailure.at) < before))

"""Signing in inside tests: tokens minted for existing accounts (no argon2 cost per test)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models import UserAccount
from mutasi.accounts.security import issue_token
from mutasi.infra.settings import Settings


def user_id(engine: Engine, username: str) -> int:
    with Session(engine) as session:
        found = session.execute(
            select(UserAccount.id).where(UserAccount.username == username)
        ).scalar_one_or_none()
    if found is None:
        raise AssertionError(f"tidak ada akun {username}")
    return found


def auth_headers(engine: Engine, settings: Settings, username: str) -> dict[str, str]:
    token = issue_token(settings, user_id(engine, username), 30, "api").token
    return {"Authorization": f"Bearer {token}"}


def username_with_role(
    engine: Engine,
    role: str,
    exclude_roles: tuple[str, ...] = (),
    exclude_usernames: tuple[str, ...] = (),
) -> str:
    with Session(engine) as session:
        for user in session.execute(select(UserAccount).order_by(UserAccount.username)).scalars():
            if (
                role in user.role_set
                and not user.role_set & set(exclude_roles)
                and user.username not in exclude_usernames
            ):
                return user.username
    raise AssertionError(f"tidak ada akun dengan peran {role}")


def page_client(client, engine, username: str) -> str:
    """The same app, signed in to the pages as `username` (session cookie); its CSRF token."""
    from mutasi.accounts.security import csrf_token, issue_token

    settings = client.app.state.settings
    session = issue_token(settings, user_id(engine, username), 30, "session")
    client.cookies.set("mutasi_session", session.token)
    return csrf_token(settings, session.jti)

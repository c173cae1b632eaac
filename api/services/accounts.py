"""Signing in (with throttling) for the API token and the web session."""

from __future__ import annotations

from fastapi import Request

from api.errors import ProblemError
from models import UserAccount
from mutasi.accounts.users import (
    LoginAttempt,
    Throttled,
    authenticate,
)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def sign_in(session, settings, username: str, password: str, ip: str) -> UserAccount:
    try:
        user = authenticate(session, settings, LoginAttempt(username, password, ip))
    except Throttled as exc:
        raise ProblemError(
            429, "Terlalu banyak percobaan", str(exc), headers={"Retry-After": str(exc.retry_after)}
        ) from exc
    if user is None:
        raise ProblemError(
            401,
            "Gagal masuk",
            "nama pengguna atau kata sandi salah",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user

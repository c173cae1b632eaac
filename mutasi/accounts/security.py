"""Passwords, tokens and CSRF: argon2id hashes, HS256 JWTs with a revocable id, and
CSRF tokens bound to the session's token id (a stolen form token is useless elsewhere)."""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from mutasi.infra.settings import Settings

ALGORITHM = "HS256"
ISSUER = "mutasi"
_HASHER = PasswordHasher()


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# Verifying against a real hash when the user does not exist keeps the response time
# the same, so timing does not reveal which usernames exist.
_DUMMY_HASH = _HASHER.hash("mutasi-timing-equaliser")


def burn_verification(password: str) -> None:
    verify_password(_DUMMY_HASH, password)


@dataclass(frozen=True)
class IssuedToken:
    token: str
    jti: str
    expires_at: datetime


class InvalidToken(ValueError):
    pass


def issue_token(
    settings: Settings,
    user_id: int,
    minutes: int,
    kind: str,
    now: datetime | None = None,
    epoch: int = 0,
) -> IssuedToken:
    """`epoch` is the account's session epoch (`UserAccount.session_epoch`): a new password
    moves it on and every token of an earlier epoch is refused."""
    now = now or datetime.now(UTC)
    expires = now + timedelta(minutes=minutes)
    jti = uuid.uuid4().hex
    claims = {
        "sub": str(user_id),
        "jti": jti,
        "iat": int(now.timestamp()),
        "exp": int(expires.timestamp()),
        "iss": ISSUER,
        "typ": kind,
        "gen": epoch,
    }
    return IssuedToken(jwt.encode(claims, settings.jwt_secret, algorithm=ALGORITHM), jti, expires)


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    jti: str
    kind: str  # "api" (bearer) | "session" (cookie)
    expires_at: datetime
    epoch: int = 0


# Claims are checked by type and range, not only by signature: a token signed with a
# leaked development secret must still get a 401, never a 500 (an id past the database's
# integer, a date past the calendar).
_ID_MAX = 2**31 - 1
_EXP_MAX = 253402300799  # 9999-12-31T23:59:59Z
_SUB = re.compile(r"[1-9][0-9]{0,9}")
_JTI = re.compile(r"[0-9a-f]{32}")


def decode_token(settings: Settings, token: str) -> TokenClaims:
    try:
        claims = jwt.decode(
            token,
            settings.jwt_secret,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["sub", "jti", "exp", "iss", "typ"]},
        )
        return _checked(claims)
    except jwt.ExpiredSignatureError as exc:
        raise InvalidToken("token kedaluwarsa; silakan masuk lagi") from exc
    except (jwt.InvalidTokenError, ValueError) as exc:
        raise InvalidToken("token tidak valid") from exc


def _checked(claims: dict[str, Any]) -> TokenClaims:
    sub, jti, kind, exp, epoch = (claims.get(k) for k in ("sub", "jti", "typ", "exp", "gen"))
    epoch = 0 if epoch is None else epoch
    if not (
        isinstance(sub, str)
        and _SUB.fullmatch(sub)
        and int(sub) <= _ID_MAX
        and isinstance(jti, str)
        and _JTI.fullmatch(jti)
        and kind in ("api", "session")
        and type(exp) is int
        and 0 < exp <= _EXP_MAX
        and type(epoch) is int
        and 0 <= epoch <= _ID_MAX
    ):
        raise InvalidToken("token tidak valid")
    return TokenClaims(int(sub), jti, kind, datetime.fromtimestamp(exp, UTC), epoch)


def csrf_token(settings: Settings, jti: str) -> str:
    return hmac.new(
        settings.jwt_secret.encode(), f"csrf:{jti}".encode(), hashlib.sha256
    ).hexdigest()


def csrf_valid(settings: Settings, jti: str, candidate: str | None) -> bool:
    return bool(candidate) and hmac.compare_digest(csrf_token(settings, jti), candidate or "")

"""Passwords, tokens and CSRF: argon2id hashes, HS256 JWTs with a revocable id, and
CSRF tokens bound to the session's token id (a stolen form token is useless elsewhere)."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

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
    settings: Settings, user_id: int, minutes: int, kind: str, now: datetime | None = None
) -> IssuedToken:
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
    }
    return IssuedToken(jwt.encode(claims, settings.jwt_secret, algorithm=ALGORITHM), jti, expires)


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    jti: str
    kind: str  # "api" (bearer) | "session" (cookie)
    expires_at: datetime


def decode_token(settings: Settings, token: str) -> TokenClaims:
    try:
        claims = jwt.decode(
            token,
            settings.jwt_secret,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["sub", "jti", "exp", "iss", "typ"]},
        )
        return TokenClaims(
            int(claims["sub"]),
            str(claims["jti"]),
            str(claims["typ"]),
            datetime.fromtimestamp(claims["exp"], UTC),
        )
    except jwt.ExpiredSignatureError as exc:
        raise InvalidToken("token kedaluwarsa; silakan masuk lagi") from exc
    except (jwt.InvalidTokenError, ValueError) as exc:
        raise InvalidToken("token tidak valid") from exc


def csrf_token(settings: Settings, jti: str) -> str:
    return hmac.new(
        settings.jwt_secret.encode(), f"csrf:{jti}".encode(), hashlib.sha256
    ).hexdigest()


def csrf_valid(settings: Settings, jti: str, candidate: str | None) -> bool:
    return bool(candidate) and hmac.compare_digest(csrf_token(settings, jti), candidate)

"""Signing in (with throttling) for the API token and the web session."""

from __future__ import annotations

from collections.abc import Iterable
from ipaddress import IPv4Network, IPv6Network, ip_address

from fastapi import Request
from sqlmodel import Session

from api.errors import ProblemError
from contracts.messages import Msg
from models import UserAccount
from mutasi.accounts.users import (
    LoginAttempt,
    Throttled,
    authenticate,
)
from mutasi.infra.settings import Settings


def client_ip(request: Request) -> str:
    """The address failures are counted under: the peer's, or, when the peer is one of
    MUTASI_TRUSTED_PROXIES, the right-most X-Forwarded-For entry that is not a trusted
    proxy itself (the left entries are whatever the client wrote)."""
    peer = request.client.host if request.client else "unknown"
    trusted = request.app.state.settings.trusted_proxy_networks
    if not trusted or not _within(peer, trusted):
        return peer
    forwarded = [
        part.strip() for part in request.headers.get("x-forwarded-for", "").split(",") if part
    ]
    for hop in reversed(forwarded):
        if not _valid(hop):
            return peer  # a garbled chain: count it under the proxy, not a made-up name
        if not _within(hop, trusted):
            return hop
    return peer


def _valid(address: str) -> bool:
    try:
        ip_address(address)
    except ValueError:
        return False
    return True


def _within(address: str, networks: Iterable[IPv4Network | IPv6Network]) -> bool:
    try:
        ip = ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def sign_in(
    session: Session, settings: Settings, username: str, password: str, ip: str
) -> UserAccount:
    try:
        user = authenticate(session, settings, LoginAttempt(username, password, ip))
    except Throttled as exc:
        raise ProblemError(
            429,
            Msg(code="problem.too_many_attempts"),
            str(exc),
            headers={"Retry-After": str(exc.retry_after)},
        ) from exc
    if user is None:
        raise ProblemError(
            401,
            Msg(code="problem.sign_in_failed"),
            Msg(code="problem.wrong_username_or_password"),
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user

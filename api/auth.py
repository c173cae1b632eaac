"""Who is calling, and may they? Bearer JWTs for the API, a session cookie (same JWT
format, kind "session") for the pages; a cookie-authenticated change also needs the CSRF
token. Every route states the roles it admits through `require(...)`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlmodel import Session

from api.deps import SessionDep, SettingsDep
from api.errors import ProblemError
from contracts.messages import Msg
from models import UserAccount
from mutasi.accounts.security import InvalidToken, csrf_valid, decode_token
from mutasi.accounts.users import is_revoked
from mutasi.infra.settings import Settings

SESSION_COOKIE = "mutasi_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
bearer_scheme = OAuth2PasswordBearer(
    tokenUrl="/api/v1/auth/token",
    auto_error=False,
    description="token dari POST /api/v1/auth/token",
)


@dataclass(frozen=True)
class Actor:
    user_id: int
    username: str
    full_name: str
    nip: str | None
    roles: frozenset[str]
    jti: str
    via: str  # "bearer" | "cookie"
    expires_at: datetime

    @property
    def name(self) -> str:
        """The name recorded in the audit trail."""
        return self.username

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


def unauthenticated(detail: str) -> ProblemError:
    return ProblemError(
        401, Msg(code="problem.not_signed_in"), detail, headers={"WWW-Authenticate": "Bearer"}
    )


def resolve_actor(
    request: Request, session: Session, settings: Settings, bearer: str | None
) -> Actor | None:
    """The signed-in actor, None when no credentials came, ProblemError(401) when they are bad."""
    token, via = (bearer, "bearer") if bearer else (request.cookies.get(SESSION_COOKIE), "cookie")
    if not token:
        return None
    try:
        claims = decode_token(settings, token)
    except InvalidToken as exc:
        raise unauthenticated(str(exc)) from exc
    if claims.kind != ("api" if via == "bearer" else "session"):
        raise unauthenticated("jenis token tidak cocok dengan cara pengirimannya")
    if is_revoked(session, claims.jti):
        raise unauthenticated("sesi sudah keluar; silakan masuk lagi")
    user = session.get(UserAccount, claims.user_id)
    if user is None or not user.active:
        raise unauthenticated("akun tidak aktif")
    if claims.epoch != user.session_epoch:
        raise unauthenticated("kata sandi akun ini sudah diganti; silakan masuk lagi")
    return Actor(
        user.stored_id,
        user.username,
        user.full_name,
        user.nip,
        user.role_set,
        claims.jti,
        via,
        claims.expires_at,
    )


def current_actor(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    bearer: Annotated[str | None, Depends(bearer_scheme)],
) -> Actor:
    try:
        actor = resolve_actor(request, session, settings, bearer)
    finally:
        # Hand the connection back: holding it until the endpoint gets a worker thread
        # deadlocks under load (threads wait for connections held by requests that wait
        # for threads).
        session.close()
    if actor is None:
        raise unauthenticated("silakan masuk: kirim header Authorization: Bearer <token>")
    if (
        actor.via == "cookie"
        and request.method not in SAFE_METHODS
        and not csrf_valid(settings, actor.jti, request.headers.get(CSRF_HEADER))
    ):
        raise ProblemError(
            403,
            Msg(code="problem.invalid_csrf_token"),
            Msg(code="problem.changes_from_a_browser_session_need_the_x_csrf"),
        )
    return actor


ActorDep = Annotated[Actor, Depends(current_actor)]


# One callable per role set, so FastAPI runs it once per request even where a route both
# declares the guard (it runs first: a wrong role is refused before Temporal or the body is
# touched) and takes the typed actor (e.g. `dependencies=[HR_ONLY]` with `actor: HrActor`).
@cache
def require(*roles: str) -> Callable[[Actor], Actor]:
    """A dependency admitting actors holding at least one of `roles`."""
    allowed = frozenset(roles)

    def _check(actor: ActorDep) -> Actor:
        if not actor.roles & allowed:
            raise ProblemError(
                403,
                Msg(code="problem.access_denied"),
                Msg(
                    code="problem.requires_the_role_value",
                    params={"value": str(", ".join(sorted(allowed)))},
                ),
            )
        return actor

    _check.__name__ = f"require_{'_or_'.join(sorted(allowed))}"
    return _check


def own_nip(actor: Actor) -> str:
    """The signed-in employee's NIP: what every "my own" route reads by, never a parameter."""
    if not actor.nip:
        raise ProblemError(
            403,
            Msg(code="problem.access_denied"),
            Msg(code="problem.this_account_is_not_linked_to_an_employee_nip"),
        )
    return actor.nip


HrActor = Annotated[Actor, Depends(require("hr_admin"))]
ApproverActor = Annotated[Actor, Depends(require("approver"))]
EmployeeActor = Annotated[Actor, Depends(require("employee"))]
HrOrApproverActor = Annotated[Actor, Depends(require("hr_admin", "approver"))]
HR_ONLY = Depends(require("hr_admin"))
HR_OR_AUDITOR = Depends(require("hr_admin", "auditor"))
APPROVER_ONLY = Depends(require("approver"))
EMPLOYEE_ONLY = Depends(require("employee"))
SIGNED_IN = Depends(current_actor)

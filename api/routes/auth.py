"""Sign-in for the API (OAuth2 password flow -> JWT bearer), sign-out, and user accounts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlmodel import col

from api.auth import HR_ONLY, ActorDep, HrActor
from api.deps import SessionDep, SettingsDep
from api.errors import ProblemError
from api.pagination import Page, PageDep, page_of
from api.schemas import ThrottleOut
from api.services.accounts import client_ip, sign_in
from contracts.messages import Msg
from models import LoginThrottle, UserAccount
from mutasi.accounts.password_policy import MIN_LENGTH
from mutasi.accounts.security import issue_token
from mutasi.accounts.users import (
    AccountError,
    check_roles,
    create_user,
    revoke,
)

router = APIRouter(tags=["autentikasi"])


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int
    roles: list[str]


@router.post(
    "/auth/token", response_model=TokenOut, summary="Sign in: OAuth2 password flow, returns a JWT"
)
def token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
) -> TokenOut:
    user = sign_in(session, settings, form.username, form.password, client_ip(request))
    issued = issue_token(
        settings, user.stored_id, settings.token_minutes, "api", epoch=user.session_epoch
    )
    return TokenOut(
        access_token=issued.token,
        expires_in=settings.token_minutes * 60,
        roles=sorted(user.role_set),
    )


@router.post("/auth/logout", status_code=204, summary="Sign out: the token stops working at once")
def logout(actor: ActorDep, session: SessionDep) -> None:
    revoke(session, actor.jti, actor.expires_at)


class Me(BaseModel):
    username: str
    full_name: str
    nip: str | None
    roles: list[str]


@router.get("/auth/me", response_model=Me, summary="Who am I")
def me(actor: ActorDep) -> Me:
    return Me(
        username=actor.username, full_name=actor.full_name, nip=actor.nip, roles=sorted(actor.roles)
    )


class UserOut(BaseModel):
    id: int
    username: str
    full_name: str
    nip: str | None
    roles: list[str]
    active: bool


def user_out(user: UserAccount) -> UserOut:
    return UserOut(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        nip=user.nip,
        roles=sorted(user.role_set),
        active=user.active,
    )


@router.get("/users", response_model=Page[UserOut], dependencies=[HR_ONLY], summary="User accounts")
def list_users(
    session: SessionDep, page: PageDep, role: str | None = None, q: str | None = None
) -> Page[Any]:
    query = select(UserAccount).order_by(col(UserAccount.username))
    if role:
        query = query.where(col(UserAccount.roles).contains(role, autoescape=True))
    if q:
        query = query.where(
            col(UserAccount.username).contains(q, autoescape=True)
            | col(UserAccount.full_name).contains(q, autoescape=True)
        )
    result = page_of(session, query, page)
    result.items = [user_out(u) for u in result.items]
    return result


class UserCreate(BaseModel):
    username: str = Field(..., min_length=3, max_length=64, pattern=r"^[A-Za-z0-9._@-]+$")
    password: str = Field(..., min_length=MIN_LENGTH, max_length=200)
    full_name: str = Field("", max_length=200)
    nip: str | None = Field(None, pattern=r"^\d{18}$")
    roles: list[str] = Field(..., min_length=1, max_length=4)


@router.get(
    "/auth/throttled",
    response_model=Page[ThrottleOut],
    dependencies=[HR_ONLY],
    summary="Sign-ins refused by throttling, newest first (username, address, rule)",
)
def throttled_sign_ins(
    session: SessionDep, page: PageDep, username: Annotated[str | None, Query(max_length=64)] = None
) -> Page[Any]:
    query = select(LoginThrottle).order_by(
        col(LoginThrottle.at).desc(), col(LoginThrottle.id).desc()
    )
    if username:
        query = query.where(col(LoginThrottle.username) == username.lower())
    return page_of(session, query, page)


@router.post("/users", status_code=201, response_model=UserOut, summary="Create a user account")
def add_user(body: UserCreate, session: SessionDep, actor: HrActor) -> UserOut:
    try:
        user = create_user(
            session,
            body.username,
            body.password,
            body.roles,
            full_name=body.full_name,
            nip=body.nip,
        )
    except AccountError as exc:
        raise ProblemError(422, Msg(code="problem.invalid_account"), str(exc)) from exc
    session.commit()
    return user_out(user)


class UserChange(BaseModel):
    roles: list[str] | None = Field(None, min_length=1, max_length=4)
    active: bool | None = None


@router.patch(
    "/users/{username}", response_model=UserOut, summary="Change a user's roles or deactivate it"
)
def change_user(username: str, body: UserChange, session: SessionDep, actor: HrActor) -> UserOut:
    user = session.execute(
        select(UserAccount).where(col(UserAccount.username) == username)
    ).scalar_one_or_none()
    if user is None:
        raise ProblemError(
            404,
            Msg(code="problem.not_found"),
            Msg(code="problem.user_username_not_found", params={"username": str(username)}),
        )
    if user.id == actor.user_id and (
        body.active is False or (body.roles and "hr_admin" not in body.roles)
    ):
        raise ProblemError(
            422,
            Msg(code="problem.change_refused"),
            Msg(code="problem.you_cannot_deactivate_your_own_account_or_remove"),
        )
    try:
        if body.roles is not None:
            user.roles = check_roles(body.roles)
    except AccountError as exc:
        raise ProblemError(422, Msg(code="problem.invalid_role"), str(exc)) from exc
    if body.active is not None:
        user.active = body.active
    session.add(user)
    session.commit()
    return user_out(user)

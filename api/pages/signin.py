"""Login, logout and the language switch. The login form carries a double-submit CSRF
token (a cookie and a hidden field that must match), since there is no session yet."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from api.auth import SESSION_COOKIE, Actor
from api.deps import SessionDep
from api.errors import ProblemError
from api.pages.common import (
    checked_form,
    cookie_actor,
    home_of,
    page_actor,
    redirect,
    refusal,
    render,
)
from api.pages.i18n import LANG_COOKIE, LANGUAGES
from api.services.accounts import client_ip, sign_in
from mutasi.accounts.security import issue_token
from mutasi.accounts.users import revoke

router = APIRouter(include_in_schema=False)
LOGIN_CSRF_COOKIE = "mutasi_login_csrf"


def safe_next(url: str | None) -> str | None:
    """Only same-site paths: never an open redirect to another host."""
    if url and url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    return None


def login_page(
    request: Request, error: str | None = None, status_code: int = 200, username: str = ""
) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html",
        None,
        status_code=status_code,
        error=error,
        login_csrf=token,
        next=safe_next(request.query_params.get("next")) or "",
        username=username,
    )
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", max_age=3600)
    return response


@router.get("/")
def root(request: Request) -> Response:
    actor = cookie_actor(request)
    return redirect(home_of(actor.roles) if actor else "/login")


@router.get("/login")
def login_form(request: Request) -> Response:
    return login_page(request)


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=200)],
    csrf: Annotated[str, Form(max_length=100)],
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    state = request.app.state
    settings = state.settings
    if not secrets.compare_digest(csrf, request.cookies.get(LOGIN_CSRF_COOKIE, "")):
        return login_page(request, "Formulir kedaluwarsa; silakan coba lagi.", 403, username)
    with Session(state.engine) as session:
        try:
            user = sign_in(session, settings, username.strip(), password, client_ip(request))
        except ProblemError as exc:
            return login_page(request, refusal(request, exc), exc.status, username)
        issued = issue_token(
            settings, user.stored_id, settings.session_minutes, "session", epoch=user.session_epoch
        )
        roles = user.role_set
    target = safe_next(next) or home_of(roles)
    response = redirect(target)
    response.set_cookie(
        SESSION_COOKIE,
        issued.token,
        max_age=settings.session_minutes * 60,
        httponly=True,
        samesite="lax",
        secure=settings.production,
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
async def logout(
    request: Request, session: SessionDep, actor: Annotated[Actor, Depends(page_actor())]
) -> Response:
    await checked_form(request, actor)
    revoke(session, actor.jti, actor.expires_at)
    response = redirect("/login")
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/lang/{code}")
def switch_language(code: str, request: Request) -> Response:
    response = redirect(safe_next(request.query_params.get("next")) or "/")
    if code in LANGUAGES:
        response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, samesite="lax")
    return response

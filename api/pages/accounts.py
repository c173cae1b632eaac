"""Account pages: a person activates their account or resets their password with a
one-time code (public, double-submit CSRF like the login page); HR provisions accounts
(the file of codes downloads at once) and issues reset codes on /hr/akun."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Form, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlmodel import Session, col

from api.auth import Actor
from api.deps import SessionDep
from api.errors import ProblemError
from api.pages.common import HrPage, checked_form, redirect, refusal, render
from api.services.accounts import client_ip
from api.services.activation import (
    ActivateBody,
    ProvisionBody,
    activate_account,
    forgot_password,
    provision_accounts,
    reset_code,
)
from models import Employee, UserAccount
from mutasi.accounts.activation import UNUSABLE_PASSWORD
from planning.reference import LEFT_SERVICE

router = APIRouter(include_in_schema=False)
FORM_CSRF_COOKIE = "mutasi_form_csrf"


def _public_form(
    request: Request, template: str, status: int = 200, **context: Any
) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = render(request, template, None, status_code=status, form_csrf=token, **context)
    response.set_cookie(FORM_CSRF_COOKIE, token, httponly=True, samesite="strict", max_age=3600)
    return response


def _csrf_ok(request: Request, csrf: str) -> bool:
    return secrets.compare_digest(csrf, request.cookies.get(FORM_CSRF_COOKIE, ""))


@router.get("/aktivasi")
def activation_form(request: Request, u: str = "") -> Response:
    return _public_form(request, "activate.html", username=u[:64])


@router.post("/aktivasi")
def activate(
    request: Request,
    session: SessionDep,
    csrf: Annotated[str, Form(max_length=100)],
    username: Annotated[str, Form(max_length=64)],
    code: Annotated[str, Form(max_length=40)],
    password: Annotated[str, Form(max_length=200)],
    password2: Annotated[str, Form(max_length=200)],
) -> Response:
    if not _csrf_ok(request, csrf):
        return _public_form(
            request,
            "activate.html",
            403,
            username=username,
            error="Muat ulang halaman lalu kirim lagi.",
        )
    if password != password2:
        return _public_form(
            request, "activate.html", 422, username=username, error="Kedua kata sandi tidak sama."
        )
    try:
        body = ActivateBody(username=username, code=code, password=password)
        activate_account(session, request.app.state.settings, body, client_ip(request))
    except ValidationError:
        return _public_form(
            request,
            "activate.html",
            422,
            username=username,
            error="Kode terdiri dari 12 huruf/angka dan kata sandi minimal 12 karakter.",
        )
    except ProblemError as exc:
        return _public_form(
            request, "activate.html", exc.status, username=username, error=refusal(request, exc)
        )
    return redirect(
        "/login", "Kata sandi tersimpan. Silakan masuk dengan NIP dan kata sandi baru Anda."
    )


@router.get("/lupa-sandi")
def forgot_form(request: Request) -> Response:
    return _public_form(request, "forgot.html")


@router.post("/lupa-sandi")
def forgot(
    request: Request,
    background: BackgroundTasks,
    csrf: Annotated[str, Form(max_length=100)],
    username: Annotated[str, Form(max_length=64)],
) -> Response:
    if not _csrf_ok(request, csrf):
        return _public_form(
            request, "forgot.html", 403, error="Muat ulang halaman lalu kirim lagi."
        )
    background.add_task(
        forgot_password,
        request.app.state.engine,
        request.app.state.settings,
        username.strip(),
        client_ip(request),
    )
    return redirect(
        f"/aktivasi?u={username.strip()[:64]}",
        "Bila akun ini memiliki alamat e-mail, kode pengganti kata sandi telah dikirim ke sana. "
        "Tanpa e-mail, minta kode ke BKPSDM.",
    )


def accounts_page(
    request: Request,
    session: Session,
    actor: Actor,
    issued: dict[str, Any] | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    counts = {
        "employees": session.execute(
            select(func.count())
            .select_from(Employee)
            .where(col(Employee.service_status).not_in(LEFT_SERVICE))
        ).scalar_one(),
        "accounts": session.execute(
            select(func.count()).select_from(UserAccount).where(col(UserAccount.nip).is_not(None))
        ).scalar_one(),
        "waiting": session.execute(
            select(func.count())
            .select_from(UserAccount)
            .where(col(UserAccount.password_hash) == UNUSABLE_PASSWORD)
        ).scalar_one(),
        "inactive": session.execute(
            select(func.count()).select_from(UserAccount).where(col(UserAccount.active).is_(False))
        ).scalar_one(),
        "with_email": session.execute(
            select(func.count()).select_from(Employee).where(col(Employee.email).is_not(None))
        ).scalar_one(),
    }
    return render(
        request, "hr/accounts.html", actor, status, counts=counts, issued=issued, error=error
    )


@router.get("/hr/akun")
def accounts(request: Request, session: SessionDep, actor: HrPage) -> Response:
    return accounts_page(request, session, actor)


@router.post("/hr/akun/buat")
async def provision(request: Request, session: SessionDep, actor: HrPage) -> Response:
    form = await checked_form(request, actor)
    try:
        body = ProvisionBody(valid_hours=int(form.get("valid_hours") or 72))
    except (ValidationError, ValueError):
        return accounts_page(
            request, session, actor, error="Masa berlaku 1 sampai 720 jam.", status=422
        )
    text, _count = provision_accounts(session, request.app.state.settings, actor.name, body)
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="kode-aktivasi.csv"',
            "Cache-Control": "no-store",
        },
    )


@router.post("/hr/akun/reset")
async def reset(request: Request, session: SessionDep, actor: HrPage) -> Response:
    form = await checked_form(request, actor)
    username = str(form.get("username") or "").strip()
    try:
        issued, mailed = reset_code(session, request.app.state.settings, actor.name, username, 72)
    except ProblemError as exc:
        return accounts_page(
            request, session, actor, error=refusal(request, exc), status=exc.status
        )
    return accounts_page(request, session, actor, issued={"item": issued, "mailed": mailed})

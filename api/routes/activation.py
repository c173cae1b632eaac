"""Accounts for everyone: HR provisions accounts with one-time activation codes (a CSV
file to hand out) and issues reset codes; a person activates their account or resets
their password with a code."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Request, Response

from api.auth import HR_ONLY, HrActor
from api.deps import SessionDep, SettingsDep
from api.openapi import download
from api.schemas import Message
from api.schemas.people import IssuedCode
from api.services.accounts import client_ip
from api.services.activation import (
    ActivateBody,
    CodeBody,
    ForgotBody,
    ProvisionBody,
    activate_account,
    forgot_password,
    provision_accounts,
    reset_code,
)

router = APIRouter(tags=["akun"])


@router.post(
    "/accounts/provision",
    dependencies=[HR_ONLY],
    summary="An account and a one-time activation code for every employee without one (CSV)",
    response_class=Response,
    responses=download("text/csv"),
)
def provision(
    body: ProvisionBody, session: SessionDep, settings: SettingsDep, actor: HrActor
) -> Response:
    text, count = provision_accounts(session, settings, actor.name, body)
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="kode-aktivasi.csv"',
            "Cache-Control": "no-store",
            "X-Accounts-Created": str(count),
        },
    )


@router.post(
    "/users/{username}/activation-code",
    dependencies=[HR_ONLY],
    summary="A new one-time code for a password reset (shown once)",
)
def new_code(
    username: str, body: CodeBody, session: SessionDep, settings: SettingsDep, actor: HrActor
) -> IssuedCode:
    issued, mailed = reset_code(session, settings, actor.name, username, body.valid_hours)
    return IssuedCode(
        username=issued.username, code=issued.code, expires_at=issued.expires_at, emailed=mailed
    )


@router.post("/auth/activate", summary="Set my password with a one-time code")
def activate(
    body: ActivateBody, request: Request, session: SessionDep, settings: SettingsDep
) -> Message:
    user = activate_account(session, settings, body, client_ip(request))
    return Message(message=f"kata sandi akun {user.username} tersimpan; silakan masuk")


@router.post("/auth/forgot", status_code=202, summary="Send a reset code to my e-mail")
def forgot(
    body: ForgotBody, request: Request, background: BackgroundTasks, settings: SettingsDep
) -> Message:
    background.add_task(
        forgot_password, request.app.state.engine, settings, body.username, client_ip(request)
    )
    return Message(
        message="bila akun ini memiliki alamat e-mail, kode pengganti kata sandi dikirim ke sana"
    )

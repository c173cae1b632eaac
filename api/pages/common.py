"""What every page needs: templates, language, the signed-in actor from the session
cookie (or a redirect to the login page), CSRF checks on forms, one-shot flash messages."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, unquote

from fastapi import Depends, FastAPI, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from sqlmodel import Session
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.auth import Actor, resolve_actor
from api.errors import ProblemError
from api.pages.formats import angka_filter, tanggal_filter
from api.pages.i18n import (
    LANG_COOKIE,
    LANGUAGES,
    action_label,
    code_labeller,
    explainer,
    role_labels,
    translator,
)
from api.services.notifications import unread_count
from contracts.messages import Msg
from mutasi.accounts.security import csrf_token, csrf_valid
from mutasi.i18n.catalogs import label
from mutasi.i18n.formats import moment
from mutasi.i18n.render import say

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent / "templates"))
TEMPLATES.env.filters.update(angka=angka_filter, tanggal=tanggal_filter)
FLASH_COOKIE = "mutasi_flash"
ROLE_HOMES = (
    ("hr_admin", "/hr"),
    ("approver", "/inbox"),
    ("employee", "/saya"),
    ("auditor", "/audit"),
)


class LoginRequired(Exception):
    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


class PageForbidden(Exception):
    pass


def language(request: Request) -> str:
    lang = request.cookies.get(LANG_COOKIE, "id")
    return lang if lang in LANGUAGES else "id"


def home_of(roles: frozenset[str]) -> str:
    return next((url for role, url in ROLE_HOMES if role in roles), "/login")


def cookie_actor(request: Request) -> Actor | None:
    """The actor of a valid session cookie; None when there is none, or it is expired or revoked."""
    state = request.app.state
    with Session(state.engine) as session:
        try:
            return resolve_actor(request, session, state.settings, None)
        except ProblemError:
            return None


def page_actor(*roles: str) -> Callable[[Request], Actor]:
    """A page dependency: the signed-in actor holding one of `roles`; else a redirect to
    the login page (not signed in, expired, signed out) or a 403 page (wrong role)."""

    def _dep(request: Request) -> Actor:
        actor = cookie_actor(request)
        if actor is None or actor.via != "cookie":
            raise LoginRequired(
                request.url.path + (f"?{request.url.query}" if request.url.query else "")
            )
        if roles and not actor.has(*roles):
            raise PageForbidden()
        return actor

    return _dep


# The page dependencies by role: the signed-in actor, or the login page / a 403 page.
HrPage = Annotated[Actor, Depends(page_actor("hr_admin"))]
ApproverPage = Annotated[Actor, Depends(page_actor("approver"))]
EmployeePage = Annotated[Actor, Depends(page_actor("employee"))]
HrOrApproverPage = Annotated[Actor, Depends(page_actor("hr_admin", "approver"))]
AnyPage = Annotated[Actor, Depends(page_actor())]


def render(
    request: Request, template: str, actor: Actor | None, status_code: int = 200, **context: Any
) -> HTMLResponse:
    settings = request.app.state.settings
    lang = language(request)
    flash = unquote(request.cookies.get(FLASH_COOKIE, "")) or None
    response = TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "actor": actor,
            "_": translator(lang),
            "label": code_labeller(lang),
            "explain": explainer(lang),
            "lang": lang,
            "flash": flash,
            "csrf": csrf_token(settings, actor.jti) if actor else "",
            "temporal_ui": settings.temporal_ui_url,
            "waktu": lambda at: moment(at, settings.timezone, lang),
            "action_label": lambda code: action_label(code, lang),
            "rule_label": lambda code: label("rule", code, lang),
            "notice": lambda n: notice_text(n, lang, settings.timezone),
            "role_labels": role_labels(lang),
            "unread": _unread(request, actor),
            **context,
        },
        status_code=status_code,
    )
    if flash:
        response.delete_cookie(FLASH_COOKIE, httponly=True, samesite="lax")
    return response


def refusal(request: Request, exc: ProblemError) -> str:
    """What a refused action says, in the page's language: its detail, else its title."""
    title, detail = exc.in_language(language(request))
    return detail or title


def notice_text(notice: Any, lang: str, zone: str) -> str:
    """A notice (a row or its dict) in the page's language: by its code where it has one,
    else (written before codes) its stored Indonesian text, translated."""

    def read(*names: str) -> Any:
        for name in names:
            value = notice.get(name) if isinstance(notice, dict) else getattr(notice, name, None)
            if value:
                return value
        return None

    code = read("code", "message_code")
    if code:
        return say(Msg(code=code, params=read("params", "message_params") or {}), lang, zone)
    return translator(lang)(str(read("message") or ""))


def _unread(request: Request, actor: Actor | None) -> int:
    """The header's unread count: the signed-in person's unread notices."""
    if actor is None or not actor.nip:
        return 0
    with Session(request.app.state.engine) as session:
        return unread_count(session, actor.nip)


def redirect(url: str, flash: str | None = None) -> RedirectResponse:
    response = RedirectResponse(url, status_code=303)
    if flash:
        response.set_cookie(
            FLASH_COOKIE, quote(flash)[:1000], max_age=60, httponly=True, samesite="lax"
        )
    return response


async def checked_form(request: Request, actor: Actor) -> dict[str, Any]:
    """The posted form, after its CSRF token was checked (403 otherwise)."""
    form = await request.form()
    csrf = form.get("csrf")
    if not csrf_valid(
        request.app.state.settings, actor.jti, csrf if isinstance(csrf, str) else None
    ):
        raise ProblemError(
            403,
            Msg(code="problem.invalid_csrf_token"),
            Msg(code="problem.reload_the_page_and_send_again"),
        )
    return {k: (form.getlist(k) if len(form.getlist(k)) > 1 else form.get(k)) for k in form}


async def _answered(
    handler: Callable[[Request, Any], Response | Awaitable[Response]],
    request: Request,
    exc: Exception,
) -> Response:
    """The answer of an exception handler registered before ours (sync or async)."""
    answer = handler(request, exc)
    return await answer if inspect.isawaitable(answer) else answer


def install(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(f"/login?next={quote(exc.next_url)}", status_code=303)

    @app.exception_handler(PageForbidden)
    async def _forbidden(request: Request, exc: PageForbidden) -> Response:
        return render(request, "forbidden.html", None, status_code=403)

    # An unknown address: a page for a person's browser, problem details for everyone else.
    problem_handler = app.exception_handlers[StarletteHTTPException]

    @app.exception_handler(StarletteHTTPException)
    async def _page_or_problem(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404 and wants_page(request):
            return render(
                request,
                "not_found.html",
                cookie_actor(request),
                404,
                what=f"Halaman {request.url.path}",
            )
        return await _answered(problem_handler, request, exc)

    # Any other refusal or failure reaching a person's browser (an expired form's CSRF token,
    # a server error) is a page in the site's style; programs keep problem details.
    problem_error = app.exception_handlers[ProblemError]
    unexpected = app.exception_handlers[Exception]

    @app.exception_handler(ProblemError)
    async def _problem_page(request: Request, exc: ProblemError) -> Response:
        if wants_page(request):
            return render(
                request,
                "error.html",
                cookie_actor(request),
                exc.status,
                title=exc.in_language(language(request))[0],
                detail=refusal(request, exc),
            )
        return await _answered(problem_error, request, exc)

    @app.exception_handler(Exception)
    async def _error_page(request: Request, exc: Exception) -> Response:
        response = await _answered(unexpected, request, exc)  # logs it
        if wants_page(request):
            return render(
                request,
                "error.html",
                cookie_actor(request),
                500,
                title="Terjadi kesalahan",
                detail="Terjadi kesalahan tak terduga; sudah dicatat. Coba lagi sebentar lagi.",
            )
        return response


def wants_page(request: Request) -> bool:
    """A person's browser asking for a page (not the API, not a script)."""
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get(
        "accept", ""
    )

"""Problem-details (RFC 9457) error bodies for every error the API returns."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as SQLTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from api.validation_text import pesan
from contracts.messages import Msg
from mutasi.i18n.catalogs import DEFAULT_LANGUAGE, LANG_COOKIE, LANGUAGES
from mutasi.i18n.english import english
from mutasi.i18n.render import say

log = logging.getLogger("mutasi.api")


class ProblemError(Exception):
    """Raise to answer with a problem-details body. A title or detail given as a `Msg` (a
    catalog code and its values) is answered in the client's language (`Accept-Language`,
    or a page's language cookie); `title` and `detail` hold its Bahasa Indonesia text."""

    def __init__(
        self,
        status: int,
        title: str | Msg,
        detail: str | Msg = "",
        *,
        headers: dict[str, Any] | None = None,
        **extra: Any,
    ) -> None:
        self.title_msg = title if isinstance(title, Msg) else None
        self.detail_msg = detail if isinstance(detail, Msg) else None
        self.title = say(title) if isinstance(title, Msg) else title
        self.detail = say(detail) if isinstance(detail, Msg) else detail
        super().__init__(self.detail or self.title)
        self.status, self.headers, self.extra = status, headers, extra

    def in_language(self, lang: str) -> tuple[str, str]:
        """(title, detail) in `lang`: coded text from the catalog, other text read into
        English by the catalog's templates."""

        def text(msg: Msg | None, said: str) -> str:
            if msg is not None:
                return say(msg, lang)
            return english(said) if lang == "en" and said else said

        return text(self.title_msg, self.title), text(self.detail_msg, self.detail)


def client_language(request: Request) -> str:
    """The page's language cookie, else the first of Bahasa Indonesia and English the
    client's Accept-Language names; Bahasa Indonesia when it names neither."""
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag
    return DEFAULT_LANGUAGE


def problem(
    status: int, title: str, detail: str = "", headers: dict[str, Any] | None = None, **extra: Any
) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(
        body, status_code=status, headers=headers, media_type="application/problem+json"
    )


CANDIDATE_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(request: Request) -> str:
    """Every method some route answers on this path, asked of the router itself. Starlette's
    405 names only the first route that matched the path, where a path often has a route
    per method."""
    allowed = []
    for method in CANDIDATE_METHODS:
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes):
            allowed.append(method)
    return ", ".join(allowed)


def install(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> Response:
        title, detail = exc.in_language(client_language(request))
        return problem(exc.status, title, detail, exc.headers, **exc.extra)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:
            headers = {**(headers or {}), "Allow": allowed_methods(request)}
        title = {
            401: "Tidak terautentikasi",
            403: "Akses ditolak",
            404: "Tidak ditemukan",
            405: "Metode tidak diizinkan",
            413: "Berkas terlalu besar",
        }.get(exc.status_code, "Kesalahan")
        return problem(exc.status_code, title, str(exc.detail), headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> Response:
        errors = [
            {
                "loc": list(e.get("loc", ())),
                "msg": e.get("msg", ""),
                "type": e.get("type", ""),
                "pesan": pesan(e),  # the same in Bahasa Indonesia
            }
            for e in exc.errors()
        ]
        return problem(
            422, "Masukan tidak valid", "periksa kolom yang disebut di 'errors'", errors=errors
        )

    @app.exception_handler(OperationalError)
    async def _database_down(_: Request, exc: OperationalError) -> Response:
        # The database is unreachable or restarting: a temporary condition, not a bug.
        log.warning("database unavailable: %s", exc.orig)
        return problem(
            503, "Basis data tidak tersedia", "coba lagi sebentar lagi", {"Retry-After": "5"}
        )

    @app.exception_handler(SQLTimeoutError)
    async def _pool_exhausted(_: Request, exc: SQLTimeoutError) -> Response:
        log.warning("no database connection within the pool timeout: %s", exc)
        return problem(503, "Basis data sibuk", "coba lagi sebentar lagi", {"Retry-After": "2"})

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> Response:
        log.exception("unhandled error", exc_info=exc)
        return problem(500, "Kesalahan internal", "terjadi kesalahan tak terduga; sudah dicatat")

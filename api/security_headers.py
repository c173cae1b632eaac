"""Security headers on every response; a strict Content-Security-Policy on our pages
(scripts and styles from this origin only, no framing)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

COMMON = {
    b"x-content-type-options": b"nosniff",
    b"x-frame-options": b"DENY",
    b"referrer-policy": b"same-origin",
    b"permissions-policy": b"camera=(), microphone=(), geolocation=()",
}
PAGE_CSP = (
    b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    b"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
# Swagger UI and ReDoc load their assets from a CDN; the strict policy would blank them.
CSP_EXEMPT = ("/docs", "/redoc")


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        strict = not scope["path"].startswith(CSP_EXEMPT)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in COMMON]
                headers += list(COMMON.items())
                if strict:
                    headers.append((b"content-security-policy", PAGE_CSP))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)

"""Security headers on every response; a strict Content-Security-Policy on our pages
(scripts and styles from this origin only, no framing); nothing but static assets kept in
a cache (signed-in pages and API answers carry personal data); and, when the application
is served over HTTPS (`MUTASI_PUBLIC_BASE_URL` https://…), HSTS and Secure cookies."""

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
HSTS = b"max-age=31536000; includeSubDomains"
CACHEABLE = ("/static/",)


def secure_cookie(value: bytes) -> bytes:
    """A Set-Cookie value that the browser sends back over HTTPS only."""
    attributes = [a.strip().lower() for a in value.split(b";")[1:]]
    return value if b"secure" in attributes else value + b"; Secure"


class SecurityHeaders:
    def __init__(self, app: ASGIApp, https: bool = False) -> None:
        self.app = app
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cacheable = scope["path"].startswith(CACHEABLE)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in COMMON]
                headers += list(COMMON.items())
                headers.append((b"content-security-policy", PAGE_CSP))
                if not cacheable and not any(k.lower() == b"cache-control" for k, _ in headers):
                    headers.append((b"cache-control", b"no-store"))
                if self.https:
                    headers = [
                        (k, secure_cookie(v) if k.lower() == b"set-cookie" else v)
                        for k, v in headers
                    ]
                    headers.append((b"strict-transport-security", HSTS))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)

"""Every HTTP request gets a request id (the caller's X-Request-ID when it is a plain token),
echoed in the response and carried by every log line written while it runs; its route,
status and latency go to the metrics and to one access log line."""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mutasi.infra.logs import REQUEST_ID, request_id_from
from mutasi.infra.metrics import ApiMetrics

access_log = logging.getLogger("mutasi.access")
UNMATCHED = "<tidak dikenal>"


def route_template(scope: Scope) -> str:
    """The matched route's template, not the path: /cases/{case_id} is one series, not one
    per case. An included router's route knows its path without the prefix it was included
    under; the prefix is the request path's leading segments the template does not cover."""
    template = getattr(scope.get("route"), "path", None)
    if not template:
        return UNMATCHED
    path = scope["path"]
    extra = path.rstrip("/").count("/") - template.rstrip("/").count("/")
    if extra > 0 and not path.startswith(template):
        return "/".join(path.split("/")[: extra + 1]) + template
    return template


class RequestObservability:
    def __init__(self, app: ASGIApp, metrics: ApiMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        header = next(
            (v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"), None
        )
        request_id = request_id_from(header)
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        status = 500  # an exception that escapes every handler ends as a 500

        async def tagged(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, tagged)
        finally:
            route = route_template(scope)
            self.metrics.observe(scope["method"], route, status, started)
            access_log.info(
                "%s %s %d %.1f ms",
                scope["method"],
                route,
                status,
                (time.perf_counter() - started) * 1000,
            )
            REQUEST_ID.reset(token)

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


# Where routers are included: the API's prefix (api.main.API_PREFIX) and the pages' root.
KNOWN_PREFIXES = ("/api/v1", "")


def route_template(scope: Scope) -> str:
    """The matched route's template, never the path: /cases/{case_id} is one series, not one
    per case. An included router's route knows its path without the prefix it was included
    under; the prefix is taken from the known ones, the one under which the route's own
    pattern matches the rest of the path, so no segment of a request ever becomes a label
    (a {…:path} parameter spans any number of segments)."""
    route = scope.get("route")
    template = getattr(route, "path", None)
    if not template:
        return UNMATCHED
    path, pattern = scope["path"], getattr(route, "path_regex", None)
    for prefix in KNOWN_PREFIXES:
        rest = path[len(prefix) :]
        if path.startswith(prefix) and (pattern is None or pattern.match(rest)):
            return f"{prefix}{template}"
    return UNMATCHED


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

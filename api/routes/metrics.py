"""/metrics for Prometheus (outside /api/v1 and the OpenAPI schema, where scrapers look).

It shows open cases by stage, open tasks by role and audit events per agency: never to
anyone. Without MUTASI_METRICS_TOKEN it is off (403 saying how to turn it on); with it,
only `Authorization: Bearer <token>` reads it."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from api.errors import ProblemError

router = APIRouter(include_in_schema=False)


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    token = request.app.state.settings.metrics_token
    if not token:
        raise ProblemError(
            403,
            "Metrik dimatikan",
            "setel MUTASI_METRICS_TOKEN lalu kirim Authorization: Bearer <token>",
        )
    given = request.headers.get("authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        raise ProblemError(
            401,
            "Tidak berwenang",
            "metrik memerlukan token (MUTASI_METRICS_TOKEN)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    # The database figures are read at scrape time: off the event loop.
    body = await run_in_threadpool(generate_latest, request.app.state.metrics.registry)
    return Response(body, media_type=CONTENT_TYPE_LATEST)

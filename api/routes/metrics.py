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
from contracts.messages import Msg

router = APIRouter(include_in_schema=False)


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    token = request.app.state.settings.metrics_token
    if not token:
        raise ProblemError(
            403,
            Msg(code="problem.metrics_are_off"),
            Msg(code="problem.set_mutasi_metrics_token_then_send_authorization"),
        )
    given = request.headers.get("authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        raise ProblemError(
            401,
            Msg(code="problem.not_authorised"),
            Msg(code="problem.metrics_require_a_token_mutasi_metrics_token"),
            headers={"WWW-Authenticate": "Bearer"},
        )
    # The database figures are read at scrape time: off the event loop.
    body = await run_in_threadpool(generate_latest, request.app.state.metrics.registry)
    return Response(body, media_type=CONTENT_TYPE_LATEST)

from __future__ import annotations

import asyncio
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel
from sqlalchemy import text
from temporalio.service import RPCError

from api.deps import SessionDep, get_temporal
from api.errors import ProblemError
from contracts.messages import Msg
from mutasi.infra.db import schema_problem

router = APIRouter(tags=["sistem"])


class HealthOut(BaseModel):
    status: Literal["ok"]
    database: Literal["ok"]


class ReadyOut(BaseModel):
    status: Literal["ready"]
    database: Literal["ok"]
    temporal: Literal["ok"]


@router.get("/health", summary="Liveness and database check")
def health(session: SessionDep) -> HealthOut:
    session.execute(text("SELECT 1"))
    return HealthOut(status="ok", database="ok")


@router.get(
    "/ready",
    summary="Readiness for a load balancer: database reachable, schema at head, Temporal reachable",
)
async def ready(request: Request) -> ReadyOut:
    url = request.app.state.engine.url.render_as_string(hide_password=False)
    checks: dict[str, str] = {}
    problem = await run_in_threadpool(schema_problem, url)
    checks["database"] = problem or "ok"
    try:
        client = await get_temporal(request)
        healthy = await asyncio.wait_for(client.service_client.check_health(), 5)
        checks["temporal"] = "ok" if healthy else "tidak sehat"
    except (ProblemError, RPCError, TimeoutError, RuntimeError) as exc:
        checks["temporal"] = getattr(exc, "detail", None) or str(exc) or type(exc).__name__
    if any(value != "ok" for value in checks.values()):
        raise ProblemError(
            503,
            Msg(code="problem.not_ready"),
            "; ".join(f"{k}: {v}" for k, v in checks.items() if v != "ok"),
            headers={"Retry-After": "5"},
            checks=checks,
        )
    return ReadyOut(status="ready", database="ok", temporal="ok")

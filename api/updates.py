"""Sending a decision to a workflow: never lost, never applied twice, never a 500.

An update RPC that times out is retried with the same update id; the server applies an
update id once, so the retry returns the first outcome instead of deciding again."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy.orm import Session
from temporalio.client import (
    Client,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.service import RPCError, RPCStatusCode

from api.errors import ProblemError

ATTEMPTS = 5


async def send_update(temporal: Client, workflow_id: str, update, arg, what: str, update_id: str | None = None,
                      *, release: Session | None = None):
    """`release`: the request's session, closed first so its pooled connection is not held
    while the workflow decides (under load, waiting requests would drain the pool)."""
    if release is not None:
        release.close()
    handle = temporal.get_workflow_handle(workflow_id)
    update_id = update_id or str(uuid.uuid4())
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await handle.execute_update(update, arg, id=update_id)
        except WorkflowUpdateFailedError as exc:
            cause = exc.cause
            kind = getattr(cause, "type", "")
            status = {"Forbidden": 403, "NotFound": 404, "InvalidRequest": 422}.get(kind, 409)
            raise ProblemError(status, "Tidak dapat diproses", getattr(cause, "message", str(cause))) from exc
        except WorkflowUpdateRPCTimeoutOrCancelledError as exc:
            if attempt == ATTEMPTS:
                raise ProblemError(503, "Layanan alur kerja sibuk", "keputusan belum terkonfirmasi; kirim ulang "
                                   "dengan Idempotency-Key yang sama", headers={"Retry-After": "2"}) from exc
            await asyncio.sleep(0.2 * attempt)
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:
                raise ProblemError(409, "Tidak aktif", f"alur kerja {what} sudah selesai atau tidak ada") from exc
            if exc.status in (RPCStatusCode.UNAVAILABLE, RPCStatusCode.DEADLINE_EXCEEDED):
                raise ProblemError(503, "Layanan alur kerja tidak tersedia", exc.message,
                                   headers={"Retry-After": "5"}) from exc
            raise ProblemError(409, "Tidak dapat diproses", f"{what}: {exc.message}") from exc

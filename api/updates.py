"""Sending a decision to a workflow: never lost, never applied twice, never a 500.

An update RPC that times out is retried with the same update id; the server applies an
update id once, so the retry returns the first outcome instead of deciding again."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from temporalio.client import (
    Client,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.exceptions import ActivityError
from temporalio.service import RPCError, RPCStatusCode
from temporalio.workflow import UpdateMethodMultiParam

from api.errors import ProblemError
from contracts.messages import Msg
from models import IdempotencyRecord

ATTEMPTS = 5

ArgT = TypeVar("ArgT")
ResultT = TypeVar("ResultT")


def fingerprint(operation: str, workflow_id: str, arg: object) -> str:
    """What a request asks for: the operation, its target and its whole argument (which
    names the acting user), hashed."""
    body = (
        dataclasses.asdict(arg)
        if dataclasses.is_dataclass(arg) and not isinstance(arg, type)
        else arg
    )
    canonical = json.dumps(
        {"operation": operation, "target": workflow_id, "arg": body},
        sort_keys=True,
        default=str,
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def claim_key(
    session: Session, key: str, operation: str, workflow_id: str, arg: object, actor: str
) -> None:
    """Bind a client's Idempotency-Key to its first request; the same key with another body,
    user, operation or target is a 422 naming the conflict (never the first outcome)."""
    wanted = fingerprint(operation, workflow_id, arg)
    stored = session.get(IdempotencyRecord, key)
    if stored is None:
        session.add(
            IdempotencyRecord(
                key=key,
                fingerprint=wanted,
                actor=actor,
                operation=operation,
                created_at=datetime.now(UTC),
            )
        )
        try:
            session.commit()
            return
        except IntegrityError:  # the same key arrived twice at once: compare with the winner
            session.rollback()
            stored = session.get(IdempotencyRecord, key)
    if stored is not None and stored.fingerprint != wanted:
        who = "pengguna lain" if stored.actor != actor else "permintaan lain"
        raise ProblemError(
            422,
            Msg(code="problem.idempotency_key_already_used"),
            Msg(
                code="problem.key_key_was_already_used_by_who_operation_one",
                params={"key": str(key), "who": str(who), "operation": str(stored.operation)},
            ),
        )


async def send_update(
    temporal: Client,
    workflow_id: str,
    update: UpdateMethodMultiParam[[Any, ArgT], ResultT],
    arg: ArgT,
    what: str,
    update_id: str | None = None,
    *,
    release: Session | None = None,
    actor: str = "",
) -> ResultT:
    """`release`: the request's session, closed first so its pooled connection is not held
    while the workflow decides (under load, waiting requests would drain the pool). With
    it, a client's `update_id` (its Idempotency-Key) is first bound to this request."""
    if release is not None:
        if update_id is not None:
            claim_key(release, update_id, _name(update), workflow_id, arg, actor)
        release.close()
    handle = temporal.get_workflow_handle(workflow_id)
    update_id = update_id or str(uuid.uuid4())
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await handle.execute_update(update, arg, id=update_id)
        except WorkflowUpdateFailedError as exc:
            cause = exc.cause
            while isinstance(cause, ActivityError) and cause.cause is not None:
                cause = cause.cause  # the activity's own refusal, e.g. DecisionConflict
            kind = getattr(cause, "type", "")
            status = {"Forbidden": 403, "NotFound": 404, "InvalidRequest": 422}.get(kind, 409)
            raise ProblemError(
                status,
                Msg(code="problem.cannot_be_processed"),
                getattr(cause, "message", str(cause)),
            ) from exc
        except WorkflowUpdateRPCTimeoutOrCancelledError as exc:
            if attempt == ATTEMPTS:
                raise ProblemError(
                    503,
                    Msg(code="problem.workflow_service_busy"),
                    Msg(code="problem.the_decision_is_not_confirmed_yet_send_it_again"),
                    headers={"Retry-After": "2"},
                ) from exc
            await asyncio.sleep(0.2 * attempt)
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:
                raise ProblemError(
                    409,
                    Msg(code="problem.not_active"),
                    Msg(
                        code="problem.workflow_what_has_finished_or_does_not_exist",
                        params={"what": str(what)},
                    ),
                ) from exc
            if exc.status in (RPCStatusCode.UNAVAILABLE, RPCStatusCode.DEADLINE_EXCEEDED):
                raise ProblemError(
                    503,
                    Msg(code="problem.workflow_service_unavailable"),
                    exc.message,
                    headers={"Retry-After": "5"},
                ) from exc
            raise ProblemError(
                409, Msg(code="problem.cannot_be_processed"), f"{what}: {exc.message}"
            ) from exc
    raise AssertionError("unreachable: the last attempt returns or raises")


def _name(update: object) -> str:
    """An update's registered name, from the workflow method the caller passed."""
    defn = getattr(update, "__temporal_update_definition", None)
    return str(getattr(defn, "name", None) or getattr(update, "__name__", update))

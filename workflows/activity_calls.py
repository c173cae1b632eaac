"""One typed way for a workflow to run an activity method: its input and result types come
from the method, so a wrong argument or a misread result fails the type check."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar, cast, overload

from temporalio import workflow
from temporalio.common import RetryPolicy

# Housekeeping on a schedule: patient retries, the next scheduled run goes on anyway.
HOUSEKEEPING_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    maximum_interval=timedelta(seconds=30),
    maximum_attempts=20,
)

A = TypeVar("A")
R = TypeVar("R")


@overload
async def run_activity(
    fn: Callable[[Any, A], Awaitable[R]],
    arg: A,
    *,
    timeout: timedelta,
    retry: RetryPolicy,
    heartbeat: timedelta | None = None,
) -> R: ...


@overload
async def run_activity(
    fn: Callable[[Any, A], R],
    arg: A,
    *,
    timeout: timedelta,
    retry: RetryPolicy,
    heartbeat: timedelta | None = None,
) -> R: ...


async def run_activity(
    fn: Callable[[Any, A], Any],
    arg: A,
    *,
    timeout: timedelta,
    retry: RetryPolicy,
    heartbeat: timedelta | None = None,
) -> Any:
    # The SDK's overloads cannot tell a sync method's result from an awaitable one; the
    # method's own signature is the contract, so its result type is what comes back.
    return await workflow.execute_activity_method(
        cast(Any, fn),
        arg,
        start_to_close_timeout=timeout,
        retry_policy=retry,
        heartbeat_timeout=heartbeat,
    )

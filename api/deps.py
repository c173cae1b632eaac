"""Request dependencies: the database engine, a session per request, the Temporal client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy.engine import Engine
from sqlmodel import Session
from temporalio.client import Client

from api.errors import ProblemError
from contracts.messages import Msg
from mutasi.infra.settings import Settings
from mutasi.infra.temporal import DATA_CONVERTER


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


# Sessions in use at once per API process: below the engine's pool (see mutasi.infra.db), so a
# worker thread never waits for a connection while requests holding one wait for a thread.
SESSION_LIMIT = 40


async def get_session(engine: Annotated[Engine, Depends(get_engine)]) -> AsyncIterator[Session]:
    """Async, closed as soon as the endpoint returns (scope="function"): a sync generator's
    cleanup needs a worker thread, and a session kept until the response is serialised
    holds its connection while waiting for one; under load that deadlocks the pool."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()


EngineDep = Annotated[Engine, Depends(get_engine)]
SessionDep = Annotated[
    Session, Depends(get_session, scope="function", max_concurrency=SESSION_LIMIT)
]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


async def get_temporal(request: Request) -> Client:
    """The app's Temporal client, connected on first use (the API may start before Temporal)."""
    state = request.app.state
    if state.temporal is None:
        async with state.temporal_lock:
            if state.temporal is None:
                settings: Settings = state.settings
                try:
                    state.temporal = await Client.connect(
                        settings.temporal_target,
                        namespace=settings.temporal_namespace,
                        data_converter=DATA_CONVERTER,
                        interceptors=state.tracing,
                    )
                except RuntimeError as exc:
                    raise ProblemError(
                        503,
                        Msg(code="problem.workflow_service_unavailable"),
                        Msg(
                            code="problem.cannot_connect_to_temporal_at_temporal_target",
                            params={"temporal_target": str(settings.temporal_target)},
                        ),
                        headers={"Retry-After": "5"},
                    ) from exc
    client: Client = state.temporal
    return client


TemporalDep = Annotated[Client, Depends(get_temporal)]

# Every row id a path names: a database integer, so 2^63 (or 0) is a 422, never a 500.
ROW_ID_MAX = 2_147_483_647
RowId = Annotated[int, Path(ge=1, le=ROW_ID_MAX, description="nomor baris (1 … 2^31-1)")]

"""The FastAPI application: REST API under /api/v1 and server-rendered pages."""

from __future__ import annotations

import asyncio
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from temporalio.client import Client

from api import docs_ui, errors, openapi
from api.control_characters import ControlCharacters
from api.observability import RequestObservability
from api.pages import common as page_common
from api.pages import router as pages_router
from api.routes import (
    activation,
    admin,
    agencies,
    appeals,
    audit,
    auth,
    cases,
    committee,
    cycles,
    dataio,
    decree_batches,
    decree_settings,
    decrees,
    documents,
    embargo,
    evaluations,
    health,
    me,
    metrics,
    notifications,
    org,
    requests,
    tasks,
)
from api.security_headers import SecurityHeaders
from mutasi.infra.db import engine_for, upgrade_database
from mutasi.infra.logs import configure_logging
from mutasi.infra.metrics import ApiMetrics
from mutasi.infra.settings import Settings, get_settings
from mutasi.infra.tracing import tracing_interceptors

API_PREFIX = "/api/v1"


def create_app(
    settings: Settings | None = None,
    engine: Engine | None = None,
    migrate: bool = True,
    temporal: Client | None = None,
) -> FastAPI:
    settings = settings or get_settings()
    settings.check_secure()
    if engine is None:
        if migrate:
            upgrade_database(settings.database_url)
        engine = engine_for(settings.database_url)
    app = FastAPI(
        title="Mutasi API",
        version="0.1.0",
        description="Siklus mutasi ASN: analisis beban kerja, pemetaan kompetensi, rencana mutasi, "
        "konsultasi, persetujuan berjenjang dan SK. Semua galat memakai format problem details.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.temporal = temporal
    app.state.temporal_lock = asyncio.Lock()
    app.state.tracing = tracing_interceptors(settings.otel_exporter, "mutasi-api")
    app.state.metrics = ApiMetrics(engine)
    errors.install(app)
    openapi.install(app)
    page_common.install(app)
    app.add_middleware(ControlCharacters)
    app.add_middleware(SecurityHeaders, https=settings.public_base_url.startswith("https://"))
    app.add_middleware(RequestObservability, metrics=app.state.metrics)
    for module in (
        health,
        auth,
        org,
        dataio,
        cycles,
        cases,
        tasks,
        evaluations,
        me,
        admin,
        decrees,
        audit,
        embargo,
        documents,
        committee,
        decree_batches,
        agencies,
        decree_settings,
        requests,
        notifications,
        activation,
        appeals,
    ):
        app.include_router(module.router, prefix=API_PREFIX)
    app.include_router(metrics.router)
    docs_ui.install(app)  # before /static: its assets live under /static/swagger-ui
    app.mount(
        "/static", StaticFiles(directory=str(Path(__file__).parent / "static")), name="static"
    )
    app.include_router(pages_router)
    return app


def served_app() -> FastAPI:
    """The factory uvicorn runs (`uvicorn --factory api.main:served_app`): the process's
    logging first, then the app."""
    configure_logging("api", get_settings().log_format)
    return create_app()

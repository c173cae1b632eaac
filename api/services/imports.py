"""Importing organisation data: the file into the database in one transaction, then what
the import means for people (leavers lose their accounts, their open tasks go to their
superior). The route reads the upload and answers; this owns the whole import."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.deps import get_temporal
from api.errors import ProblemError
from api.services.activation import retire_leavers
from contracts.messages import Msg
from mutasi.dataio.errors import ImportRejected
from mutasi.dataio.guard import ReadLimits
from mutasi.dataio.importer import import_upload
from mutasi.infra.settings import Settings


async def import_organisation(
    request: Request,
    engine: Engine,
    settings: Settings,
    filename: str,
    data: bytes,
    *,
    kind: str | None,
    dry_run: bool,
    actor: str,
) -> dict[str, Any]:
    """The import's report; after a real import, also the accounts stopped and the tasks
    moved (or left for HR when the workflow service is down)."""
    try:
        report = await run_in_threadpool(
            import_upload,
            engine,
            filename,
            data,
            kind=kind,
            dry_run=dry_run,
            limits=ReadLimits.of(settings),
        )
    except ImportRejected as exc:
        raise ProblemError(
            422,
            Msg(code="problem.import_refused"),
            str(exc),
            errors=[e.as_dict() for e in exc.errors],
        ) from None
    leavers: dict[str, list[str]] = {}
    if not report.dry_run:
        with Session(engine) as session:
            try:
                temporal = await get_temporal(request)
            except ProblemError:
                temporal = None
            leavers = await retire_leavers(session, temporal, actor)
    return {
        "filename": report.filename,
        "dry_run": report.dry_run,
        "changed": report.changed,
        "sheets": {name: vars(result) for name, result in report.sheets.items()},
        **leavers,
    }

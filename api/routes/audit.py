"""Audit for auditors: recompute the hash chains, and a case's raw Temporal event history
to cross-check against the domain audit trail."""

from __future__ import annotations

import json

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlmodel import Session
from temporalio.client import Client
from temporalio.service import RPCError

from api.auth import HR_OR_AUDITOR
from api.deps import SessionDep, SettingsDep, TemporalDep
from api.errors import ProblemError
from api.openapi import download
from api.services.cases import get_case_or_404
from contracts.messages import Msg
from models import TransferCycle
from mutasi.audit.anchor import store_of, verify_everything
from mutasi.audit.chain import ChainReport
from mutasi.audit.history_archive import HistoryUnavailable, read_history, verify_archives
from mutasi.infra.documents import DocumentCorrupt, DocumentMissing
from mutasi.infra.documents import store_of as document_store_of
from mutasi.infra.record_key import DecreeSigner
from mutasi.infra.settings import Settings

router = APIRouter(tags=["audit"], dependencies=[HR_OR_AUDITOR])


class ArchivesOut(BaseModel):
    count: int
    ok: bool
    problems: list[str]


class VerificationOut(BaseModel):
    ok: bool = Field(description="every chain and every archived history intact")
    chains: list[ChainReport]
    history_archives: ArchivesOut


@router.get(
    "/audit/verify",
    summary="Recompute every agency's audit chain, check it against its signed "
    "checkpoints and decrees; name the first broken link",
)
def verify_chains(session: SessionDep, settings: SettingsDep) -> VerificationOut:
    reports = verify_everything(
        session, DecreeSigner.from_base64(settings.decree_signing_key), store_of(settings)
    )
    archives = verify_archives(session, document_store_of(settings))
    return VerificationOut(
        ok=all(r.ok for r in reports) and archives.ok,
        chains=reports,
        history_archives=ArchivesOut(
            count=archives.archives, ok=archives.ok, problems=archives.problems
        ),
    )


@router.get(
    "/cases/{case_id}/temporal-history",
    summary="The case's raw Temporal event history (JSON): from "
    "Temporal while it keeps the run, from the archive after its retention; `source` says which",
    response_class=Response,
    responses=download("application/json"),
)
async def case_temporal_history(
    case_id: str, session: SessionDep, temporal: TemporalDep, settings: SettingsDep
) -> Response:
    case = get_case_or_404(session, case_id)
    return await _history_download(
        session, temporal, settings, case.workflow_id, case.run_id, f"kasus-{case.id}"
    )


@router.get(
    "/cycles/{cycle_id}/temporal-history",
    summary="The cycle's raw Temporal event history (JSON), from Temporal or the archive",
    response_class=Response,
    responses=download("application/json"),
)
async def cycle_temporal_history(
    cycle_id: str, session: SessionDep, temporal: TemporalDep, settings: SettingsDep
) -> Response:
    cycle = session.get(TransferCycle, cycle_id)
    if cycle is None:
        raise ProblemError(
            404,
            Msg(code="problem.not_found"),
            Msg(code="problem.cycle_cycle_id_not_found", params={"cycle_id": str(cycle_id)}),
        )
    return await _history_download(
        session, temporal, settings, cycle.workflow_id, None, f"siklus-{cycle.id}"
    )


async def _history_download(
    session: Session,
    temporal: Client,
    settings: Settings,
    workflow_id: str,
    run_id: str | None,
    name: str,
) -> Response:
    try:
        view = await read_history(
            session, temporal, document_store_of(settings), workflow_id, run_id
        )
    except HistoryUnavailable as exc:
        raise ProblemError(404, Msg(code="problem.no_history"), str(exc)) from exc
    except (DocumentMissing, DocumentCorrupt) as exc:
        raise ProblemError(500, Msg(code="problem.history_archive_damaged"), str(exc)) from exc
    except RPCError as exc:
        raise ProblemError(
            503,
            Msg(code="problem.workflow_service_unavailable"),
            exc.message,
            headers={"Retry-After": "5"},
        ) from exc
    body = json.dumps(
        {
            "source": view.source,
            "workflow_id": view.workflow_id,
            "run_id": view.run_id,
            "history_sha256": view.history_sha256,
            "archive": view.archive,
            "history": view.history,
        },
        ensure_ascii=False,
        default=str,
    )
    return Response(
        body,
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="temporal-{name}.json"',
            "X-History-Source": view.source,
        },
    )

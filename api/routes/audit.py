"""Audit for auditors: recompute the hash chains, and a case's raw Temporal event history
to cross-check against the domain audit trail."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from temporalio.service import RPCError, RPCStatusCode

from api.auth import HR_OR_AUDITOR
from api.deps import SessionDep, SettingsDep, TemporalDep
from api.errors import ProblemError
from api.routes.cases import get_case_or_404
from mutasi.audit_anchor import store_of, verify_everything
from mutasi.decree_signing import DecreeSigner

router = APIRouter(tags=["audit"], dependencies=[HR_OR_AUDITOR])


@router.get("/audit/verify", summary="Recompute every agency's audit chain, check it against its signed "
            "checkpoints and decrees; name the first broken link")
def verify_chains(session: SessionDep, settings: SettingsDep) -> dict[str, Any]:
    reports = verify_everything(session, DecreeSigner.from_base64(settings.decree_signing_key), store_of(settings))
    return {"ok": all(r.ok for r in reports), "chains": [vars(r) for r in reports]}


@router.get("/cases/{case_id}/temporal-history", summary="The case's raw Temporal event history (JSON)",
            response_class=Response, responses={200: {"content": {"application/json": {}}}})
async def temporal_history(case_id: str, session: SessionDep, temporal: TemporalDep) -> Response:
    case = get_case_or_404(session, case_id)
    session.close()
    handle = temporal.get_workflow_handle(case.workflow_id, run_id=case.run_id or None)
    try:
        history = await handle.fetch_history()
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            raise ProblemError(404, "Riwayat tidak ada", "riwayat alur kerja sudah dihapus oleh retensi Temporal "
                               "atau belum pernah ada") from exc
        raise ProblemError(503, "Layanan alur kerja tidak tersedia", exc.message, headers={"Retry-After": "5"}) from exc
    body = json.dumps({"case_id": case.id, "workflow_id": case.workflow_id, "run_id": case.run_id,
                       "history": json.loads(history.to_json())}, ensure_ascii=False)
    return Response(body, media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="temporal-{case.id}.json"'})

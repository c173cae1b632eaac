"""Import (CSV/XLSX), export and the documented import template."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.auth import HR_ONLY, HR_OR_AUDITOR, HrActor
from api.deps import EngineDep, SettingsDep
from api.errors import ProblemError
from api.openapi import download
from api.schemas.reports import ImportOut
from api.services.files import XLSX, read_limited
from api.services.imports import import_organisation
from contracts.messages import Msg
from mutasi.dataio.exporter import export_csv, export_xlsx, template_xlsx
from mutasi.dataio.spec import SHEETS, resolve_sheet

router = APIRouter(tags=["impor & ekspor"], dependencies=[HR_OR_AUDITOR])


@router.post(
    "/imports",
    dependencies=[HR_ONLY],
    summary="Import organisation data (CSV or XLSX, one transaction)",
    response_model_exclude_unset=True,
)
async def create_import(
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    file: Annotated[
        UploadFile, File(description="CSV (satu jenis data) atau XLSX (satu sheet per jenis)")
    ],
    actor: HrActor,
    kind: Annotated[str | None, Query(description="jenis data untuk CSV, mis. pegawai")] = None,
    dry_run: Annotated[bool, Query(description="periksa saja, tanpa menyimpan")] = False,
) -> ImportOut:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > settings.import_max_bytes + 1_000_000:
        raise ProblemError(
            413,
            Msg(code="problem.file_too_large"),
            f"batas unggahan {settings.import_max_bytes:,} byte",
        )
    data = await read_limited(file, settings.import_max_bytes)
    if kind is not None and resolve_sheet(kind) is None:
        raise ProblemError(
            422,
            Msg(code="problem.unknown_kind_of_data"),
            Msg(code="problem.unknown_kind_kind", params={"kind": str(kind)}),
            choices=[s.name for s in SHEETS],
        )
    return ImportOut.model_validate(
        await import_organisation(
            request,
            engine,
            settings,
            file.filename or "unggahan",
            data,
            kind=kind,
            dry_run=dry_run,
            actor=actor.name,
        )
    )


@router.get(
    "/imports/template",
    dependencies=[HR_ONLY],
    summary="Empty import workbook with column documentation",
    response_class=Response,
    responses=download(XLSX),
)
def import_template() -> Response:
    return Response(
        template_xlsx(),
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="templat-impor-mutasi.xlsx"'},
    )


@router.get(
    "/exports/org.xlsx",
    summary="All organisation data as XLSX (import format)",
    response_class=Response,
    responses=download(XLSX),
)
async def export_all(engine: EngineDep) -> Response:
    data = await run_in_threadpool(export_xlsx, engine)
    return Response(
        data,
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="mutasi-data.xlsx"'},
    )


@router.get(
    "/exports/{sheet}.csv",
    summary="One kind of data as CSV (import format)",
    response_class=Response,
    responses=download("text/csv"),
)
async def export_sheet(sheet: str, engine: EngineDep) -> Response:
    spec = resolve_sheet(sheet)
    if spec is None:
        raise ProblemError(
            404,
            Msg(code="problem.not_found"),
            Msg(code="problem.unknown_kind_of_data_sheet", params={"sheet": str(sheet)}),
            choices=[s.name for s in SHEETS],
        )
    text = await run_in_threadpool(export_csv, engine, spec)
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{spec.name}.csv"'},
    )

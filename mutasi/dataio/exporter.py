"""Write stored organisation data back out in the import format (XLSX or CSV)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models.tables import table_of
from mutasi.dataio.spec import SHEETS, Column, SheetSpec
from mutasi.infra.safe_text import csv_cell
from mutasi.infra.safe_text import workbook as text_workbook


def iter_rows(session: Session, spec: SheetSpec) -> Iterator[Sequence[Any]]:
    table = table_of(spec.model)
    query = select(*(table.c[c] for c in spec.column_names)).order_by(
        *(table.c[k] for k in spec.key)
    )
    yield from session.execute(query)


def workbook_bytes(sheets: Iterable[tuple[SheetSpec, Iterable[Sequence[Any]]]]) -> bytes:
    buffer = io.BytesIO()
    workbook = text_workbook(buffer, constant_memory=True)
    bold = workbook.add_format({"bold": True})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for spec, rows in sheets:
        worksheet = workbook.add_worksheet(spec.name)
        worksheet.write_row(0, 0, spec.column_names, bold)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, date):
                    worksheet.write_datetime(r, c, value, day)
                else:
                    worksheet.write(r, c, value)
    workbook.close()
    return buffer.getvalue()


def export_xlsx(engine: Engine, names: Iterable[str] | None = None) -> bytes:
    chosen = [s for s in SHEETS if names is None or s.name in set(names)]
    with Session(engine) as session:
        return workbook_bytes((spec, iter_rows(session, spec)) for spec in chosen)


def csv_text(spec: SheetSpec, rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(spec.column_names)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return buffer.getvalue()


def export_csv(engine: Engine, spec: SheetSpec) -> str:
    with Session(engine) as session:
        return csv_text(spec, iter_rows(session, spec))


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, date):
        return value.isoformat()
    return csv_cell(value)


def template_xlsx() -> bytes:
    """An empty workbook with every sheet's header, and a `petunjuk` sheet documenting each column."""
    buffer = io.BytesIO()
    workbook = text_workbook(buffer)
    bold = workbook.add_format({"bold": True})
    text = workbook.add_format({"num_format": "@"})
    guide = workbook.add_worksheet("petunjuk")
    guide.write_row(
        0, 0, ["sheet", "kolom", "jenis", "wajib", "keterangan", "pilihan / batas", "contoh"], bold
    )
    line = 1
    for spec in SHEETS:
        for column in spec.columns:
            limits = ", ".join(column.choices) if column.choices else _limits(column)
            example = "" if column.example is None else str(column.example)
            guide.write_row(
                line,
                0,
                [
                    spec.name,
                    column.name,
                    column.kind,
                    "ya" if column.required else "tidak",
                    column.help,
                    limits,
                    example,
                ],
            )
            line += 1
        sheet = workbook.add_worksheet(spec.name)
        sheet.write_row(0, 0, spec.column_names, bold)
        for index, column in enumerate(spec.columns):
            if (
                column.identifier
            ):  # typed NIPs and codes stay text: Excel keeps 15 digits of a number
                sheet.set_column(index, index, 22 if column.name == "nip" else 16, text)
    guide.write(
        line + 1,
        0,
        "Sheet 'petunjuk' diabaikan saat impor. Nama sheet boleh juga dalam bahasa Inggris "
        "(mis. employees). Impor adalah satu transaksi: satu baris salah, tidak ada yang disimpan. "
        "Impor ulang berkas yang sama tidak mengubah apa pun.",
    )
    guide.set_column(0, 1, 22)
    guide.set_column(4, 4, 60)
    workbook.close()
    return buffer.getvalue()


def _limits(column: Column) -> str:
    parts = []
    if column.minimum is not None:
        parts.append(f">= {column.minimum:g}")
    if column.maximum is not None:
        parts.append(f"<= {column.maximum:g}")
    if column.max_length is not None:
        parts.append(f"maks. {column.max_length} karakter")
    if column.ref:
        parts.append(f"merujuk sheet {column.ref}")
    return "; ".join(parts)

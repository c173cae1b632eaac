"""Turn an uploaded CSV or XLSX file into raw sheets of cells, with no typing yet."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from mutasi.dataio.cells import NumberCell
from mutasi.dataio.errors import RowError
from mutasi.dataio.spec import IGNORED_SHEETS, SheetSpec, resolve_sheet
from mutasi.dataio.xlsx_formulas import formula_cells, number_texts


@dataclass
class RawSheet:
    spec: SheetSpec
    source: str  # sheet or file name as the user wrote it
    header: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)  # (1-based row number, cells)


def read_upload(
    filename: str, data: bytes, kind: str | None = None
) -> tuple[list[RawSheet], list[RowError]]:
    suffix = PurePath(filename).suffix.lower()
    if not data:
        return [], [RowError(filename, None, None, "berkas kosong")]
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(filename, data)
    if suffix in (".csv", ".txt"):
        return _read_csv(filename, data, kind)
    return [], [
        RowError(
            filename,
            None,
            None,
            f"jenis berkas '{suffix or '?'}' tidak didukung; gunakan .csv atau .xlsx",
        )
    ]


def _read_csv(
    filename: str, data: bytes, kind: str | None
) -> tuple[list[RawSheet], list[RowError]]:
    sheet_name = kind or PurePath(filename).stem
    spec = resolve_sheet(sheet_name)
    if spec is None:
        return [], [
            RowError(
                filename,
                None,
                None,
                f"jenis data '{sheet_name}' tidak dikenal; beri nama berkas atau parameter kind "
                "sesuai nama sheet (mis. pegawai.csv)",
            )
        ]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return [], [
            RowError(
                filename,
                line,
                None,
                f"berkas CSV bukan UTF-8 (byte {exc.start}); simpan ulang sebagai 'CSV UTF-8'",
            )
        ]
    first_line = text.split("\n", 1)[0]
    # Spreadsheet programs in an Indonesian locale write ';' as the separator.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if header is None or not any(h.strip() for h in header):
            return [], [
                RowError(filename, None, None, "berkas kosong: tidak ada baris judul kolom")
            ]
        sheet = RawSheet(spec, filename, [h.strip().lower() for h in header])
        for number, cells in enumerate(reader, start=2):
            if any(c.strip() for c in cells):
                sheet.rows.append((number, cells))
    except csv.Error as exc:
        return [], [RowError(filename, reader.line_num, None, f"CSV rusak: {exc}")]
    return [sheet], []


def _read_xlsx(filename: str, data: bytes) -> tuple[list[RawSheet], list[RowError]]:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        formulas = formula_cells(data)
    except (CalamineError, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        return [], [
            RowError(filename, None, None, f"berkas bukan XLSX yang sah ({type(exc).__name__})")
        ]
    sheets: list[RawSheet] = []
    errors: list[RowError] = []
    seen: dict[str, str] = {}
    for title in workbook.sheet_names:
        if title.strip().lower() in IGNORED_SHEETS:
            continue
        spec = resolve_sheet(title)
        if spec is None:
            errors.append(RowError(title, None, None, "nama sheet tidak dikenal"))
            continue
        if spec.name in seen:
            errors.append(
                RowError(
                    title, None, None, f"data '{spec.name}' sudah ada di sheet '{seen[spec.name]}'"
                )
            )
            continue
        seen[spec.name] = title
        rows = workbook.get_sheet_by_name(title).to_python(skip_empty_area=False)
        if not rows or not any(str(h).strip() for h in rows[0]):
            errors.append(RowError(title, None, None, "sheet kosong: tidak ada baris judul kolom"))
            continue
        header = [str(h).strip().lower() for h in rows[0]]
        while header and header[-1] == "":
            header.pop()
        for row, column in formulas.get(title, []):
            if column is None:
                errors.append(
                    RowError(
                        title,
                        None,
                        None,
                        "sheet berisi rumus (formula) pada sel tanpa posisi; "
                        "rumus tidak diperbolehkan, isi dengan nilai",
                    )
                )
                continue
            letter_index = _column_index(column)
            name = header[letter_index] if letter_index < len(header) else column
            errors.append(
                RowError(title, row, name, "rumus (formula) tidak diperbolehkan; isi dengan nilai")
            )
        sheet = RawSheet(spec, title, header)
        for number, cells in enumerate(rows[1:], start=2):
            if any(c is not None and c != "" for c in cells):
                sheet.rows.append((number, cells))
        _keep_identifier_digits(sheet, data, title)
        sheets.append(sheet)
    if not sheets and not errors:
        errors.append(RowError(filename, None, None, "berkas kosong: tidak ada sheet data"))
    return sheets, errors


def _keep_identifier_digits(sheet: RawSheet, data: bytes, title: str) -> None:
    """Numeric cells in identifier columns become NumberCell with the file's own text, so
    a NIP is taken digit for digit or refused, never rounded through a float."""
    columns = [
        i
        for i, name in enumerate(sheet.header)
        if any(c.name == name and c.identifier for c in sheet.spec.columns)
    ]
    texts: dict[tuple[int, str], str] | None = None
    for number, cells in sheet.rows:
        for i in columns:
            if (
                i < len(cells)
                and isinstance(cells[i], int | float)
                and not isinstance(cells[i], bool)
            ):
                if texts is None:  # only files with numeric identifiers pay for the XML scan
                    texts = number_texts(data, title)
                cells[i] = NumberCell(texts.get((number, _column_letters(i))))


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + (ord(char) - 64)
    return index - 1

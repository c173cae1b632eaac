"""Type, check and cross-reference raw sheets; every error is collected, none is fatal early."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mutasi.dataio.cells import CellError, convert, is_blank
from mutasi.dataio.errors import RowError
from mutasi.dataio.reader import RawSheet
from mutasi.dataio.spec import SHEETS_BY_NAME, SheetSpec


@dataclass
class ParsedSheet:
    spec: SheetSpec
    source: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)

    def keys(self) -> set[Any]:
        return {tuple(r[k] for k in self.spec.key) for r in self.rows}


def parse_sheet(raw: RawSheet) -> tuple[ParsedSheet, list[RowError]]:
    spec = raw.spec
    errors: list[RowError] = []
    parsed = ParsedSheet(spec, raw.source)
    known = set(spec.column_names)
    for name in raw.header:
        if name and name not in known:
            errors.append(
                RowError(
                    raw.source,
                    1,
                    name,
                    f"kolom tidak dikenal; kolom yang sah: {', '.join(spec.column_names)}",
                )
            )
    duplicates = {h for h in raw.header if h and raw.header.count(h) > 1}
    for name in sorted(duplicates):
        errors.append(RowError(raw.source, 1, name, "judul kolom ganda"))
    index = {h: i for i, h in enumerate(raw.header) if h}
    for column in spec.columns:
        if column.required and column.name not in index:
            errors.append(RowError(raw.source, 1, column.name, "kolom wajib tidak ada"))
    if errors:
        return parsed, errors
    if not raw.rows:
        return parsed, []  # a header-only sheet is fine; an upload with no data at all is not

    plan = [(c, index.get(c.name)) for c in spec.columns]
    first_seen: dict[tuple[Any, ...], int] = {}
    for number, cells in raw.rows:
        row: dict[str, Any] = {}
        row_ok = True
        for column, position in plan:
            value = cells[position] if position is not None and position < len(cells) else None
            if is_blank(value):
                if column.required:
                    errors.append(RowError(raw.source, number, column.name, "wajib diisi"))
                    row_ok = False
                row[column.name] = column.default
                continue
            try:
                row[column.name] = convert(column, value)
            except CellError as exc:
                errors.append(RowError(raw.source, number, column.name, str(exc)))
                row_ok = False
        if not row_ok:
            continue
        if spec.check_row is not None:
            problems = spec.check_row(row)
            if problems:
                errors.extend(RowError(raw.source, number, col, reason) for col, reason in problems)
                continue
        key = tuple(row[k] for k in spec.key)
        if key in first_seen:
            errors.append(
                RowError(
                    raw.source,
                    number,
                    ",".join(spec.key),
                    f"kunci {_show(key)} ganda; sudah ada di baris {first_seen[key]}",
                )
            )
            continue
        first_seen[key] = number
        if spec.derive is not None:
            row.update(spec.derive(row))
        parsed.rows.append(row)
        parsed.row_numbers.append(number)
    return parsed, errors


def check_references(
    sheets: dict[str, ParsedSheet], keys_in_db: Callable[[SheetSpec], set[Any]]
) -> list[RowError]:
    """Every code a row points to must exist in the same upload or in the database."""
    errors: list[RowError] = []
    cache: dict[str, set[Any]] = {}

    def known(target: str) -> set[Any]:
        if target not in cache:
            spec = SHEETS_BY_NAME[target]
            found = {k[0] for k in keys_in_db(spec)}
            if target in sheets:
                found |= {k[0] for k in sheets[target].keys()}  # noqa: SIM118 - ParsedSheet.keys(), not a dict
            cache[target] = found
        return cache[target]

    for sheet in sheets.values():
        for column in sheet.spec.columns:
            if column.ref is None:
                continue
            valid = known(column.ref)
            for row, number in zip(sheet.rows, sheet.row_numbers, strict=True):
                value = row[column.name]
                if value is not None and value not in valid:
                    errors.append(
                        RowError(
                            sheet.source,
                            number,
                            column.name,
                            f"'{value}' tidak ditemukan di {SHEETS_BY_NAME[column.ref].title.lower()}",
                        )
                    )
    if "unit_kerja" in sheets:
        errors.extend(_unit_cycles(sheets["unit_kerja"]))
    return errors


def repeated_preferences(
    sheets: dict[str, ParsedSheet], stored: Callable[[set[str]], dict[str, dict[int, str]]]
) -> list[RowError]:
    """A person may name a unit once among their preferences: a repeat would count twice.
    `stored(nips)` gives the ranks already in the database (nip -> rank -> unit)."""
    sheet = sheets.get("preferensi_penempatan")
    if sheet is None or not sheet.rows:
        return []
    wanted: dict[str, dict[int, tuple[str, int]]] = {}
    for row, number in zip(sheet.rows, sheet.row_numbers, strict=True):
        wanted.setdefault(row["nip"], {})[row["rank"]] = (row["unit_code"], number)
    errors = []
    for nip, kept in stored(set(wanted)).items():
        for rank, unit in kept.items():
            wanted[nip].setdefault(rank, (unit, 0))  # rows the file does not replace stay
    for nip, ranks in wanted.items():
        first: dict[str, int] = {}
        for rank in sorted(ranks):
            unit, number = ranks[rank]
            if unit in first:
                where = f"pilihan ke-{first[unit]}"
                errors.append(
                    RowError(
                        sheet.source,
                        number or None,
                        "unit_code",
                        f"unit {unit} sudah menjadi {where} pegawai {nip}; setiap unit hanya "
                        "boleh dipilih sekali",
                    )
                )
            else:
                first[unit] = rank
    return errors


# A regency's units nest a handful of levels (Pemda, OPD, bidang, seksi, UPT); deeper is a
# data error, and a bound keeps every walk of the tree short.
MAX_UNIT_DEPTH = 20


def _unit_cycles(units: ParsedSheet) -> list[RowError]:
    """Parent chains that loop or nest deeper than MAX_UNIT_DEPTH, walked iteratively with
    each unit settled once: a chain of any length costs linear time, never recursion."""
    parent = {r["code"]: r["parent_code"] for r in units.rows}
    numbers = dict(zip((r["code"] for r in units.rows), units.row_numbers, strict=True))
    looped = object()
    depth: dict[str, object] = {}  # levels below the top (a unit with no parent in this file)
    errors = []
    for start in parent:
        path: list[str] = []
        seen: set[str] = set()
        code = start
        while code in parent and code not in depth and code not in seen:
            path.append(code)
            seen.add(code)
            code = parent[code]
        if code in seen:
            errors.append(
                RowError(
                    units.source,
                    numbers[code],
                    "parent_code",
                    f"unit induk membentuk lingkaran ({code})",
                )
            )
        above = looped if code in seen else depth.get(code, -1)
        for unit in reversed(path):
            above = looped if above is looped else above + 1  # type: ignore[operator]
            depth[unit] = above
    for code, level in depth.items():
        if level is not looped and level > MAX_UNIT_DEPTH:  # type: ignore[operator]
            errors.append(
                RowError(
                    units.source,
                    numbers[code],
                    "parent_code",
                    f"hierarki unit terlalu dalam ({level} tingkat; maksimal {MAX_UNIT_DEPTH})",
                )
            )
    return errors


def _show(key: tuple[Any, ...]) -> str:
    return "/".join(str(k) for k in key)

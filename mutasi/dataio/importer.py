"""Import a CSV/XLSX upload in one transaction: all rows are written, or none are.

Rows are upserted by natural key (NIP, unit code, position code, ...): a row
that is already stored with the same values is left alone, so importing the
same file twice changes nothing. Rows missing from a file are never deleted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import insert, select, tuple_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from models import PlacementPreference
from models.tables import table_of
from mutasi.dataio.errors import ImportRejected, RowError
from mutasi.dataio.guard import ReadLimits, read_checked
from mutasi.dataio.spec import SHEETS, SheetSpec
from mutasi.dataio.validate import ParsedSheet, check_references, parse_sheet, repeated_preferences

T = TypeVar("T")


@dataclass
class SheetResult:
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportReport:
    filename: str
    dry_run: bool
    sheets: dict[str, SheetResult] = field(default_factory=dict)

    @property
    def changed(self) -> int:
        return sum(s.inserted + s.updated for s in self.sheets.values())


class FileTooLarge(ValueError):
    pass


def import_upload(
    engine: Engine,
    filename: str,
    data: bytes,
    *,
    kind: str | None = None,
    max_bytes: int | None = None,
    dry_run: bool = False,
    limits: ReadLimits | None = None,
) -> ImportReport:
    if max_bytes is not None and len(data) > max_bytes:
        raise FileTooLarge(f"berkas {len(data):,} byte melebihi batas {max_bytes:,} byte")
    raws, errors = read_checked(filename, data, kind, limits or ReadLimits())
    parsed: dict[str, ParsedSheet] = {}
    for raw in raws:
        sheet, sheet_errors = parse_sheet(raw)
        errors.extend(sheet_errors)
        parsed[sheet.spec.name] = sheet
    if not errors and not any(sheet.rows for sheet in parsed.values()):
        errors.append(RowError(filename, None, None, "berkas kosong: tidak ada baris data"))
    report = ImportReport(filename, dry_run)
    with Session(engine) as session, session.begin():
        # References are checked even when some rows failed, so one run lists every error.
        errors.extend(check_references(parsed, lambda spec: _stored_keys(session, spec)))
        errors.extend(repeated_preferences(parsed, lambda nips: _stored_preferences(session, nips)))
        if errors:
            raise ImportRejected(errors)
        for spec in SHEETS:  # dependency order: referenced kinds first
            found = parsed.get(spec.name)
            if found is not None and found.rows:
                report.sheets[spec.name] = _upsert(session, found, write=not dry_run)
    return report


def _stored_keys(session: Session, spec: SheetSpec) -> set[Any]:
    table = table_of(spec.model)
    return set(session.execute(select(*(table.c[k] for k in spec.key))).all())


def _stored_preferences(session: Session, nips: set[str]) -> dict[str, dict[int, str]]:
    found: dict[str, dict[int, str]] = {}
    ordered = sorted(nips)
    for chunk in _chunks(ordered, 5000):
        for nip, rank, unit in session.execute(
            select(
                col(PlacementPreference.nip),
                col(PlacementPreference.rank),
                col(PlacementPreference.unit_code),
            ).where(col(PlacementPreference.nip).in_(chunk))
        ):
            found.setdefault(nip, {})[rank] = unit
    return found


def _upsert(session: Session, sheet: ParsedSheet, *, write: bool) -> SheetResult:
    spec = sheet.spec
    table = table_of(spec.model)
    rows = _parents_first(sheet.rows) if spec.name == "unit_kerja" else sheet.rows
    fields = list(rows[0].keys())
    key_cols = [table.c[k] for k in spec.key]
    stored: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    wanted = [tuple(r[k] for k in spec.key) for r in rows]
    for chunk in _chunks(wanted, 5000):
        condition = (
            key_cols[0].in_([k[0] for k in chunk])
            if len(key_cols) == 1
            else tuple_(*key_cols).in_(chunk)
        )
        for record in session.execute(
            select(*key_cols, *(table.c[f] for f in fields)).where(condition)
        ):
            stored[tuple(record[: len(key_cols)])] = tuple(record[len(key_cols) :])
    result = SheetResult(rows=len(rows))
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for key, row in zip(wanted, rows, strict=True):
        before = stored.get(key)
        if before is None:
            inserts.append(row)
        elif before != tuple(row[f] for f in fields):
            updates.append(row)
    result.inserted, result.updated = len(inserts), len(updates)
    result.unchanged = len(rows) - len(inserts) - len(updates)
    if write:
        for batch in _chunks(inserts, 5000):
            session.execute(insert(table), batch)
        if updates:
            session.execute(update(spec.model), updates)
    return result


def _parents_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Units ordered so each parent in the file comes before its children (iteratively: the
    validator has already refused loops and over-deep chains)."""
    by_code = {r["code"]: r for r in rows}
    ordered: list[dict[str, Any]] = []
    placed: set[str] = set()
    for row in rows:
        chain = []
        current: dict[str, Any] | None = row
        while current is not None and current["code"] not in placed:
            chain.append(current)
            placed.add(current["code"])
            parent = current["parent_code"]
            current = by_code.get(parent) if parent else None
        ordered.extend(reversed(chain))
    return ordered


def _chunks(items: list[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


__all__ = ["import_upload", "ImportReport", "ImportRejected", "FileTooLarge", "RowError"]

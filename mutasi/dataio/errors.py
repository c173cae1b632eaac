"""Row-level import errors: where (file/sheet, row, column) and why."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int | None
    column: str | None
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        where = self.sheet
        if self.row is not None:
            where += f", baris {self.row}"
        if self.column:
            where += f", kolom {self.column}"
        return f"{where}: {self.reason}"


class ImportRejected(Exception):
    """The file had errors; nothing was written."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"impor ditolak: {len(errors)} kesalahan; tidak ada data yang disimpan")

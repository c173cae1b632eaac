"""Convert one raw cell (CSV text or an XLSX value) to a typed value, or say why not."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from mutasi.dataio.spec import Column
from mutasi.infra.text import first_control_character

_TRUE = {"ya", "y", "true", "1", "benar", "yes"}
_FALSE = {"tidak", "t", "false", "0", "salah", "no", "n"}


class CellError(ValueError):
    pass


@dataclass(frozen=True)
class NumberCell:
    """A spreadsheet cell stored as a number, with the literal text the file holds for it
    (None when the file gave no text). Identifiers are taken from this text, never from
    the float a reader makes of it: 197210131996031001 as a float is ...008."""

    text: str | None


_DIGITS = re.compile(r"[0-9]+(?:\.0*)?")
_SCIENTIFIC = re.compile(r"[+-]?[0-9]*\.?[0-9]+[eE][+-]?[0-9]+")
TEXT_FORMAT_HINT = "format kolom sebagai Teks lalu ketik ulang nilainya"


def identifier_text(value: Any) -> str:
    """An identifier (NIP, code) exactly as written, or why it cannot be trusted."""
    if isinstance(value, NumberCell):
        if value.text is not None and _DIGITS.fullmatch(value.text.strip()):
            return value.text.strip().split(".")[0]
        shown = value.text or "?"
        raise CellError(
            f"tersimpan sebagai angka ({shown}) sehingga digitnya tidak dapat dipastikan; "
            f"{TEXT_FORMAT_HINT}"
        )
    if isinstance(value, bool | int | float):
        raise CellError(f"tersimpan sebagai angka ({value}); {TEXT_FORMAT_HINT}")
    text = str(value).strip()
    if _SCIENTIFIC.fullmatch(text):
        raise CellError(
            f"tertulis sebagai angka ilmiah ({text}) sehingga digitnya hilang; {TEXT_FORMAT_HINT}"
        )
    return text


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


# A cell starting with one of these is a formula to a spreadsheet (and to the next person
# who opens an export of it): refused, unless it is a number in a numeric column.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def convert(column: Column, value: Any) -> Any:
    if isinstance(value, str):
        character = first_control_character(value)
        if character:
            raise CellError(f"memuat karakter kendali {character}; hapus karakter itu")
        if value.lstrip(" ").startswith(FORMULA_STARTS) and not _numeric_text(column, value):
            raise CellError(
                "diawali =, +, -, @, tab atau CR, yang dibaca spreadsheet sebagai rumus; "
                "hapus tanda itu di awal isian"
            )
        value = value.strip()
    kind = column.kind
    if kind == "str":
        result: Any = identifier_text(value) if column.identifier else _as_str(value)
        if column.max_length is not None and len(result) > column.max_length:
            raise CellError(f"terlalu panjang ({len(result)} > {column.max_length} karakter)")
    elif kind == "int":
        result = _as_int(value)
    elif kind == "float":
        result = _as_float(value)
    elif kind == "date":
        result = _as_date(value)
    elif kind == "bool":
        result = _as_bool(value)
    else:  # pragma: no cover - spec error
        raise AssertionError(kind)
    if column.choices is not None and result not in column.choices:
        raise CellError(f"nilai '{result}' tidak dikenal; pilihan: {', '.join(column.choices)}")
    if column.minimum is not None and result < column.minimum:
        raise CellError(f"nilai {result} di bawah minimum {column.minimum:g}")
    if column.maximum is not None and result > column.maximum:
        raise CellError(f"nilai {result} di atas maksimum {column.maximum:g}")
    return result


def _numeric_text(column: Column, value: str) -> bool:
    if column.kind not in ("int", "float"):
        return False
    try:
        float(value.strip().replace(",", "."))
    except ValueError:
        return False
    return True


def _as_str(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        raise CellError("berisi tanggal, seharusnya teks")
    return str(value)


def _as_int(value: Any) -> int:
    if isinstance(value, bool):
        raise CellError("bukan bilangan bulat")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    try:
        return int(str(value))
    except ValueError:
        raise CellError(f"'{value}' bukan bilangan bulat") from None


def _as_float(value: Any) -> float:
    if isinstance(value, bool):
        raise CellError("bukan angka")
    if isinstance(value, int | float):
        return float(value)
    text = str(value)
    if "," in text and "." not in text:  # Indonesian decimal comma
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        raise CellError(f"'{value}' bukan angka") from None


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value)
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time of day
        except ValueError:
            continue
    raise CellError(f"'{value}' bukan tanggal (format YYYY-MM-DD atau DD-MM-YYYY)")


def _as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(f"'{value}' bukan ya/tidak")

"""Stored text leaves the product as data, never as code: spreadsheet cells that stay
strings, CSV values a spreadsheet will not evaluate, PDF paragraphs whose markup is text.

Anything a person typed (an objection reason, a rejection comment, a name, an agency's
PPK title) can start with "=" or hold "<b>"; every writer of a file goes through here.
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

import xlsxwriter

# Spreadsheets read a cell starting with one of these as a formula (or DDE command).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# xlsxwriter turns "=..." strings into formulas and "http..." into links unless told not to.
_XLSX_TEXT_AS_TEXT = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def workbook(out: io.BytesIO, **options: Any) -> xlsxwriter.Workbook:
    """An XLSX writer that stores every string as a string."""
    return xlsxwriter.Workbook(out, {"in_memory": True, **options, **_XLSX_TEXT_AS_TEXT})


def csv_cell(value: Any) -> Any:
    """A CSV value no spreadsheet evaluates: text starting like a formula gets a leading
    apostrophe (the convention spreadsheets display as the plain text after it)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def pdf_text(value: Any) -> str:
    """Text for a reportlab Paragraph: its markup characters escaped, so "<b>" is printed."""
    return escape("" if value is None else str(value))

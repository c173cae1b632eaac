"""The page filters for numbers and dates (`|angka`, `|tanggal`) in the page's language,
by Babel's formats (mutasi.i18n.formats)."""

from __future__ import annotations

from datetime import date, datetime

from jinja2 import pass_context
from jinja2.runtime import Context

from mutasi.i18n.formats import day, number


@pass_context
def angka_filter(context: Context, value: float | int | None, digits: int = 2) -> str:
    return number(value, digits, context.get("lang", "id"))


@pass_context
def tanggal_filter(context: Context, value: date | datetime | None) -> str:
    return day(value, context.get("lang", "id"))

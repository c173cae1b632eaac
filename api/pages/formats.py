"""Numbers, dates and times as the page's readers write them. Bahasa Indonesia: 0,38;
10,2 %; 1 Desember 2026; 14.30 WIB. English: 0.38; 1 December 2026; 14:30 WIB. Times
are in the agency's zone, the zone shown."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from jinja2 import pass_context
from jinja2.runtime import Context

from planning.calendar import MONTHS

ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def angka(value: float | int | None, digits: int = 2, lang: str = "id") -> str:
    """1234.5 -> "1.234,50" (dot for thousands, comma for decimals; English the other way
    round); None -> "—"."""
    if value is None:
        return "—"
    text = f"{value:,.{digits}f}"
    if lang == "en":
        return text
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def tanggal_id(value: date | datetime | None, lang: str = "id") -> str:
    if value is None:
        return "—"
    months = MONTHS_EN if lang == "en" else MONTHS
    return f"{value.day} {months[value.month - 1]} {value.year}"


def waktu(value: datetime | None, zone: str = "Asia/Jakarta", lang: str = "id") -> str:
    """A moment in the agency's zone, with the zone: "3 Desember 2026 14.30 WIB"."""
    if value is None:
        return "—"
    moment = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(ZoneInfo(zone))
    clock = f"{moment:%H:%M}" if lang == "en" else f"{moment:%H.%M}"
    return f"{tanggal_id(moment, lang)} {clock} {ZONE_NAMES.get(zone, zone)}"


@pass_context
def angka_filter(context: Context, value: float | int | None, digits: int = 2) -> str:
    return angka(value, digits, context.get("lang", "id"))


@pass_context
def tanggal_filter(context: Context, value: date | datetime | None) -> str:
    return tanggal_id(value, context.get("lang", "id"))

"""Numbers, dates and times as Indonesian readers write them: 0,38; 10,2 %;
1 Desember 2026; 14.30 WIB (in the agency's zone, the zone shown)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from mutasi.decree.pdf import MONTHS

ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def angka(value: float | int | None, digits: int = 2) -> str:
    """1234.5 -> "1.234,50" (dot for thousands, comma for decimals); None -> "—"."""
    if value is None:
        return "—"
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def tanggal_id(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def waktu(value: datetime | None, zone: str = "Asia/Jakarta") -> str:
    """A moment in the agency's zone, with the zone: "3 Desember 2026 14.30 WIB"."""
    if value is None:
        return "—"
    moment = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(ZoneInfo(zone))
    return f"{tanggal_id(moment)} {moment:%H.%M} {ZONE_NAMES.get(zone, zone)}"

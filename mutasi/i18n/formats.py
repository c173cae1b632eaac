"""Numbers, dates and times as each language writes them, by Babel's locale data: Bahasa
Indonesia (id_ID) 1.234,5 · 10,2% · 1 Desember 2026 · 14.30 WIB; English 1,234.5 · 10.2% ·
1 December 2026 · 14:30 WIB. Times are shown in the agency's zone, the zone named."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from babel.numbers import format_decimal, format_percent

LOCALES = {"id": "id_ID", "en": "en_GB"}
ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
NONE = "—"


def _locale(lang: str) -> str:
    return LOCALES.get(lang, LOCALES["id"])


def number(value: float | int | Decimal | None, digits: int = 2, lang: str = "id") -> str:
    """1234.5 -> "1.234,50" (id) or "1,234.50" (en); None -> "—"."""
    if value is None:
        return NONE
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(value, format=pattern, locale=_locale(lang))


def percent(ratio: float | None, digits: int = 1, lang: str = "id") -> str:
    """0.102 -> "10,2%" (id) or "10.2%" (en)."""
    if ratio is None:
        return NONE
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "") + "%"
    return format_percent(ratio, format=pattern, locale=_locale(lang))


def day(value: date | datetime | None, lang: str = "id") -> str:
    """1 Desember 2026 / 1 December 2026."""
    if value is None:
        return NONE
    return format_date(value, format="d MMMM y", locale=_locale(lang))


def moment(value: datetime | None, zone: str = "Asia/Jakarta", lang: str = "id") -> str:
    """A moment in the agency's zone, with the zone: "3 Desember 2026 14.30 WIB"."""
    if value is None:
        return NONE
    local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(ZoneInfo(zone))
    clock = format_time(local, format="HH.mm" if lang == "id" else "HH:mm", locale=_locale(lang))
    return f"{day(local, lang)} {clock} {ZONE_NAMES.get(zone, zone)}"

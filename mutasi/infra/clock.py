"""The agency's calendar day. A server runs in UTC; an Indonesian office works in WIB, WITA or
WIT, so "today" (default dates, "not in the future" checks) is the day in MUTASI_TIMEZONE."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo


def today() -> date:
    from mutasi.infra.settings import get_settings

    return datetime.now(ZoneInfo(get_settings().timezone)).date()

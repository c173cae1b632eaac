"""An audit event's change (its `old` and `new`) as an auditor reads it: one row per field,
the field by its name, stored codes by their labels, dates and numbers in the page's
language. The stored values themselves stay in the CSV/JSON export."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from mutasi.i18n.catalogs import gettext, label
from mutasi.i18n.formats import day, moment, number

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@dataclass(frozen=True)
class ChangedField:
    field: str
    old: str
    new: str


def shown(value: Any, lang: str, zone: str) -> str:
    """One stored value as people read it."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return gettext("ya" if value else "tidak", lang)
    if isinstance(value, int | float):
        return number(value, 0 if isinstance(value, int) else 2, lang)
    if isinstance(value, list):
        return ", ".join(shown(v, lang, zone) for v in value)
    if isinstance(value, dict):
        return "; ".join(
            f"{label('field', str(k), lang)}: {shown(v, lang, zone)}" for k, v in value.items()
        )
    text = str(value)
    if ISO_MOMENT.match(text):
        return moment(datetime.fromisoformat(text), zone, lang)
    if ISO_DAY.match(text):
        return day(date.fromisoformat(text), lang)
    for kind in ("code", "rule"):
        named = label(kind, text, lang)
        if named != text:
            return named
    return text


def changed_fields(
    old: dict[str, Any] | None, new: dict[str, Any] | None, lang: str, zone: str
) -> list[ChangedField]:
    before, after = old or {}, new or {}
    return [
        ChangedField(
            field=label("field", key, lang),
            old=shown(before.get(key), lang, zone) if key in before else "",
            new=shown(after.get(key), lang, zone) if key in after else "",
        )
        for key in dict.fromkeys([*before, *after])
    ]

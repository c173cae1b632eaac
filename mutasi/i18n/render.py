"""A `Msg` in a language: its catalog template filled with its values, each shown as its
placeholder says — `{x:day}` (an ISO date), `{x:moment}` (an ISO moment, in the agency's
zone), `{x:number}`, `{x:code}` / `{x:rule}` (a stored code by its label), `{x:said}` (Indonesian text the
catalog translates), `{x:docs}` (document kinds, comma-separated); `{x}` as it is."""

from __future__ import annotations

import string
from datetime import date, datetime
from typing import Any

from contracts.messages import Msg
from mutasi.i18n.catalogs import DEFAULT_LANGUAGE, gettext, label
from mutasi.i18n.formats import day, moment, number


class _Filler(string.Formatter):
    def __init__(self, lang: str, zone: str) -> None:
        self.lang, self.zone = lang, zone

    def format_field(self, value: Any, format_spec: str) -> str:
        text = str(value)
        if format_spec == "day":
            return day(date.fromisoformat(text[:10]), self.lang)
        if format_spec == "moment":
            return moment(datetime.fromisoformat(text), self.zone, self.lang)
        if format_spec == "number":
            return number(float(text), 2, self.lang)
        if format_spec in ("code", "rule"):
            return label(format_spec, text, self.lang)
        if format_spec == "docs":  # document kinds, comma-separated
            return ", ".join(label("doc", code, self.lang) for code in text.split(",") if code)
        if format_spec == "said":  # Indonesian text the catalog translates (a task's title)
            return gettext(text, self.lang)
        formatted: str = super().format_field(value, format_spec)
        return formatted


def say(msg: Msg, lang: str = DEFAULT_LANGUAGE, zone: str = "Asia/Jakarta") -> str:
    """`msg` in `lang`; a code no catalog has is shown as the code (the catalog tests fail
    on it first)."""
    return _Filler(lang, zone).format(gettext(msg.code, lang), **msg.params)

"""Indonesian text the code still says as sentences, read into English by the English
catalog's templates (`{}` where a value goes in): a label or a sentence without values as
the catalog says; a sentence with values by its template, each value itself translated when
it is a known message (a span, a status); text joined by "; " part by part; anything else
(a name, a code, a number) as it is. Each message that becomes a code (contracts.messages.Msg)
no longer needs this."""

from __future__ import annotations

import re
from functools import lru_cache

from babel.dates import get_month_names

from mutasi.i18n.catalogs import translations
from planning.calendar import MONTHS

MONTHS_EN = tuple(get_month_names("wide", locale="en")[m] for m in range(1, 13))


def _compile(template: str) -> re.Pattern[str]:
    literal = template.split("{}")
    return re.compile("(.+?)".join(re.escape(part) for part in literal) + r"\Z", re.DOTALL)


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str], str]]:
    """The English catalog's templates with values, the most literal text first: "masa
    jabatan {} (minimal {})" is tried before "{} tahun", so a sentence is read as a whole
    before its values are."""
    return sorted(
        (
            (template.split("{}")[0], _compile(template), target)
            for template, target in translations("en").items()
            if "{}" in template
        ),
        key=lambda entry: -len(entry[1].pattern.replace("(.+?)", "")),
    )


_DECIMAL = re.compile(r"-?\d+,\d+\Z")
_DATE = re.compile(rf"(\d{{1,2}}) ({'|'.join(MONTHS)}) (\d{{4}})\Z")
_SPAN = re.compile(r"-?(?:(\d+) tahun)? ?(?:(\d+) bulan)?\Z")


@lru_cache(maxsize=8192)
def english(text: str, depth: int = 0) -> str:
    """A page label or a message in English: a label or a message without values as the
    catalog says; a message with values by its template, each value itself translated when
    it is a known message (a span, a status); text joined by "; " part by part; anything
    else (a name, a code, a number) as it is."""
    exact = translations("en").get(text)
    if exact is not None and "{}" not in text:
        return exact
    if depth > 2 or not text.strip():
        return text
    if _DECIMAL.match(text):
        return text.replace(",", ".")
    if (found := _SPAN.match(text)) and (found[1] or found[2]):
        return " ".join(
            f"{n} {unit}{'' if n == '1' else 's'}"
            for n, unit in ((found[1], "year"), (found[2], "month"))
            if n
        )
    if found := _DATE.match(text):
        return f"{found[1]} {MONTHS_EN[MONTHS.index(found[2])]} {found[3]}"
    for prefix, pattern, target in _patterns():
        if text.startswith(prefix) and (found := pattern.match(text)):
            return target.format(*(english(v, depth + 1) for v in found.groups()))
    if "; " in text:
        return "; ".join(english(part, depth + 1) for part in text.split("; "))
    return text

"""Page language: Bahasa Indonesia by default; English when the `lang` cookie says so.

Templates write Indonesian text through `_()`, and stored codes (stages, audit actions,
roles) through `label()`, `action_label()` and `role_labels`; both read the gettext catalogs
(mutasi/locale). Messages the domain still says as Indonesian sentences are read back into
English by the catalog's templates (`{}` where a value goes in) until each becomes a code."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from babel.dates import get_month_names

from mutasi.i18n.catalogs import LANGUAGES, gettext, label, translations
from planning.calendar import MONTHS
from planning.explain_text import employee_explanation, hr_explanation

__all__ = [
    "LANGUAGES",
    "LANG_COOKIE",
    "action_label",
    "code_labeller",
    "english",
    "explainer",
    "role_labels",
    "translator",
]

LANG_COOKIE = "lang"
ROLES = ("hr_admin", "approver", "delegate", "employee", "auditor", "system", "committee_chair")
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


def translator(lang: str) -> Callable[[str], str]:
    if lang == "en":
        return lambda text: english(text) if text else text
    return lambda text: gettext(text, lang) if text else text


def code_labeller(lang: str) -> Callable[[str | None], str]:
    """A stored code (a stage, a status, an answer) as people read it."""
    return lambda code: label("code", code, lang)


def action_label(code: str, lang: str = "id") -> str:
    """An audit action as people read it (every reminder kind reads the same)."""
    return label("action", "reminder" if code.startswith("reminder.") else code, lang)


def role_labels(lang: str) -> dict[str, str]:
    return {role: label("role", role, lang) for role in ROLES}


def explainer(lang: str) -> Callable[..., str]:
    """A proposal's explanation in the page's language. In Bahasa Indonesia the text stored
    at planning time is shown as it was written; in English it is rendered again from the
    planner's record (`own`: the employee's second-person text), or translated where a
    record is missing."""
    say = translator(lang)

    def explain(detail: dict[str, Any] | None, stored: str | None = None, own: bool = False) -> str:
        if lang == "id" or not detail or not ("units" in detail or detail.get("added_by_hr")):
            return say(stored or "")
        render = employee_explanation if own else hr_explanation
        return render(detail, lang, say)

    return explain

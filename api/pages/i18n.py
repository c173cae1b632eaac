"""Page language: Bahasa Indonesia by default; English when the `lang` cookie says so.

Templates write Indonesian text through `_()`, and stored codes (stages, audit actions,
roles) through `label()`, `action_label()` and `role_labels`; both read the gettext catalogs
(mutasi/locale). Messages the domain still says as Indonesian sentences are read back into
English by the catalog's templates (`{}` where a value goes in) until each becomes a code."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mutasi.i18n.catalogs import LANG_COOKIE, LANGUAGES, gettext, label
from mutasi.i18n.english import english
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

ROLES = ("hr_admin", "approver", "delegate", "employee", "auditor", "system", "committee_chair")


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

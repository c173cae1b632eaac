"""A message as a code and its values, rendered in the reader's language from the gettext
catalogs (mutasi/locale) when it is shown: a notice told in a workflow reads in English for
an English reader and in Bahasa Indonesia in the mail."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, kw_only=True)
class Msg:
    """`code`: the catalog's message id (e.g. `notice.consultation_reminder`). `params`: its
    values as text; a placeholder says how to show one (`{due:moment}` a moment in the
    agency's zone, `{tmt:day}` a date, `{stage:code}` a stored code by its label)."""

    code: str
    params: dict[str, str] = field(default_factory=dict)

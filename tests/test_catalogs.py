"""The gettext catalogs (mutasi/locale) are complete: every message the code says and every
label a page shows has its English; every stored code a page can show (stages, transfer
types, audit actions and fields, roles, rules, subjects) is named in both languages; and a
translation keeps its message's values."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from contracts.enums import MutationType, Stage, TaskStatus
from mutasi.i18n.catalogs import CODE, LANGUAGES, read_catalog, translations
from mutasi.i18n.extract import said

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"\{\d*\}")
NAMED = re.compile(r"\{(\w+)(?::\w+)?\}")
# Codes the source builds from a value: every value they can take.
DYNAMIC_MESSAGES = [
    *(f"notice.case_{o}" for o in ("completed", "rejected", "withdrawn")),
    *(f"notice.case_{o}_because" for o in ("rejected", "withdrawn")),
    *(f"notice.appeal_{s}" for s in ("upheld", "dismissed")),
]


def _calls(name: str) -> list[ast.Call]:
    found = []
    for package in ("activities", "api", "mutasi", "planning", "workflows"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Call):
                    called = getattr(node.func, "id", getattr(node.func, "attr", ""))
                    if called == name:
                        found.append(node)
    return found


def _literal_argument(call: ast.Call, position: int, keyword: str) -> str | None:
    value = (
        call.args[position]
        if len(call.args) > position
        else next((k.value for k in call.keywords if k.arg == keyword), None)
    )
    return value.value if isinstance(value, ast.Constant) else None


def audit_fields() -> set[str]:
    """The keys of every `old=`/`new=` dict the code writes into an audit event."""
    keys: set[str] = set()
    for package in ("activities", "api", "mutasi", "workflows"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.keyword)
                    and node.arg in ("old", "new")
                    and isinstance(node.value, ast.Dict)
                ):
                    keys |= {k.value for k in node.value.keys if isinstance(k, ast.Constant)}
    return keys


def test_every_entry_has_its_english_and_keeps_its_values():
    catalog = read_catalog("en")
    untranslated = [str(m.id) for m in catalog if m.id and not m.string]
    assert untranslated == []
    changed = [
        str(m.id)
        for m in catalog
        if m.id and len(PLACEHOLDER.findall(str(m.id))) != len(PLACEHOLDER.findall(str(m.string)))
    ]
    assert changed == []


def test_every_code_is_named_in_both_languages():
    codes = {lang: {k for k in translations(lang) if CODE.match(k)} for lang in LANGUAGES}
    assert codes["id"] == codes["en"]
    wanted = (
        {f"code.{s}" for s in (*Stage, *MutationType, *TaskStatus)}
        | {f"rule.{_literal_argument(c, 0, 'code')}" for c in _calls("RuleCheck")}
        | {f"field.{k}" for k in audit_fields()}
    )
    assert sorted(wanted - codes["id"]) == []


def test_every_message_the_source_says_is_an_entry_of_the_catalog():
    """A message reworded in the code is a new entry: this fails until `make messages` adds
    it and its English is written (the old entry is then listed as no longer said)."""
    english = translations("en")
    assert sorted(msgid for msgid in said() if msgid not in english) == []


def test_bahasa_indonesia_is_the_source_language():
    """Its catalog holds codes only: any other text is shown as the code writes it."""
    assert [k for k in translations("id") if not CODE.match(k)] == []


def test_a_coded_message_has_the_same_values_in_both_languages():
    """`{due:moment}` in one language and `{due}` or nothing in the other would lose a value."""
    id_, en = translations("id"), translations("en")
    differ = [
        code
        for code in id_
        if set(NAMED.findall(id_[code])) != set(NAMED.findall(en.get(code, "")))
    ]
    assert differ == []


def _codes(call: ast.Call) -> list[str]:
    """The codes a `Msg(code=...)` call can carry, when they are written out."""
    value = next((k.value for k in call.keywords if k.arg == "code"), None)
    branches = [value.body, value.orelse] if isinstance(value, ast.IfExp) else [value]
    found = [b.value for b in branches if isinstance(b, ast.Constant)]
    return found if len(found) == len(branches) else []


def test_every_message_code_the_source_uses_is_in_both_catalogs():
    calls = _calls("Msg")
    used = {code for call in calls for code in _codes(call)}
    dynamic = [call for call in calls if not _codes(call)]
    # The case's outcome, the objection's decision, and the pages showing a stored notice.
    assert len(used) > 20 and len(dynamic) == 3
    for lang in LANGUAGES:
        known = translations(lang)
        assert sorted(c for c in {*used, *DYNAMIC_MESSAGES} if c not in known) == [], lang

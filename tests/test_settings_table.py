"""The README's configuration table is the settings, no more and no less: every field of
`Settings` is there under the name an operator sets, and every name the table's first
column gives is a field (a renamed or removed setting cannot linger in the docs)."""

from __future__ import annotations

import re
from pathlib import Path

from mutasi.infra.settings import Settings

README = Path(__file__).resolve().parent.parent / "README.md"


def _table() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| `")]


def _env_names(name: str) -> set[str]:
    field = Settings.model_fields[name]
    alias = field.validation_alias
    choices = getattr(alias, "choices", None)
    if choices:
        return {str(c) for c in choices}
    return {f"MUTASI_{name.upper()}"}


def test_every_setting_is_in_the_configuration_table():
    named = {n for line in _table() for n in re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1])}
    missing = {name for name in Settings.model_fields if not (_env_names(name) & named)}
    assert missing == set()


def test_the_configuration_table_names_only_settings():
    known = set().union(*(_env_names(n) for n in Settings.model_fields))
    named = {n for line in _table() for n in re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1])}
    assert named - known == set()

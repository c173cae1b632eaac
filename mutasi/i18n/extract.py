"""`make messages`: add to both catalogs what the code and the pages newly say, each new
entry untranslated (its English to be written in mutasi/locale/en/LC_MESSAGES/mutasi.po;
the catalog test fails until it is). Nothing is removed: an entry no longer said is listed
so a person decides."""

from __future__ import annotations

import re
import sys

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from mutasi.i18n.catalogs import CODE, LANGUAGES, catalog_path, read_catalog
from mutasi.i18n.sources import messages, template_labels

WIDTH = 100


def said() -> dict[str, str]:
    """Every message id the source says, with where it is first said."""
    found: dict[str, str] = {}
    for text, where in [*template_labels(), *messages()]:
        if re.search(r"[a-zA-Z]{3}", text.replace("{}", "")):
            found.setdefault(text, where)
    return found


def update(lang: str, wanted: dict[str, str]) -> tuple[int, list[str]]:
    """Add `wanted` ids missing from `lang`'s catalog; (added, ids the source no longer says)."""
    catalog: Catalog = read_catalog(lang)
    known = {str(m.id) for m in catalog if m.id}
    added = 0
    for msgid, where in wanted.items():
        # Bahasa Indonesia is the source language: its catalog holds only the codes.
        if msgid not in known and (lang == "en" or CODE.match(msgid)):
            catalog.add(msgid, "", auto_comments=[where])
            added += 1
    if added:
        with catalog_path(lang).open("wb") as handle:
            write_po(handle, catalog, width=WIDTH, include_lineno=False)
    unsaid = sorted(k for k in known if k not in wanted and not CODE.match(k))
    return added, unsaid


def main() -> int:
    wanted = said()
    for lang in LANGUAGES:
        added, unsaid = update(lang, wanted)
        print(f"{lang}: {added} baru; {len(unsaid)} tidak lagi ditemukan di sumber")
    return 0


if __name__ == "__main__":
    sys.exit(main())

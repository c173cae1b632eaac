"""The gettext catalogs, read once per process. A message id is either a code (`code.<stored
value>`, `action.<audit action>`, `role.<role>`), which both catalogs translate, or the
Indonesian text itself, which the English catalog translates and Bahasa Indonesia shows as
it is."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
LANG_COOKIE = "lang"  # the language a person chose on the pages
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "mutasi"
CODE = re.compile(r"^[a-z]+\.[a-z0-9_.]+\Z")


def catalog_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(lang: str) -> Catalog:
    with catalog_path(lang).open("rb") as handle:
        return read_po(handle, locale=lang, domain=DOMAIN)


@lru_cache(maxsize=len(LANGUAGES))
def translations(lang: str) -> dict[str, str]:
    """msgid -> msgstr of `lang`'s catalog, the untranslated entries left out."""
    return {
        str(m.id): str(m.string)
        for m in read_catalog(lang)
        if m.id and isinstance(m.id, str) and isinstance(m.string, str) and m.string
    }


def gettext(msgid: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """`msgid` in `lang`: its translation, else (Indonesian text in Bahasa Indonesia, or
    text no catalog knows) the text itself."""
    return translations(lang if lang in LANGUAGES else DEFAULT_LANGUAGE).get(msgid, msgid)


def label(kind: str, code: str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """A stored code as people read it (`kind` "code", "action" or "role"); a code no
    catalog names stays as it is, and the catalog tests fail on it."""
    if not code:
        return ""
    msgid = f"{kind}.{code}"
    found = gettext(msgid, lang)
    return code if found == msgid else found

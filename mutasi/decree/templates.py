"""Decree templates: Jinja2 text the agency can edit, kept by version. The packaged defaults
are used until an agency saves its own; every issued document records the template's name,
version and hash, so the text it was made from can always be shown.

Templates run in Jinja2's sandbox (an agency's text can read the decree's snapshot and call
the few filters below, nothing else) and with StrictUndefined, so a misspelt field is an
error when the template is saved, not a blank in a signed decree."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateError
from jinja2.sandbox import SandboxedEnvironment
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from models import DocumentTemplate
from mutasi.decree.layout import TemplateRefused, check_layout
from mutasi.decree.wording import count_in_words, diktum, terbilang
from planning.calendar import date_text

# The documents an agency may word its own way, and the packaged default of each.
TEMPLATE_NAMES = {
    "decree": "decree.txt.j2",
    "revocation": "revocation.txt.j2",
    "minutes": "minutes.txt.j2",
}
MAX_TEMPLATE_CHARS = 60_000


@dataclass(frozen=True, kw_only=True)
class DecreeTemplate:
    name: str
    version: int  # 0: the packaged default
    body: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body.encode()).hexdigest()

    def reference(self) -> dict[str, Any]:
        return {"name": self.name, "version": self.version, "sha256": self.sha256}


def _environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True
    )
    env.filters.update(terbilang=terbilang, count_in_words=count_in_words, diktum=diktum)
    env.filters["tanggal"] = date_text
    return env


_ENV = _environment()


def default_template(name: str) -> DecreeTemplate:
    if name not in TEMPLATE_NAMES:
        raise TemplateRefused(f"templat '{name}' tidak dikenal")
    body = resources.files("mutasi.decree").joinpath("templates", TEMPLATE_NAMES[name])
    return DecreeTemplate(name=name, version=0, body=body.read_text(encoding="utf-8"))


def current_template(session: Session, agency_code: str, name: str) -> DecreeTemplate:
    """The agency's newest saved version of `name`, or the packaged default."""
    row = session.execute(
        select(DocumentTemplate)
        .where(col(DocumentTemplate.agency_code) == agency_code, col(DocumentTemplate.name) == name)
        .order_by(col(DocumentTemplate.version).desc())
        .limit(1)
    ).scalar_one_or_none()
    if row is None:
        return default_template(name)
    return DecreeTemplate(name=name, version=row.version, body=row.body)


def template_version(
    session: Session, agency_code: str, name: str, version: int
) -> DecreeTemplate | None:
    if version == 0:
        return default_template(name)
    row = session.get(DocumentTemplate, (agency_code, name, version))
    return None if row is None else DecreeTemplate(name=name, version=version, body=row.body)


@lru_cache(maxsize=64)
def _compiled(body: str) -> Template:
    """A template's body compiled once (compiling costs more than rendering)."""
    return _ENV.from_string(body)


def render_text(template: DecreeTemplate, snapshot: dict[str, Any]) -> str:
    """The template's text for one decree's snapshot."""
    try:
        return _compiled(template.body).render(d=snapshot)
    except TemplateError as exc:
        raise TemplateRefused(f"templat {template.name}: {exc}") from exc


def save_template(
    session: Session,
    agency_code: str,
    name: str,
    body: str,
    sample: dict[str, Any],
    actor: str,
) -> DecreeTemplate:
    """A new version of the agency's template, after rendering it over `sample` (a decree
    snapshot of that agency) proves it can produce a decree. Earlier versions are kept."""
    if name not in TEMPLATE_NAMES:
        raise TemplateRefused(f"templat '{name}' tidak dikenal")
    if not body.strip() or len(body) > MAX_TEMPLATE_CHARS:
        raise TemplateRefused(f"isi templat harus 1 sampai {MAX_TEMPLATE_CHARS} karakter")
    draft = DecreeTemplate(name=name, version=-1, body=body)
    check_layout(render_text(draft, sample), name)
    last = session.execute(
        select(func.max(col(DocumentTemplate.version))).where(
            col(DocumentTemplate.agency_code) == agency_code, col(DocumentTemplate.name) == name
        )
    ).scalar_one()
    saved = DocumentTemplate(
        agency_code=agency_code,
        name=name,
        version=(last or 0) + 1,
        body=body,
        sha256=draft.sha256,
        created_by=actor,
        created_at=datetime.now(UTC),
    )
    session.add(saved)
    return DecreeTemplate(name=name, version=saved.version, body=body)

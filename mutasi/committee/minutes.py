"""The minutes (berita acara) of a committee sitting, as the chair approves them: worded by
the agency's "minutes" template and laid out like its decrees."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from contracts.chain import COMMITTEE_TITLES
from mutasi.decree.layout import render_pdf
from mutasi.decree.pdf import tanggal
from mutasi.decree.templates import DecreeTemplate, default_template, render_text

RECOMMENDATION_TEXT = {"setuju": "Setuju", "tidak_setuju": "Tidak setuju", "tunda": "Ditunda"}


@dataclass
class Person:
    name: str
    nip: str
    role: str  # Ketua | Anggota


@dataclass
class MinutesDocument:
    number: str
    office: str
    kind: str
    held_on: date
    seat: str
    attendees: list[Person]
    members_total: int
    quorum: int
    items: list[dict[str, Any]]
    chair: Person


def minutes_snapshot(doc: MinutesDocument) -> dict[str, Any]:
    """Everything the minutes print, for the template (mutasi/decree/templates)."""
    return {
        "number": doc.number,
        "office": doc.office,
        "subject": "Berita acara sidang tim penilai",
        "committee": COMMITTEE_TITLES[doc.kind],
        "held_on_text": tanggal(doc.held_on),
        "seat": doc.seat,
        "attendees": [{"name": p.name, "nip": p.nip, "role": p.role} for p in doc.attendees],
        "members_total": doc.members_total,
        "quorum": doc.quorum,
        "items": [
            {
                "name": item["name"],
                "nip": item["nip"],
                "origin": item["origin"],
                "destination": item["destination"],
                "recommendation_text": RECOMMENDATION_TEXT[item["recommendation"]],
                "reason": item["reason"],
            }
            for item in doc.items
        ],
        "chair": {"name": doc.chair.name, "nip": doc.chair.nip},
    }


def render_minutes(doc: MinutesDocument, template: DecreeTemplate | None = None) -> bytes:
    """The minutes through the agency's template (the default one unless given)."""
    template = template or default_template("minutes")
    snapshot = minutes_snapshot(doc)
    return render_pdf(snapshot, render_text(template, snapshot))

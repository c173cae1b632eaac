"""An agency's legal settings over the API: the PPK and the Sekda's delegation decide who
signs decrees, the number format is checked before it numbers anything, the document
checklist is validated, and every change is audited."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from models import Agency, AuditEvent
from mutasi.decree.numbers import format_number, format_problems
from mutasi.dossier.records import required_kinds


def agency_code(engine) -> str:
    with Session(engine) as s:
        return s.execute(select(Agency.code)).scalars().first()


def test_number_formats_need_seq_and_year_and_nothing_unknown():
    assert format_problems("821.2/{seq:04d}/BKPSDM.{agency}/{year}") == []
    assert format_number("821.2/{seq:04d}/BKD/{year}", 7, 2026, "KAB") == "821.2/0007/BKD/2026"
    assert format_problems("800/{seq}/BKPSDM")  # no year: numbers would repeat every year
    assert format_problems("800/{seq}/{tahun}/{year}")
    assert format_problems("800/{seq/{year}")


def test_settings_change_who_signs_and_how_decrees_are_numbered(hr, demo_engine):
    code = agency_code(demo_engine)
    url = f"/api/v1/agencies/{code}/settings"
    assert hr.get(url).json()["ppk_delegation"] == "sekda"
    bad = hr.patch(url, json={"decree_number_format": "800/{seq}/BKPSDM"})
    assert bad.status_code == 422 and "{year}" in bad.json()["detail"]
    r = hr.patch(
        url,
        json={
            "ppk_delegation": "",
            "ppk_name": "Dr. H. Bupati Contoh",
            "decree_number_format": "821.2/{seq:04d}/BKPSDM/{year}",
        },
    )
    assert r.status_code == 200 and r.json()["ppk_delegation"] == ""
    with Session(demo_engine) as s:
        event = s.execute(
            select(AuditEvent).where(AuditEvent.action == "agency.settings_changed")
        ).scalar_one()
        assert event.old["ppk_delegation"] == "sekda" and event.actor == "hr"
        assert s.get(Agency, code).decree_number_format == "821.2/{seq:04d}/BKPSDM/{year}"


def test_a_checklist_is_validated_and_applies_to_new_cases(hr, demo_engine):
    url = "/api/v1/document-checklists/within_agency"
    assert hr.get(url).json() == {
        "mutation_type": "within_agency",
        "customised": False,
        "items": [],
    }
    bad = hr.put(url, json={"items": [{"code": "Bukan Kode", "title": "x"}]})
    assert bad.status_code == 422 and "kode" in bad.json()["detail"]
    items = [
        {"code": "skp_2_tahun", "title": "SKP 2 tahun terakhir"},
        {"code": "foto", "title": "Pas foto terbaru", "required": False},
    ]
    assert hr.put(url, json={"items": items}).status_code == 200
    with Session(demo_engine) as s:
        assert required_kinds(s, "within_agency") == ["skp_2_tahun"]
    assert hr.get("/api/v1/document-checklists/antah_berantah").status_code == 422

"""Hostile files and hostile text: a crafted workbook costs a 422, never the process; text
people typed leaves the product as text in every XLSX, CSV and PDF it writes."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import UTC, datetime

import pytest
import xlsxwriter
from fastapi.testclient import TestClient
from pypdf import PdfReader
from python_calamine import CalamineWorkbook
from sqlalchemy import update
from sqlmodel import Session

from api.main import create_app
from models import Agency, Consultation, Unit
from mutasi.audit import chain as audit
from mutasi.dataio.errors import ImportRejected
from mutasi.dataio.guard import ReadLimits
from mutasi.dataio.importer import import_upload
from mutasi.infra.settings import Settings
from tests.auth_support import auth_headers
from tests.decree_support import issue, issuer
from tests.test_decree import decree  # noqa: F401  (fixture)
from tests.test_import import AGENCY, UNITS, load_org

SETTINGS = Settings(TEMPORAL_ADDRESS="127.0.0.1:1", import_read_memory_mb=512)
FORMULAS = (
    '=HYPERLINK("http://contoh.invalid","Klik untuk detail")',
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)


def _rewrite(data: bytes, part: str, change) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            target.writestr(item, change(body) if item.filename == part else body)
    return out.getvalue()


def far_cell_workbook(*, declared: bool) -> bytes:
    """1.6 KB: a header and one cell at XFD1048576 (the last cell a sheet can hold)."""
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf)
    sheet = book.add_worksheet("unit_kerja")
    sheet.write_row(0, 0, UNITS.splitlines()[0].split(","))
    sheet.write(1048575, 16383, "x")
    book.close()
    if declared:
        return buf.getvalue()
    return _rewrite(
        buf.getvalue(), "xl/worksheets/sheet1.xml", lambda b: re.sub(rb"<dimension[^>]*/>", b"", b)
    )


SMALL = ReadLimits(512 * 1024 * 1024, 60)


def refused(engine, name: str, data: bytes, limits: ReadLimits = SMALL) -> str:
    with pytest.raises(ImportRejected) as caught:
        import_upload(engine, name, data, limits=limits)
    return " ".join(e.reason for e in caught.value.errors)


def test_a_workbook_declaring_billions_of_cells_is_refused_before_reading(sqlite_engine):
    data = far_cell_workbook(declared=True)
    assert len(data) < 8000
    assert "17,179,869,184 sel" in refused(sqlite_engine, "unit.xlsx", data)


def test_a_far_cell_without_a_declared_size_costs_the_reader_process_not_ours(sqlite_engine):
    reason = refused(sqlite_engine, "unit.xlsx", far_cell_workbook(declared=False))
    assert "batas memori" in reason
    load_org(sqlite_engine)  # this process carries on as before


def test_a_reader_that_runs_out_of_time_is_stopped(sqlite_engine):
    reason = refused(
        sqlite_engine, "instansi.csv", AGENCY.encode(), ReadLimits(512 * 1024 * 1024, 0.000_001)
    )
    assert "tidak selesai dibaca" in reason


def test_doctype_zip_bomb_and_broken_xml_are_refused_with_a_reason(sqlite_engine):
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf)
    book.add_worksheet("instansi").write_row(0, 0, AGENCY.splitlines()[0].split(","))
    book.close()
    plain = buf.getvalue()
    doctype = _rewrite(
        plain,
        "xl/worksheets/sheet1.xml",
        lambda b: b.replace(
            b"?>", b'?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>', 1
        ),
    )
    assert "DOCTYPE" in refused(sqlite_engine, "a.xlsx", doctype)
    bomb = _rewrite(plain, "xl/worksheets/sheet1.xml", lambda b: b + b" " * (30 * 1024 * 1024))
    assert "bom zip" in refused(sqlite_engine, "b.xlsx", bomb)
    broken = _rewrite(plain, "xl/worksheets/sheet1.xml", lambda b: b[: len(b) // 2])
    assert "tidak dapat dibaca" in refused(sqlite_engine, "c.xlsx", broken)
    assert "bukan XLSX" in refused(sqlite_engine, "d.xlsx", b"PK\x03\x04 bukan zip")


def test_the_api_answers_422_for_a_hostile_workbook_and_keeps_serving(demo_engine):
    with TestClient(create_app(SETTINGS, engine=demo_engine)) as client:
        headers = auth_headers(demo_engine, SETTINGS, "hr")
        r = client.post(
            "/api/v1/imports",
            headers=headers,
            files={
                "file": ("unit.xlsx", far_cell_workbook(declared=False), "application/octet-stream")
            },
        )
        assert r.status_code == 422 and "batas memori" in r.text
        assert client.get("/api/v1/health").status_code == 200


@pytest.mark.parametrize("text", FORMULAS)
def test_imports_refuse_text_that_a_spreadsheet_would_run(sqlite_engine, text):
    load_org(sqlite_engine)
    row = UNITS.splitlines()[1].replace("Dinas Satu", text.replace("\r", "\\r"))
    body = UNITS.splitlines()[0] + "\n" + row.replace("\\r", "\r") + "\n"
    reason = refused(sqlite_engine, "unit_kerja.csv", body.encode())
    assert "rumus" in reason


def test_a_signed_number_in_a_numeric_column_is_still_a_number(sqlite_engine):
    load_org(sqlite_engine)
    from tests.test_import import POSITIONS

    header, first, _ = POSITIONS.split("\n", 2)
    report = import_upload(
        sqlite_engine,
        "jabatan.csv",
        (header + "\n" + first.replace(",5,4,", ",+5,4,") + "\n").encode(),
    )
    assert report.sheets["jabatan"].rows == 1


@pytest.fixture
def hostile(demo_engine, decree):  # noqa: F811
    """Stored text an employee, an approver or an administrator typed: formulas and markup."""
    with Session(demo_engine) as s:
        s.execute(
            update(Consultation)
            .where(Consultation.case_id == decree.case_id)
            .values(
                response="objected",
                reason=FORMULAS[0] + " <b>tebal tanpa penutup",
                responded_at=datetime.now(UTC),
            )
        )
        s.execute(
            update(Agency).values(ppk_title="Bupati <Sukamaju", ppk_office="Pemerintah <i>Kab")
        )
        s.execute(
            update(Unit)
            .where(Unit.code == s.execute(Unit.__table__.select().limit(1)).first().code)
            .values(name="=1+1")
        )
        audit.append(
            s,
            audit.AuditInput(
                key="uji-formula",
                agency_code=decree.agency_code,
                at=datetime.now(UTC),
                actor="@SUM(1+1)",
                role="approver",
                action="task.rejected",
                subject_type="case",
                subject_id=decree.case_id,
                reason="=1+1",
                workflow_id=None,
                run_id=None,
            ),
        )
        s.commit()
    return decree


def _every_cell(data: bytes) -> list:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return [
        c
        for name in book.sheet_names
        for row in book.get_sheet_by_name(name).to_python()
        for c in row
    ]


def test_no_export_turns_stored_text_into_a_formula(demo_engine, hostile):
    from mutasi.dataio.exporter import export_csv, export_xlsx
    from mutasi.dataio.spec import SHEETS_BY_NAME
    from mutasi.reports.export import report_xlsx

    with Session(demo_engine) as s:
        from mutasi.reports.case_report import case_report

        report = {
            "cycle": {"id": "X", "name": "X", "status": "running", "case_policy": {}},
            "moves": 0,
            "imbalance_before": 0,
            "imbalance_after": 0,
            "units": [],
            "moves_by_rank": {},
            "cases": case_report(s, hostile.case_id.split(".")[0]),
        }
    for data in (report_xlsx(report), export_xlsx(demo_engine)):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
            assert not any(b"<f>" in z.read(n) for n in sheets)  # no formula cell at all
    assert any(
        isinstance(c, str) and c.startswith("=HYPERLINK") for c in _every_cell(report_xlsx(report))
    )
    for cell in csv.reader(io.StringIO(export_csv(demo_engine, SHEETS_BY_NAME["unit_kerja"]))):
        assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in cell)


def test_the_auditor_csv_history_neutralises_formulas(demo_engine, hostile):
    with TestClient(create_app(SETTINGS, engine=demo_engine)) as client:
        r = client.get(
            f"/api/v1/cases/{hostile.case_id}/history/export",
            params={"format": "csv"},
            headers=auth_headers(demo_engine, SETTINGS, "auditor"),
        )
    assert r.status_code == 200
    values = [v for row in csv.reader(io.StringIO(r.text)) for v in row]
    assert "'@SUM(1+1)" in values and "'=1+1" in values
    assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in values)


def test_markup_in_stored_text_is_printed_in_every_pdf(demo_engine, hostile, decree_settings):
    # A decree made after the markup was stored (an issued one never changes again).
    _, _, later = issue(demo_engine, issuer(decree_settings, "wet"))
    with TestClient(create_app(decree_settings, engine=demo_engine)) as client:
        hr = auth_headers(demo_engine, decree_settings, "hr")
        pdf = client.get(f"/api/v1/decrees/{later.number}/pdf", headers=hr)
        assert pdf.status_code == 200, pdf.text
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
        assert "BUPATI <SUKAMAJU" in text
    from mutasi.reports.export import report_pdf

    report = {
        "cycle": {"id": "X", "name": "<b>X", "status": "running", "case_policy": {}},
        "moves": 0,
        "imbalance_before": 0,
        "imbalance_after": 0,
        "units": [],
        "moves_by_rank": {},
        "cases": {
            "objections": [{"case_id": "C", "reason": "<b>" + "tebal tanpa penutup " * 4}],
            "rejections": [{"case_id": "C", "step": "<i>", "reason": "<font>" * 20}],
        },
    }
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(report_pdf(report))).pages)
    assert "<b>tebal tanpa penutup" in text


def test_a_formula_cell_without_a_position_is_refused(sqlite_engine):
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf)
    sheet = book.add_worksheet("instansi")
    sheet.write_row(0, 0, AGENCY.splitlines()[0].split(","))
    sheet.write_row(1, 0, AGENCY.splitlines()[1].split(","))
    sheet.write_formula(1, 1, '="Kab "&"Uji"', None, "Kab Uji")
    book.close()
    hidden = _rewrite(
        buf.getvalue(), "xl/worksheets/sheet1.xml", lambda b: b.replace(b' r="B2"', b"")
    )
    assert "rumus" in refused(sqlite_engine, "a.xlsx", hidden)


def test_a_unit_hierarchy_1500_deep_is_a_422_even_on_a_dry_run(demo_engine):
    rows = ["code,agency_code,name,kind,parent_code,head_position_code,region"]
    rows += [f"D{i},KAB-SKM,Unit {i},dinas,{f'D{i - 1}' if i else ''},,Kec" for i in range(1500)]
    with TestClient(create_app(SETTINGS, engine=demo_engine)) as client:
        r = client.post(
            "/api/v1/imports",
            params={"dry_run": "true"},
            headers=auth_headers(demo_engine, SETTINGS, "hr"),
            files={"file": ("unit_kerja.csv", "\n".join(rows).encode(), "text/csv")},
        )
    assert r.status_code == 422, r.text
    assert "terlalu dalam" in r.text


@pytest.mark.parametrize(
    ("url", "method"),
    [
        ("/api/v1/cases?offset=9223372036854775808", "get"),
        ("/api/v1/employees?offset=9223372036854775807", "get"),
        ("/api/v1/delegations/9223372036854775808", "delete"),
        ("/api/v1/delegations/0", "delete"),
    ],
)
def test_integers_out_of_range_are_422_not_500(demo_engine, url, method):
    with TestClient(create_app(SETTINGS, engine=demo_engine)) as client:
        r = getattr(client, method)(url, headers=auth_headers(demo_engine, SETTINGS, "hr"))
    assert r.status_code == 422, r.text


def test_like_wildcards_in_searches_match_themselves(demo_engine):
    with TestClient(create_app(SETTINGS, engine=demo_engine)) as client:
        hr = auth_headers(demo_engine, SETTINGS, "hr")
        assert client.get("/api/v1/users", params={"q": "%"}, headers=hr).json()["total"] == 0
        assert client.get("/api/v1/users", params={"q": "_"}, headers=hr).json()["total"] == 0
        assert client.get("/api/v1/employees", params={"q": "%"}, headers=hr).json()["total"] == 0
        assert client.get("/api/v1/users", params={"q": "hr"}, headers=hr).json()["total"] >= 1


def test_every_operation_documents_its_errors_as_problem_json(demo_engine):
    with TestClient(create_app(SETTINGS, engine=demo_engine)) as client:
        schema = client.get("/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"404", "422", "500", "503"} <= set(responses), (method, path)
            if not path.startswith(
                (
                    "/api/v1/health",
                    "/api/v1/ready",
                    "/api/v1/auth/token",
                    "/api/v1/auth/activate",
                    "/api/v1/auth/forgot",
                    "/api/v1/public/",
                )
            ):
                assert {"401", "403"} <= set(responses) and operation["security"], (method, path)
            for status, response in responses.items():
                if status[0] in "45":
                    assert list(response["content"]) == ["application/problem+json"], (
                        method,
                        path,
                        status,
                    )


@pytest.mark.parametrize("value", [str(2**63), str(2**31), "0", "-1"])
def test_every_integer_id_in_a_path_is_a_422_out_of_range_never_a_500(demo_engine, value):
    """Each operation whose path holds an integer id (as its OpenAPI schema says), called
    with it out of range by a signed-in HR user: a 422 problem, never a server error."""
    from api.deps import ROW_ID_MAX

    app = create_app(SETTINGS, engine=demo_engine)
    hr = auth_headers(demo_engine, SETTINGS, "hr")
    called = 0
    with TestClient(app) as client:
        for template, operations in app.openapi()["paths"].items():
            for method, operation in operations.items():
                params = [p for p in operation.get("parameters", []) if p["in"] == "path"]
                ints = {p["name"] for p in params if p["schema"].get("type") == "integer"}
                if not ints:
                    continue
                path = template
                for p in params:
                    path = path.replace("{" + p["name"] + "}", value if p["name"] in ints else "X")
                r = client.request(method.upper(), path, headers=hr)
                assert r.status_code == 422, (method, template, r.status_code, r.text[:200])
                called += 1
    assert called >= 6 and ROW_ID_MAX == 2**31 - 1  # documents, appeals, delegations, embargo

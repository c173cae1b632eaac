"""REST API over the organisation data: reads, import, export, errors as problem details."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from mutasi.infra.settings import Settings
from tests.auth_support import auth_headers


@pytest.fixture
def client(demo_engine):
    settings = Settings()
    with TestClient(
        create_app(settings, engine=demo_engine), headers=auth_headers(demo_engine, settings, "hr")
    ) as c:
        yield c


def test_health_and_docs(client):
    assert client.get("/api/v1/health").status_code == 200
    assert client.get("/openapi.json").status_code == 200


def test_units_positions_employees_readable(client):
    units = client.get("/api/v1/units", params={"limit": 5}).json()
    assert units["total"] > 10 and len(units["items"]) == 5
    unit = client.get(f"/api/v1/units/{units['items'][0]['code']}").json()
    assert unit["unit"]["code"] == units["items"][0]["code"]
    employees = client.get("/api/v1/employees", params={"limit": 3}).json()
    nip = employees["items"][0]["nip"]
    person = client.get(f"/api/v1/employees/{nip}")
    assert person.status_code == 200


def test_unknown_records_are_404_problems(client):
    r = client.get("/api/v1/units/TIDAK-ADA")
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")
    assert "TIDAK-ADA" in r.json()["detail"]


def test_import_without_file_is_422(client):
    assert client.post("/api/v1/imports").status_code == 422


def test_bad_pagination_is_422(client):
    r = client.get("/api/v1/units", params={"limit": 100000})
    assert r.status_code == 422 and r.json()["errors"]


def test_import_rejection_lists_errors(client):
    body = b"nip,name\n123,x\n"
    r = client.post("/api/v1/imports", files={"file": ("pegawai.csv", body, "text/csv")})
    assert r.status_code == 422
    assert len(r.json()["errors"]) >= 2


def test_import_too_large_is_413(demo_engine):
    settings = Settings(import_max_bytes=1000)
    with TestClient(
        create_app(settings, engine=demo_engine), headers=auth_headers(demo_engine, settings, "hr")
    ) as small:
        r = small.post("/api/v1/imports", files={"file": ("pegawai.csv", b"x" * 3000, "text/csv")})
    assert r.status_code == 413


def test_export_reimports_unchanged(client):
    xlsx = client.get("/api/v1/exports/org.xlsx")
    assert xlsx.status_code == 200
    r = client.post(
        "/api/v1/imports", files={"file": ("org.xlsx", xlsx.content, "application/octet-stream")}
    )
    assert r.status_code == 200, r.text
    assert r.json()["changed"] == 0
    csv = client.get("/api/v1/exports/jabatan.csv")
    assert csv.status_code == 200
    r = client.post("/api/v1/imports", files={"file": ("jabatan.csv", csv.content, "text/csv")})
    assert r.status_code == 200, r.text
    assert r.json()["changed"] == 0
    assert client.get("/api/v1/exports/barang.csv").status_code == 404
    assert client.get("/api/v1/imports/template").status_code == 200

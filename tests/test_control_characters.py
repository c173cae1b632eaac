"""Control characters never get in: every JSON and form body with one in a string is a
422 naming the field and the character (tab, line feed and carriage return pass, for free
text), and an imported cell with one is refused with its row and column."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from mutasi.infra.settings import Settings
from tests.auth_support import auth_headers
from tests.test_hostile_input import refused
from tests.test_import import UNITS, load_org

SETTINGS = Settings(TEMPORAL_ADDRESS="127.0.0.1:1")


@pytest.fixture
def client(demo_engine):
    with TestClient(create_app(SETTINGS, engine=demo_engine)) as c:
        yield c


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x7f", "\x85", "\u2028", "\x0b"])
def test_a_json_string_with_a_control_character_is_a_422_naming_the_field(
    client, demo_engine, character
):
    body = {"username": "bkd9", "password": "kucing-oranye-lari", "roles": ["auditor"]}
    body["full_name"] = f"Nama{character}Palsu"
    r = client.post(
        "/api/v1/users",
        content=json.dumps(body),
        headers={**auth_headers(demo_engine, SETTINGS, "hr"), "Content-Type": "application/json"},
    )
    assert r.status_code == 422, r.text
    error = r.json()["errors"][0]
    assert error["loc"] == ["body", "full_name"]
    assert error["pesan"] == f"memuat karakter kendali U+{ord(character):04X}"


def test_a_nul_inside_a_nested_list_is_found_where_it_is(client, demo_engine):
    r = client.post(
        "/api/v1/users",
        json={"username": "bkd9", "password": "x" * 12, "roles": ["auditor", "hr\x00admin"]},
        headers=auth_headers(demo_engine, SETTINGS, "hr"),
    )
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "roles", 1]


def test_tabs_and_line_breaks_in_free_text_pass(client, demo_engine):
    body = {
        "username": "bkd9",
        "password": "kucing-oranye-lari",
        "full_name": "Baris satu\r\nBaris\tdua",
        "roles": ["auditor"],
    }
    r = client.post("/api/v1/users", json=body, headers=auth_headers(demo_engine, SETTINGS, "hr"))
    assert r.status_code == 201, r.text


def test_a_form_field_with_a_control_character_is_a_422(client):
    r = client.post(
        "/login",
        content=b"username=hr%00x&password=a&csrf=b",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "username"]


def test_an_escaped_backslash_u_is_text_not_a_control_character(client, demo_engine):
    body = {"username": "bkd9", "password": "kucing-oranye-lari", "roles": ["auditor"]}
    body["full_name"] = "C:\\u0000 bukan kendali"
    r = client.post("/api/v1/users", json=body, headers=auth_headers(demo_engine, SETTINGS, "hr"))
    assert r.status_code == 201, r.text


def test_an_imported_cell_with_a_control_character_is_refused(sqlite_engine):
    load_org(sqlite_engine)
    row = UNITS.splitlines()[1].replace("Dinas Satu", "Dinas\x00Satu")
    reason = refused(sqlite_engine, "unit_kerja.csv", f"{UNITS.splitlines()[0]}\n{row}\n".encode())
    assert "karakter kendali U+0000" in reason


def test_a_field_the_schema_does_not_declare_is_ignored_like_the_route_ignores_it(
    client, demo_engine
):
    body = {
        "username": "bkd9",
        "password": "kucing-oranye-lari",
        "roles": ["auditor"],
        "lain": {"x": "\x00"},
    }
    r = client.post("/api/v1/users", json=body, headers=auth_headers(demo_engine, SETTINGS, "hr"))
    assert r.status_code == 201, r.text

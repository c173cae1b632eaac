"""Pages without a browser: login (CSRF, throttling, redirects), CSRF on every form,
security headers, forms showing errors in place, logout, language switch."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session

from api.main import create_app
from models import TransferCycle
from mutasi.infra.settings import Settings
from tests.auth_support import auth_headers

SETTINGS = Settings(TEMPORAL_ADDRESS="127.0.0.1:1")


@pytest.fixture
def client(demo_engine):
    with TestClient(create_app(SETTINGS, engine=demo_engine), follow_redirects=False) as c:
        yield c


def login(client, username="hr", password=SETTINGS.demo_password, next_url=""):
    client.get("/login")
    csrf = client.cookies.get("mutasi_login_csrf")
    return client.post(
        "/login", data={"username": username, "password": password, "csrf": csrf, "next": next_url}
    )


def csrf_of(client, path: str) -> str:
    html = client.get(path).text
    return html.split('name="csrf" value="')[1].split('"')[0]


def test_login_sets_an_httponly_session_and_goes_to_the_role_home(client):
    r = login(client)
    assert r.status_code == 303 and r.headers["location"] == "/hr"
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("mutasi_session="))
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    assert client.get("/hr").status_code == 200


def test_login_without_its_csrf_token_is_refused(client):
    r = client.post(
        "/login", data={"username": "hr", "password": SETTINGS.demo_password, "csrf": "palsu"}
    )
    assert r.status_code == 403 and "mutasi_session" not in r.headers.get("set-cookie", "")


def test_login_errors_show_in_place(client):
    r = login(client, password="salah-sandi")
    assert r.status_code == 401 and "salah" in r.text and 'value="hr"' in r.text


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example"])
def test_no_open_redirect_after_login(client, target):
    r = login(client, next_url=target)
    assert r.headers["location"] == "/hr"


def test_next_page_is_kept_through_login(client):
    first = client.get("/audit?q=x")
    assert first.status_code == 303 and first.headers["location"] == "/login?next=/audit%3Fq%3Dx"
    assert login(client, next_url="/audit?q=x").headers["location"] == "/audit?q=x"


def test_security_headers_on_pages_and_api(client):
    for path in ("/login", "/api/v1/health"):
        r = client.get(path)
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        assert "unsafe-inline" not in r.headers["content-security-policy"]
        assert "strict-transport-security" not in r.headers  # served over plain http here


def test_signed_in_pages_and_api_answers_are_never_cached_static_assets_may_be(client, demo_engine):
    login(client)
    hr = auth_headers(demo_engine, SETTINGS, "hr")
    for r in (client.get("/hr"), client.get("/api/v1/units", headers=hr)):
        assert r.status_code == 200 and r.headers["cache-control"] == "no-store", r.url
    asset = client.get("/static/style.css")
    assert asset.status_code == 200 and asset.headers.get("cache-control") != "no-store"


def test_over_https_every_cookie_is_secure_and_hsts_is_sent(demo_engine):
    https = SETTINGS.model_copy(update={"public_base_url": "https://mutasi.contoh.go.id"})
    with TestClient(create_app(https, engine=demo_engine), base_url="https://testserver") as c:
        first = c.get("/login")
        assert first.headers["strict-transport-security"].startswith("max-age=31536000")
        signed_in = login(c)
        cookies = first.headers.get_list("set-cookie") + signed_in.headers.get_list("set-cookie")
    assert cookies and all("secure" in cookie.lower() for cookie in cookies), cookies


def test_forms_need_the_csrf_token(client, demo_engine):
    login(client)
    body = {"name": "Siklus tanpa token"}
    assert client.post("/hr/cycles", data=body).status_code == 403
    assert client.post("/hr/cycles", data={**body, "csrf": "0" * 64}).status_code == 403
    with Session(demo_engine) as s:
        assert s.execute(select(func.count()).select_from(TransferCycle)).scalar_one() == 0


def test_cycle_form_errors_show_in_place(client):
    login(client)
    csrf = csrf_of(client, "/hr")
    r = client.post("/hr/cycles", data={"csrf": csrf, "name": "x", "id": "ada spasi"})
    assert (
        r.status_code == 422
        and r.text.count('class="field-error"') == 2
        and 'value="ada spasi"' in r.text
    )


def test_case_policy_is_set_on_the_form_and_shown_on_the_cycle_page(client, demo_engine):
    from tests.workflow_support import create_cycle_row

    login(client)
    csrf = csrf_of(client, "/hr")
    assert 'name="consultation_days"' in client.get("/hr").text
    r = client.post(
        "/hr/cycles",
        data={
            "csrf": csrf,
            "name": "Siklus uji",
            "consultation_days": "0",
            "silence_rule": "route_to_hr",
            "evaluation_days": "9999",
        },
    )
    assert r.status_code == 422 and r.text.count('class="field-error"') == 2
    assert 'value="0"' in r.text and 'value="route_to_hr" selected' in r.text  # kept as typed
    create_cycle_row(
        demo_engine,
        "POL-P",
        options={"case_policy": {"consultation_days": 5, "silence_rule": "route_to_hr"}},
    )
    page = client.get("/hr/cycles/POL-P").text
    policy = page.split('data-testid="case-policy"')[1].split("</section>")[0]
    assert (
        "<dd>5</dd>" in policy
        and "diteruskan ke HR" in policy
        and "awal bulan berikutnya" in policy
    )


def test_temporal_outage_is_a_message_not_a_crash(client):
    login(client)
    csrf = csrf_of(client, "/hr")
    r = client.post("/hr/cycles", data={"csrf": csrf, "name": "Siklus saat Temporal mati"})
    assert r.status_code == 503 and "Temporal" in r.text


def test_logout_ends_the_session(client):
    login(client)
    csrf = csrf_of(client, "/hr")
    session = client.cookies.get("mutasi_session")
    assert client.post("/logout", data={"csrf": csrf}).status_code == 303
    client.cookies.set("mutasi_session", session)  # a copied cookie is dead too
    assert client.get("/hr").headers["location"].startswith("/login")


def test_language_switch(client):
    login(client)
    assert "Siklus mutasi" in client.get("/hr").text
    client.get("/lang/en?next=/hr")
    assert "Transfer cycles" in client.get("/hr").text


def test_an_unknown_address_is_a_page_for_people_and_a_problem_for_programs(demo_engine):
    from fastapi.testclient import TestClient

    app = create_app(Settings(TEMPORAL_ADDRESS="127.0.0.1:1"), engine=demo_engine)
    with TestClient(app) as client:
        browser = client.get("/tidak-ada", headers={"Accept": "text/html,application/xhtml+xml"})
        program = client.get("/tidak-ada", headers={"Accept": "application/json"})
        api = client.get("/api/v1/tidak-ada", headers={"Accept": "text/html"})
    assert browser.status_code == 404 and browser.headers["content-type"].startswith("text/html")
    assert "/tidak-ada tidak ditemukan" in browser.text and '"status"' not in browser.text
    assert program.status_code == 404
    assert program.headers["content-type"].startswith("application/problem+json")
    assert api.status_code == 404 and api.headers["content-type"].startswith(
        "application/problem+json"
    )

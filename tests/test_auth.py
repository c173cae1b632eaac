"""Sign-in, tokens, logout, throttling, CSRF, account management: the bad cases each get a
clear 401/403/422/429 and change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import Session

from api.auth import CSRF_HEADER, SESSION_COOKIE
from api.main import create_app
from models import LoginThrottle, UserAccount
from mutasi.accounts.security import csrf_token, issue_token
from mutasi.infra.record_key import DecreeSigner
from mutasi.infra.settings import InsecureSettings, Settings
from tests.auth_support import auth_headers, user_id, username_with_role

SETTINGS = Settings(TEMPORAL_ADDRESS="127.0.0.1:1")


@pytest.fixture
def client(demo_engine):
    with TestClient(create_app(SETTINGS, engine=demo_engine)) as c:
        yield c


def login(client, username: str, password: str = SETTINGS.demo_password):
    return client.post("/api/v1/auth/token", data={"username": username, "password": password})


def test_password_flow_issues_a_working_token(client):
    r = login(client, "hr")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == SETTINGS.token_minutes * 60
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json()["roles"] == ["hr_admin"]


def test_passwords_are_stored_as_argon2_hashes(demo_engine):
    with Session(demo_engine) as s:
        hashes = s.execute(select(UserAccount.password_hash).limit(50)).scalars().all()
    assert all(h.startswith("$argon2id$") and SETTINGS.demo_password not in h for h in hashes)


def test_wrong_and_unknown_users_get_the_same_answer(client):
    wrong, unknown = login(client, "hr", "salah-sandi"), login(client, "tidak-ada", "salah-sandi")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"]


def test_login_is_rate_limited(client, demo_engine):
    for _ in range(SETTINGS.login_free_failures_per_address):
        assert login(client, "auditor", "salah-sandi").status_code == 401
    blocked = login(client, "auditor")  # from this address, the next try waits
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0
    assert login(client, "hr").status_code == 200  # other accounts are unaffected
    listed = client.get(
        "/api/v1/auth/throttled",
        params={"username": "auditor"},
        headers=auth_headers(demo_engine, SETTINGS, "hr"),
    ).json()
    assert listed["total"] == 1 and listed["items"][0]["rule"] == "per_user_and_address"


def _try(session, username: str, password: str, ip: str, at):
    from mutasi.accounts.users import LoginAttempt, Throttled, authenticate

    try:
        return (
            "ok"
            if authenticate(session, SETTINGS, LoginAttempt(username, password, ip), at)
            else "wrong"
        )
    except Throttled as exc:
        return f"throttled:{exc.rule}:{exc.retry_after}"


def test_a_stranger_cannot_lock_an_employee_out(demo_engine):
    from datetime import UTC, datetime, timedelta

    t0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    with Session(demo_engine) as s:
        # The stranger's own tries get slower and slower: 3 free, then 1 s, 2 s, 4 s ...
        outcomes = [
            _try(s, "auditor", "tebakan", "203.0.113.9", t0 + timedelta(milliseconds=i))
            for i in range(3)
        ]
        assert outcomes == ["wrong"] * 3
        assert (
            _try(s, "auditor", "tebakan", "203.0.113.9", t0 + timedelta(seconds=0.5))
            == "throttled:per_user_and_address:1"
        )
        assert _try(s, "auditor", "tebakan", "203.0.113.9", t0 + timedelta(seconds=1.1)) == "wrong"
        assert _try(s, "auditor", "tebakan", "203.0.113.9", t0 + timedelta(seconds=2)).startswith(
            "throttled:per_user_and_address:"
        )
        # ... while the owner, from their own address, signs in at once.
        assert (
            _try(s, "auditor", SETTINGS.demo_password, "198.51.100.7", t0 + timedelta(seconds=2))
            == "ok"
        )
        # The owner of `hr` once signed in from their office.
        assert _try(s, "hr", SETTINGS.demo_password, "198.51.100.20", t0) == "ok"
        # A guess spread over many addresses meets the per-username ceiling.
        later = t0 + timedelta(minutes=1)
        for i in range(SETTINGS.login_max_failures_per_user):
            assert _try(s, "hr", "tebakan", f"192.0.2.{i}", later) == "wrong"
        assert _try(s, "hr", SETTINGS.demo_password, "192.0.2.250", later).startswith(
            "throttled:per_user:"
        )
        # ... which stops strangers, not the owner from where they signed in before.
        assert _try(s, "hr", SETTINGS.demo_password, "198.51.100.20", later) == "ok"
        # One address trying many accounts meets the per-address ceiling.
        for i in range(SETTINGS.login_max_failures_per_ip):
            assert _try(s, f"tamu{i}", "tebakan", "203.0.113.77", later) == "wrong"
        assert _try(s, "auditor", SETTINGS.demo_password, "203.0.113.77", later).startswith(
            "throttled:per_address:"
        )
        logged = s.execute(select(LoginThrottle.rule)).scalars().all()
        assert {"per_user_and_address", "per_user", "per_address"} <= set(logged)


def _signed(**claims) -> str:
    """A token signed with the right secret (as if it leaked) carrying `claims` over good ones."""
    exp = int((datetime.now(UTC) + timedelta(minutes=5)).timestamp())
    good = {"sub": "1", "jti": "a" * 32, "exp": exp, "iss": "mutasi", "typ": "api", "gen": 0}
    return jwt.encode({**good, **claims}, SETTINGS.jwt_secret, algorithm="HS256")


# Claims past every range the database and the calendar hold: each a 401, never a 500.
OUT_OF_RANGE = {
    "sub-2^63": {"sub": str(2**63)},
    "sub-2^31": {"sub": str(2**31)},
    "sub-zero": {"sub": "0"},
    "sub-int": {"sub": 1},
    "exp-as-text": {"exp": "9999999999"},
    "exp-past-year-9999": {"exp": 10**15},
    "exp-float": {"exp": 1e300},
    "gen-as-text": {"gen": "0"},
    "gen-2^63": {"gen": 2**63},
    "jti-long": {"jti": "a" * 5000},
    "typ-other": {"typ": "admin"},
}


@pytest.mark.parametrize(
    "case",
    [
        "expired",
        "forged",
        "alg-none",
        "garbage",
        "session-as-bearer",
        "missing-sub",
        *OUT_OF_RANGE,
    ],
)
def test_bad_tokens_are_401(client, demo_engine, case):
    uid = user_id(demo_engine, "hr")
    now = datetime.now(UTC)
    if case in OUT_OF_RANGE:
        token = _signed(**{"sub": str(uid), **OUT_OF_RANGE[case]})
        r = client.get("/api/v1/cycles", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 401 and r.json()["detail"] == "token tidak valid"
        return
    token = {
        "expired": lambda: issue_token(SETTINGS, uid, 5, "api", now=now - timedelta(hours=1)).token,
        "forged": lambda: issue_token(Settings(jwt_secret="x" * 40), uid, 5, "api").token,
        "alg-none": lambda: jwt.encode(
            {
                "sub": str(uid),
                "jti": "a",
                "exp": now + timedelta(minutes=5),
                "iss": "mutasi",
                "typ": "api",
            },
            key=None,
            algorithm="none",
        ),
        "garbage": lambda: "bukan.token.jwt",
        "session-as-bearer": lambda: issue_token(SETTINGS, uid, 5, "session").token,
        "missing-sub": lambda: jwt.encode(
            {"jti": "a", "exp": now + timedelta(minutes=5), "iss": "mutasi", "typ": "api"},
            SETTINGS.jwt_secret,
            algorithm="HS256",
        ),
    }[case]()
    r = client.get("/api/v1/cycles", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer" and r.json()["detail"]


def test_the_same_claims_in_range_are_accepted(client, demo_engine):
    """The control for the cases above: only the out-of-range claim made them fail."""
    token = _signed(sub=str(user_id(demo_engine, "hr")))
    assert (
        client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code
        == 200
    )


def test_logout_revokes_the_token(client, demo_engine):
    headers = auth_headers(demo_engine, SETTINGS, "hr")
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    r = client.get("/api/v1/auth/me", headers=headers)
    assert r.status_code == 401 and "keluar" in r.json()["detail"]


def test_deactivated_account_is_locked_out(client, demo_engine):
    hr = auth_headers(demo_engine, SETTINGS, "hr")
    victim = auth_headers(demo_engine, SETTINGS, "auditor")
    assert (
        client.patch("/api/v1/users/auditor", json={"active": False}, headers=hr).status_code == 200
    )
    assert client.get("/api/v1/cycles", headers=victim).status_code == 401
    assert login(client, "auditor").status_code == 401
    own = client.patch("/api/v1/users/hr", json={"active": False}, headers=hr)
    assert own.status_code == 422


def test_user_management_validates(client, demo_engine):
    hr = auth_headers(demo_engine, SETTINGS, "hr")
    good = {
        "username": "bkpsdm.rina",
        "password": "sandi-kuat-123",
        "roles": ["hr_admin", "auditor"],
    }
    created = client.post("/api/v1/users", json=good, headers=hr)
    assert created.status_code == 201 and created.json()["roles"] == ["auditor", "hr_admin"]
    assert login(client, "bkpsdm.rina", "sandi-kuat-123").status_code == 200
    for bad, reason in [
        ({**good}, "sudah dipakai"),
        ({**good, "username": "bkd1", "roles": ["raja"]}, "tidak dikenal"),
        ({**good, "username": "bkd2", "nip": "199999999999999999"}, "tidak ada"),
    ]:
        r = client.post("/api/v1/users", json=bad, headers=hr)
        assert r.status_code == 422 and reason in r.json()["detail"], r.text
    assert (
        client.post(
            "/api/v1/users", json={**good, "username": "bkd3", "password": "pendek"}, headers=hr
        ).status_code
        == 422
    )
    with Session(demo_engine) as s:
        assert (
            s.execute(
                select(UserAccount).where(UserAccount.username.in_(["bkd1", "bkd2", "bkd3"]))
            ).first()
            is None
        )


def test_cookie_sessions_need_the_csrf_token(client, demo_engine):
    uid = user_id(demo_engine, "hr")
    session = issue_token(SETTINGS, uid, 30, "session")
    client.cookies.set(SESSION_COOKIE, session.token)
    assert client.get("/api/v1/auth/me").status_code == 200
    body = {"name": "Siklus tanpa CSRF"}
    r = client.post("/api/v1/cycles", json=body)
    assert r.status_code == 403 and "CSRF" in r.json()["title"]
    wrong = client.post(
        "/api/v1/cycles", json=body, headers={CSRF_HEADER: csrf_token(SETTINGS, "lain")}
    )
    assert wrong.status_code == 403
    right = client.post(
        "/api/v1/cycles", json=body, headers={CSRF_HEADER: csrf_token(SETTINGS, session.jti)}
    )
    assert right.status_code == 503  # past auth and CSRF; Temporal is deliberately unreachable here


def test_employee_sees_only_their_own(client, demo_engine):
    nip = username_with_role(demo_engine, "employee", exclude_roles=("approver",))
    headers = auth_headers(demo_engine, SETTINGS, nip)
    assert client.get("/api/v1/me/cases", headers=headers).json() == []
    assert client.get(f"/api/v1/employees/{nip}", headers=headers).status_code == 403
    assert client.get("/api/v1/cases", headers=headers).status_code == 403


def test_production_app_refuses_development_secrets(demo_engine):
    """The app checks its settings at start (the settings matrix is in test_security)."""
    with pytest.raises(InsecureSettings):
        create_app(Settings(environment="production"), engine=demo_engine)
    with pytest.raises(InsecureSettings, match="SIGNING_KEY"):
        create_app(Settings(environment="production", jwt_secret="k" * 48), engine=demo_engine)
    key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    assert DecreeSigner.from_base64(key).key_id
    with pytest.raises(InsecureSettings, match="PADES_PKCS12"):  # no PPK certificate
        create_app(
            Settings(environment="production", jwt_secret="k" * 48, decree_signing_key=key),
            engine=demo_engine,
        )
    create_app(
        Settings(
            environment="production",
            jwt_secret="k" * 48,
            decree_signing_key=key,
            pades_pkcs12="/etc/mutasi/ppk.p12",
            audit_mac_key="m" * 48,
        ),
        engine=demo_engine,
    )


def test_invalid_bodies_are_422_problems(client, demo_engine):
    hr = auth_headers(demo_engine, SETTINGS, "hr")
    r = client.post(
        "/api/v1/users", content=b"{not json", headers={**hr, "content-type": "application/json"}
    )
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")


async def test_concurrent_requests_never_starve_the_pool(demo_engine):
    """More requests in flight than pooled connections and worker threads: each still gets
    its answer (a sync session dependency used to deadlock here until the pool timed out)."""
    import asyncio

    import httpx
    from sqlmodel import create_engine

    small = create_engine(
        demo_engine.url,
        pool_size=2,
        max_overflow=0,
        pool_timeout=5,
        connect_args={"check_same_thread": False},
    )
    app = create_app(SETTINGS, engine=small)
    approver = username_with_role(demo_engine, "approver")
    headers = auth_headers(demo_engine, SETTINGS, approver)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        answers = await asyncio.gather(
            *(client.get("/api/v1/tasks", headers=headers) for _ in range(120))
        )
    assert [r.status_code for r in answers] == [200] * 120
    small.dispose()

"""Throttling that stops attackers, not owners, and credentials that end what came before:
a stranger's wrong codes never stop the owner's right one, parallel guesses meet the same
ceiling as sequential ones, an office behind one address is not locked out by one
colleague's attacker, X-Forwarded-For counts only from a trusted proxy, a self-service
reset never voids HR's code, a new password ends every earlier session and token, and a
password must pass the policy."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session

from api.auth import SESSION_COOKIE
from api.main import create_app
from api.services.activation import FORGOT_PER_ADDRESS
from models import ActivationCode, LoginFailure, LoginThrottle, UserAccount
from mutasi.accounts.activation import MAX_FAILURES, activate
from mutasi.accounts.password_policy import MIN_LENGTH, WeakPassword, check_password
from mutasi.accounts.throttle import Throttled
from mutasi.accounts.users import AccountError
from mutasi.infra.settings import Settings
from tests.auth_support import auth_headers
from tests.test_activation import PASSWORD, provision, without_accounts

PROXY = "10.0.0.1"


@pytest.fixture
def behind_proxy(demo_engine, tmp_path):
    """The app behind a reverse proxy at PROXY: each request names its client address."""
    settings = Settings(
        TEMPORAL_ADDRESS="127.0.0.1:1", mail_dir=str(tmp_path / "mail"), trusted_proxies=PROXY
    )
    with TestClient(create_app(settings, engine=demo_engine), client=(PROXY, 5000)) as client:
        yield client, settings, auth_headers(demo_engine, settings, "hr")


def via(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


def activate_as(client, username: str, code: str, address: str, password: str = PASSWORD):
    return client.post(
        "/api/v1/auth/activate",
        json={"username": username, "code": code, "password": password},
        headers=via(address),
    )


def sign_in(client, username: str, password: str, address: str):
    return client.post(
        "/api/v1/auth/token",
        data={"username": username, "password": password},
        headers=via(address),
    )


def test_the_owners_correct_code_works_after_a_strangers_fifty_wrong_ones(
    behind_proxy, demo_engine
):
    client, _, hr = behind_proxy
    nip = without_accounts(demo_engine, 1)[0]
    code = provision(client, hr)[0]["kode_aktivasi"]
    answers = [
        activate_as(client, nip, f"AAAA-BBBB-C{i:03d}", "203.0.113.9").status_code
        for i in range(50)
    ]
    assert answers[:MAX_FAILURES] == [401] * MAX_FAILURES and set(answers[MAX_FAILURES:]) == {429}
    # From the stranger's very address too: a right code is never a guess.
    done = activate_as(client, nip, code, "203.0.113.9")
    assert done.status_code == 200, done.text
    assert sign_in(client, nip, PASSWORD, "198.51.100.7").status_code == 200
    with Session(demo_engine) as s:
        rules = set(s.execute(select(LoginThrottle.rule)).scalars())
    assert "code_per_account" in rules


def test_parallel_wrong_codes_meet_the_same_ceiling(demo_engine):
    settings = Settings(TEMPORAL_ADDRESS="127.0.0.1:1")
    nip = without_accounts(demo_engine, 1)[0]
    with TestClient(create_app(settings, engine=demo_engine)) as client:
        provision(client, auth_headers(demo_engine, settings, "hr"))

    def guess(i: int) -> str:
        with Session(demo_engine) as s:
            try:
                activate(s, settings, nip, f"ZZZZ-YYYY-X{i:03d}", PASSWORD, f"192.0.2.{i}")
            except Throttled:
                return "throttled"
            except AccountError:
                return "checked"
        return "activated"

    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = list(pool.map(guess, range(30)))
    assert outcomes.count("checked") <= MAX_FAILURES, outcomes
    assert outcomes.count("throttled") >= 30 - MAX_FAILURES and "activated" not in outcomes
    with Session(demo_engine) as s:
        counted = s.execute(
            select(func.count()).where(LoginFailure.key == f"activate:{nip}")
        ).scalar_one()
    assert counted == 30  # every wrong guess counted, none lost to the race


def test_one_address_failing_for_many_users_does_not_lock_out_a_colleague_there(
    behind_proxy, demo_engine
):
    client, settings, _ = behind_proxy
    office = "198.51.100.50"
    assert sign_in(client, "auditor", settings.demo_password, office).status_code == 200
    for i in range(settings.login_max_failures_per_ip):
        assert sign_in(client, f"tamu{i}", "tebakan-salah", office).status_code == 401
    # A stranger at that address is stopped; the colleague who signs in there is not.
    assert sign_in(client, "tamu-baru", "tebakan-salah", office).status_code == 429
    assert sign_in(client, "auditor", settings.demo_password, office).status_code == 200
    # Elsewhere nobody is affected at all.
    assert sign_in(client, "hr", settings.demo_password, "198.51.100.51").status_code == 200


def test_x_forwarded_for_counts_only_from_a_trusted_proxy(demo_engine):
    settings = Settings(TEMPORAL_ADDRESS="127.0.0.1:1")
    free = settings.login_free_failures_per_address
    # Straight from the internet (no trusted proxy): the header is the client's own word.
    with TestClient(create_app(settings, engine=demo_engine), client=("127.0.0.1", 1)) as c:
        for i in range(free):
            assert sign_in(c, "auditor", "tebakan-salah", f"192.0.2.{i}").status_code == 401
        assert sign_in(c, "auditor", "tebakan-salah", "192.0.2.99").status_code == 429
    # Behind the proxy, the right-most address the proxy did not add is the client's; what
    # the client wrote to the left of it changes nothing.
    proxied = settings.model_copy(update={"trusted_proxies": "127.0.0.1"})
    with TestClient(create_app(proxied, engine=demo_engine), client=("127.0.0.1", 1)) as c:
        for i in range(free):
            spoofed = {"X-Forwarded-For": f"10.9.9.{i}, 203.0.113.200"}
            answer = c.post(
                "/api/v1/auth/token",
                data={"username": "hr", "password": "tebakan-salah"},
                headers=spoofed,
            )
            assert answer.status_code == 401
        assert sign_in(c, "hr", "tebakan-salah", "10.9.9.77, 203.0.113.200").status_code == 429
        assert sign_in(c, "hr", settings.demo_password, "203.0.113.201").status_code == 200


def test_an_invalid_trusted_proxy_setting_is_refused_with_its_name():
    with pytest.raises(ValueError, match="MUTASI_TRUSTED_PROXIES: 'kantor'"):
        Settings(trusted_proxies="127.0.0.1, kantor")


def test_a_self_service_reset_never_voids_the_code_hr_issued(behind_proxy, demo_engine):
    client, _, hr = behind_proxy
    nip = without_accounts(demo_engine, 1)[0]  # has an e-mail address
    code = provision(client, hr)[0]["kode_aktivasi"]
    for _ in range(3):
        assert client.post("/api/v1/auth/forgot", json={"username": nip}).status_code == 202
    with Session(demo_engine) as s:
        user = s.execute(select(UserAccount.id).where(UserAccount.username == nip)).scalar_one()
        mailed = s.execute(
            select(func.count()).where(
                ActivationCode.user_id == user, ActivationCode.created_by == "lupa-sandi"
            )
        ).scalar_one()
    assert mailed == 2  # the hour's allowance: HR's code counts as the first
    assert activate_as(client, nip, code, "198.51.100.7").status_code == 200


def test_a_new_password_ends_every_earlier_session_and_token(behind_proxy, demo_engine):
    client, settings, hr = behind_proxy
    nip = without_accounts(demo_engine, 1)[0]
    first = provision(client, hr)[0]["kode_aktivasi"]
    assert activate_as(client, nip, first, "198.51.100.7").status_code == 200
    bearer = sign_in(client, nip, PASSWORD, "198.51.100.7").json()["access_token"]
    page = client.get("/login")
    csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
    signed_in = client.post(
        "/login",
        data={"username": nip, "password": PASSWORD, "csrf": csrf},
        follow_redirects=False,
    )
    cookie = signed_in.cookies[SESSION_COOKIE]
    me = {"Authorization": f"Bearer {bearer}"}
    assert client.get("/api/v1/auth/me", headers=me).status_code == 200
    reset = client.post(f"/api/v1/users/{nip}/activation-code", json={}, headers=hr)
    assert reset.status_code == 200, reset.text
    assert client.get("/api/v1/auth/me", headers=me).status_code == 200  # a code alone ends nothing
    changed = activate_as(client, nip, reset.json()["code"], "198.51.100.7", "sandi-lain-sekali")
    assert changed.status_code == 200
    ended = client.get("/api/v1/auth/me", headers=me)
    assert ended.status_code == 401 and "diganti" in ended.json()["detail"]
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, cookie)
    stale = client.get("/api/v1/auth/me")
    assert stale.status_code == 401 and "diganti" in stale.json()["detail"]
    client.cookies.clear()
    fresh = sign_in(client, nip, "sandi-lain-sekali", "198.51.100.7").json()["access_token"]
    assert (
        client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {fresh}"}).json()[
            "username"
        ]
        == nip
    )


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("a1b2c3d4e5f", False),  # 11 characters: one short
        ("a1b2c3d4e5f6", True),  # 12: the minimum
        ("aaaaaaaaaaaaaaaa", False),
        ("123456789012", False),
        ("password1234", False),
        ("Bismillah2026!", False),
        ("sayangsayang", False),
        ("x-199001012020121001", False),  # the NIP
        ("budi.santoso.99", False),  # the name
        ("kucing-oranye-lari", True),
    ],
)
def test_the_password_policy(password, accepted):
    def check() -> None:
        check_password(
            password, username="199001012020121001", nip="199001012020121001", name="Budi Santoso"
        )

    if accepted:
        check()
    else:
        with pytest.raises(WeakPassword):
            check()
    assert MIN_LENGTH == 12


def test_a_weak_password_leaves_the_code_unspent(behind_proxy, demo_engine):
    client, _, hr = behind_proxy
    nip = without_accounts(demo_engine, 1)[0]
    code = provision(client, hr)[0]["kode_aktivasi"]
    weak = activate_as(client, nip, code, "198.51.100.7", password=f"{nip}-ku")
    assert weak.status_code == 401 and "NIP" in weak.json()["detail"]
    assert activate_as(client, nip, code, "198.51.100.7").status_code == 200


def test_one_address_cannot_flood_mailboxes_through_self_service_reset(
    behind_proxy, demo_engine, tmp_path
):
    client, _, hr = behind_proxy
    nip = without_accounts(demo_engine, 1)[0]  # has an e-mail address
    provision(client, hr)
    mail = tmp_path / "mail"
    before = len(list(mail.glob("*.eml")))
    for i in range(FORGOT_PER_ADDRESS):
        answer = client.post(
            "/api/v1/auth/forgot", json={"username": f"tamu{i}"}, headers=via("203.0.113.5")
        )
        assert answer.status_code == 202
    refused = client.post("/api/v1/auth/forgot", json={"username": nip}, headers=via("203.0.113.5"))
    assert refused.status_code == 202  # the same answer: nobody learns they were limited
    assert len(list(mail.glob("*.eml"))) == before
    with Session(demo_engine) as s:
        assert "reset_per_address" in set(s.execute(select(LoginThrottle.rule)).scalars())
    client.post("/api/v1/auth/forgot", json={"username": nip}, headers=via("198.51.100.7"))
    assert len(list(mail.glob("*.eml"))) == before + 1

"""Accounts for everyone: HR provisions accounts from the org data with one-time codes
(stored only as keyed hashes, handed out as a file and by e-mail, never logged); a code
activates once and not after it expires; a leaver's account stops working."""

from __future__ import annotations

import csv
import io
import logging
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.policy import default

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select, update
from sqlmodel import Session

from api.main import create_app
from models import ActivationCode, Employee, UserAccount
from mutasi.infra.settings import Settings
from tests.auth_support import auth_headers

PASSWORD = "sandi-baru-123"


@pytest.fixture
def api(demo_engine, tmp_path, monkeypatch):
    monkeypatch.setenv("MUTASI_MAIL_DIR", str(tmp_path / "mail"))
    settings = Settings(TEMPORAL_ADDRESS="127.0.0.1:1", mail_dir=str(tmp_path / "mail"))
    with TestClient(create_app(settings, engine=demo_engine)) as client:
        yield client, settings, auth_headers(demo_engine, settings, "hr"), tmp_path / "mail"


def without_accounts(engine, count: int) -> list[str]:
    """`count` employees lose their demo accounts (as if never made); the first gets an
    e-mail address."""
    with Session(engine) as s:
        nips = (
            s.execute(
                select(Employee.nip)
                .where(Employee.service_status == "aktif")
                .order_by(Employee.nip.desc())
                .limit(count)
            )
            .scalars()
            .all()
        )
        s.execute(delete(UserAccount).where(UserAccount.nip.in_(nips)))
        s.execute(
            update(Employee).where(Employee.nip == nips[0]).values(email="pegawai@dinas.test")
        )
        s.commit()
    return list(nips)


def provision(client, hr, hours: int = 72) -> list[dict]:
    r = client.post("/api/v1/accounts/provision", json={"valid_hours": hours}, headers=hr)
    assert r.status_code == 200, r.text
    assert r.headers["cache-control"] == "no-store"
    return list(csv.DictReader(io.StringIO(r.text)))


def test_provisioned_codes_activate_once_and_are_stored_only_as_hashes(api, demo_engine, caplog):
    client, settings, hr, mail = api
    caplog.set_level(logging.DEBUG)
    nips = without_accounts(demo_engine, 3)
    rows = provision(client, hr)
    assert sorted(r["nip"] for r in rows) == sorted(nips)
    by_nip = {r["nip"]: r for r in rows}
    assert (
        by_nip[nips[0]]["dikirim_ke_email"] == "ya"
        and by_nip[nips[1]]["dikirim_ke_email"] == "tidak"
    )
    code = by_nip[nips[0]]["kode_aktivasi"]
    # The e-mail carries the code; its link does not (no address bar or access log holds it).
    mailed = "".join(
        message_from_bytes(p.read_bytes(), policy=default).get_content() for p in mail.glob("*.eml")
    )
    assert code in mailed and f"aktivasi?u={nips[0]}" in mailed
    assert code not in by_nip[nips[0]]["tautan"]
    with Session(demo_engine) as s:
        stored = s.execute(select(ActivationCode.code_hash)).scalars().all()
    assert stored and all(code not in h and code.replace("-", "") not in h for h in stored)
    assert code not in caplog.text
    # Provisioning again makes nothing new.
    assert provision(client, hr) == []
    # Nobody signs in before activating.
    assert (
        client.post("/api/v1/auth/token", data={"username": nips[0], "password": "!"}).status_code
        == 401
    )
    short = client.post(
        "/api/v1/auth/activate", json={"username": nips[0], "code": code, "password": "pendek"}
    )
    assert short.status_code == 422  # refused by the schema before any code is tried
    done = client.post(
        "/api/v1/auth/activate",
        json={"username": nips[0], "code": code.lower(), "password": PASSWORD},
    )
    assert done.status_code == 200, done.text
    token = client.post("/api/v1/auth/token", data={"username": nips[0], "password": PASSWORD})
    assert token.status_code == 200
    again = client.post(
        "/api/v1/auth/activate",
        json={"username": nips[0], "code": code, "password": "lain-lagi-123"},
    )
    assert again.status_code == 401 and "sudah dipakai" in again.json()["detail"]
    # Another person's code does not open this account.
    other = by_nip[nips[1]]["kode_aktivasi"]
    crossed = client.post(
        "/api/v1/auth/activate", json={"username": nips[2], "code": other, "password": PASSWORD}
    )
    assert crossed.status_code == 401


def test_an_expired_code_is_refused_and_a_reset_replaces_the_old_code(api, demo_engine):
    client, settings, hr, _ = api
    nips = without_accounts(demo_engine, 1)
    code = provision(client, hr, hours=1)[0]["kode_aktivasi"]
    with Session(demo_engine) as s:
        s.execute(
            update(ActivationCode).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        s.commit()
    late = client.post(
        "/api/v1/auth/activate", json={"username": nips[0], "code": code, "password": PASSWORD}
    )
    assert late.status_code == 401 and "kedaluwarsa" in late.json()["detail"]
    first = client.post(
        f"/api/v1/users/{nips[0]}/activation-code", json={"valid_hours": 24}, headers=hr
    ).json()
    second = client.post(
        f"/api/v1/users/{nips[0]}/activation-code", json={"valid_hours": 24}, headers=hr
    ).json()
    replaced = client.post(
        "/api/v1/auth/activate",
        json={"username": nips[0], "code": first["code"], "password": PASSWORD},
    )
    assert replaced.status_code == 401
    ok = client.post(
        "/api/v1/auth/activate",
        json={"username": nips[0], "code": second["code"], "password": PASSWORD},
    )
    assert ok.status_code == 200


def test_guessing_codes_is_throttled(api, demo_engine):
    client, settings, hr, _ = api
    nips = without_accounts(demo_engine, 1)
    provision(client, hr)
    codes = [
        client.post(
            "/api/v1/auth/activate",
            json={"username": nips[0], "code": f"AAAA-BBBB-CC{i:02d}", "password": PASSWORD},
        ).status_code
        for i in range(11)
    ]
    assert codes[:10] == [401] * 10 and codes[10] == 429


async def test_a_leavers_account_stops_and_their_open_tasks_are_listed(demo_engine):
    from api.services.activation import retire_leavers

    with Session(demo_engine) as s:
        nip = s.execute(
            select(UserAccount.nip).where(UserAccount.roles == "approver,employee").limit(1)
        ).scalar_one()
        s.execute(update(Employee).where(Employee.nip == nip).values(service_status="pensiun"))
        s.commit()
        result = await retire_leavers(s, None, "hr")
        assert result["deactivated"] == [nip]
        assert (
            s.execute(select(UserAccount.active).where(UserAccount.nip == nip)).scalar_one()
            is False
        )
        again = await retire_leavers(s, None, "hr")
        assert again["deactivated"] == []
    settings = Settings(TEMPORAL_ADDRESS="127.0.0.1:1")
    with TestClient(create_app(settings, engine=demo_engine)) as client:
        refused = client.post(
            "/api/v1/auth/token", data={"username": nip, "password": settings.demo_password}
        )
        assert refused.status_code in (401, 403)


def test_the_activation_page_sets_a_password(api, demo_engine):
    client, settings, hr, _ = api
    nips = without_accounts(demo_engine, 1)
    code = provision(client, hr)[0]["kode_aktivasi"]
    page = client.get(f"/aktivasi?u={nips[0]}")
    assert page.status_code == 200 and nips[0] in page.text
    csrf = page.text.split('name="csrf" value="')[1].split('"')[0]

    def send(csrf: str, again: str, **options):
        form = {"csrf": csrf, "username": nips[0], "code": code, "password": PASSWORD}
        return client.post("/aktivasi", data={**form, "password2": again}, **options)

    mismatch = send(csrf, "beda-sandi-1")
    assert mismatch.status_code == 422 and "tidak sama" in mismatch.text
    csrf = mismatch.text.split('name="csrf" value="')[1].split('"')[0]  # a fresh form token
    done = send(csrf, PASSWORD, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/login"


async def test_a_leavers_open_task_moves_to_their_superior(time_skipping_env, demo_engine):
    from api.services.activation import retire_leavers
    from contracts.case import ConsultationAnswer
    from models import ApprovalTask
    from tests.support.cases import case_input, start
    from tests.workflow_support import eventually, running_worker, wait_for
    from workflows.case import MutationCaseWorkflow

    env = time_skipping_env
    inp = case_input(demo_engine, training=[])
    async with running_worker(env.client, demo_engine) as queue:
        handle = await start(env, queue, inp)
        await wait_for(
            handle,
            MutationCaseWorkflow.state,
            lambda s: s is not None and s.stage == "consultation",
        )
        await handle.execute_update(
            MutationCaseWorkflow.respond, ConsultationAnswer(actor_nip=inp.nip, accept=True)
        )
        state = await wait_for(
            handle, MutationCaseWorkflow.state, lambda s: any(t.status == "open" for t in s.tasks)
        )
        task = next(t for t in state.tasks if t.status == "open")
        leaver = task.assignee_nip
        with Session(demo_engine) as s:
            s.execute(
                update(Employee).where(Employee.nip == leaver).values(service_status="pensiun")
            )
            s.commit()
            result = await retire_leavers(s, env.client, "hr")
        assert leaver in result["deactivated"] and result["tasks_reassigned"] == [task.id]

        def moved():
            with Session(demo_engine) as s:
                row = s.get(ApprovalTask, task.id)
                return row if row.assignee_nip != leaver else None

        row = await eventually(moved, "the leaver's task reassigned")
        assert row.status == "open" and leaver not in row.deciders


def test_an_import_that_retires_someone_stops_their_account(api, demo_engine):
    client, settings, hr, _ = api
    exported = client.get("/api/v1/exports/pegawai.csv", headers=hr)
    assert exported.status_code == 200
    rows = list(csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff"))))
    with Session(demo_engine) as s:
        nip = s.execute(
            select(UserAccount.nip)
            .where(UserAccount.roles == "employee", UserAccount.active)
            .limit(1)
        ).scalar_one()
    row = next(r for r in rows if r["nip"] == nip)
    row["service_status"] = "pensiun"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerow(row)
    done = client.post(
        "/api/v1/imports?kind=pegawai",
        files={"file": ("pegawai.csv", out.getvalue().encode(), "text/csv")},
        headers=hr,
    )
    assert done.status_code == 200, done.text
    assert done.json()["deactivated"] == [nip]
    refused = client.post(
        "/api/v1/auth/token", data={"username": nip, "password": settings.demo_password}
    )
    assert refused.status_code in (401, 403)


def test_a_self_service_reset_sends_at_most_three_codes_an_hour_and_says_nothing_more(
    api, demo_engine
):
    client, settings, hr, mail = api
    nips = without_accounts(demo_engine, 1)  # the first of them has an e-mail address
    provision(client, hr)
    answers = {
        client.post("/api/v1/auth/forgot", json={"username": nips[0]}).json()["message"]
        for _ in range(5)
    }
    unknown = client.post("/api/v1/auth/forgot", json={"username": "tidak-ada"})
    assert unknown.status_code == 202 and answers == {unknown.json()["message"]}
    with Session(demo_engine) as s:
        user = s.execute(select(UserAccount.id).where(UserAccount.username == nips[0])).scalar_one()
        resets = (
            s.execute(
                select(ActivationCode).where(
                    ActivationCode.user_id == user, ActivationCode.purpose == "reset"
                )
            )
            .scalars()
            .all()
        )
    # The activation code counts toward the hour: 1 + 2 resets, then nothing more.
    assert len(resets) == 2 and len(list(mail.glob("*.eml"))) == 3

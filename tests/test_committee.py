"""The performance assessment team reviews a batch of cases in one sitting: HR drafts the
attendance and a recommendation per case, quorum and the chair's presence are checked, the
chair signs the minutes (a PDF kept by hash), and each case hears its recommendation: one
goes on to the PPK, one ends rejected, one deferred waits for the next sitting."""

from __future__ import annotations

import dataclasses
import io

import httpx
import pytest
from pypdf import PdfReader
from sqlalchemy import select
from sqlmodel import Session

from api.main import create_app
from contracts.case import ConsultationAnswer
from contracts.chain import COMMITTEE, ChainStep
from models import AuditEvent, CommitteeSitting, UserAccount
from mutasi.accounts.security import csrf_token, issue_token
from mutasi.committee.membership import committee_of, membership_problems
from mutasi.decree.templates import default_template
from mutasi.infra.settings import Settings
from tests.auth_support import auth_headers, user_id
from tests.support.cases import case_input, stage_is, start
from tests.workflow_support import running_worker, wait_for
from workflows.case import MutationCaseWorkflow

CHAIN = [
    ChainStep(name="Tim Penilai Kinerja", roles=[COMMITTEE]),
    ChainStep(name="PPK", roles=["ppk"]),
]


def open_task(state):
    return next((t for t in state.tasks if t.status == "open"), None)


def test_a_committee_needs_three_members_and_a_majority():
    assert membership_problems("1", ["1", "2", "3"], 2) == []
    assert membership_problems("1", ["1", "2"], 2)
    assert membership_problems("1", ["1", "2", "3", "4"], 2)  # 2 of 4 is not a majority


@pytest.fixture
async def api(time_skipping_env, demo_engine):
    async with running_worker(time_skipping_env.client, demo_engine) as queue:
        settings = Settings(task_queue=queue)
        app = create_app(settings, engine=demo_engine, temporal=time_skipping_env.client)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://test"
        ) as client:
            yield client, settings, queue


async def test_a_sitting_decides_a_batch_and_its_chair_signs_the_minutes(
    api, time_skipping_env, demo_engine
):
    client, settings, queue = api
    env = time_skipping_env
    handles, inputs = [], []
    for _ in range(3):
        inp = dataclasses.replace(case_input(demo_engine, training=[]), steps=CHAIN)
        handle = await start(env, queue, inp)
        await wait_for(handle, MutationCaseWorkflow.state, stage_is("consultation"))
        await handle.execute_update(
            MutationCaseWorkflow.respond, ConsultationAnswer(actor_nip=inp.nip, accept=True)
        )
        state = await wait_for(handle, MutationCaseWorkflow.state, lambda s: open_task(s))
        assert open_task(state).kind == "committee" and open_task(state).deciders == []
        handles.append(handle)
        inputs.append(inp)
    agency = inputs[0].agency_code
    hr = auth_headers(demo_engine, settings, "hr")
    with Session(demo_engine) as s:
        team = committee_of(s, agency, "tpk")
        chair_user = s.execute(
            select(UserAccount.username).where(UserAccount.nip == team.chair_nip)
        ).scalar_one()
    chair = auth_headers(demo_engine, settings, chair_user)
    members = (await client.get(f"/api/v1/committees/{agency}/tpk", headers=hr)).json()
    assert members["chair_nip"] == team.chair_nip and members["quorum"] == team.quorum

    pending = (
        await client.get(
            "/api/v1/committee-sittings/pending", params={"agency_code": agency}, headers=hr
        )
    ).json()
    assert {p["case_id"] for p in pending} >= {i.case_id for i in inputs}

    verdicts = ["setuju", "tidak_setuju", "tunda"]
    body = {
        "agency_code": agency,
        "kind": "tpk",
        "held_on": "2026-01-05",
        "attendees": list(team.members),
        "items": [
            {"case_id": i.case_id, "recommendation": v, "reason": f"pertimbangan {v}"}
            for i, v in zip(inputs, verdicts, strict=True)
        ],
    }
    without_chair = {**body, "attendees": [m for m in team.members if m != team.chair_nip]}
    r = await client.post("/api/v1/committee-sittings", json=without_chair, headers=hr)
    assert r.status_code == 422 and "ketua" in r.json()["detail"]
    r = await client.post(
        "/api/v1/committee-sittings", json={**body, "attendees": [team.chair_nip]}, headers=hr
    )
    assert r.status_code == 422 and "kuorum" in r.json()["detail"]
    r = await client.post("/api/v1/committee-sittings", json=body, headers=hr)
    assert r.status_code == 201, r.text
    number = r.json()["number"]
    assert number.endswith(".001") and r.json()["status"] == "draft"

    # The agency words its minutes its own way: the version in force when the chair signs.
    own = default_template("minutes").body.replace("Pada hari ini,", "Pada hari ini (uji),")
    saved = await client.put(
        f"/api/v1/agencies/{agency}/templates/minutes", json={"body": own}, headers=hr
    )
    assert saved.status_code == 200 and saved.json()["version"] == 1, saved.text

    # HR drafts; only the chair signs: from the inbox page, where the minutes wait.
    r = await client.post(f"/api/v1/committee-sittings/{number}/sign", headers=hr)
    assert r.status_code == 403
    session = issue_token(settings, user_id(demo_engine, chair_user), 30, "session")
    client.cookies.set("mutasi_session", session.token)
    inbox = await client.get("/inbox")
    assert number in inbox.text and "pertimbangan tunda" in inbox.text
    signed = await client.post(
        f"/inbox/sittings/{number}/sign", data={"csrf": csrf_token(settings, session.jti)}
    )
    assert signed.status_code == 303
    client.cookies.clear()
    r = await client.get(f"/api/v1/committee-sittings/{number}", headers=chair)
    assert r.json()["status"] == "signed", r.text
    again = await client.post(f"/api/v1/committee-sittings/{number}/sign", headers=chair)
    assert again.status_code == 200 and again.json()["minutes_sha256"] == r.json()["minutes_sha256"]

    approved, rejected, deferred = handles
    state = await wait_for(
        approved,
        MutationCaseWorkflow.state,
        lambda s: open_task(s) is not None and open_task(s).role == "ppk",
    )
    result = await rejected.result()
    assert result.stage == "rejected" and result.outcome_reason == "pertimbangan tidak_setuju"
    state = await wait_for(deferred, MutationCaseWorkflow.state, lambda s: open_task(s))
    assert open_task(state).kind == "committee"  # waits for the next sitting

    pdf = await client.get(f"/api/v1/committee-sittings/{number}/minutes", headers=hr)
    assert pdf.status_code == 200
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split()
    )
    assert "BERITA ACARA SIDANG TIM PENILAI KINERJA" in text and number in text
    assert "Ditunda" in text and "Tidak setuju" in text and team.chair_nip in text
    assert f"Hadir {len(team.members)} dari {len(team.members)} anggota" in text
    # Approved in the application, not signed with a certificate: it claims no e-signature.
    assert "disahkan melalui aplikasi Mutasi" in text
    assert "ditandatangani secara elektronik" not in text
    assert "Pada hari ini (uji)," in text

    with Session(demo_engine) as s:
        sitting = s.get(CommitteeSitting, number)
        assert sitting.status == "signed" and sitting.minutes_template.startswith("minutes@1 ")
        trail = s.execute(
            select(AuditEvent.action, AuditEvent.role).where(
                AuditEvent.workflow_id == f"case-{inputs[0].case_id}",
                AuditEvent.action.like("task.committee_%"),
            )
        ).all()
    assert trail == [("task.committee_setuju", "committee_chair")]

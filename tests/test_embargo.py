"""Embargo windows: inside one, without the Minister's recorded approval, no cycle starts and
no decree is issued; the approval, recorded with its number, date and document, lifts it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session
from temporalio.exceptions import ApplicationError

from activities.cases import CaseActivities
from api.main import create_app
from contracts.case import CaseRef, DecreeRequest, OpenCase
from contracts.ids import case_workflow_id
from models import AuditEvent, Decree, MutationCase
from mutasi.infra.clock import today
from mutasi.infra.settings import Settings
from mutasi.org.embargo import election_window, inauguration_window
from tests.auth_support import auth_headers
from tests.support.cases import AT, SIGNER, case_input, env_for

SETTINGS = Settings(TEMPORAL_ADDRESS="127.0.0.1:1")
TODAY = today()


def test_default_windows_follow_the_election_and_the_inauguration():
    assert election_window(date(2029, 9, 20), date(2030, 2, 17)) == (
        date(2029, 3, 20),
        date(2030, 2, 17),
    )
    assert inauguration_window(date(2030, 2, 20)) == (date(2030, 2, 20), date(2030, 8, 20))


@pytest.fixture
def client(demo_engine):
    with TestClient(create_app(SETTINGS, engine=demo_engine)) as c:
        yield c


def _window(client, demo_engine, **dates):
    return client.post(
        "/api/v1/embargo-windows",
        headers=auth_headers(demo_engine, SETTINGS, "hr"),
        json={"agency_code": "KAB-SKM", "reason": "Pilkada serentak", **dates},
    )


async def test_no_cycle_starts_inside_a_window_until_the_ministers_approval_is_recorded(
    time_skipping_env, demo_engine
):
    from tests.workflow_support import running_worker

    async with running_worker(time_skipping_env.client, demo_engine) as queue:
        settings = Settings(task_queue=queue)
        with TestClient(
            create_app(settings, engine=demo_engine, temporal=time_skipping_env.client)
        ) as client:
            _check_cycle_embargo(client, demo_engine)


def _check_cycle_embargo(client, demo_engine):
    hr = auth_headers(demo_engine, SETTINGS, "hr")
    bad = _window(client, demo_engine, kind="pilkada", candidates_set_on=TODAY.isoformat())
    assert bad.status_code == 422 and "term_ends_on" in bad.text
    window = _window(
        client,
        demo_engine,
        kind="pilkada",
        candidates_set_on=(TODAY + timedelta(days=30)).isoformat(),
        term_ends_on=(TODAY + timedelta(days=200)).isoformat(),
    )
    assert window.status_code == 201, window.text
    assert (
        date.fromisoformat(window.json()["starts_on"]) < TODAY
    )  # six months before the candidates are set
    refused = client.post("/api/v1/cycles", headers=hr, json={"name": "Mutasi dalam masa larangan"})
    assert refused.status_code == 409 and refused.json()["rule"] == "embargo"
    assert "persetujuan tertulis Menteri Dalam Negeri" in refused.json()["detail"]
    approval = client.post(
        f"/api/v1/embargo-windows/{window.json()['id']}/approval",
        headers=hr,
        json={
            "number": "100.2.2.6/1234/OTDA",
            "approved_on": TODAY.isoformat(),
            "document": "arsip/mendagri-1234.pdf",
        },
    )
    assert (
        approval.status_code == 200 and approval.json()["approval_number"] == "100.2.2.6/1234/OTDA"
    )
    again = client.post(
        f"/api/v1/embargo-windows/{window.json()['id']}/approval",
        headers=hr,
        json={"number": "lain", "approved_on": TODAY.isoformat(), "document": "lain"},
    )
    assert again.status_code == 409
    allowed = client.post("/api/v1/cycles", headers=hr, json={"name": "Mutasi dengan persetujuan"})
    assert allowed.status_code == 201, allowed.text
    with Session(demo_engine) as s:
        actions = set(
            s.execute(
                select(AuditEvent.action).where(AuditEvent.subject_type == "embargo")
            ).scalars()
        )
    assert actions == {"embargo.recorded", "embargo.approved"}
    listed = client.get(
        "/api/v1/embargo-windows", headers=auth_headers(demo_engine, SETTINGS, "auditor")
    )
    assert listed.status_code == 200 and listed.json()["total"] == 1


@pytest.mark.parametrize("sent", ["as_workflows_send_it", "as_older_workflows_sent_it"])
def test_no_decree_is_issued_inside_a_window_without_approval(client, demo_engine, sent):
    inp = case_input(demo_engine, training=[])
    acts = CaseActivities(demo_engine, SIGNER)
    env_for("1").run(
        acts.open_case, OpenCase(case=inp, run_id="run-1", consultation_deadline=AT, at=AT)
    )
    window = _window(client, demo_engine, kind="pelantikan", inaugurated_on="2026-01-15").json()
    request = DecreeRequest(
        case_id=inp.case_id, decided_on=date(2026, 3, 10), tmt=date(2026, 4, 1), at=AT
    )
    if sent == "as_workflows_send_it":  # the decree records the stages around it
        request = DecreeRequest(
            case_id=inp.case_id,
            decided_on=date(2026, 3, 10),
            tmt=date(2026, 4, 1),
            at=AT,
            case=CaseRef.of(inp, case_workflow_id(inp.case_id)),
            previous="approval",
        )
    for _ in range(2):  # it waits, retrying
        with pytest.raises(ApplicationError) as refused:
            env_for("2").run(acts.issue_decree, request)
        assert refused.value.type == "EmbargoActive" and not refused.value.non_retryable
    with Session(demo_engine) as s:
        assert s.execute(select(Decree).where(Decree.case_id == inp.case_id)).first() is None
        if sent == "as_workflows_send_it":  # approved, waiting: the case says so meanwhile
            assert s.get(MutationCase, inp.case_id).stage == "decree"
    client.post(
        f"/api/v1/embargo-windows/{window['id']}/approval",
        headers=auth_headers(demo_engine, SETTINGS, "hr"),
        json={"number": "100/99/OTDA", "approved_on": "2026-03-01", "document": "arsip/99.pdf"},
    )
    issued = env_for("2").run(acts.issue_decree, request)
    assert issued.number
    if sent == "as_workflows_send_it":
        with Session(demo_engine) as s:
            assert s.get(MutationCase, inp.case_id).stage == "awaiting_tmt"
            entered = s.execute(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.subject_id == inp.case_id, AuditEvent.action == "case.decree")
            ).scalar_one()
        assert entered == 1

"""One move per person, case policy per cycle, privacy by role and audit attribution,
through the REST API and the pages, on a real worker over the time-skipping server."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select
from sqlmodel import Session

from api.main import create_app
from models import AuditEvent, Consultation, Employee, MutationCase, Proposal, UserAccount
from mutasi.accounts.security import issue_token
from mutasi.infra.settings import Settings
from tests.auth_support import auth_headers, user_id
from tests.test_api_cycles import wait_status
from tests.workflow_support import eventually, running_worker

NIP = re.compile(r"\b\d{18}\b")


@pytest.fixture
async def setup(time_skipping_env, demo_engine):
    async with running_worker(time_skipping_env.client, demo_engine) as queue:
        settings = Settings(task_queue=queue, temporal_ui_url="https://temporal.contoh.go.id/ui")
        app = create_app(settings, engine=demo_engine, temporal=time_skipping_env.client)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport,
            base_url="http://test",
            headers=auth_headers(demo_engine, settings, "hr"),
        ) as client:
            yield client, settings, transport


async def cases_of(api, cycle_id: str, total: int) -> list[dict]:
    async def listed():
        cases = (await api.get("/api/v1/cases", params={"cycle_id": cycle_id, "limit": 500})).json()
        return cases["items"] if cases["total"] == total else None

    return await eventually(listed, f"{total} kasus siklus {cycle_id}", 30)


async def case_detail(api, case_id: str, field: str):
    detail = (await api.get(f"/api/v1/cases/{case_id}")).json()
    return detail if detail.get(field) else None


async def open_task_of(api, case_id: str):
    detail = (await api.get(f"/api/v1/cases/{case_id}")).json()
    return next((t for t in detail["tasks"] if t["status"] == "open"), None)


async def test_case_policy_is_validated_stored_and_used(setup, demo_engine):
    api, _, _ = setup
    bad = await api.post(
        "/api/v1/cycles",
        json={
            "name": "Salah",
            "case_policy": {
                "consultation_days": 0,
                "silence_rule": "diam",
                "evaluation_days": 5000,
            },
        },
    )
    assert bad.status_code == 422
    wrong = {e["loc"][-1] for e in bad.json()["errors"]}
    assert wrong == {"consultation_days", "silence_rule", "evaluation_days"}
    r = await api.post(
        "/api/v1/cycles",
        json={
            "id": "POL-1",
            "name": "Dengan aturan",
            "as_of": "2026-01-01",
            "case_policy": {
                "consultation_days": 3,
                "silence_rule": "route_to_hr",
                "evaluation_days": 0,
            },
        },
    )
    assert r.status_code == 201, r.text
    assert r.json()["options"]["case_policy"]["consultation_days"] == 3
    await wait_status(api, "POL-1", "plan_ready")
    report = (await api.get("/api/v1/cycles/POL-1/report")).json()
    assert report["cycle"]["case_policy"] == {
        "consultation_days": 3,
        "silence_rule": "route_to_hr",
        "training_blocks_approval": False,
        "training_due_days": 90,
        "tmt_rule": "next_month",
        "tmt_min_days_after_decree": 1,
        "evaluation_days": 0,
        "evaluation_deadline_days": 14,
        "decree_mode": "collective",
        "spmt_days": 14,
    }
    overdue = report["rotation_overdue"]
    assert overdue and all(
        u["employees"] > 0 and u["name"] for u in overdue
    )  # who is past five years, per unit
    assert (
        await api.post("/api/v1/cycles/POL-1/plan-decision", json={"approve": True})
    ).status_code == 200
    await wait_status(api, "POL-1", "running")
    [first, *_] = await cases_of(api, "POL-1", report["moves"])

    def opened():
        with Session(demo_engine) as s:
            consultation = s.get(Consultation, first["id"])
            return (consultation, s.get(MutationCase, first["id"])) if consultation else None

    consultation, case = await eventually(opened, "konsultasi dibuka")
    assert consultation.deadline.replace(tzinfo=None) - case.created_at.replace(
        tzinfo=None
    ) == timedelta(days=3)


async def test_one_move_per_person_privacy_by_role_and_attribution(setup, demo_engine):
    api, settings, transport = setup

    def as_(username: str) -> dict[str, str]:
        return auth_headers(demo_engine, settings, username)

    assert (
        await api.post(
            "/api/v1/cycles", json={"id": "ONE-1", "name": "Pertama", "as_of": "2026-01-01"}
        )
    ).status_code == 201
    await wait_status(api, "ONE-1", "plan_ready")
    assert (
        await api.post("/api/v1/cycles/ONE-1/plan-decision", json={"approve": True})
    ).status_code == 200
    await wait_status(api, "ONE-1", "running")
    moves = (await api.get("/api/v1/cycles/ONE-1")).json()["cycle"]["plan_summary"]["proposals"]
    cases = await cases_of(api, "ONE-1", moves)
    busy = {c["nip"]: c["id"] for c in cases}

    # A later cycle proposes none of them, says why, and HR cannot add one of them by hand.
    assert (
        await api.post(
            "/api/v1/cycles", json={"id": "ONE-2", "name": "Kedua", "as_of": "2026-01-01"}
        )
    ).status_code == 201
    await wait_status(api, "ONE-2", "plan_ready")
    second = (await api.get("/api/v1/cycles/ONE-2/proposals", params={"limit": 500})).json()[
        "items"
    ]
    assert not {p["nip"] for p in second} & set(busy)
    findings = (await api.get("/api/v1/cycles/ONE-2/findings")).json()
    assert set(busy) <= {f["subject"] for f in findings if f["code"] == "open_case"}
    nip = sorted(busy)[0]
    with Session(demo_engine) as s:
        elsewhere = (
            s.execute(
                select(Proposal.destination_position).where(
                    Proposal.cycle_id == "ONE-1", Proposal.nip != nip
                )
            )
            .scalars()
            .first()
        )
    added = await api.post(
        "/api/v1/cycles/ONE-2/plan-decision",
        json={
            "approve": True,
            "additions": [
                {"nip": nip, "destination_position": elsewhere, "reason": "kebutuhan mendesak"}
            ],
        },
    )
    assert added.status_code == 409, added.text
    assert busy[nip] in added.json()["detail"]

    # Privacy: the employee's own case (API and page) names nobody else; HR and auditors see it all.
    with Session(demo_engine) as s:
        named = next(
            p
            for p in s.execute(
                select(Proposal).where(Proposal.cycle_id == "ONE-1").order_by(Proposal.nip)
            ).scalars()
            if p.detail.get("runner_up")
        )
    with_runner = next(c for c in cases if c["nip"] == named.nip)
    full = (await api.get(f"/api/v1/cycles/ONE-1/proposals/{with_runner['nip']}")).json()
    runner = full["detail"]["runner_up"]
    assert runner["nip"] in full["explanation"]
    auditor_view = (
        await api.get(f"/api/v1/cases/{with_runner['id']}", headers=as_("auditor"))
    ).json()
    assert auditor_view["proposal"]["detail"]["runner_up"]["nip"] == runner["nip"]
    with Session(demo_engine) as s:
        others = {
            (e.nip, e.name)
            for e in s.execute(select(Employee)).scalars()
            if e.nip != with_runner["nip"]
        }
    own = (await api.get("/api/v1/me/cases", headers=as_(with_runner["nip"]))).text
    token = issue_token(settings, user_id(demo_engine, with_runner["nip"]), 30, "session").token
    async with httpx.AsyncClient(
        transport=transport, base_url="http://test", cookies={"mutasi_session": token}
    ) as browser:
        page = await browser.get("/saya")
        browser.cookies.set("lang", "en")
        page_en = await browser.get("/saya")
    assert page.status_code == 200 and "Anda diusulkan pindah" in page.text
    assert page_en.status_code == 200 and "You are proposed to move" in page_en.text
    for text in (own, page.text, page_en.text):
        assert set(NIP.findall(text)) == {with_runner["nip"]}
        assert not [name for _, name in others if name in text and name != full["name"]]
        assert runner["name"] not in text

    # A rejection's compensation is the approver's act; a delegation is the HR user's act.
    case = cases[0]
    await eventually(lambda: case_detail(api, case["id"], "consultation"), "konsultasi dibuka")
    assert (
        await api.post(
            f"/api/v1/consultations/{case['id']}/response",
            json={"accept": True},
            headers=as_(case["nip"]),
        )
    ).status_code == 200
    task = await eventually(lambda: open_task_of(api, case["id"]), "tugas persetujuan terbuka")
    with Session(demo_engine) as s:
        delegate = next(
            u.nip
            for u in s.execute(select(UserAccount).order_by(UserAccount.username)).scalars()
            if "approver" in u.role_set and u.nip not in (None, case["nip"], task["assignee_nip"])
        )
    made = await api.post(
        "/api/v1/delegations",
        json={
            "delegator_nip": task["assignee_nip"],
            "delegate_nip": delegate,
            "starts_on": "2020-01-01",
            "ends_on": "2099-12-31",
            "reason": "cuti tahunan",
        },
    )
    assert made.status_code == 201, made.text
    listed = await api.get("/api/v1/delegations", headers=as_("auditor"))
    assert listed.status_code == 200 and any(
        d["id"] == made.json()["id"] for d in listed.json()["items"]
    )
    # An Idempotency-Key belongs to its first request: reused by the delegate, or with another
    # body, it is refused (422 naming the conflict), never answered with the first outcome.
    decide = f"/api/v1/tasks/{task['id']}/decision"
    approve = {"approve": True, "comment": "setuju"}
    owner = {**as_(task["assignee_nip"]), "Idempotency-Key": "kunci-uji-1"}
    first = await api.post(decide, json=approve, headers=owner)
    assert first.status_code == 200, first.text
    stolen = await api.post(
        decide,
        json={"approve": False, "comment": "tolak"},
        headers={**as_(delegate), "Idempotency-Key": "kunci-uji-1"},
    )
    assert stolen.status_code == 422 and "pengguna lain" in stolen.json()["detail"]
    changed_body = await api.post(
        decide, json={"approve": False, "comment": "tolak"}, headers=owner
    )
    assert changed_body.status_code == 422 and "kunci-uji-1" in changed_body.json()["detail"]
    again = await api.post(decide, json=approve, headers=owner)
    assert again.status_code == 200 and again.json() == first.json()
    task = await eventually(lambda: open_task_of(api, case["id"]), "tugas persetujuan terbuka")
    rejected = await api.post(
        f"/api/v1/tasks/{task['id']}/decision",
        json={"approve": False, "comment": "formasi tujuan akan dihapus"},
        headers=as_(task["assignee_nip"]),
    )
    assert rejected.status_code == 200, rejected.text

    def audited():
        with Session(demo_engine) as s:
            found = {e.action: e for e in s.execute(select(AuditEvent)).scalars()}
        return found if "case.compensated" in found else None

    events = await eventually(audited, "kompensasi tercatat")
    compensated = events["case.compensated"]
    assert (compensated.actor, compensated.role) == (task["assignee_nip"], "approver")
    delegated = events["delegation.created"]
    assert (delegated.actor, delegated.role, delegated.reason) == ("hr", "hr_admin", "cuti tahunan")
    changed = events.get("task.deciders_changed")
    assert changed is not None and (changed.actor, changed.role) == ("hr", "hr_admin")
    assert "cuti tahunan" in changed.reason

    # The Temporal link follows MUTASI_TEMPORAL_UI_URL.
    history = (await api.get(f"/api/v1/cases/{case['id']}/history")).json()
    assert history["temporal_ui"].startswith("https://temporal.contoh.go.id/ui/namespaces/")


async def test_a_decision_on_a_task_its_workflow_has_not_opened_yet_is_held_not_404(
    time_skipping_env, demo_engine
):
    """The inbox lists a task as soon as its row is written; the workflow learns of it a
    moment later. A decision in between waits for the workflow instead of answering 404."""
    from datetime import UTC, datetime

    from contracts.case import TaskDecision
    from models import ApprovalTask
    from tests.support.cases import accept_and_wait_for_task, case_input, open_task, start
    from workflows.case import MutationCaseWorkflow

    inp = case_input(demo_engine, training=[])
    async with running_worker(time_skipping_env.client, demo_engine) as queue:
        handle = await start(time_skipping_env, queue, inp)
        state = await accept_and_wait_for_task(handle, inp)
        first = open_task(state)
        # The next step's row, written ahead of the workflow (as its activity commits it
        # before the workflow task that records the result runs).
        role = inp.steps[1].roles[0]
        next_id = f"{inp.case_id}/1/{role}"
        with Session(demo_engine) as s:
            s.add(
                ApprovalTask(
                    id=next_id,
                    case_id=inp.case_id,
                    step=1,
                    role=role,
                    title="Langkah berikut",
                    assignee_nip=first.assignee_nip,
                    deciders=[first.assignee_nip],
                    status="open",
                    due_at=datetime.now(UTC),
                    created_at=datetime.now(UTC),
                )
            )
            s.commit()
        settings = Settings(task_queue=queue)
        app = create_app(settings, engine=demo_engine, temporal=time_skipping_env.client)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://test",
            headers=auth_headers(demo_engine, settings, first.assignee_nip),
        ) as api:
            ahead = asyncio.create_task(
                api.post(
                    f"/api/v1/tasks/{next_id}/decision", json={"approve": True, "comment": "setuju"}
                )
            )
            await asyncio.sleep(0.5)
            assert not ahead.done()  # held by the workflow, not refused
            await handle.execute_update(
                MutationCaseWorkflow.decide,
                TaskDecision(
                    task_id=first.id, actor_nip=first.assignee_nip, approve=True, comment="ok"
                ),
            )
            answer = await asyncio.wait_for(ahead, 30)
        assert answer.status_code == 200, answer.text
        state = await handle.query(MutationCaseWorkflow.state)
        assert next(t for t in state.tasks if t.id == next_id).status == "approved"


async def test_breaking_a_rule_by_hand_needs_an_override_that_is_recorded_and_reported(
    setup, demo_engine
):
    from models import Employee, Position

    api, settings, transport = setup
    assert (
        await api.post(
            "/api/v1/cycles", json={"id": "OVR-1", "name": "Override", "as_of": "2026-01-01"}
        )
    ).status_code == 201
    await wait_status(api, "OVR-1", "plan_ready")
    with Session(demo_engine) as s:
        proposed = set(
            s.execute(select(Proposal.nip).where(Proposal.cycle_id == "OVR-1")).scalars()
        )
        pppk = next(
            e
            for e in s.execute(
                select(Employee).where(Employee.asn_type == "PPPK").order_by(Employee.nip)
            ).scalars()
            if e.nip not in proposed
        )
        here = s.get(Position, pppk.position_code)
        there = (
            s.execute(
                select(Position)
                .where(
                    Position.kind == here.kind,
                    Position.code != here.code,
                    Position.job_class <= here.job_class,
                )
                .order_by(Position.code)
            )
            .scalars()
            .first()
        )
    addition = {
        "nip": pppk.nip,
        "destination_position": there.code,
        "reason": "kebutuhan layanan mendesak",
    }
    refused = await api.post(
        "/api/v1/cycles/OVR-1/plan-decision", json={"approve": True, "additions": [addition]}
    )
    assert refused.status_code == 422 and "asn_type" in refused.json()["detail"], refused.text
    ok = await api.post(
        "/api/v1/cycles/OVR-1/plan-decision",
        json={
            "approve": True,
            "additions": [{**addition, "override_reason": "penugasan khusus atas perintah Bupati"}],
        },
    )
    assert ok.status_code == 200, ok.text
    await wait_status(api, "OVR-1", "running")

    async def added():
        r = (await api.get(f"/api/v1/cycles/OVR-1/proposals/{pppk.nip}")).json()
        return r if r.get("status") == "approved" else None

    proposal = await eventually(added, "usulan tambahan disetujui")
    assert "asn_type" in {o["code"] for o in proposal["detail"]["overrides"]}
    assert "override" in proposal["explanation"] and "penugasan khusus" in proposal["explanation"]
    with Session(demo_engine) as s:
        event = s.execute(
            select(AuditEvent).where(
                AuditEvent.action == "proposal.added", AuditEvent.subject_id == f"OVR-1.{pppk.nip}"
            )
        ).scalar_one()
    assert (
        "asn_type" in event.new["overrides"]
        and "penugasan khusus" in event.reason
        and event.actor == "hr"
    )
    report = (await api.get("/api/v1/cycles/OVR-1/report")).json()
    [counted] = [o for o in report["overrides"] if o["nip"] == pppk.nip]
    token = issue_token(settings, user_id(demo_engine, "hr"), 30, "session").token
    async with httpx.AsyncClient(
        transport=transport, base_url="http://test", cookies={"mutasi_session": token}
    ) as b:
        page = (await b.get("/hr/cycles/OVR-1")).text
    assert 'data-testid="overrides"' in page and "penugasan khusus" in page
    assert (
        'data-testid="rotation-overdue"' in page
    )  # who is past five years, per unit, on the plan page
    assert (
        "asn_type" in counted["rules"]
        and counted["reason"] == "penugasan khusus atas perintah Bupati"
    )

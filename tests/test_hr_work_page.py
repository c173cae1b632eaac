"""HR works on the pages: an objection waits on "Perlu tindakan HR" with its reason, HR
confirms the move with a reason and the case goes on; a delegation is recorded and revoked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import Session

from api.main import create_app
from contracts.case import ConsultationAnswer
from models import ApprovalTemplate, AuditEvent, Delegation, MutationCase, UserAccount
from mutasi.accounts.security import csrf_token, issue_token
from mutasi.infra.settings import Settings
from tests.auth_support import page_client, user_id
from tests.support.cases import case_input, stage_is, start
from tests.workflow_support import eventually, running_worker, wait_for
from workflows.case import MutationCaseWorkflow


async def test_hr_resolves_an_objection_on_the_page(time_skipping_env, demo_engine):
    env = time_skipping_env
    inp = case_input(demo_engine, training=[])
    async with running_worker(env.client, demo_engine) as queue:
        handle = await start(env, queue, inp)
        await wait_for(handle, MutationCaseWorkflow.state, stage_is("consultation"))
        await handle.execute_update(
            MutationCaseWorkflow.respond,
            ConsultationAnswer(
                actor_nip=inp.nip, accept=False, reason="merawat orang tua di kecamatan asal"
            ),
        )

        # The page reads the database: wait until the case's row says it waits for HR.
        def waiting_for_hr() -> bool:
            with Session(demo_engine) as s:
                return s.get(MutationCase, inp.case_id).stage == "hr_review"

        await eventually(waiting_for_hr, "kasus tercatat menunggu tinjauan HR")
        settings = Settings(task_queue=queue)
        app = create_app(settings, engine=demo_engine, temporal=env.client)
        session = issue_token(settings, user_id(demo_engine, "hr"), 30, "session")
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://test",
            cookies={"mutasi_session": session.token},
        ) as client:
            page = await client.get("/hr/tindakan")
            assert "merawat orang tua di kecamatan asal" in page.text and inp.nip in page.text
            csrf = csrf_token(settings, session.jti)
            url = f"/hr/tindakan/keberatan/{inp.case_id}"
            short = await client.post(url, data={"csrf": csrf, "action": "confirm", "reason": ""})
            assert short.status_code == 422 and "alasan" in short.text
            done = await client.post(
                url, data={"csrf": csrf, "action": "confirm", "reason": "formasi mendesak"}
            )
            assert done.status_code == 303 and done.headers["location"] == "/hr/tindakan"
            # The confirmation says what happened, in a full sentence.
            assert "mutasi tetap dilanjutkan" in unquote(done.headers["set-cookie"])
        state = await wait_for(
            handle, MutationCaseWorkflow.state, lambda s: s.stage not in ("hr_review",)
        )
        assert state.stage == "approval"


def test_hr_records_and_revokes_a_delegation_on_the_page(demo_engine):
    app = create_app(Settings(TEMPORAL_ADDRESS="127.0.0.1:1"), engine=demo_engine)
    with Session(demo_engine) as s:
        boss, stand_in = (
            s.execute(
                select(UserAccount.nip)
                .where(UserAccount.roles == "approver,employee")
                .order_by(UserAccount.nip)
                .limit(2)
            )
            .scalars()
            .all()
        )
    later = (datetime.now(UTC) + timedelta(days=30)).date()  # not yet in force: no tasks move
    with TestClient(app, follow_redirects=False) as client:
        csrf = page_client(client, demo_engine, "hr")
        form = {
            "csrf": csrf,
            "delegator_nip": boss,
            "delegate_nip": stand_in,
            "starts_on": later.isoformat(),
            "ends_on": (later - timedelta(days=1)).isoformat(),
            "reason": "cuti tahunan",
        }
        refused = client.post("/hr/delegasi", data=form)
        assert refused.status_code == 422 and "sebelum tanggal mulai" in refused.text
        assert f'value="{boss}"' in refused.text  # what was typed stays in the form
        made = client.post("/hr/delegasi", data={**form, "ends_on": later.isoformat()})
        assert made.status_code == 303
        with Session(demo_engine) as s:
            delegation = s.execute(select(Delegation)).scalars().one()
        page = client.get("/hr/delegasi").text
        assert "cuti tahunan" in page and stand_in in page
        gone = client.post(
            f"/hr/delegasi/{delegation.id}/cabut", data={"csrf": csrf, "reason": "batal cuti"}
        )
        assert gone.status_code == 303
    with Session(demo_engine) as s:
        assert s.get(Delegation, delegation.id).revoked_at is not None
        actions = s.execute(
            select(AuditEvent.action, AuditEvent.actor).where(
                AuditEvent.subject_type == "delegation"
            )
        ).all()
    assert sorted(actions) == [("delegation.created", "hr"), ("delegation.revoked", "hr")]


def test_hr_edits_an_approval_chain_and_a_bad_step_keeps_what_was_typed(demo_engine):
    app = create_app(Settings(TEMPORAL_ADDRESS="127.0.0.1:1"), engine=demo_engine)
    with TestClient(app, follow_redirects=False) as client:
        csrf = page_client(client, demo_engine, "hr")
        page = client.get("/hr/rantai").text
        assert "bkn_pertek" in page and "Tim Penilai Kinerja" in page
        form = {
            "csrf": csrf,
            "name": "Dalam instansi (ringkas)",
            "name0": "Kepala asal",
            "roles0": "origin_head",
            "name1": "Raja",
            "roles1": "raja",
        }
        bad = client.post("/hr/rantai/within_agency", data=form)
        assert bad.status_code == 422 and "jenis langkah tidak dikenal raja" in bad.text
        assert 'value="Dalam instansi (ringkas)"' in bad.text  # what was typed stays
        good = client.post(
            "/hr/rantai/within_agency", data={**form, "roles1": "committee, ", "name1": "TPK"}
        )
        assert good.status_code == 303
    with Session(demo_engine) as s:
        stored = s.get(ApprovalTemplate, "within_agency")
        assert [step["roles"] for step in stored.steps] == [["origin_head"], ["committee"]]

"""The remote signature end to end, in the time-skipping environment: a case whose decree
waits for the PPK's remote signature shows stage `decree`; a wrong passphrase is refused
with the service's reason; an outage leaves the decree waiting while Temporal retries; once
the service answers, the decree is signed once and the case moves on."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select
from sqlmodel import Session
from temporalio.client import Client

from api.main import create_app
from contracts.case import CasePolicy
from contracts.ids import revocation_workflow_id
from models import AuditEvent, Decree, IssuedDocument
from mutasi.decree.demo_certificate import issue_pkcs12
from mutasi.decree.document_signers import PadesSigner
from mutasi.infra.settings import Settings
from tests.auth_support import auth_headers
from tests.decree_support import issue, issuer
from tests.fake_signing_service import PASSWORD, USER, FakeSigningService
from tests.support.cases import accept_and_wait_for_task, approve_all, case_input, start
from tests.workflow_support import record_history, running_worker, skip_until, wait_for
from workflows.case import MutationCaseWorkflow
from workflows.decree_revocation import DecreeRevocationWorkflow

NIK = "3201010101800001"


def without_time_skipping(env) -> Client:
    """The environment's server through a client whose waits do not move its clock."""
    return Client(
        env.client.service_client,
        namespace=env.client.namespace,
        data_converter=env.client.data_converter,
    )


async def test_a_case_waits_for_its_remote_signature_and_moves_on_once_signed(
    time_skipping_env, demo_engine, tmp_path, monkeypatch
):
    env = time_skipping_env
    bundle, _ = issue_pkcs12("Bupati Uji", "sandi-p12", ca_name="CA Uji")
    policy = CasePolicy(decree_mode="individual", evaluation_days=0, spmt_days=0)
    inp = case_input(demo_engine, training=[], policy=policy)
    with FakeSigningService(bundle, "sandi-p12", NIK, "benar") as service:
        settings = Settings(
            document_dir=str(tmp_path / "dokumen"),
            decree_signature="remote",
            remote_signing_url=service.url,
            remote_signing_username=USER,
            remote_signing_password=PASSWORD,
            remote_signing_timeout=5,
        )
        async with running_worker(env.client, demo_engine, settings=settings) as queue:
            settings = settings.model_copy(update={"task_queue": queue})
            # Waiting on a result must not skip time here: the test moves the clock itself
            # (a skipping wait would run the retries past the sealed passphrase's hour).
            app = create_app(settings, engine=demo_engine, temporal=without_time_skipping(env))
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                handle = await start(env, queue, inp)
                await approve_all(handle, await accept_and_wait_for_task(handle, inp))
                state = await wait_for(
                    handle, MutationCaseWorkflow.state, lambda s: s.stage == "decree"
                )
                assert state.decree_number is None
                with Session(demo_engine) as s:
                    decree = s.execute(
                        select(Decree).where(Decree.case_id == inp.case_id)
                    ).scalar_one()
                assert decree.status == "unsigned"
                hr = auth_headers(demo_engine, settings, "hr")
                url = f"/api/v1/decrees/{decree.number}/signature"

                wrong = await client.post(url, json={"nik": NIK, "passphrase": "salah"}, headers=hr)
                assert wrong.status_code == 422 and "Passphrase anda salah" in wrong.text

                service.down = True
                monkeypatch.setattr("api.services.decree_signing.WAIT_SECONDS", 2)
                waiting = await client.post(
                    url, json={"nik": NIK, "passphrase": "benar"}, headers=hr
                )
                assert waiting.status_code == 200 and waiting.json()["status"] == "processing"
                assert (await handle.query(MutationCaseWorkflow.state)).stage == "decree"
                busy = await client.post(url, json={"nik": NIK, "passphrase": "benar"}, headers=hr)
                assert busy.status_code == 409  # one signature under way, not two

                service.down = False
                state = await skip_until(  # through the retries' back-off
                    env,
                    handle,
                    MutationCaseWorkflow.state,
                    lambda s: s.stage == "awaiting_tmt",
                    limit=timedelta(minutes=30),
                )
                assert state.decree_number == decree.number
                again = await client.post(url, json={"nik": NIK, "passphrase": "benar"}, headers=hr)
                assert again.status_code == 409
                result = await handle.result()
                await record_history(handle, "case_remote_signature")
    assert result.stage == "completed" and service.signed == 1
    with Session(demo_engine) as s:
        doc = s.get(IssuedDocument, decree.number)
        signed = s.execute(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "decree.signed", AuditEvent.subject_id == decree.number)
        ).scalar_one()
        assert s.get(Decree, decree.number).status == "issued"
    assert doc.state == "issued" and doc.method == "remote" and signed == 1


@pytest.mark.parametrize("field", ["nik", "passphrase"])
async def test_a_remote_signature_request_without_nik_or_passphrase_is_a_clear_422(
    time_skipping_env, demo_engine, field
):
    settings = Settings()
    app = create_app(settings, engine=demo_engine, temporal=time_skipping_env.client)
    body = {"nik": NIK, "passphrase": "x"}
    body[field] = "" if field == "passphrase" else "12"
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as client:
        r = await client.post(
            "/api/v1/decrees/800/001/BKPSDM/2026/signature",
            json=body,
            headers=auth_headers(demo_engine, settings, "hr"),
        )
    assert r.status_code == 422 and field in r.text


async def test_an_objection_upheld_by_the_sekda_revokes_the_decree_through_its_workflow(
    time_skipping_env, demo_engine, decree_settings, decree_pki
):
    """The user's path: the employee objects, the Sekda (deciding for the PPK) upholds it,
    DecreeRevocationWorkflow issues the revoking decree with the PPK's certificate and the
    original then verifies as revoked."""
    env = time_skipping_env
    bundle, _ = decree_pki
    pades = PadesSigner(bundle, "sandi-p12")
    # The activities' test environment runs its own event loop: off this one.
    _, inp, issued = await asyncio.to_thread(
        issue, demo_engine, issuer(decree_settings, "pades", pades)
    )
    async with running_worker(env.client, demo_engine, settings=decree_settings) as queue:
        settings = decree_settings.model_copy(update={"task_queue": queue})
        app = create_app(settings, engine=demo_engine, temporal=env.client)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            me = auth_headers(demo_engine, settings, inp.nip)
            filed = await client.post(
                f"/api/v1/me/cases/{inp.case_id}/appeal",
                data={"reason": "Penempatan jauh dari keluarga yang sakit"},
                files={"file": ("keberatan.pdf", b"%PDF-1.4 keberatan", "application/pdf")},
                headers=me,
            )
            assert filed.status_code == 201, filed.text
            appeal = filed.json()
            decided = await client.post(
                f"/api/v1/appeals/{appeal['id']}/decision",
                json={"uphold": True, "reason": "alasan keluarga dapat diterima"},
                headers=auth_headers(demo_engine, settings, appeal["decider_nip"]),
            )
            assert decided.status_code == 200 and "SK pembatalan" in decided.json()["message"]
            handle = env.client.get_workflow_handle_for(
                DecreeRevocationWorkflow.run, revocation_workflow_id(issued.number)
            )
            revoking = await handle.result()
            await record_history(handle, "decree_revocation")
            again = await client.post(
                f"/api/v1/appeals/{appeal['id']}/revocation",
                headers=auth_headers(demo_engine, settings, "hr"),
            )
            assert again.status_code == 200  # started again: the same revocation, not a second
            with Session(demo_engine) as s:
                code = s.get(Decree, issued.number).verification_code
                revocations = s.execute(
                    select(func.count())
                    .select_from(IssuedDocument)
                    .where(IssuedDocument.kind == "revocation")
                ).scalar_one()
            verdict = (
                await client.get(
                    f"/api/v1/public/decrees/{issued.number}/verification", params={"code": code}
                )
            ).json()
    assert verdict["verdict"] == "revoked" and verdict["revoked_by"] == revoking.number
    assert revocations == 1

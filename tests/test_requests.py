"""Moves outside cycles on the time-skipping server: an employee's own request (APS) that
is accepted, refused at screening after the superior stayed silent, withdrawn by the
employee; and HR's individual move. Each accepted one is a case on the planned path."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlmodel import Session

from api.errors import ProblemError
from api.services.requests import (
    ApsBody,
    IndividualBody,
    file_aps,
    open_individual,
    screening_preview,
)
from contracts.requests import RequestScreening, RequestWithdrawal, SuperiorOpinion
from models import (
    AuditEvent,
    Consultation,
    MutationCase,
    Notification,
    PlacementPreference,
    TransferRequest,
    Unit,
)
from mutasi.org.planning_source import load_employee
from tests.support.cases import pick_move
from tests.test_legal_process import refused
from tests.workflow_support import eventually, record_history, running_worker, wait_for
from workflows.case import MutationCaseWorkflow
from workflows.transfer_request import TransferRequestWorkflow


class _Actor:
    def __init__(self, name: str, nip: str | None = None) -> None:
        self.name, self.nip = name, nip


def request_row(engine, request_id: str) -> TransferRequest:
    with Session(engine) as s:
        row = s.get(TransferRequest, request_id)
        s.expunge_all()
        return row


def status_is(status):
    return lambda st: st is not None and st.status == status


async def file(engine, client, queue, nip: str, wishes=()) -> TransferRequest:
    with Session(engine) as s:
        row = await file_aps(
            s,
            client,
            queue,
            nip,
            f"pegawai.{nip}",
            ApsBody(
                category="ikut_pasangan",
                reason="Suami dipindahtugaskan ke kota lain",
                wishes=list(wishes),
            ),
        )
        s.refresh(row)
        s.expunge(row)
        return row


def screening_for(engine, request_id: str, destination: str) -> RequestScreening:
    """HR's acceptance, with an override reason only where a rule is broken."""
    with Session(engine) as s:
        preview = screening_preview(s, s.get(TransferRequest, request_id), destination)
    broken = [r for r in preview["rules"] if not r["ok"]]
    return RequestScreening(
        actor="hr.test",
        accept=True,
        reason="alasan keluarga dapat diterima",
        destination_position=destination,
        override_reason="kebutuhan organisasi" if broken else "",
    )


async def test_an_accepted_request_becomes_a_case_answered_by_the_request(
    time_skipping_env, demo_engine
):
    env = time_skipping_env
    person, dest = pick_move(demo_engine)
    async with running_worker(env.client, demo_engine) as queue:
        row = await file(demo_engine, env.client, queue, person.nip, [dest.unit_code])
        assert row.status == "opinion" and row.superior_nip
        handle = env.client.get_workflow_handle_for(TransferRequestWorkflow.run, row.workflow_id)
        # A second request while the first is open is refused with the reason.
        with pytest.raises(ProblemError) as second:
            await file(demo_engine, env.client, queue, person.nip)
        assert second.value.status == 409 and row.id in second.value.detail
        # Only the direct superior gives the opinion.
        await refused(
            handle,
            TransferRequestWorkflow.give_opinion,
            SuperiorOpinion(actor_nip="9" * 18, support=True, reason=""),
            "atasan langsung",
        )
        await handle.execute_update(
            TransferRequestWorkflow.give_opinion,
            SuperiorOpinion(actor_nip=row.superior_nip, support=True, reason="mendukung"),
        )
        await wait_for(handle, TransferRequestWorkflow.state, status_is("screening"))
        state = await handle.execute_update(
            TransferRequestWorkflow.screen, screening_for(demo_engine, row.id, dest.code)
        )
        assert state.status == "accepted" and state.case_id == f"{row.id}.{person.nip}"
        await handle.result()
        await record_history(handle, "request_aps_accepted")
        case = env.client.get_workflow_handle(f"case-{state.case_id}")
        await wait_for(
            case, MutationCaseWorkflow.state, lambda s: s is not None and s.stage == "approval"
        )

        def recorded():
            with Session(demo_engine) as s:
                c = s.get(MutationCase, state.case_id)
                consult = s.get(Consultation, state.case_id)
                return (c, consult) if c and consult and consult.response else None

        c, consult = await eventually(recorded, "the case and its consultation recorded")
        assert c.cycle_id is None and c.request_id == row.id
        assert c.destination_position == dest.code and c.outcome is None
        # The request is the employee's answer: no consultation to wait for.
        assert consult.response == "accepted" and "permintaan sendiri" in consult.reason
        saved = request_row(demo_engine, row.id)
        assert (saved.status, saved.opinion, saved.case_id) == ("accepted", "mendukung", c.id)
        assert saved.screening and all({"code", "ok", "message"} <= set(r) for r in saved.screening)
        # The wished unit is a placement preference for the next plan, with its source.
        with Session(demo_engine) as s:
            prefs = (
                s.execute(select(PlacementPreference).where(PlacementPreference.nip == person.nip))
                .scalars()
                .all()
            )
            assert [(p.rank, p.unit_code, p.source) for p in prefs] == [
                (1, dest.unit_code, "request")
            ]
            assert load_employee(s, person.nip).preferences[0] == dest.unit_code
        with Session(demo_engine) as s:
            actions = (
                s.execute(
                    select(AuditEvent.action)
                    .where(AuditEvent.subject_id == row.id)
                    .order_by(AuditEvent.id)
                )
                .scalars()
                .all()
            )
        assert actions == ["request.opened", "request.opinion", "request.accepted"]


async def test_a_silent_superior_is_recorded_and_a_refusal_says_why(time_skipping_env, demo_engine):
    env = time_skipping_env
    person, dest = pick_move(demo_engine)
    async with running_worker(env.client, demo_engine) as queue:
        row = await file(demo_engine, env.client, queue, person.nip)
        handle = env.client.get_workflow_handle_for(TransferRequestWorkflow.run, row.workflow_id)
        await env.sleep(timedelta(days=6))
        await wait_for(handle, TransferRequestWorkflow.state, status_is("screening"))
        saved = request_row(demo_engine, row.id)
        assert saved.opinion == "tidak_ada" and "tenggat" in saved.opinion_reason
        # Screening refuses without a destination being needed; the reason reaches the employee.
        await refused(
            handle,
            TransferRequestWorkflow.screen,
            RequestScreening(actor="hr.test", accept=False, reason=" "),
            "alasan",
        )
        state = await handle.execute_update(
            TransferRequestWorkflow.screen,
            RequestScreening(
                actor="hr.test", accept=False, reason="formasi unit tujuan sudah penuh"
            ),
        )
        assert state.status == "refused" and not state.case_id
        await handle.result()
        await record_history(handle, "request_silent_superior_refused")
        with Session(demo_engine) as s:
            told = s.execute(
                select(Notification.recipient_nip, Notification.message).where(
                    Notification.kind == "request"
                )
            ).all()
            assert (
                s.execute(
                    select(MutationCase).where(
                        MutationCase.nip == person.nip, MutationCase.request_id == row.id
                    )
                ).first()
                is None
            )
        assert (saved.superior_nip,) in {(n,) for n, m in told if "Pengingat" in m}
        assert any(n == person.nip and "formasi unit tujuan sudah penuh" in m for n, m in told)
        assert request_row(demo_engine, row.id).status == "refused"


async def test_the_employee_withdraws_a_request_and_may_file_again(time_skipping_env, demo_engine):
    env = time_skipping_env
    person, _ = pick_move(demo_engine)
    async with running_worker(env.client, demo_engine) as queue:
        row = await file(demo_engine, env.client, queue, person.nip)
        handle = env.client.get_workflow_handle_for(TransferRequestWorkflow.run, row.workflow_id)
        await handle.execute_update(
            TransferRequestWorkflow.withdraw,
            RequestWithdrawal(actor=f"pegawai.{person.nip}", reason="urusan keluarga selesai"),
        )
        state = await handle.result()
        assert state.status == "withdrawn"
        saved = request_row(demo_engine, row.id)
        assert saved.status == "withdrawn" and saved.decision_reason == "urusan keluarga selesai"
        # Withdrawn is final; a new request may be filed.
        again = await file(demo_engine, env.client, queue, person.nip)
        assert again.id != row.id and again.status == "opinion"


async def test_hr_opens_an_individual_move_and_the_employee_is_consulted(
    time_skipping_env, demo_engine
):
    env = time_skipping_env
    person, dest = pick_move(demo_engine)
    async with running_worker(env.client, demo_engine) as queue:
        with Session(demo_engine) as s:
            body = IndividualBody(
                nip=person.nip,
                destination_position=dest.code,
                category="kebutuhan_mendesak",
                reason="Kekosongan pelaksana perizinan",
            )
            probe = TransferRequest(
                id="probe",
                kind="individual",
                nip=person.nip,
                agency_code="",
                category="",
                reason="",
                status="screening",
                workflow_id="",
                created_by="",
                created_at=None,
                updated_at=None,
            )
            broken = [r for r in screening_preview(s, probe, dest.code)["rules"] if not r["ok"]]
            if broken:  # refused without an override reason, naming the rule
                with pytest.raises(ProblemError) as refused:
                    await open_individual(s, env.client, queue, "hr.test", body)
                assert refused.value.status == 422 and broken[0]["code"] in refused.value.detail
                body.override_reason = "perintah pimpinan"
            row = await open_individual(s, env.client, queue, "hr.test", body)
            s.refresh(row)
        handle = env.client.get_workflow_handle_for(TransferRequestWorkflow.run, row.workflow_id)
        state = await handle.result()
        assert state.status == "accepted"

        # Not the employee's own wish: they are consulted as for a planned move.
        def opened():
            with Session(demo_engine) as s:
                c = s.get(MutationCase, state.case_id)
                consult = s.get(Consultation, state.case_id)
                if c is not None and consult is not None:
                    s.expunge_all()
                    return c, consult
                return None

        c, consult = await eventually(opened, "the individual case opened")
        assert c.request_id == row.id and c.requested_by == "hr.test" and c.cycle_id is None
        assert c.stage == "consultation" and consult.response is None
        with Session(demo_engine) as s:
            # One person, one move: another individual move for them is refused.
            with pytest.raises(ProblemError) as busy:
                await open_individual(s, env.client, queue, "hr.test", body)
            assert busy.value.status == 409 and state.case_id in busy.value.detail


async def test_over_http_each_role_sees_only_its_share(time_skipping_env, demo_engine):
    import httpx

    from api.main import create_app
    from mutasi.infra.settings import Settings
    from tests.auth_support import auth_headers
    from tests.test_case_documents import EXE, PDF

    env = time_skipping_env
    person, dest = pick_move(demo_engine)
    others = [n for n in _employee_nips(demo_engine) if n != person.nip]
    async with running_worker(env.client, demo_engine) as queue:
        settings = Settings(task_queue=queue)
        app = create_app(settings, engine=demo_engine, temporal=env.client)
        me = auth_headers(demo_engine, settings, person.nip)
        other = auth_headers(demo_engine, settings, others[0])
        hr = auth_headers(demo_engine, settings, "hr")
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://test"
        ) as client:
            bad = await client.post(
                "/api/v1/me/requests",
                json={
                    "category": "liburan",
                    "reason": "alasan yang cukup panjang",
                    "wishes": ["NOPE"],
                },
                headers=me,
            )
            assert bad.status_code == 422 and "liburan" in bad.json()["detail"]
            filed = await client.post(
                "/api/v1/me/requests",
                json={"category": "kesehatan", "reason": "Perlu dekat rumah sakit rujukan"},
                headers=me,
            )
            assert filed.status_code == 201, filed.text
            rid = filed.json()["id"]
            assert "screening" not in filed.json()
            doc = await client.post(
                f"/api/v1/me/requests/{rid}/documents",
                files={"file": ("surat.pdf", PDF, "application/pdf")},
                headers=me,
            )
            assert doc.status_code == 201
            exe = await client.post(
                f"/api/v1/me/requests/{rid}/documents",
                files={"file": ("surat.pdf", EXE, "application/pdf")},
                headers=me,
            )
            assert exe.status_code == 415
            # Another employee neither sees nor withdraws it.
            assert (await client.get("/api/v1/me/requests", headers=other)).json() == []
            theirs = await client.post(
                f"/api/v1/me/requests/{rid}/withdraw", json={"reason": "iseng"}, headers=other
            )
            assert theirs.status_code == 404
            assert (await client.get(f"/api/v1/requests/{rid}", headers=other)).status_code == 403
            superior = request_row(demo_engine, rid).superior_nip
            boss = auth_headers(demo_engine, settings, superior)
            seen = (await client.get("/api/v1/requests", headers=boss)).json()
            assert [r["id"] for r in seen] == [rid]
            said = await client.post(
                f"/api/v1/requests/{rid}/opinion",
                json={"support": False, "reason": "beban kerja unit tinggi"},
                headers=boss,
            )
            assert said.status_code == 200, said.text
            handle = env.client.get_workflow_handle_for(
                TransferRequestWorkflow.run, f"request-{rid}"
            )
            await wait_for(handle, TransferRequestWorkflow.state, status_is("screening"))
            preview = (
                await client.get(
                    f"/api/v1/requests/{rid}/screening",
                    params={"destination_position": dest.code},
                    headers=hr,
                )
            ).json()
            assert {r["code"] for r in preview["rules"]} >= {"headcount", "min_jpm"}
            full = (await client.get(f"/api/v1/requests/{rid}", headers=hr)).json()
            assert full["opinion"] == "tidak_mendukung" and full["name"] == person.name
            done = await client.post(
                f"/api/v1/requests/{rid}/screening",
                json={"accept": False, "reason": "Tidak ada formasi di unit yang diminta"},
                headers=hr,
            )
            assert done.status_code == 200 and done.json()["status"] == "refused"
            mine = (await client.get("/api/v1/me/requests", headers=me)).json()
            assert mine[0]["status"] == "refused"
            assert mine[0]["decision_reason"] == "Tidak ada formasi di unit yang diminta"
            assert "opinion_reason" not in mine[0] and "screening" not in mine[0]


def _employee_nips(engine) -> list[str]:
    from models import UserAccount

    with Session(engine) as s:
        return list(
            s.execute(
                select(UserAccount.username)
                .where(UserAccount.roles == "employee", UserAccount.nip.is_not(None))
                .order_by(UserAccount.username)
            ).scalars()
        )


def test_consultation_wishes_replace_older_preferences_and_unknown_units_are_left_out(demo_engine):
    from mutasi.infra.clock import today
    from mutasi.org.preferences import carry_over

    person, dest = pick_move(demo_engine)
    with Session(demo_engine) as s:
        units = s.execute(select(Unit.code).order_by(Unit.code).limit(4)).scalars().all()
        assert carry_over(s, person.nip, [units[0], units[1]], "request", today()) == units[:2]
        kept = carry_over(
            s, person.nip, ["TIDAK-ADA", units[2], units[2], units[3]], "consultation", today()
        )
        s.commit()
        assert kept == [units[2], units[3]]
        rows = (
            s.execute(
                select(PlacementPreference)
                .where(PlacementPreference.nip == person.nip)
                .order_by(PlacementPreference.rank)
            )
            .scalars()
            .all()
        )
        assert [(p.rank, p.unit_code, p.source, p.stated_on) for p in rows] == [
            (1, units[2], "consultation", today()),
            (2, units[3], "consultation", today()),
        ]
        assert carry_over(s, person.nip, ["TIDAK-ADA"], "consultation", today()) == []
        s.commit()
        assert (
            len(
                s.execute(
                    select(PlacementPreference).where(PlacementPreference.nip == person.nip)
                ).all()
            )
            == 2
        )

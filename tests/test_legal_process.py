"""The legal process of a move between agencies, end to end on the time-skipping server:
outside offices' acts recorded by HR with their letters, BKN's pertek before the competent
authority decides, required documents gating that decision, the placement decree citing the
letters, and an SPMT that comes late."""

from __future__ import annotations

import dataclasses
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from sqlmodel import Session
from temporalio.client import WorkflowUpdateFailedError

from contracts.case import (
    ConsultationAnswer,
    DocumentsChanged,
    RecordedAct,
    ReportingForDuty,
    TaskDecision,
)
from contracts.chain import DEFAULT_TEMPLATES, deciding_step, mutation_type
from contracts.enums import MutationType
from models import (
    ApprovalTask,
    AuditEvent,
    Decree,
    IssuedDocument,
    MutationCase,
    Notification,
    PositionHistory,
)
from mutasi.decree.records import decree_pdf
from mutasi.infra.settings import get_settings
from mutasi.org.directory import OrgDirectory
from tests.support.cases import SPMT_SCAN, case_input, destination_head, stage_is, start
from tests.workflow_support import decree_by_batch, record_history, running_worker, wait_for
from workflows.case import MutationCaseWorkflow

LETTER = "cd" * 32
REQUIRED = ["sk_pangkat", "skp_2_tahun"]


def open_task(state):
    return next((t for t in state.tasks if t.status == "open"), None)


def test_each_type_waits_for_the_pertek_or_letters_before_the_authority_decides():
    for kind, authority in (
        (MutationType.BETWEEN_REGENCIES, "governor"),
        (MutationType.BETWEEN_PROVINCES, "kemendagri"),
        (MutationType.REGIONAL_CENTRAL, "bkn"),
    ):
        roles = [step.roles[0] for step in DEFAULT_TEMPLATES[kind].steps]
        assert roles[:2] == ["origin_ppk", "receiving_ppk"], kind
        assert (
            roles[-1] == authority
            and deciding_step(DEFAULT_TEMPLATES[kind].steps) == len(roles) - 1
        )
        if kind != MutationType.REGIONAL_CENTRAL:
            assert roles.index("bkn_pertek") < roles.index(authority), kind
    assert roles == ["origin_ppk", "receiving_ppk", "bkn"]


def test_mutation_type_from_both_agencies():
    regency, city, other = (
        ("KAB", "Jabar", "kabupaten"),
        ("KOTA", "Jabar", "kota"),
        (
            "KAB2",
            "Jateng",
            "kabupaten",
        ),
    )
    ministry = ("KEMENKES", "DKI Jakarta", "pusat")
    assert mutation_type(regency, regency) == MutationType.WITHIN_AGENCY
    assert mutation_type(regency, city) == MutationType.BETWEEN_REGENCIES
    assert mutation_type(regency, other) == MutationType.BETWEEN_PROVINCES
    assert mutation_type(regency, ministry) == MutationType.REGIONAL_CENTRAL
    assert mutation_type(ministry, city) == MutationType.REGIONAL_CENTRAL


async def refused(handle, update, arg, fragment: str) -> None:
    with pytest.raises(WorkflowUpdateFailedError) as failed:
        await handle.execute_update(update, arg)
    assert fragment in str(failed.value.cause), failed.value.cause


async def record(handle, task, number: str, approve: bool = True, comment: str = ""):
    return await handle.execute_update(
        MutationCaseWorkflow.record_act,
        RecordedAct(
            task_id=task.id,
            actor="hr",
            approve=approve,
            letter_number=number,
            letter_date=date(2026, 1, 5),
            document_sha256=LETTER,
            comment=comment,
        ),
    )


async def next_open(handle, after: str | None):
    return await wait_for(
        handle,
        MutationCaseWorkflow.state,
        lambda s: open_task(s) is not None and open_task(s).id != after,
    )


async def test_between_regencies_records_letters_gates_on_documents_and_tracks_a_late_spmt(
    time_skipping_env, demo_engine
):
    env = time_skipping_env
    inp = dataclasses.replace(
        case_input(demo_engine, training=[]),
        mutation_type=MutationType.BETWEEN_REGENCIES,
        steps=DEFAULT_TEMPLATES[MutationType.BETWEEN_REGENCIES].steps,
        required_documents=REQUIRED,
    )
    async with running_worker(env.client, demo_engine) as queue:
        handle = await start(env, queue, inp)
        await wait_for(handle, MutationCaseWorkflow.state, stage_is("consultation"))
        await handle.execute_update(
            MutationCaseWorkflow.respond, ConsultationAnswer(actor_nip=inp.nip, accept=True)
        )
        state = await next_open(handle, None)
        release = open_task(state)
        assert (release.role, release.kind, release.deciders) == ("origin_ppk", "recorded", [])
        # Nobody clicks an outside office's act "on its behalf".
        await refused(
            handle,
            MutationCaseWorkflow.decide,
            TaskDecision(task_id=release.id, actor_nip="1" * 18, approve=True),
            "surat",
        )
        for bad in (
            RecordedAct(
                task_id=release.id,
                actor="hr",
                approve=True,
                letter_number="  ",
                letter_date=date(2026, 1, 5),
                document_sha256=LETTER,
            ),
            RecordedAct(
                task_id=release.id,
                actor="hr",
                approve=True,
                letter_number="800/1",
                letter_date=date(2026, 1, 5),
                document_sha256="bukan-hash",
            ),
            RecordedAct(
                task_id=release.id,
                actor="hr",
                approve=False,
                letter_number="800/1",
                letter_date=date(2026, 1, 5),
                document_sha256=LETTER,
                comment="",
            ),
        ):
            with pytest.raises(WorkflowUpdateFailedError):
                await handle.execute_update(MutationCaseWorkflow.record_act, bad)
        await record(handle, release, "800/11/BKPSDM-ASAL/2026")
        acceptance = open_task(await next_open(handle, release.id))
        assert acceptance.role == "receiving_ppk"
        await record(handle, acceptance, "800/22/BKPSDM/2026")
        pertek = open_task(await next_open(handle, acceptance.id))
        assert pertek.role == "bkn_pertek"
        await record(handle, pertek, "PERTEK-0042/KR.III/2026")

        # The governor's decision waits for the dossier: no task opens while a document is missing.
        state = await wait_for(
            handle, MutationCaseWorkflow.state, lambda s: s.documents_missing == REQUIRED
        )
        assert open_task(state) is None
        await handle.signal(
            MutationCaseWorkflow.documents_changed, DocumentsChanged(accepted=REQUIRED[:1])
        )
        await env.sleep(timedelta(days=2))
        state = await handle.query(MutationCaseWorkflow.state)
        assert state.documents_missing == REQUIRED[1:] and open_task(state) is None
        await handle.signal(
            MutationCaseWorkflow.documents_changed, DocumentsChanged(accepted=REQUIRED)
        )
        governor = open_task(await next_open(handle, pertek.id))
        assert governor.role == "governor"
        await record(handle, governor, "821.2/123/BKD/2026")

        state = await decree_by_batch(
            env.client, queue, handle, inp.agency_code, (await env.get_current_time()).date()
        )
        tmt = datetime(state.tmt.year, state.tmt.month, state.tmt.day, tzinfo=UTC)
        # Twenty days after TMT the 14-day SPMT period is over: HR has been told.
        await env.sleep(tmt + timedelta(days=20) - await env.get_current_time())
        state = await wait_for(handle, MutationCaseWorkflow.state, stage_is("reporting"))
        head = destination_head(demo_engine, inp)
        with Session(demo_engine) as s:
            bkpsdm = OrgDirectory(s).bkpsdm_head(inp.agency_code)
            kinds = {
                (n.recipient_nip, n.kind)
                for n in s.execute(
                    select(Notification).where(Notification.case_id == inp.case_id)
                ).scalars()
            }
        assert (head, "spmt") in kinds and (bkpsdm, "spmt_overdue") in kinds
        await refused(
            handle,
            MutationCaseWorkflow.confirm_reporting,
            ReportingForDuty(
                actor_nip=head,
                actor="kepala",
                reported_on=state.tmt - timedelta(days=1),
                document_sha256=SPMT_SCAN,
            ),
            "sebelum TMT",
        )
        await refused(
            handle,
            MutationCaseWorkflow.confirm_reporting,
            ReportingForDuty(
                actor_nip=inp.nip, actor="pegawai", reported_on=state.tmt, document_sha256=SPMT_SCAN
            ),
            "kepala unit tujuan",
        )
        reported = state.tmt + timedelta(days=16)
        await handle.execute_update(
            MutationCaseWorkflow.confirm_reporting,
            ReportingForDuty(
                actor_nip=head, actor="kepala", reported_on=reported, document_sha256=SPMT_SCAN
            ),
        )
        result = await handle.result()
        await record_history(handle, "case_between_regencies_recorded")
    assert result.stage == "completed" and result.reported_on == reported

    with Session(demo_engine) as s:
        tasks = (
            s.execute(
                select(ApprovalTask)
                .where(ApprovalTask.case_id == inp.case_id)
                .order_by(ApprovalTask.step)
            )
            .scalars()
            .all()
        )
        assert [(t.role, t.kind, t.decided_by, t.status) for t in tasks] == [
            (role, "recorded", "hr", "approved")
            for role in ("origin_ppk", "receiving_ppk", "bkn_pertek", "governor")
        ]
        recorded = (
            s.execute(
                select(AuditEvent).where(
                    AuditEvent.workflow_id == f"case-{inp.case_id}",
                    AuditEvent.action == "task.recorded_approved",
                )
            )
            .scalars()
            .all()
        )
        assert {e.role for e in recorded} == {"hr_admin"} and len(recorded) == 4
        assert all(e.new["document_sha256"] == LETTER for e in recorded)
        history = s.get(PositionHistory, (inp.nip, result.tmt))
        assert history.reported_on == reported and history.spmt_document == SPMT_SCAN
        decree = s.get(Decree, result.decree_number)
        assert decree.agency_code == s.get(MutationCase, inp.case_id).agency_code
        frozen = s.get(IssuedDocument, decree.number)
        cited = frozen.snapshot["considering"]
        text = " ".join(
            " ".join(
                p.extract_text()
                for p in PdfReader(io.BytesIO(decree_pdf(s, get_settings(), decree))).pages
            ).split()
        )
    assert [c.split(" Nomor ")[1].split(" tanggal")[0] for c in cited] == [
        "800/11/BKPSDM-ASAL/2026",
        "800/22/BKPSDM/2026",
        "PERTEK-0042/KR.III/2026",
        "821.2/123/BKD/2026",
    ]
    assert (
        "Memperhatikan" in text
        and "Pertimbangan Teknis Badan Kepegawaian Negara Nomor PERTEK-0042/KR.III/2026" in text
        and "Keputusan Gubernur Jawa Barat Nomor 821.2/123/BKD/2026" in text
    )
    # An inter-agency move is copied to the origin's PPK, and its grounds say so.
    assert "Pejabat Pembina Kepegawaian instansi asal" in text and "antar instansi" in text
    assert decree.annex["rank_name"] and decree.annex["rank_name"] in text
    assert decree.annex["new_unit"] != decree.annex["new_unit_code"]  # the unit's name, not "SD012"


async def test_an_outside_refusal_ends_the_case_as_hrs_recorded_act(time_skipping_env, demo_engine):
    env = time_skipping_env
    inp = dataclasses.replace(
        case_input(demo_engine, training=[]),
        mutation_type=MutationType.BETWEEN_PROVINCES,
        steps=DEFAULT_TEMPLATES[MutationType.BETWEEN_PROVINCES].steps,
    )
    async with running_worker(env.client, demo_engine) as queue:
        handle = await start(env, queue, inp)
        await wait_for(handle, MutationCaseWorkflow.state, stage_is("consultation"))
        await handle.execute_update(
            MutationCaseWorkflow.respond, ConsultationAnswer(actor_nip=inp.nip, accept=True)
        )
        release = open_task(await next_open(handle, None))
        await record(handle, release, "800/9/2026", approve=False, comment="formasi tidak tersedia")
        result = await handle.result()
    assert result.stage == "rejected" and result.outcome_reason == "formasi tidak tersedia"
    with Session(demo_engine) as s:
        ending = s.execute(
            select(AuditEvent).where(
                AuditEvent.workflow_id == f"case-{inp.case_id}",
                AuditEvent.action == "case.rejected",
            )
        ).scalar_one()
    assert (ending.actor, ending.role) == ("hr", "hr_admin")


@pytest.mark.parametrize(
    ("kind", "letters"),
    [
        (
            MutationType.BETWEEN_PROVINCES,
            ["origin_ppk", "receiving_ppk", "bkn_pertek", "kemendagri"],
        ),
        (MutationType.REGIONAL_CENTRAL, ["origin_ppk", "receiving_ppk", "bkn"]),
    ],
)
async def test_each_inter_agency_type_runs_to_the_report_for_duty(
    time_skipping_env, demo_engine, kind, letters
):
    env = time_skipping_env
    inp = dataclasses.replace(
        case_input(demo_engine, training=[]),
        mutation_type=kind,
        steps=DEFAULT_TEMPLATES[kind].steps,
    )
    async with running_worker(env.client, demo_engine) as queue:
        handle = await start(env, queue, inp)
        await wait_for(handle, MutationCaseWorkflow.state, stage_is("consultation"))
        await handle.execute_update(
            MutationCaseWorkflow.respond, ConsultationAnswer(actor_nip=inp.nip, accept=True)
        )
        seen, previous = [], None
        while len(seen) < len(letters):
            task = open_task(await next_open(handle, previous))
            assert task.kind == "recorded"
            seen.append(task.role)
            await record(handle, task, f"SURAT-{len(seen)}/2026")
            previous = task.id
        assert seen == letters
        today = (await env.get_current_time()).date()
        state = await decree_by_batch(env.client, queue, handle, inp.agency_code, today)
        tmt = datetime(state.tmt.year, state.tmt.month, state.tmt.day, tzinfo=UTC)
        await env.sleep(tmt + timedelta(hours=2) - await env.get_current_time())
        state = await wait_for(handle, MutationCaseWorkflow.state, stage_is("reporting"))
        await handle.execute_update(
            MutationCaseWorkflow.confirm_reporting,
            ReportingForDuty(
                actor_nip="", actor="hr", reported_on=state.tmt, document_sha256=SPMT_SCAN
            ),  # HR records it
        )
        result = await handle.result()
    assert result.stage == "completed" and result.reported_on == state.tmt

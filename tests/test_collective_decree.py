"""One collective decree per signing batch: HR issues it over the cases waiting for a
decree, each employee's extract (petikan) is derived from it and verifies on its own, the
annex lists every employee, "Memperhatikan" cites the committee's minutes, the coat of arms
is printed and the signature bytes are not."""

from __future__ import annotations

import dataclasses
import io
from datetime import timedelta

import httpx
import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select
from sqlmodel import Session

from api.main import create_app
from contracts.case import ConsultationAnswer
from contracts.chain import COMMITTEE, ChainStep
from models import CollectiveDecree, Decree, UserAccount
from mutasi.infra.clock import today as clock_today
from mutasi.infra.settings import Settings
from tests.auth_support import auth_headers
from tests.support.cases import case_input, stage_is, start
from tests.workflow_support import approve_step, running_worker, wait_for
from workflows.case import MutationCaseWorkflow

CHAIN = [
    ChainStep(name="Tim Penilai Kinerja", roles=[COMMITTEE]),
    ChainStep(name="PPK", roles=["ppk"]),
]


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split()
    )


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 80), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
async def api(time_skipping_env, demo_engine, tmp_path):
    settings = Settings(document_dir=str(tmp_path / "dokumen"))
    async with running_worker(time_skipping_env.client, demo_engine, settings=settings) as queue:
        settings = settings.model_copy(update={"task_queue": queue})
        app = create_app(settings, engine=demo_engine, temporal=time_skipping_env.client)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://test"
        ) as client:
            yield client, settings, queue


async def case_at_decree(env, engine, queue):
    inp = dataclasses.replace(case_input(engine, training=[]), steps=CHAIN)
    handle = await start(env, queue, inp)
    await wait_for(handle, MutationCaseWorkflow.state, stage_is("consultation"))
    await handle.execute_update(
        MutationCaseWorkflow.respond, ConsultationAnswer(actor_nip=inp.nip, accept=True)
    )
    while True:
        state = await wait_for(
            handle,
            MutationCaseWorkflow.state,
            lambda s: s.stage == "decree" or any(t.status == "open" for t in s.tasks),
        )
        if state.stage == "decree":
            return inp, handle
        task = next(t for t in state.tasks if t.status == "open")
        await approve_step(handle, task)
        await wait_for(
            handle,
            MutationCaseWorkflow.state,
            lambda s, done=task.id: (
                s.stage != "approval" or any(t.status == "open" and t.id != done for t in s.tasks)
            ),
        )


async def test_one_decree_per_batch_with_an_extract_for_each_employee(
    api, time_skipping_env, demo_engine
):
    client, settings, queue = api
    env = time_skipping_env
    first, second, third = [await case_at_decree(env, demo_engine, queue) for _ in range(3)]
    agency = first[0].agency_code
    hr = auth_headers(demo_engine, settings, "hr")
    r = await client.put(
        f"/api/v1/agencies/{agency}/coat-of-arms",
        files={"file": ("lambang.png", png(), "image/png")},
        headers=hr,
    )
    assert r.status_code == 200, r.text
    pending = (
        await client.get(
            "/api/v1/decree-batches/pending", params={"agency_code": agency}, headers=hr
        )
    ).json()
    assert {p["case_id"] for p in pending} >= {c[0].case_id for c in (first, second, third)}

    bad = await client.post(
        "/api/v1/decree-batches",
        json={"agency_code": agency, "case_ids": ["TIDAK-ADA"]},
        headers=hr,
    )
    assert bad.status_code == 422 and "TIDAK-ADA" in bad.json()["detail"]
    # The decree is dated the day it is signed: a typed (here: backdated) date is refused.
    backdated = await client.post(
        "/api/v1/decree-batches",
        json={
            "agency_code": agency,
            "case_ids": [first[0].case_id],
            "decided_on": (clock_today() - timedelta(days=7)).isoformat(),
        },
        headers=hr,
    )
    assert backdated.status_code == 422 and "diisi sistem" in backdated.json()["detail"]
    r = await client.post(
        "/api/v1/decree-batches",
        json={
            "agency_code": agency,
            "case_ids": [first[0].case_id, second[0].case_id],
        },
        headers=hr,
    )
    assert r.status_code == 201 and r.json()["status"] == "issued", r.text
    number, extracts = r.json()["number"], r.json()["extracts"]
    assert len(extracts) == 2 and all(e.startswith(number + "-P") for e in extracts)

    for _inp, handle in (first, second):
        state = await wait_for(handle, MutationCaseWorkflow.state, stage_is("awaiting_tmt"))
        assert state.decree_number in extracts
    state = await third[1].query(MutationCaseWorkflow.state)
    assert state.stage == "decree"  # not in this batch: waits for the next one

    r = await client.post(
        "/api/v1/decree-batches",
        json={
            "agency_code": agency,
            "case_ids": [third[0].case_id],
        },
        headers=hr,
    )
    following = r.json()["number"]
    with Session(demo_engine) as s:
        one, two = s.get(CollectiveDecree, number), s.get(CollectiveDecree, following)
        assert two.sequence == one.sequence + 1  # one gap-free series
        assert [row["no"] for row in one.annex["rows"]] == [1, 2]
        cited = one.annex["considering"]
        extract = s.execute(select(Decree).where(Decree.case_id == first[0].case_id)).scalar_one()
        owner = s.execute(
            select(UserAccount.username).where(UserAccount.nip == first[0].nip)
        ).scalar_one()
    assert cited == [
        "Berita Acara Sidang Tim Penilai Kinerja (TPK) Nomor BA-TPK.UJI.2026.001 tanggal 5 Januari 2026"
    ]

    whole = await client.get(f"/api/v1/decrees/{number}/pdf", headers=hr)
    text = pdf_text(whole.content)
    names = [first[0].name, second[0].name]
    assert all(name in text for name in names) and "Memperhatikan" in text
    assert "BA-TPK.UJI.2026.001" in text and "2 (dua) orang" in text
    assert one.signature[:16] not in text  # the signature is verified, not printed
    assert PdfReader(io.BytesIO(whole.content)).pages[0].images  # the coat of arms

    mine = auth_headers(demo_engine, settings, owner)
    assert (await client.get(f"/api/v1/decrees/{number}/pdf", headers=mine)).status_code == 403
    petikan = await client.get(f"/api/v1/decrees/{extract.number}/pdf", headers=mine)
    text = pdf_text(petikan.content)
    assert "PETIKAN" in text and f"NOMOR {number}" in text and first[0].name in text
    assert second[0].name not in text and "baris 1 dari 2" in text.replace("\n", " ")

    for key, code in ((extract.number, extract.verification_code), (number, one.verification_code)):
        r = await client.get(f"/api/v1/public/decrees/{key}/verification", params={"code": code})
        assert r.json()["verdict"] == "genuine", r.json()
    public = (
        await client.get(
            f"/api/v1/public/decrees/{number}/verification", params={"code": one.verification_code}
        )
    ).json()
    assert public["employees"] == 2 and "name" not in public

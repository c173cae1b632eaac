"""HR reviews a plan of thousands of proposals: paged, searched, filtered and sorted on the
server, each proposal a summary line; removals are marked with a reason and kept across
pages and refused forms until the plan is decided."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from api.main import create_app
from api.services.plan_review import marked_removals
from models import Proposal
from mutasi.demo.plans import plan_ready_cycle
from mutasi.infra.settings import Settings
from tests.auth_support import page_client

ROW = re.compile(r'<tr(?: class="marked")? data-nip="(\d{18})">')


def rows(html: str) -> list[str]:
    return ROW.findall(html)


def test_a_large_plan_is_paged_filtered_and_sorted_on_the_server(demo_engine):
    nips = plan_ready_cycle(demo_engine, "REV", 120)
    with TestClient(
        create_app(Settings(TEMPORAL_ADDRESS="127.0.0.1:1"), engine=demo_engine)
    ) as client:
        page_client(client, demo_engine, "hr")
        first = client.get("/hr/cycles/REV")
        assert first.status_code == 200
        assert "Usulan mutasi (120)" in first.text and len(rows(first.text)) == 50
        assert 'data-testid="plan-bar"' in first.text and 'data-testid="pager"' in first.text
        last = client.get("/hr/cycles/REV?page=3")
        assert len(rows(last.text)) == 20
        assert set(rows(first.text)).isdisjoint(rows(last.text))
        one = client.get(f"/hr/cycles/REV?q={nips[5]}")
        assert rows(one.text) == [nips[5]]
        with Session(demo_engine) as s:
            jpm = {n: s.get(Proposal, ("REV", n)).jpm for n in nips}
        low = rows(client.get("/hr/cycles/REV?flag=low_jpm").text)
        assert low and all(jpm[n] < 78 for n in low)
        assert len(low) == min(50, sum(1 for v in jpm.values() if v < 78))
        due = rows(client.get("/hr/cycles/REV?flag=rotation_due").text)
        assert sorted(due) == sorted(n for i, n in enumerate(nips) if i % 7 == 0)
        by_jpm = rows(client.get("/hr/cycles/REV?sort=jpm").text)
        assert jpm[by_jpm[0]] == min(jpm.values())
        # Each row reads as numbers first, with the explanation folded under it.
        assert (
            "JPM " in first.text
            and "masa jabatan" in first.text
            and "<details><summary>" in first.text
        )


def test_removals_are_kept_across_pages_and_a_refused_form(demo_engine):
    nips = plan_ready_cycle(demo_engine, "REM", 80)
    with TestClient(
        create_app(Settings(TEMPORAL_ADDRESS="127.0.0.1:1"), engine=demo_engine)
    ) as client:
        csrf = page_client(client, demo_engine, "hr")
        refused = client.post(
            "/hr/cycles/REM/keluarkan",
            data={
                "csrf": csrf,
                "nip": [nips[0], nips[60]],
                "action": "mark",
                "reason": "",
                "back": "page=2",
            },
        )
        assert refused.status_code == 422 and "alasan" in refused.text
        assert "Halaman 2 / 2" in refused.text  # the page HR was on stays in view
        done = client.post(
            "/hr/cycles/REM/keluarkan",
            data={
                "csrf": csrf,
                "nip": [nips[0], nips[60]],
                "action": "mark",
                "reason": "sudah mengajukan pensiun dini",
            },
            follow_redirects=False,
        )
        assert done.status_code == 303
        page2 = client.get("/hr/cycles/REM?page=2")
        assert 'data-testid="marked-count">2<' in page2.text
        assert "sudah mengajukan pensiun dini" in client.get("/hr/cycles/REM?flag=marked").text
        client.post(
            "/hr/cycles/REM/keluarkan", data={"csrf": csrf, "nip": nips[60], "action": "unmark"}
        )
        with Session(demo_engine) as s:
            assert marked_removals(s, "REM") == [
                {"nip": nips[0], "reason": "sudah mengajukan pensiun dini"}
            ]
        # A NIP outside the plan is not marked.
        client.post(
            "/hr/cycles/REM/keluarkan",
            data={"csrf": csrf, "nip": "1" * 18, "action": "mark", "reason": "salah ketik"},
        )
        with Session(demo_engine) as s:
            assert len(marked_removals(s, "REM")) == 1

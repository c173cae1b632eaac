"""The pages people work in all day, at the size of a real agency: HR's plan review of a
cycle with 2 000 proposals (first page, a search, a filter, a later page) and the
approver's inbox page, each timed through the whole app (session cookie, CSRF, template)
in this process, so the time is the server's."""

from __future__ import annotations

import asyncio
import logging
import random
import time

import httpx
from sqlalchemy import select
from sqlmodel import Session

from api.main import create_app
from bench.demo_database import demo_database
from bench.results import Results
from models import UserAccount
from mutasi.accounts.security import issue_token
from mutasi.accounts.users import create_demo_users
from mutasi.demo.plans import plan_ready_cycle
from mutasi.infra.settings import Settings
from mutasi.reports.case_report import percentile

PROPOSALS = 2000
REQUESTS = 80
CYCLE = "BENCH-REVIEW"


async def timed(client: httpx.AsyncClient, urls: list[str]) -> list[float]:
    timings = []
    for i in range(REQUESTS + 10):
        url = urls[i % len(urls)]
        t0 = time.perf_counter()
        r = await client.get(url)
        elapsed = time.perf_counter() - t0
        assert r.status_code == 200, (url, r.status_code)
        if i >= 10:  # warm-up excluded
            timings.append(elapsed)
    return timings


async def measure(app, settings: Settings, engine, nips: list[str]) -> dict[str, list[float]]:
    with Session(engine) as s:
        hr = s.execute(select(UserAccount.id).where(UserAccount.username == "hr")).scalar_one()
    rng = random.Random(3)
    cookie = {"mutasi_session": issue_token(settings, hr, 60, "session").token}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://bench", cookies=cookie
    ) as client:
        first = await client.get(f"/hr/cycles/{CYCLE}")
        assert "Usulan mutasi (2.000)" in first.text and first.text.count("data-nip=") == 50
        review = await timed(
            client,
            [
                f"/hr/cycles/{CYCLE}",
                f"/hr/cycles/{CYCLE}?q={rng.choice(nips)}",
                f"/hr/cycles/{CYCLE}?flag=low_jpm&sort=jpm",
                f"/hr/cycles/{CYCLE}?page=37",
                f"/hr/cycles/{CYCLE}?flag=rotation_due",
            ],
        )
    return {"review": review}


def run(results: Results) -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    with demo_database("mutasi-bench-pages-", PROPOSALS) as (_tmp, engine):
        settings = Settings(TEMPORAL_ADDRESS="127.0.0.1:1")
        create_demo_users(engine, settings)
        nips = plan_ready_cycle(engine, CYCLE, PROPOSALS)
        results.add("plan_review_proposals", len(nips), "proposals")
        app = create_app(settings, engine=engine)
        timings = asyncio.run(measure(app, settings, engine, nips))["review"]
        p95 = percentile(timings, 0.95)
        results.add("plan_review_page_p50_ms", 1000 * percentile(timings, 0.5), "ms")
        results.add("plan_review_page_p95_ms", 1000 * p95, "ms", "<= 300", p95 <= 0.300)

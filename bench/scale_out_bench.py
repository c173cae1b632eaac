"""Scale-out shown (issue 23, item 5): two worker processes and two API processes against
one PostgreSQL database and one dev server complete the 1 000-case API run, requests taking
turns between the APIs as behind a proxy, with 0 decisions lost or duplicated. On two cores
no speed-up is expected; the figure is that nothing is lost when the work is shared."""

from __future__ import annotations

import asyncio
import logging
import os
import tempfile
from pathlib import Path

import httpx

from bench.api_decisions_bench import drive_api
from bench.deployed import QUEUE, deployed
from bench.results import Results
from bench.scratch_postgres import scratch_postgres
from mutasi.accounts.users import create_demo_users
from mutasi.demo.loader import load_demo
from mutasi.infra.db import build_engine
from mutasi.infra.settings import Settings

CASES = int(os.environ.get("MUTASI_BENCH_SCALE_CASES", "1000"))


async def _run(results: Results, url: str, tmp: Path) -> None:
    engine = build_engine(url)
    settings = Settings(DATABASE_URL=url)
    load_demo(engine, 2000, 9)
    create_demo_users(engine, settings)
    async with deployed(tmp, url, workers=2, apis=2) as d:
        results.add("scale_out_worker_processes_polling", d.workers, "count", "= 2", d.workers == 2)
        results.add("scale_out_api_processes", len(d.apis), "count", "= 2", len(d.apis) == 2)
        clients = [httpx.AsyncClient(base_url=u, timeout=120) for u in d.apis]
        try:
            await drive_api(d.env, engine, settings, CASES, clients, QUEUE, "scale_out", results)
        finally:
            for client in clients:
                await client.aclose()
    engine.dispose()


def run(results: Results) -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    with scratch_postgres("scale-out") as url:
        if url is None:
            return
        with tempfile.TemporaryDirectory(prefix="mutasi-bench-scale-") as tmp:
            asyncio.run(_run(results, url, Path(tmp)))

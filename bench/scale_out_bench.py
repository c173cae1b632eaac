"""Scale-out shown (issue 23, item 5): two worker processes and two API processes against
one PostgreSQL database and one dev server complete the 1 000-case API run, requests taking
turns between the APIs as behind a proxy, with 0 decisions lost or duplicated. On two cores
no speed-up is expected; the figure is that nothing is lost when the work is shared."""

from __future__ import annotations

import os
from pathlib import Path

import httpx

from bench.api_decisions_bench import drive_api
from bench.deployed import QUEUE, demo_on, deployed, run_on_postgres
from bench.results import Results

CASES = int(os.environ.get("MUTASI_BENCH_SCALE_CASES", "1000"))


async def _run(results: Results, url: str, tmp: Path) -> None:
    engine, settings = demo_on(url)
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
    run_on_postgres("scale-out", lambda url, tmp: _run(results, url, tmp))

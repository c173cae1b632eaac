"""The database a Temporal benchmark runs against: a fresh demo dataset in a temporary
folder (which also holds the dev server's file), or an empty PostgreSQL database named by
MUTASI_BENCH_DATABASE_URL."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import Engine

from mutasi.demo.loader import load_demo
from mutasi.infra.db import build_engine, upgrade_database


@contextmanager
def demo_database(prefix: str, employees: int) -> Iterator[tuple[Path, Engine]]:
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        url = os.environ.get("MUTASI_BENCH_DATABASE_URL") or f"sqlite:///{tmp / 'app.db'}"
        upgrade_database(url)
        engine = build_engine(url, writer=True)  # as the worker's
        try:
            load_demo(engine, employees, 9)
            yield tmp, engine
        finally:
            engine.dispose()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

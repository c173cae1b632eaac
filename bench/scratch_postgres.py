"""A throwaway PostgreSQL database for one benchmark, migrated to head, dropped after;
None when no server answers (the suite then says so and skips)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from mutasi.infra.db import upgrade_database

POSTGRES = os.environ.get(
    "MUTASI_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@contextmanager
def scratch_postgres(suite: str) -> Iterator[str | None]:
    name = f"mutasi_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # no server: say so and skip this suite
        print(
            f"  {suite}: PostgreSQL tidak terjangkau di {POSTGRES} ({type(exc).__name__}); dilewati"
        )
        admin.dispose()
        yield None
        return
    url = make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade_database(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

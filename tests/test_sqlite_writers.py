"""The worker's SQLite writers take the write lock in turn (mutasi.infra.db._WriterQueue):
every write lands, and a transaction that ends in any way — commit, rollback, a connection
closed or invalidated mid-way — hands the turn on at once, never after the timeout."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import text

from mutasi.infra.db import build_engine

WRITERS, ROWS = 12, 25


def _engine(tmp_path):
    engine = build_engine(f"sqlite:///{tmp_path / 'w.db'}", writer=True)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (writer INTEGER, n INTEGER, PRIMARY KEY (writer, n))")
    return engine


def _write(engine, writer: int) -> None:
    for n in range(ROWS):
        with engine.begin() as conn:
            before = conn.execute(text("SELECT count(*) FROM t")).scalar_one()
            conn.execute(text("INSERT INTO t VALUES (:w, :n)"), {"w": writer, "n": n})
            assert conn.execute(text("SELECT count(*) FROM t")).scalar_one() == before + 1


def test_concurrent_writers_each_commit_every_row(tmp_path):
    engine = _engine(tmp_path)
    with ThreadPoolExecutor(WRITERS) as pool:
        list(pool.map(lambda w: _write(engine, w), range(WRITERS)))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t")).scalar_one() == WRITERS * ROWS
    engine.dispose()


def _next_writer_finishes(engine, seconds: float = 3.0) -> bool:
    done = threading.Event()

    def write() -> None:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (99, (SELECT count(*) FROM t))"))
        done.set()

    threading.Thread(target=write, daemon=True).start()
    return done.wait(seconds)  # a turn never given back would hold it for 15 s


def test_every_way_a_transaction_ends_hands_the_turn_on(tmp_path):
    engine = _engine(tmp_path)
    # rolled back (a read-only activity's session closes without committing)
    with engine.connect() as conn:
        conn.begin()
        conn.execute(text("SELECT count(*) FROM t"))
    assert _next_writer_finishes(engine)
    # failed inside the transaction
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (1, 1)"))
            conn.execute(text("INSERT INTO t VALUES (1, 1)"))  # the key again
    except Exception:  # noqa: BLE001 — the failure is the point
        pass
    assert _next_writer_finishes(engine)
    # invalidated mid-way (a broken connection)
    conn = engine.connect()
    conn.begin()
    conn.invalidate()
    assert _next_writer_finishes(engine)  # at once, before its owner cleans up
    conn.rollback()
    conn.close()
    with engine.connect() as check:
        rows = check.execute(text("SELECT count(*) FROM t WHERE writer = 99")).scalar_one()
        assert check.execute(text("SELECT count(*) FROM t WHERE writer = 1")).scalar_one() == 0
    assert rows == 3
    engine.dispose()

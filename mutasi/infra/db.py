"""Engine creation and schema migration (Alembic) for SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar, cast

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, CursorResult, Engine, Result, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.sql.dml import Insert
from sqlmodel import create_engine

T = TypeVar("T")
MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "models" / "migrations"


class MissingRow(LookupError):
    """A row that the database's own references say must exist does not."""


def must(row: T | None, what: str) -> T:
    """`row`, or a MissingRow naming `what` when it is None."""
    if row is None:
        raise MissingRow(f"{what} tidak ada")
    return row


def as_utc(at: datetime) -> datetime:
    """Timestamps are stored timezone-aware, in UTC; SQLite hands them back naive."""
    return at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the API read while the worker writes; the busy timeout absorbs
    # the short write locks of the other process instead of failing.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


class _WriterQueue:
    """The writers of one process take SQLite's write lock in turn, each woken as soon as the
    one before it has committed. Left to SQLite, a writer that finds the lock taken polls it
    with sleeps of 1, 2, 5, 10 … 100 ms: under many concurrent activities the cores idle
    while transactions sleep. Writers of other processes (the API) still meet the busy
    timeout. A turn not given back within the timeout is not waited for longer: the
    transaction then goes to SQLite's own wait, as it did before."""

    KEY = "mutasi_write_turn"

    def __init__(self, timeout: float) -> None:
        self._lock = threading.Lock()
        self._timeout = timeout

    def listen(self, engine: Engine) -> None:
        event.listen(engine, "begin", self.begin)
        event.listen(engine, "commit", self.commit)
        event.listen(engine, "rollback", self.rollback)
        # A connection that leaves the pool's hands mid-transaction gives its turn back too.
        event.listen(engine.pool, "checkin", self._returned)
        event.listen(engine.pool, "invalidate", self._invalidated)

    def begin(self, conn: Connection) -> None:
        if self._lock.acquire(timeout=self._timeout):
            conn.info[self.KEY] = True
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            self._give_back(conn.info)
            raise

    def commit(self, conn: Connection) -> None:
        # Committed here, on the driver's connection, so the turn passes once SQLite has let
        # go of its lock; SQLAlchemy's own commit that follows finds nothing left to do.
        try:
            _sqlite(conn).execute("COMMIT")
        finally:
            self._give_back(conn.info)

    def rollback(self, conn: Connection) -> None:
        if conn.invalidated:
            return  # its turn went back when the pool invalidated it
        try:
            if _sqlite(conn).in_transaction:
                _sqlite(conn).execute("ROLLBACK")
        finally:
            self._give_back(conn.info)

    def _returned(self, _dbapi_connection: DBAPIConnection, record: ConnectionPoolEntry) -> None:
        self._give_back(record.info)

    def _invalidated(
        self,
        _dbapi_connection: DBAPIConnection,
        record: ConnectionPoolEntry,
        _exception: BaseException | None,
    ) -> None:
        self._give_back(record.info)

    def _give_back(self, info: dict[str, Any]) -> None:
        if info.pop(self.KEY, False):
            self._lock.release()


def _sqlite(conn: Connection) -> sqlite3.Connection:
    return cast(sqlite3.Connection, conn.connection.dbapi_connection)


def build_engine(url: str, *, writer: bool = False, writers_queue: bool = True) -> Engine:
    """`writer=True` (the worker): on SQLite every transaction takes the write lock at
    BEGIN, so read-then-write activities queue for it instead of failing with a stale
    snapshot and waiting out a retry: in turn within the process (`_WriterQueue`), or on
    SQLite's busy timeout alone with `writers_queue=False`; on PostgreSQL connections are
    not pinged before use (activities are retried)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        args: dict[str, Any] = {"check_same_thread": False, "timeout": 15}
        if writer:
            args["isolation_level"] = None  # SQLAlchemy's "begin" event then issues BEGIN itself
        engine = create_engine(url, connect_args=args, pool_size=10, max_overflow=40)
        event.listen(engine, "connect", _sqlite_pragmas)
        if writer and writers_queue:
            _WriterQueue(timeout=15).listen(engine)
        elif writer:  # SQLite's own busy wait (the benchmark's comparison)
            event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
        return engine
    # More connections than the API's 40 worker threads, so a thread never waits on the pool.
    # The API pings a connection before each use: a person's request has no retry. The
    # worker does not (it would cost a round trip per transaction): a connection the
    # database dropped fails that activity attempt, SQLAlchemy discards the pool's
    # connections, and Temporal's retry runs on fresh ones.
    return create_engine(url, pool_pre_ping=not writer, pool_size=10, max_overflow=40)


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    return build_engine(url)


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade_database(url: str) -> None:
    """Bring the schema at `url` to the newest migration (idempotent)."""
    command.upgrade(alembic_config(url), "head")


def shown_url(url: str) -> str:
    """A database URL safe to print (password hidden)."""
    return make_url(url).render_as_string(hide_password=True)


def schema_problem(url: str) -> str | None:
    """Why the database at `url` cannot be used as it is (missing, unreachable, without the
    schema or behind the newest migration), or None. Never creates anything: a SQLite file
    that does not exist is reported, not made."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine as plain_engine
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.pool import NullPool

    parsed = make_url(url)
    if (
        parsed.get_backend_name() == "sqlite"
        and parsed.database not in (None, "", ":memory:")
        and not Path(parsed.database).is_file()
    ):
        return f"basis data {shown_url(url)} tidak ada"
    probe = plain_engine(url, poolclass=NullPool)
    try:
        with probe.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
    except SQLAlchemyError as exc:
        return f"basis data {shown_url(url)} tidak dapat dibuka ({type(exc).__name__})"
    finally:
        probe.dispose()
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    if current is None:
        return f"basis data {shown_url(url)} belum memiliki skema Mutasi"
    if current != head:
        return f"skema basis data {shown_url(url)} pada revisi {current}, terbaru {head}"
    return None


def insert_ignoring_conflict(
    conn: Connection, model: Any, index_elements: list[str] | None = None
) -> Insert:
    """INSERT … ON CONFLICT DO NOTHING in the connection's dialect (PostgreSQL or SQLite):
    a retried write meets its natural key and writes nothing."""
    return insert_ignoring_conflict_in(conn.dialect.name, model, tuple(index_elements or ()))


@lru_cache(maxsize=64)
def insert_ignoring_conflict_in(
    dialect: str, model: Any, index_elements: tuple[str, ...] = ()
) -> Insert:
    # Built once per table: the hot writes (audit events, notices, tasks) skip the building.
    dialect_insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return dialect_insert(model).on_conflict_do_nothing(index_elements=list(index_elements) or None)


def rows_changed(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE touched: the session returns its cursor result under
    the general `Result` type, which does not name `rowcount`."""
    return cast(CursorResult[Any], result).rowcount or 0

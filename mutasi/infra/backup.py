"""Online backup and restore of everything Mutasi keeps outside Temporal: the database, the
signed audit checkpoints and the document store.

Order matters. Checkpoints are copied first and documents last: a checkpoint may then be
older than the database copy (never newer, which would read as a truncated chain), and
every document a database row names is in the copy (the store writes a file before the
row that names it). The database copy is one consistent snapshot: SQLite's backup API, or
`pg_dump` on a snapshot exported by the transaction that also counts the rows, so the
manifest's counts are exactly the dump's.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, inspect, select, table, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.pool import NullPool

from mutasi.infra.documents import DocumentStore, sha256_of

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
CHECKPOINTS = "audit-checkpoints"
DOCUMENTS = "documents"
FORMAT = 1


class BackupError(RuntimeError):
    pass


def _libpq_url(url: str) -> str:
    """The SQLAlchemy URL as pg_dump/pg_restore understand it (no `+driver`)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("basis data SQLite di memori tidak dapat dicadangkan")
    return Path(database)


def _table_counts(conn: Connection) -> dict[str, int]:
    # Table names come from the database's own catalogue, quoted by SQLAlchemy.
    tables = [table(name) for name in sorted(inspect(conn).get_table_names())]
    return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in tables}


def _snapshot_facts(conn: Connection) -> dict[str, Any]:
    counts = _table_counts(conn)
    revision = (
        conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one_or_none()
        if "alembic_version" in counts
        else None
    )
    heads = (
        {
            agency: {"seq": seq, "hash": digest}
            for agency, seq, digest in conn.execute(
                text("SELECT agency_code, seq, hash FROM audit_chain_head ORDER BY agency_code")
            )
        }
        if "audit_chain_head" in counts
        else {}
    )
    return {"tables": counts, "schema_revision": revision, "audit_chain_heads": heads}


def _copy_tree(src: Path, dest: Path) -> None:
    if src.is_dir():
        shutil.copytree(src, dest, dirs_exist_ok=False, ignore=shutil.ignore_patterns(".tmp-*"))
    else:
        dest.mkdir(parents=True)


@dataclass
class BackupResult:
    folder: Path
    manifest: dict[str, Any]


def backup(
    database_url: str, checkpoint_dir: str | Path, document_dir: str | Path, dest: Path
) -> BackupResult:
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"folder cadangan {dest} tidak kosong: pilih folder baru")
    dest.mkdir(parents=True, exist_ok=True)
    _copy_tree(Path(checkpoint_dir), dest / CHECKPOINTS)
    if _is_sqlite(database_url):
        facts = _backup_sqlite(_sqlite_path(database_url), dest / SQLITE_FILE)
        kind, db_file = "sqlite", SQLITE_FILE
    else:
        facts = _backup_postgres(database_url, dest / PG_FILE)
        kind, db_file = "postgresql", PG_FILE
    _copy_tree(Path(document_dir), dest / DOCUMENTS)
    files = {
        str(p.relative_to(dest)): sha256_of(p.read_bytes())
        for p in sorted(dest.rglob("*"))
        if p.is_file() and p.name != MANIFEST
    }
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "database": kind,
        "database_file": db_file,
        **facts,
        "files": files,
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    return BackupResult(dest, manifest)


def _backup_sqlite(source: Path, target: Path) -> dict[str, Any]:
    if not source.is_file():
        raise BackupError(f"basis data {source} tidak ada")
    with sqlite3.connect(source) as src, sqlite3.connect(target) as out:
        src.backup(out)  # online: a consistent copy while the worker and API keep writing
    engine = create_engine(f"sqlite:///{target}", poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return _snapshot_facts(conn)
    finally:
        engine.dispose()


def _backup_postgres(url: str, target: Path) -> dict[str, Any]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            facts = _snapshot_facts(conn)
            # pg_dump reads the very snapshot the counts came from, while this transaction holds it.
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                    _libpq_url(url),
                ]
            )
            conn.rollback()
    finally:
        engine.dispose()
    return facts


def _run(args: list[str]) -> None:
    try:
        done = subprocess.run(args, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BackupError(
            f"{args[0]} tidak ditemukan: pasang klien PostgreSQL (postgresql-client)"
        ) from exc
    if done.returncode != 0:
        raise BackupError(f"{args[0]} gagal: {done.stderr.strip()[:2000]}")


@dataclass
class RestoreResult:
    tables: dict[str, int]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_manifest(src: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((src / MANIFEST).read_text())
    except FileNotFoundError as exc:
        raise BackupError(f"{src} bukan cadangan Mutasi: {MANIFEST} tidak ada") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"format cadangan {manifest.get('format')} tidak dikenal (diharapkan {FORMAT})"
        )
    for name, digest in manifest["files"].items():
        path = src / name
        if not path.is_file() or sha256_of(path.read_bytes()) != digest:
            raise BackupError(f"berkas cadangan {name} hilang atau berubah sejak dicadangkan")
    return manifest


def _database_is_empty(url: str) -> bool:
    if _is_sqlite(url):
        path = _sqlite_path(url)
        if not path.exists() or path.stat().st_size == 0:
            return True
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return not inspect(conn).get_table_names()
    finally:
        engine.dispose()


def restore(
    src: Path, database_url: str, checkpoint_dir: str | Path, document_dir: str | Path
) -> RestoreResult:
    """Restore a backup into an empty database and folders, then check that the counts and
    the chain heads are the manifest's. Refuses to overwrite anything."""
    manifest = read_manifest(src)
    if not _database_is_empty(database_url):
        raise BackupError("basis data tujuan tidak kosong: pulihkan ke basis data baru yang kosong")
    kind = "sqlite" if _is_sqlite(database_url) else "postgresql"
    if kind != manifest["database"]:
        raise BackupError(
            f"cadangan {manifest['database']} tidak dapat dipulihkan ke basis data {kind}"
        )
    checkpoints = Path(checkpoint_dir)
    if checkpoints.exists() and any(checkpoints.iterdir()):
        raise BackupError(f"folder checkpoint {checkpoints} tidak kosong")
    if kind == "sqlite":
        target = _sqlite_path(database_url)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        with (
            sqlite3.connect(src / manifest["database_file"]) as backup_db,
            sqlite3.connect(target) as out,
        ):
            backup_db.backup(out)
    else:
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                f"--dbname={_libpq_url(database_url)}",
                str(src / manifest["database_file"]),
            ]
        )
    checkpoints.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(src / CHECKPOINTS, checkpoints, dirs_exist_ok=True)
    store = DocumentStore(document_dir)
    for path in sorted((src / DOCUMENTS).glob("??/*")):
        store.put(path.read_bytes())  # content-addressed: an identical file already there is kept
    return _check_restored(database_url, manifest)


def _check_restored(url: str, manifest: dict[str, Any]) -> RestoreResult:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            facts = _snapshot_facts(conn)
    finally:
        engine.dispose()
    result = RestoreResult(facts["tables"])
    for name, expected in manifest["tables"].items():
        if facts["tables"].get(name) != expected:
            result.problems.append(
                f"tabel {name}: {facts['tables'].get(name)} baris, cadangan {expected}"
            )
    if facts["schema_revision"] != manifest["schema_revision"]:
        result.problems.append(
            f"revisi skema {facts['schema_revision']}, cadangan {manifest['schema_revision']}"
        )
    if facts["audit_chain_heads"] != manifest["audit_chain_heads"]:
        result.problems.append("ujung rantai audit berbeda dari cadangan")
    return result

"""`mutasi` command line: database, import/export, demo data."""

from __future__ import annotations

from pathlib import Path

import typer
from sqlalchemy.engine import Engine

from mutasi.infra.db import engine_for, schema_problem, shown_url, upgrade_database
from mutasi.infra.settings import Settings, get_settings

app = typer.Typer(
    help="Mutasi: siklus mutasi ASN yang tahan lama dan dapat diaudit.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Skema basis data.")
app.add_typer(db_app, name="db")
audit_app = typer.Typer(help="Jejak audit berantai hash.")
app.add_typer(audit_app, name="audit")


def _engine() -> Engine:
    """The configured database, as it is: a command never creates or migrates one (that is
    `mutasi db upgrade`), so a wrong DATABASE_URL fails loudly instead of checking an empty file."""
    url = get_settings().database_url
    problem = schema_problem(url)
    if problem is not None:
        typer.echo(
            f"{problem}. Periksa DATABASE_URL (sekarang {shown_url(url)}) atau buat skemanya dengan "
            "'mutasi db upgrade'.",
            err=True,
        )
        raise typer.Exit(2)
    return engine_for(url)


@audit_app.command("verify")
def audit_verify(
    temporal: bool = typer.Option(
        False,
        "--temporal",
        help="juga cocokkan peristiwa kasus dengan riwayat Temporal-nya (TEMPORAL_ADDRESS)",
    ),
    records: bool = typer.Option(
        False,
        "--records",
        help="juga cocokkan status dan pemutus setiap tugas dengan peristiwa keputusannya",
    ),
) -> None:
    """Recompute every agency's audit chain, hold it against the signed checkpoints and decrees
    (with --records, every task's status and decider against its decision events; with
    --temporal, the events against the workflows' histories); exit 1 naming each problem."""
    from sqlmodel import Session

    from mutasi.audit.anchor import store_of, verify_everything
    from mutasi.audit.history_archive import verify_archives
    from mutasi.infra.documents import store_of as document_store_of
    from mutasi.infra.record_key import DecreeSigner

    settings = get_settings()
    engine = _engine()
    with Session(engine) as session:
        reports = verify_everything(
            session, DecreeSigner.from_base64(settings.decree_signing_key), store_of(settings)
        )
        archives = verify_archives(session, document_store_of(settings))
    for r in reports:
        verdict = "utuh" if r.ok else f"RUSAK pada peristiwa ke-{r.first_broken_seq}: {r.problem}"
        waiting = f" (+{r.unsealed} belum disegel)" if r.unsealed else ""
        typer.echo(f"{r.agency_code}: {r.events} peristiwa{waiting}, {verdict}")
    if not reports:
        typer.echo("belum ada peristiwa audit dan belum ada checkpoint")
    typer.echo(
        f"arsip riwayat Temporal: {archives.archives}, " + ("utuh" if archives.ok else "RUSAK")
    )
    for problem in archives.problems:
        typer.echo(f"  {problem}")
    broken = not all(r.ok for r in reports) or not archives.ok
    if records:
        broken = _check_records(engine) or broken
    if temporal:
        broken = _cross_check_temporal(engine, settings) or broken
    if broken:
        raise typer.Exit(1)


def _check_records(engine: Engine) -> bool:
    """True when a task's record and its decision events disagree."""
    from sqlmodel import Session

    from mutasi.audit.records_check import check_records

    with Session(engine) as session:
        result = check_records(session)
    typer.echo(
        f"catatan: {result.tasks} tugas ({result.decided} diputuskan), {result.decrees} SK, "
        + ("cocok dengan jejak audit" if result.ok else f"{len(result.problems)} TIDAK COCOK")
    )
    for problem in result.problems:
        typer.echo(f"  TIDAK COCOK: {problem}")
    return not result.ok


def _cross_check_temporal(engine: Engine, settings: Settings) -> bool:
    """True when the audit trail and Temporal's histories disagree."""
    import asyncio

    from sqlmodel import Session

    from mutasi.audit.temporal_check import CrossCheck, cross_check
    from mutasi.infra.temporal import connect

    async def run() -> CrossCheck:
        client = await connect(
            settings.temporal_target, settings.temporal_namespace, wait_seconds=10
        )
        with Session(engine) as session:
            return await cross_check(session, client)

    result = asyncio.run(run())
    typer.echo(
        f"Temporal: {result.runs} riwayat kasus dicocokkan, {result.histories_gone} sudah tidak ada "
        "di Temporal (retensi)"
    )
    for problem in result.problems:
        typer.echo(f"  TIDAK COCOK: {problem}")
    return not result.ok


@audit_app.command("archive")
def audit_archive(
    limit: int = typer.Option(100_000, min=1, help="paling banyak sekian riwayat"),
) -> None:
    """Archive the Temporal histories of closed cases and cycles now (the worker's schedule
    does it every MUTASI_HISTORY_ARCHIVE_MINUTES)."""
    import asyncio

    from mutasi.audit.history_archive import archive_closed
    from mutasi.infra.documents import store_of as document_store_of
    from mutasi.infra.temporal import connect

    settings = get_settings()
    engine = _engine()

    async def run() -> tuple[int, bool]:
        client = await connect(
            settings.temporal_target, settings.temporal_namespace, wait_seconds=10
        )
        return await archive_closed(client, engine, document_store_of(settings), limit)

    archived, remaining = asyncio.run(run())
    typer.echo(f"{archived} riwayat diarsipkan" + ("; masih ada yang belum" if remaining else ""))


@audit_app.command("seal")
def audit_seal() -> None:
    """Link every audit event written since the last seal into its agency's chain now and
    anchor each head it moved (the worker's schedule does this every
    MUTASI_AUDIT_SEAL_MINUTES)."""
    from sqlmodel import Session

    from mutasi.audit.anchor import seal_and_anchor, store_of
    from mutasi.infra.record_key import DecreeSigner

    settings = get_settings()
    with Session(_engine()) as session:
        sealed = seal_and_anchor(
            session, DecreeSigner.from_base64(settings.decree_signing_key), store_of(settings)
        )
    for agency, (count, checkpoint) in sorted(sealed.items()):
        anchored = f", ujung ke-{checkpoint.seq} ditambatkan" if checkpoint else ""
        typer.echo(f"{agency}: {count} peristiwa disegel{anchored}")
    if not sealed:
        typer.echo("tidak ada peristiwa yang menunggu disegel")


@audit_app.command("checkpoint")
def audit_checkpoint() -> None:
    """Sign every agency's audit chain head into the checkpoint store now."""
    from sqlmodel import Session

    from mutasi.audit.anchor import store_of, take_checkpoints
    from mutasi.infra.record_key import DecreeSigner

    settings = get_settings()
    with Session(_engine()) as session:
        taken = take_checkpoints(
            session, DecreeSigner.from_base64(settings.decree_signing_key), store_of(settings)
        )
    for c in taken:
        typer.echo(
            f"{c.agency_code}: peristiwa ke-{c.seq} ({c.hash[:16]}...) ditandatangani {c.at}"
        )
    if not taken:
        typer.echo("belum ada rantai audit")


@app.command("backup")
def backup_(dest: Path = typer.Argument(..., help="folder baru untuk cadangan")) -> None:
    """Online backup: audit checkpoints, then the database (SQLite backup API or pg_dump on one
    snapshot), then the documents, with a manifest of counts, chain heads and file hashes."""
    from mutasi.infra.backup import BackupError, backup

    settings = get_settings()
    _engine()  # refuse a missing or unmigrated database before writing anything
    try:
        result = backup(
            settings.database_url, settings.audit_checkpoint_dir, settings.document_dir, dest
        )
    except BackupError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    m = result.manifest
    typer.echo(
        f"cadangan {dest}: {m['database']}, revisi {m['schema_revision']}, "
        f"{sum(m['tables'].values())} baris, {len(m['files'])} berkas"
    )


@app.command("restore")
def restore_(
    src: Path = typer.Argument(..., exists=True, file_okay=False, help="folder cadangan"),
) -> None:
    """Restore a backup into an EMPTY database (DATABASE_URL) and empty checkpoint folder, then
    verify: row counts and chain heads as in the manifest, audit chains, checkpoints, decrees
    and archived histories. Exit 1 when anything does not verify."""
    from sqlmodel import Session

    from mutasi.audit.anchor import store_of, verify_everything
    from mutasi.audit.history_archive import verify_archives
    from mutasi.infra.backup import BackupError, restore
    from mutasi.infra.documents import store_of as document_store_of
    from mutasi.infra.record_key import DecreeSigner

    settings = get_settings()
    try:
        result = restore(
            src, settings.database_url, settings.audit_checkpoint_dir, settings.document_dir
        )
    except BackupError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    with Session(_engine()) as session:
        chains = verify_everything(
            session, DecreeSigner.from_base64(settings.decree_signing_key), store_of(settings)
        )
        archives = verify_archives(session, document_store_of(settings))
    problems = (
        result.problems
        + [f"{r.agency_code}: {r.problem}" for r in chains if not r.ok]
        + archives.problems
    )
    typer.echo(
        f"dipulihkan ke {shown_url(settings.database_url)}: {sum(result.tables.values())} baris, "
        f"{len(chains)} rantai audit, {archives.archives} arsip riwayat"
    )
    for problem in problems:
        typer.echo(f"  TIDAK COCOK: {problem}")
    if problems:
        raise typer.Exit(1)
    typer.echo("semua terverifikasi")


@app.command("decree-key")
def decree_key() -> None:
    """Print a new Ed25519 signing key for MUTASI_DECREE_SIGNING_KEY (keep it secret)."""
    import base64

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    raw = Ed25519PrivateKey.generate().private_bytes(
        Encoding.Raw, PrivateFormat.Raw, NoEncryption()
    )
    typer.echo(base64.b64encode(raw).decode())


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database to the newest schema."""
    url = get_settings().database_url
    upgrade_database(url)
    typer.echo(f"skema basis data mutakhir: {shown_url(url)}")


@app.command("import")
def import_(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True),
    kind: str | None = typer.Option(
        None, help="jenis data untuk CSV, mis. pegawai (bawaan: nama berkas)"
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="periksa saja, tanpa menyimpan"),
) -> None:
    """Import a CSV or XLSX file (one transaction; every error is listed)."""
    from mutasi.dataio.errors import ImportRejected
    from mutasi.dataio.guard import ReadLimits
    from mutasi.dataio.importer import FileTooLarge, import_upload

    settings = get_settings()
    try:
        report = import_upload(
            _engine(),
            file.name,
            file.read_bytes(),
            kind=kind,
            max_bytes=settings.import_max_bytes,
            dry_run=dry_run,
            limits=ReadLimits.of(settings),
        )
    except FileTooLarge as exc:
        typer.echo(f"ditolak: {exc}", err=True)
        raise typer.Exit(2) from None
    except ImportRejected as exc:
        typer.echo(str(exc), err=True)
        for error in exc.errors:
            typer.echo(f"  - {error}", err=True)
        raise typer.Exit(1) from None
    for name, result in report.sheets.items():
        typer.echo(
            f"{name}: {result.rows} baris, {result.inserted} baru, {result.updated} diubah, "
            f"{result.unchanged} tetap"
        )
    typer.echo("pemeriksaan selesai, tidak ada yang disimpan" if dry_run else "impor selesai")


@app.command("export")
def export(out: Path = typer.Option(Path("mutasi-export.xlsx"), help="berkas XLSX tujuan")) -> None:
    """Export all organisation data to XLSX, in the import format."""
    from mutasi.dataio.exporter import export_xlsx

    out.write_bytes(export_xlsx(_engine()))
    typer.echo(f"ditulis: {out}")


@app.command("template")
def template(out: Path = typer.Option(Path("mutasi-template.xlsx"))) -> None:
    """Write the empty import template with column documentation."""
    from mutasi.dataio.exporter import template_xlsx

    out.write_bytes(template_xlsx())
    typer.echo(f"ditulis: {out}")


@app.command("demo-data")
def demo_data(
    employees: int = typer.Option(2000, min=200, help="jumlah pegawai"),
    seed: int = typer.Option(1, help="benih acak (hasil sama untuk benih sama)"),
    out: Path | None = typer.Option(None, help="tulis ke XLSX alih-alih memuat ke basis data"),
) -> None:
    """Generate a realistic kabupaten; load it into the database or write it to XLSX."""
    from mutasi.demo.loader import demo_workbook, load_demo

    if out is not None:
        out.write_bytes(demo_workbook(employees, seed))
        typer.echo(f"ditulis: {out}")
        return
    from mutasi.accounts.users import create_demo_users

    engine = _engine()
    report = load_demo(engine, employees, seed)
    typer.echo(
        f"data demo dimuat: {report.sheets['pegawai'].rows} pegawai, {report.changed} baris berubah"
    )
    for user in create_demo_users(engine, get_settings()):
        typer.echo(f"  akun {user.username} ({user.roles}): {user.who}")


@app.command("user-add")
def user_add(
    username: str = typer.Argument(..., help="nama pengguna"),
    role: list[str] = typer.Option(..., "--role", help="hr_admin | approver | employee | auditor"),
    nip: str | None = typer.Option(None, help="NIP pegawai yang terhubung"),
    full_name: str = typer.Option("", help="nama lengkap (bawaan: dari data pegawai)"),
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
) -> None:
    """Create a user account (the password is hashed with argon2id)."""
    from sqlmodel import Session

    from mutasi.accounts.users import AccountError, create_user

    with Session(_engine()) as session:
        try:
            user = create_user(session, username, password, role, full_name=full_name, nip=nip)
        except AccountError as exc:
            typer.echo(f"ditolak: {exc}", err=True)
            raise typer.Exit(1) from exc
        session.commit()
        typer.echo(f"akun {user.username} dibuat dengan peran {user.roles}")


if __name__ == "__main__":  # pragma: no cover
    app()

"""Uploaded files are hostile until read: cheap structural checks first, then the reading
itself in a separate process with memory and time limits.

A 1.6 KB workbook that declares (or holds) one cell at XFD1048576 makes a spreadsheet
reader allocate for sixteen billion cells; a zip bomb expands a few kilobytes into
gigabytes; a DOCTYPE can define entities. None of that may cost more than a 422: the
checks here refuse what they can name, and the child process absorbs the rest (it is
killed at its limits, the API and the worker never notice).
"""

from __future__ import annotations

import io
import logging
import multiprocessing
import os
import re
import resource
import zipfile
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from mutasi.dataio.errors import RowError
from mutasi.dataio.reader import RawSheet
from mutasi.dataio.spec import SHEETS_BY_NAME

MAX_PARTS = 2_000
MAX_PART_BYTES = 512 * 1024 * 1024  # one XML part, uncompressed
MAX_TOTAL_BYTES = 1024 * 1024 * 1024  # the whole workbook, uncompressed
MAX_RATIO = 200  # uncompressed / compressed for a part larger than RATIO_FROM bytes
RATIO_FROM = 1024 * 1024
MAX_CELLS = 5_000_000  # declared rows x columns of one sheet (50 000 employees use 550 000)
PROLOG_BYTES = 64 * 1024  # a DOCTYPE can only stand before the root element

log = logging.getLogger(__name__)
_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_DIMENSION = re.compile(rb'<dimension\b[^>]*\bref="([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?"')


@dataclass(frozen=True)
class ReadLimits:
    memory_bytes: int = 2048 * 1024 * 1024
    seconds: float = 120.0

    @classmethod
    def of(cls, settings: Any) -> ReadLimits:
        """MUTASI_IMPORT_READ_MEMORY_MB and MUTASI_IMPORT_READ_SECONDS."""
        return cls(settings.import_read_memory_mb * 1024 * 1024, settings.import_read_seconds)


def xlsx_problems(data: bytes) -> list[str]:
    """What is wrong with an XLSX's structure, read without expanding it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return ["berkas bukan XLSX yang sah (bukan arsip zip)"]
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            return [f"berkas berisi {len(parts)} bagian (maksimal {MAX_PARTS})"]
        total = sum(p.file_size for p in parts)
        if total > MAX_TOTAL_BYTES:
            return [
                f"isi berkas terlalu besar setelah dibuka ({total:,} byte; maksimal {MAX_TOTAL_BYTES:,})"
            ]
        problems = []
        for part in parts:
            if part.file_size > MAX_PART_BYTES:
                problems.append(f"bagian {part.filename} terlalu besar ({part.file_size:,} byte)")
            elif part.file_size > RATIO_FROM and part.file_size > MAX_RATIO * max(
                1, part.compress_size
            ):
                problems.append(f"bagian {part.filename} dimampatkan secara tidak wajar (bom zip?)")
        if problems:
            return problems
        for part in parts:
            if not part.filename.endswith((".xml", ".rels")):
                continue
            try:
                with archive.open(part) as stream:
                    head = stream.read(PROLOG_BYTES)
            except (
                zipfile.BadZipFile,
                OSError,
                RuntimeError,
                NotImplementedError,
                ValueError,
            ) as exc:
                problems.append(f"bagian {part.filename} rusak ({type(exc).__name__})")
                continue
            if _DTD.search(head):
                problems.append(
                    f"bagian {part.filename} memuat DOCTYPE/ENTITY, yang tidak diizinkan"
                )
            dimension = _DIMENSION.search(head)
            if dimension and part.filename.startswith("xl/worksheets/"):
                cells = _declared_cells(dimension)
                if cells > MAX_CELLS:
                    problems.append(
                        f"sheet {part.filename} menyatakan {cells:,} sel (maksimal {MAX_CELLS:,}); "
                        "hapus baris/kolom kosong di luar data"
                    )
        return problems


def _declared_cells(match: re.Match[bytes]) -> int:
    first_col, first_row, last_col, last_row = match.groups()
    if last_col is None:
        return 1
    width = _column_number(last_col) - _column_number(first_col or b"A") + 1
    height = int(last_row) - int(first_row or b"1") + 1
    return max(1, width) * max(1, height)


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters:
        number = number * 26 + (char - 64)
    return number


def read_isolated(
    filename: str, data: bytes, kind: str | None, limits: ReadLimits = ReadLimits()
) -> tuple[list[tuple[str, str, list[str], list[Any]]], list[RowError]]:
    """Run the file reader in a child process under `limits`; plain sheets back, or errors.
    The child is forked from a clean server process (no threads), limited with
    RLIMIT_AS, and killed when the time is up."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["mutasi.dataio.reader"])
    receive, send = context.Pipe(duplex=False)
    child = context.Process(
        target=_read_in_child,
        args=(send, filename, data, kind, limits.memory_bytes),
        daemon=True,
        name="mutasi-import-reader",
    )
    child.start()
    send.close()
    try:
        if not receive.poll(limits.seconds):
            return [], [
                RowError(
                    filename,
                    None,
                    None,
                    f"berkas tidak selesai dibaca dalam {limits.seconds:g} detik; "
                    "periksa apakah berisi data di luar baris/kolom yang dipakai",
                )
            ]
        try:
            outcome: tuple[list[tuple[str, str, list[str], list[Any]]], list[RowError]] = (
                receive.recv()
            )
        except (EOFError, OSError):
            child.join(5)
            log.warning(
                "pembaca impor %s berhenti tanpa hasil (kode keluar %s)", filename, child.exitcode
            )
            return [], [
                RowError(
                    filename,
                    None,
                    None,
                    "berkas tidak dapat dibaca dalam batas memori "
                    f"({limits.memory_bytes // (1024 * 1024)} MB); periksa ukuran sheet dan sel "
                    f"terjauhnya (kode keluar {child.exitcode})",
                )
            ]
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join(5)
    return outcome


def _read_in_child(
    send: Connection, filename: str, data: bytes, kind: str | None, memory_bytes: int
) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    # A native reader that aborts on a failed allocation prints a long backtrace; the
    # parent reports the exit code instead.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    from mutasi.dataio.reader import read_upload

    try:
        sheets, errors = read_upload(filename, data, kind)
        plain = [(s.spec.name, s.source, s.header, s.rows) for s in sheets]
        send.send((plain, errors))
    except MemoryError:
        send.send(
            (
                [],
                [
                    RowError(
                        filename, None, None, "berkas terlalu besar untuk dibaca dalam batas memori"
                    )
                ],
            )
        )
    except (
        Exception
    ) as exc:  # whatever a hostile file triggers in a parser is a refusal, not a crash
        send.send(
            (
                [],
                [
                    RowError(
                        filename, None, None, f"berkas tidak dapat dibaca ({type(exc).__name__})"
                    )
                ],
            )
        )
    finally:
        send.close()


def read_checked(
    filename: str, data: bytes, kind: str | None, limits: ReadLimits = ReadLimits()
) -> tuple[list[RawSheet], list[RowError]]:
    """The upload's raw sheets, read only after its structure passed and only in a child
    process under `limits`; every problem is a RowError, never an exception."""
    if filename.lower().endswith((".xlsx", ".xlsm")):
        problems = xlsx_problems(data)
        if problems:
            return [], [RowError(filename, None, None, p) for p in problems]
    plain, errors = read_isolated(filename, data, kind, limits)
    return [
        RawSheet(SHEETS_BY_NAME[name], source, header, rows) for name, source, header, rows in plain
    ], errors

"""Import 50 000 employee rows from CSV and from XLSX (target: at most 10 s each)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.results import Results
from mutasi.dataio.exporter import csv_text, workbook_bytes
from mutasi.dataio.importer import import_upload
from mutasi.dataio.spec import SHEETS_BY_NAME
from mutasi.demo.generator import DemoOptions, generate
from mutasi.infra.db import build_engine, upgrade_database

EMPLOYEES = 50_000
ORG_SHEETS = ("instansi", "unit_kerja", "jabatan")


def _sheet(data, name):
    spec = SHEETS_BY_NAME[name]
    return spec, [[row.get(c) for c in spec.column_names] for row in data[name]]


def run(results: Results) -> None:
    data = generate(DemoOptions(employees=EMPLOYEES, seed=5))
    org = workbook_bytes(_sheet(data, n) for n in ORG_SHEETS)
    spec, rows = _sheet(data, "pegawai")
    files = {
        "csv": ("pegawai.csv", csv_text(spec, rows).encode()),
        "xlsx": ("pegawai.xlsx", workbook_bytes([(spec, rows)])),
    }
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, (name, payload) in files.items():
            url = f"sqlite:///{Path(tmp) / f'{fmt}.db'}"
            upgrade_database(url)
            engine = build_engine(url)
            import_upload(engine, "org.xlsx", org)
            started = time.perf_counter()
            report = import_upload(engine, name, payload)
            seconds = time.perf_counter() - started
            assert report.sheets["pegawai"].inserted == len(rows)
            results.add(f"import_{len(rows)}_employees_{fmt}", seconds, "s", "<= 10", seconds <= 10)
            started = time.perf_counter()
            again = import_upload(engine, name, payload)
            seconds = time.perf_counter() - started
            assert again.changed == 0
            results.add(
                f"reimport_{len(rows)}_employees_{fmt}_unchanged",
                seconds,
                "s",
                "<= 10",
                seconds <= 10,
            )
            engine.dispose()

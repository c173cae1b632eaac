"""Load demo data through the real importer, so the generator is held to the same rules as HR."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models import Employee
from mutasi.dataio.exporter import workbook_bytes
from mutasi.dataio.importer import ImportReport, import_upload
from mutasi.dataio.spec import SHEETS
from mutasi.demo.generator import DemoOptions, generate


def demo_workbook(employees: int, seed: int) -> bytes:
    data = generate(DemoOptions(employees=employees, seed=seed))
    return workbook_bytes(
        (spec, ([row.get(c) for c in spec.column_names] for row in data[spec.name]))
        for spec in SHEETS
    )


def load_demo(engine: Engine, employees: int, seed: int) -> ImportReport:
    return import_upload(engine, f"demo-{employees}-{seed}.xlsx", demo_workbook(employees, seed))


def database_is_empty(engine: Engine) -> bool:
    with Session(engine) as session:
        count: int = session.execute(select(func.count()).select_from(Employee)).scalar_one()
        return count == 0

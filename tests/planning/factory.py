"""Small, hand-readable planning instances."""

from __future__ import annotations

from datetime import date

from planning.reference import MANAGERIAL_COMPETENCIES
from planning.types import (
    Assessment,
    EmployeeInfo,
    PlanningInput,
    PositionInfo,
    UnitInfo,
    WorkloadItem,
)

AS_OF = date(2026, 1, 1)
EFF = 75_000  # minutes per year at 1 250 h


def position(
    code: str,
    unit: str,
    authorized: int = 10,
    competency: str = "Administrasi",
    kind: str = "pelaksana",
    req=(2, 1, 2),
) -> PositionInfo:
    return PositionInfo(code, unit, f"Jabatan {code}", kind, authorized, competency, *req)


def employee(
    nip: str,
    position_code: str,
    tenure_years: int = 4,
    level: int = 3,
    prefs=(),
    home: str = "",
    ratings=((2024, "Baik"), (2025, "Baik")),
    sanctions=(),
    movable: bool = True,
    competency: str = "Administrasi",
) -> EmployeeInfo:
    tmt = date(AS_OF.year - tenure_years, 1, 1)
    assessments = (
        Assessment(competency, "teknis", level, date(2025, 1, 1)),
        *(Assessment(name, "manajerial", 2, date(2025, 1, 1)) for name in MANAGERIAL_COMPETENCIES),
        Assessment("Perekat Bangsa", "sosial_kultural", 2, date(2025, 1, 1)),
    )
    return EmployeeInfo(
        nip,
        f"Pegawai {nip}",
        position_code,
        tmt,
        home_region=home,
        movable=movable,
        ratings=tuple(ratings),
        sanctions=tuple(sanctions),
        assessments=assessments,
        preferences=tuple(prefs),
    )


def needing(position_code: str, staff: float) -> WorkloadItem:
    """ABK rows worth exactly `staff` people at 1 250 h."""
    return WorkloadItem(position_code, "Tugas pokok", staff * EFF / 60, 60)


def instance(positions, employees, workload, units=None) -> PlanningInput:
    units = units or [
        UnitInfo(u, f"Unit {u}", region=f"Kec {u}")
        for u in sorted({p.unit_code for p in positions})
    ]
    return PlanningInput(AS_OF, units, positions, employees, workload)

"""Talent 9-box (PermenPANRB 3/2020 layout): performance x potential."""

from __future__ import annotations

from dataclasses import dataclass

from planning.types import EmployeeInfo


@dataclass(frozen=True)
class TalentSettings:
    potential_high: float = 90.0  # JPM at the current post
    potential_medium: float = 78.0


# (performance 1..3, potential 1..3) -> box number
BOXES = {
    (1, 1): 1,
    (2, 1): 2,
    (1, 2): 3,
    (3, 1): 4,
    (2, 2): 5,
    (1, 3): 6,
    (3, 2): 7,
    (2, 3): 8,
    (3, 3): 9,
}
LABELS = {
    1: "Kinerja di bawah ekspektasi, potensi rendah",
    2: "Kinerja sesuai ekspektasi, potensi rendah",
    3: "Kinerja di bawah ekspektasi, potensi menengah",
    4: "Kinerja di atas ekspektasi, potensi rendah",
    5: "Kinerja sesuai ekspektasi, potensi menengah",
    6: "Kinerja di bawah ekspektasi, potensi tinggi",
    7: "Kinerja di atas ekspektasi, potensi menengah",
    8: "Kinerja sesuai ekspektasi, potensi tinggi",
    9: "Kinerja di atas ekspektasi, potensi tinggi",
}


@dataclass(frozen=True)
class TalentBox:
    box: int
    label: str
    performance: int
    potential: int


def performance_level(employee: EmployeeInfo) -> int:
    if not employee.ratings:
        return 1
    latest = max(employee.ratings)[1]
    return {"Sangat Baik": 3, "Baik": 2}.get(latest, 1)


def talent_box(
    employee: EmployeeInfo, current_jpm: float, settings: TalentSettings = TalentSettings()
) -> TalentBox:
    potential = (
        3
        if current_jpm >= settings.potential_high
        else 2
        if current_jpm >= settings.potential_medium
        else 1
    )
    performance = performance_level(employee)
    box = BOXES[(performance, potential)]
    return TalentBox(box, LABELS[box], performance, potential)

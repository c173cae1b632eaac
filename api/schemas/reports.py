"""What the API answers as a cycle's report and an import's outcome."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from api.services.cycles import CasePolicyBody


class UnitLoad(BaseModel):
    unit: str
    name: str
    workload_minutes: float
    required: int
    staff_before: int
    staff_after: int
    ej_before: float | None = Field(description="efisiensi jabatan sebelum")
    ej_after: float | None
    grade_before: str | None
    grade_after: str | None
    moves_out: int
    moves_in: int


class Flow(BaseModel):
    from_: str = Field(alias="from", description="unit asal")
    to: str = Field(description="unit tujuan")
    moves: int


class GradeCounts(BaseModel):
    before: dict[str, int]
    after: dict[str, int]


class CycleSummary(BaseModel):
    id: str
    name: str
    status: str
    effective_hours: float
    case_policy: CasePolicyBody


class RotationOverdue(BaseModel):
    unit: str
    name: str
    employees: int


class Override(BaseModel):
    nip: str
    rules: list[str]
    reason: str


class ApprovalHours(BaseModel):
    step: int
    title: str
    decisions: int
    median: float
    p90: float


class Objection(BaseModel):
    case_id: str
    nip: str
    reason: str | None
    hr_resolution: str | None
    hr_reason: str | None


class Rejection(BaseModel):
    case_id: str
    step: str
    by: str | None
    reason: str | None


class Withdrawal(BaseModel):
    case_id: str
    reason: str | None


class Blocked(Withdrawal):
    nip: str


class Evaluations(BaseModel):
    opened: int
    submitted: int
    expired: int
    indicator_means: dict[str, float]
    adaptation_mean: float | None


class CaseFigures(BaseModel):
    cases: int
    by_stage: dict[str, int]
    by_type: dict[str, int]
    consultation: dict[str, int]
    approval_hours: list[ApprovalHours]
    objections: list[Objection]
    rejections: list[Rejection]
    withdrawals: list[Withdrawal]
    blocked: list[Blocked]
    evaluations: Evaluations


class CompetencyFigures(BaseModel):
    by_category: dict[str, int]
    by_talent_box: dict[str, int]
    training_jp: int


class CycleReport(BaseModel):
    """Load per unit before and after the plan, the moves, and the cycle's cases."""

    moves: int
    imbalance_before: float
    imbalance_after: float
    dispersion_before: float
    dispersion_after: float
    units: list[UnitLoad]
    units_by_grade: GradeCounts
    moves_by_rank: dict[str, int]
    flows: list[Flow]
    cycle: CycleSummary
    plan: dict[str, Any] | None = Field(description="ringkasan optimiser")
    rotation_overdue: list[RotationOverdue]
    overrides: list[Override]
    cases: CaseFigures
    competency: CompetencyFigures


class SheetCounts(BaseModel):
    rows: int
    inserted: int
    updated: int
    unchanged: int


class ImportOut(BaseModel):
    """An import's outcome; after a real (not dry) run, the leavers it retired."""

    filename: str
    dry_run: bool
    changed: bool
    sheets: dict[str, SheetCounts]
    deactivated: list[str] | None = Field(None, description="akun pegawai yang keluar")
    tasks_reassigned: list[str] | None = None
    tasks_needing_hr: list[str] | None = None

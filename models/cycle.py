"""A transfer cycle and what its planning phase produced: needs analysis per position,
proposed moves with their explanations, and the data findings HR must see."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class TransferCycle(SQLModel, table=True):
    __tablename__ = "transfer_cycle"

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    as_of: date = Field(description="reference date for tenure, sanctions and ratings")
    effective_hours: int = Field(ge=1000, le=2000)
    status: str = Field(max_length=32, index=True)
    workflow_id: str = Field(max_length=128)
    created_by: str = Field(default="", max_length=120)
    created_at: datetime
    updated_at: datetime
    # Plan statistics (objective, solver bound, greedy baseline, imbalance before/after...).
    plan_summary: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    options: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class PositionLoadSnapshot(SQLModel, table=True):
    """Needs analysis (ABK) of one position as it stood when the cycle analysed it."""

    __tablename__ = "position_load_snapshot"

    cycle_id: str = Field(foreign_key="transfer_cycle.id", primary_key=True, max_length=64)
    position_code: str = Field(primary_key=True, max_length=32)
    unit_code: str = Field(max_length=32, index=True)
    workload_minutes: float
    required_exact: float
    required: int
    current: int
    authorized: int
    has_workload: bool
    efficiency: float | None = None
    grade: str | None = Field(default=None, max_length=2)


class Proposal(SQLModel, table=True):
    __tablename__ = "proposal"

    cycle_id: str = Field(foreign_key="transfer_cycle.id", primary_key=True, max_length=64)
    nip: str = Field(primary_key=True, max_length=18)
    name: str = Field(max_length=200)
    origin_position: str = Field(max_length=32)
    origin_unit: str = Field(max_length=32, index=True)
    destination_position: str = Field(max_length=32)
    destination_unit: str = Field(max_length=32, index=True)
    jpm: float
    status: str = Field(default="proposed", max_length=24)
    explanation: str
    detail: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class CycleFinding(SQLModel, table=True):
    __tablename__ = "cycle_finding"

    cycle_id: str = Field(foreign_key="transfer_cycle.id", primary_key=True, max_length=64)
    code: str = Field(primary_key=True, max_length=40)
    subject: str = Field(primary_key=True, max_length=64)
    message: str


class CompetencySnapshot(SQLModel, table=True):
    """Competency mapping of one employee against their current post, as the cycle saw it."""

    __tablename__ = "competency_snapshot"

    cycle_id: str = Field(foreign_key="transfer_cycle.id", primary_key=True, max_length=64)
    nip: str = Field(primary_key=True, max_length=18)
    position_code: str = Field(max_length=32)
    unit_code: str = Field(max_length=32, index=True)
    jpm: float
    category: str = Field(max_length=16, index=True)
    training_jp: int
    gaps: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    talent_box: int
    talent_label: str = Field(max_length=120)
    assessed: bool


class PlanRemoval(SQLModel, table=True):
    """HR's draft of the plan decision: a proposal marked to be left out, with why. Kept
    across pages and refused forms until the plan is decided (then applied and cleared)."""

    __tablename__ = "plan_removal"

    cycle_id: str = Field(foreign_key="transfer_cycle.id", primary_key=True, max_length=64)
    nip: str = Field(primary_key=True, max_length=18)
    reason: str = Field(max_length=500)
    marked_by: str = Field(max_length=120)
    marked_at: datetime

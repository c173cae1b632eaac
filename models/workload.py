"""Workload analysis (Analisis Beban Kerja) input rows, one per task of a position."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class WorkloadRow(SQLModel, table=True):
    __tablename__ = "workload_row"

    position_code: str = Field(foreign_key="position.code", primary_key=True, max_length=32)
    task: str = Field(primary_key=True, max_length=200)
    yearly_volume: float = Field(ge=0)
    output_unit: str = Field(max_length=60)
    norm_minutes: float = Field(ge=0)

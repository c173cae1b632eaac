"""Read the organisation: units, positions, employees (with filters and pagination)."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy import or_, select
from sqlalchemy.orm import Mapped
from sqlmodel import Session, SQLModel, col

from api.auth import HR_OR_AUDITOR
from api.deps import SessionDep
from api.errors import ProblemError
from api.pagination import Page, PageDep, page_of
from api.schemas import EmployeeOut, PositionOut, UnitOut
from contracts.messages import Msg
from models import (
    CompetencyAssessment,
    DisciplinaryRecord,
    Employee,
    PerformanceRating,
    PlacementPreference,
    Position,
    PositionHistory,
    Unit,
    WorkloadRow,
)
from models.tables import table_of
from mutasi.infra.db import must

router = APIRouter(tags=["organisasi"], dependencies=[HR_OR_AUDITOR])

M = TypeVar("M", bound=SQLModel)


def _get(session: Session, model: type[M], key: str, label: str) -> M:
    found = session.get(model, key)
    if found is None:
        raise ProblemError(
            404,
            Msg(code="problem.not_found"),
            Msg(code="problem.label_key_not_found", params={"label": str(label), "key": str(key)}),
        )
    return found


@router.get("/units", response_model=Page[UnitOut], summary="List units (OPD / unit kerja)")
def list_units(
    session: SessionDep,
    page: PageDep,
    kind: str | None = None,
    parent_code: str | None = None,
    q: Annotated[str | None, Query(max_length=100, description="cari nama atau kode")] = None,
) -> Page[Any]:
    query = select(Unit).order_by(col(Unit.code))
    if kind:
        query = query.where(col(Unit.kind) == kind)
    if parent_code:
        query = query.where(col(Unit.parent_code) == parent_code)
    if q:
        query = query.where(
            or_(
                col(Unit.name).icontains(q, autoescape=True),
                col(Unit.code).icontains(q, autoescape=True),
            )
        )
    return page_of(session, query, page)


class UnitDetail(BaseModel):
    unit: Unit
    positions: list[Position]
    staff: int


@router.get("/units/{code}", response_model=UnitDetail, summary="One unit with its positions")
def get_unit(code: str, session: SessionDep) -> UnitDetail:
    unit = _get(session, Unit, code, "unit")
    positions = (
        session.execute(
            select(Position).where(col(Position.unit_code) == code).order_by(col(Position.code))
        )
        .scalars()
        .all()
    )
    staff = session.execute(
        select(col(Employee.nip)).join(Position).where(col(Position.unit_code) == code)
    ).all()
    return UnitDetail(unit=unit, positions=list(positions), staff=len(staff))


@router.get("/positions", response_model=Page[PositionOut], summary="List positions (jabatan)")
def list_positions(
    session: SessionDep, page: PageDep, unit_code: str | None = None, kind: str | None = None
) -> Page[Any]:
    query = select(Position).order_by(col(Position.code))
    if unit_code:
        query = query.where(col(Position.unit_code) == unit_code)
    if kind:
        query = query.where(col(Position.kind) == kind)
    return page_of(session, query, page)


class PositionDetail(BaseModel):
    position: Position
    workload: list[WorkloadRow]
    holders: list[Employee]


@router.get(
    "/positions/{code}",
    response_model=PositionDetail,
    summary="One position with ABK rows and holders",
)
def get_position(code: str, session: SessionDep) -> PositionDetail:
    position = _get(session, Position, code, "jabatan")
    workload = (
        session.execute(select(WorkloadRow).where(col(WorkloadRow.position_code) == code))
        .scalars()
        .all()
    )
    holders = (
        session.execute(
            select(Employee).where(col(Employee.position_code) == code).order_by(col(Employee.nip))
        )
        .scalars()
        .all()
    )
    return PositionDetail(position=position, workload=list(workload), holders=list(holders))


@router.get("/employees", response_model=Page[EmployeeOut], summary="List employees (pegawai)")
def list_employees(
    session: SessionDep,
    page: PageDep,
    unit_code: str | None = None,
    position_code: str | None = None,
    rank: str | None = None,
    q: Annotated[str | None, Query(max_length=100, description="cari nama atau NIP")] = None,
) -> Page[Any]:
    query = select(Employee).order_by(col(Employee.nip))
    if unit_code:
        query = query.join(Position).where(col(Position.unit_code) == unit_code)
    if position_code:
        query = query.where(col(Employee.position_code) == position_code)
    if rank:
        query = query.where(col(Employee.rank) == rank)
    if q:
        query = query.where(
            or_(
                col(Employee.name).icontains(q, autoescape=True),
                col(Employee.nip).startswith(q, autoescape=True),
            )
        )
    return page_of(session, query, page)


class EmployeeDetail(BaseModel):
    employee: Employee
    position: Position
    unit: Unit
    history: list[PositionHistory]
    ratings: list[PerformanceRating]
    sanctions: list[DisciplinaryRecord]
    assessments: list[CompetencyAssessment]
    preferences: list[PlacementPreference]


@router.get(
    "/employees/{nip}", response_model=EmployeeDetail, summary="One employee with full record"
)
def get_employee(nip: str, session: SessionDep) -> EmployeeDetail:
    employee = _get(session, Employee, nip, "pegawai")
    position = must(
        session.get(Position, employee.position_code), f"jabatan {employee.position_code}"
    )
    unit = session.get(Unit, position.unit_code)

    def rows(model: type[M], *order: Mapped[Any]) -> list[M]:
        return list(
            session.execute(select(model).where(table_of(model).c.nip == nip).order_by(*order))
            .scalars()
            .all()
        )

    return EmployeeDetail(
        employee=employee,
        position=position,
        unit=unit,
        history=rows(PositionHistory, col(PositionHistory.tmt_start)),
        ratings=rows(PerformanceRating, col(PerformanceRating.year)),
        sanctions=rows(DisciplinaryRecord, col(DisciplinaryRecord.decided_on)),
        assessments=rows(
            CompetencyAssessment,
            col(CompetencyAssessment.competency),
            col(CompetencyAssessment.assessed_on),
        ),
        preferences=rows(PlacementPreference, col(PlacementPreference.rank)),
    )

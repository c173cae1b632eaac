"""Reads the organisation from the database into the planning engine's plain inputs.

Plain Core selects (no ORM objects): a 50 000-employee agency loads in about a second.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from models import (
    CompetencyAssessment,
    DisciplinaryRecord,
    Employee,
    FamilyRelation,
    PerformanceRating,
    PlacementPreference,
    Position,
    Unit,
    WorkloadRow,
)
from mutasi.org.open_cases import open_moves
from planning.types import (
    Assessment,
    EmployeeInfo,
    PlanningInput,
    PositionInfo,
    UnitInfo,
    WorkloadItem,
)


def load_planning_input(
    engine: Engine,
    as_of: date,
    excluded_nips: frozenset[str] = frozenset(),
    cycle_id: str | None = None,
) -> PlanningInput:
    """The organisation as the engine sees it, with the moves under way outside `cycle_id`."""
    with Session(engine) as session:
        pending = tuple(open_moves(session, exclude_cycle=cycle_id))
    with engine.connect() as conn:
        units = [unit_info(r) for r in conn.execute(select(Unit).order_by(Unit.code))]
        positions = [
            position_info(r) for r in conn.execute(select(Position).order_by(Position.code))
        ]
        workload = [
            WorkloadItem(r.position_code, r.task, float(r.yearly_volume), float(r.norm_minutes))
            for r in conn.execute(
                select(WorkloadRow).order_by(WorkloadRow.position_code, WorkloadRow.task)
            )
        ]
        ratings: dict[str, list] = defaultdict(list)
        for r in conn.execute(
            select(PerformanceRating.nip, PerformanceRating.year, PerformanceRating.predikat)
        ):
            ratings[r.nip].append((r.year, r.predikat))
        sanctions: dict[str, list] = defaultdict(list)
        for r in conn.execute(
            select(DisciplinaryRecord.nip, DisciplinaryRecord.decided_on, DisciplinaryRecord.level)
        ):
            sanctions[r.nip].append((r.decided_on, r.level))
        assessments: dict[str, list] = defaultdict(list)
        for r in conn.execute(select(CompetencyAssessment)):
            assessments[r.nip].append(Assessment(r.competency, r.kind, r.level, r.assessed_on))
        preferences: dict[str, list] = defaultdict(list)
        for r in conn.execute(
            select(PlacementPreference.nip, PlacementPreference.unit_code).order_by(
                PlacementPreference.nip, PlacementPreference.rank
            )
        ):
            preferences[r.nip].append(r.unit_code)
        employees = [
            employee_info(
                r,
                ratings.get(r.nip, ()),
                sanctions.get(r.nip, ()),
                assessments.get(r.nip, ()),
                preferences.get(r.nip, ()),
            )
            for r in conn.execute(select(Employee).order_by(Employee.nip))
        ]
        relations: dict[str, list[str]] = defaultdict(list)
        for a, b in conn.execute(select(FamilyRelation.nip, FamilyRelation.relative_nip)):
            relations[a].append(b)
            relations[b].append(a)
    return PlanningInput(
        as_of,
        units,
        positions,
        employees,
        workload,
        excluded_nips,
        pending,
        {nip: tuple(sorted(set(kin))) for nip, kin in relations.items()},
    )


def unit_info(r) -> UnitInfo:
    """A unit row (ORM object or Core row) as the engine sees it."""
    return UnitInfo(r.code, r.name, r.kind, r.region, r.parent_code, r.head_position_code)


def position_info(r) -> PositionInfo:
    """A position row (ORM object or Core row) as the engine sees it."""
    return PositionInfo(
        r.code,
        r.unit_code,
        r.title,
        r.kind,
        r.authorized_headcount,
        r.technical_competency,
        r.required_technical,
        r.required_managerial,
        r.required_sociocultural,
        tuple(f.strip() for f in r.education_fields.split(";") if f.strip()),
        r.min_education,
        r.job_class,
        r.min_rank,
        r.jenjang,
        bool(r.education_required),
        r.superior_position_code,
    )


def employee_info(r, ratings, sanctions, assessments, preferences) -> EmployeeInfo:
    """An employee row (ORM object or Core row) with their records, as the engine sees it."""
    return EmployeeInfo(
        r.nip,
        r.name,
        r.position_code,
        r.position_tmt,
        r.education_level,
        r.education_field,
        r.home_region,
        r.rank,
        r.movable,
        r.not_movable_reason,
        tuple(sorted(tuple(x) for x in ratings)),
        tuple(sorted(tuple(x) for x in sanctions)),
        tuple(assessments),
        tuple(preferences),
        r.asn_type,
        r.birth_date,
        r.service_status,
    )


def load_employee(session: Session, nip: str) -> EmployeeInfo:
    """One employee with everything the engine needs (for HR's manual additions)."""
    r = session.get(Employee, nip)
    ratings = session.execute(
        select(PerformanceRating.year, PerformanceRating.predikat).where(
            PerformanceRating.nip == nip
        )
    ).all()
    sanctions = session.execute(
        select(DisciplinaryRecord.decided_on, DisciplinaryRecord.level).where(
            DisciplinaryRecord.nip == nip
        )
    ).all()
    assessments = [
        Assessment(a.competency, a.kind, a.level, a.assessed_on)
        for a in session.execute(
            select(CompetencyAssessment).where(CompetencyAssessment.nip == nip)
        ).scalars()
    ]
    preferences = (
        session.execute(
            select(PlacementPreference.unit_code)
            .where(PlacementPreference.nip == nip)
            .order_by(PlacementPreference.rank)
        )
        .scalars()
        .all()
    )
    return employee_info(r, ratings, sanctions, assessments, preferences)

"""Employees (pegawai) and everything recorded about them."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel


class Employee(SQLModel, table=True):
    __tablename__ = "employee"

    nip: str = Field(primary_key=True, max_length=18, min_length=18)
    name: str = Field(max_length=200)
    gender: str = Field(max_length=1)  # L | P, from the NIP
    birth_date: date
    appointment_month: date = Field(description="CPNS/PPPK appointment (TMT), first of month")
    asn_type: str = Field(max_length=4)
    rank: str = Field(max_length=8)
    education_level: str = Field(max_length=4)
    education_field: str = Field(max_length=120)
    position_code: str = Field(foreign_key="position.code", index=True, max_length=32)
    position_tmt: date
    home_region: str = Field(max_length=120)
    movable: bool = True
    not_movable_reason: str | None = Field(default=None, max_length=200)
    service_status: str = Field(
        default="aktif", max_length=24
    )  # aktif | tugas_belajar | cltn | ...
    email: str | None = Field(default=None, max_length=254)
    # The mail server refused this address for good: no more mail until it is corrected.
    email_bounced_at: datetime | None = None


class PositionHistory(SQLModel, table=True):
    __tablename__ = "position_history"

    nip: str = Field(foreign_key="employee.nip", primary_key=True, max_length=18)
    tmt_start: date = Field(primary_key=True)
    position_code: str = Field(foreign_key="position.code", max_length=32)
    tmt_end: date | None = None
    # The decree that moved the person (for a collective decree, its number) and, where
    # they hold an extract of it, the extract's own number.
    decree_number: str | None = Field(default=None, max_length=80)
    extract_number: str | None = Field(default=None, max_length=80)
    # Reporting for duty at the new post (SPMT) and, for structural posts, the swearing-in.
    reported_on: date | None = None
    spmt_document: str | None = Field(default=None, max_length=64)
    sworn_in_on: date | None = None


class PerformanceRating(SQLModel, table=True):
    __tablename__ = "performance_rating"

    nip: str = Field(foreign_key="employee.nip", primary_key=True, max_length=18)
    year: int = Field(primary_key=True)
    predikat: str = Field(max_length=20)


class DisciplinaryRecord(SQLModel, table=True):
    __tablename__ = "disciplinary_record"

    nip: str = Field(foreign_key="employee.nip", primary_key=True, max_length=18)
    decided_on: date = Field(primary_key=True)
    level: str = Field(primary_key=True, max_length=8)  # ringan | sedang | berat
    description: str = Field(default="", max_length=500)


class CompetencyAssessment(SQLModel, table=True):
    __tablename__ = "competency_assessment"

    nip: str = Field(foreign_key="employee.nip", primary_key=True, max_length=18)
    competency: str = Field(primary_key=True, max_length=120)
    assessed_on: date = Field(primary_key=True)
    kind: str = Field(max_length=16)  # teknis | manajerial | sosial_kultural
    level: int = Field(ge=1, le=5)


class PlacementPreference(SQLModel, table=True):
    __tablename__ = "placement_preference"

    nip: str = Field(foreign_key="employee.nip", primary_key=True, max_length=18)
    rank: int = Field(primary_key=True, ge=1, le=3)
    unit_code: str = Field(foreign_key="unit.code", max_length=32)
    reason: str = Field(default="", max_length=300)
    # Where the wish was stated: the org import, a consultation answer or a request.
    source: str = Field(
        default="import", max_length=16, sa_column_kwargs={"server_default": "import"}
    )
    stated_on: date | None = None


class FamilyRelation(SQLModel, table=True):
    """Two employees who are family (spouse, parent/child, sibling, in-law): neither may be
    placed in the other's direct line of command. Recorded once; it holds both ways."""

    __tablename__ = "family_relation"

    nip: str = Field(foreign_key="employee.nip", primary_key=True, max_length=18)
    relative_nip: str = Field(foreign_key="employee.nip", primary_key=True, max_length=18)
    relation: str = Field(max_length=24)

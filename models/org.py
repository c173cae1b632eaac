"""The organisation: agencies (instansi), units (OPD / unit kerja) and positions (jabatan)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class Agency(SQLModel, table=True):
    __tablename__ = "agency"

    code: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=16)  # kabupaten | kota | provinsi | pusat
    region: str = Field(max_length=120)
    province: str = Field(max_length=120)
    ppk_title: str = Field(max_length=200, description="e.g. Bupati Sukamaju")
    ppk_office: str = Field(max_length=200, description="e.g. Pemerintah Kabupaten Sukamaju")
    seat: str = Field(max_length=120, description="place of decree signing (Ditetapkan di)")
    # The PPK by name (the Bupati/Wali Kota/Gubernur, a minister or agency head), printed
    # under the decree. "sekda": the PPK has delegated mutation decisions to the Sekda, who
    # then decides in the inbox and signs "a.n."; "": BKPSDM records the PPK's own decision.
    ppk_name: str | None = Field(default=None, max_length=200)
    ppk_delegation: str = Field(default="", max_length=16)
    # Decree numbers: {seq} (may be padded, {seq:03d}), {year} and {agency}; gap-free per
    # agency and year.
    decree_number_format: str = Field(default="800/{seq:03d}/BKPSDM/{year}", max_length=120)
    # SHA-256 of the coat of arms (PNG/JPEG) in the document store, printed on decrees.
    coat_of_arms: str | None = Field(default=None, max_length=64)
    # How its decrees are worded and signed (mutasi.decree.profile.DecreeProfile): the
    # founding law and organisation regulation, the Kanreg BKN, tembusan, the certifier of
    # extracts, an acting PPK (Plt./Plh.).
    decree_profile: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}")
    )


class Unit(SQLModel, table=True):
    __tablename__ = "unit"

    code: str = Field(primary_key=True, max_length=32)
    agency_code: str = Field(foreign_key="agency.code", index=True, max_length=32)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=16)
    parent_code: str | None = Field(default=None, foreign_key="unit.code", max_length=32)
    # Not a foreign key: units and their head positions reference each other.
    head_position_code: str | None = Field(default=None, max_length=32)
    region: str = Field(max_length=120, description="district (kecamatan) the unit sits in")


class Position(SQLModel, table=True):
    __tablename__ = "position"

    code: str = Field(primary_key=True, max_length=32)
    unit_code: str = Field(foreign_key="unit.code", index=True, max_length=32)
    title: str = Field(max_length=200)
    kind: str = Field(max_length=16)
    job_class: int = Field(ge=1, le=17)
    authorized_headcount: int = Field(ge=0)
    superior_position_code: str | None = Field(default=None, max_length=32)
    technical_competency: str = Field(max_length=120)
    required_technical: int = Field(ge=1, le=5)
    required_managerial: int = Field(ge=1, le=5)
    required_sociocultural: int = Field(ge=1, le=3)
    education_fields: str = Field(
        default="", max_length=500, description="accepted fields, ';'-separated"
    )
    min_education: str | None = Field(default=None, max_length=4)
    min_rank: str | None = Field(
        default=None, max_length=8, description="lowest golongan ruang, e.g. III/b"
    )
    jenjang: str | None = Field(
        default=None, max_length=16, description="functional level a holder must have"
    )
    education_required: bool = Field(
        default=False, description="min_education and fields are a hard condition"
    )


class EmbargoWindow(SQLModel, table=True):
    """A period in which the agency's PPK may not replace officials without the Minister of
    Home Affairs' written approval (mutasi.org.embargo)."""

    __tablename__ = "embargo_window"

    id: int | None = Field(default=None, primary_key=True)
    agency_code: str = Field(foreign_key="agency.code", index=True, max_length=32)
    kind: str = Field(max_length=16)  # pilkada | pelantikan | lainnya
    starts_on: date
    ends_on: date
    reason: str = Field(max_length=500)
    created_by: str = Field(max_length=120)
    created_at: datetime
    approval_number: str | None = Field(default=None, max_length=120)
    approval_date: date | None = None
    approval_document: str | None = Field(default=None, max_length=300)
    approval_recorded_by: str | None = Field(default=None, max_length=120)

"""Cycles: start, plan decision, the case policy and the report, for the API and the pages."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col
from temporalio.client import Client
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError
from temporalio.workflow import UpdateMethodMultiParam

from api.auth import Actor
from api.errors import ProblemError
from api.updates import ArgT, send_update
from contracts.cycle import (
    CycleInput,
    PlanChanges,
    PlanDecision,
    ProposalAddition,
    ProposalRemoval,
)
from contracts.ids import cycle_workflow_id
from contracts.messages import Msg
from models import (
    CompetencySnapshot,
    CycleFinding,
    Employee,
    Position,
    PositionLoadSnapshot,
    Proposal,
    TransferCycle,
    Unit,
)
from mutasi.infra.settings import Settings
from mutasi.org.embargo import blocking_window, refusal
from mutasi.org.plan_changes import addition_conflicts, check_plan_changes
from mutasi.reports.case_report import case_report
from planning.report import PlannedMove, cycle_report
from planning.workload import EFFECTIVE_HOURS_CHOICES, PositionLoad, WorkloadSettings
from workflows.cycle import MutationCycleWorkflow

CYCLE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class CasePolicyBody(BaseModel):
    """How the cycle's cases run; every field has a default and a lawful range."""

    consultation_days: int = Field(7, ge=1, le=60, description="hari konsultasi pegawai")
    silence_rule: Literal["deemed_accepted", "route_to_hr"] = Field(
        "deemed_accepted",
        description="tanpa tanggapan hingga tenggat: dianggap menerima, atau diteruskan ke HR",
    )
    training_blocks_approval: bool = Field(
        False, description="persetujuan menunggu pelatihan selesai"
    )
    training_due_days: int = Field(
        90, ge=1, le=365, description="hari untuk menyelesaikan pelatihan"
    )
    tmt_rule: Literal["next_month", "decree_date"] = Field(
        "next_month", description="TMT: awal bulan berikutnya setelah SK, atau tanggal SK"
    )
    tmt_min_days_after_decree: int = Field(
        1, ge=0, le=60, description="jarak minimal SK ke TMT (hari)"
    )
    evaluation_days: int = Field(
        90, ge=0, le=730, description="evaluasi pascamutasi sekian hari setelah TMT (0: tidak)"
    )
    evaluation_deadline_days: int = Field(
        14, ge=1, le=90, description="hari untuk mengisi evaluasi pascamutasi"
    )
    decree_mode: Literal["collective", "individual"] = Field(
        "collective",
        description="SK kolektif per batch penandatanganan (petikan per pegawai), atau SK per kasus",
    )
    spmt_days: int = Field(
        14,
        ge=1,
        le=60,
        description="hari setelah TMT untuk konfirmasi SPMT oleh kepala unit tujuan",
    )


class CycleCreate(BaseModel):
    id: str | None = Field(
        None, description="kode siklus, mis. MUT-2026-1 (bawaan: dibuat dari tanggal)"
    )
    name: str = Field(..., min_length=3, max_length=200)
    as_of: date | None = Field(None, description="tanggal acuan masa jabatan, hukuman dan predikat")
    effective_hours: int | None = Field(
        None,
        description="jam kerja efektif per tahun: 1200, 1250 atau 1300 "
        "(bawaan: MUTASI_EFFECTIVE_HOURS_PER_YEAR)",
    )
    case_policy: CasePolicyBody = Field(
        default_factory=CasePolicyBody,
        description="aturan kasus siklus ini (konsultasi, TMT, evaluasi)",
    )

    @field_validator("id")
    @classmethod
    def _id(cls, v: str | None) -> str | None:
        if v is not None and not CYCLE_ID.match(v):
            raise ValueError(
                "kode siklus hanya huruf, angka, titik, garis bawah dan tanda hubung (maks. 64)"
            )
        return v

    @field_validator("effective_hours")
    @classmethod
    def _hours(cls, v: int | None) -> int | None:
        if v is not None and v not in EFFECTIVE_HOURS_CHOICES:
            raise ValueError(f"jam kerja efektif harus salah satu dari {EFFECTIVE_HOURS_CHOICES}")
        return v


def cycle_policy(cycle: TransferCycle) -> dict[str, Any]:
    """The case policy a cycle's cases run under (defaults where the cycle set none)."""
    return CasePolicyBody(**(cycle.options or {}).get("case_policy", {})).model_dump()


def cycle_or_404(session: Session, cycle_id: str) -> TransferCycle:
    cycle = session.get(TransferCycle, cycle_id)
    if cycle is None:
        raise ProblemError(
            404,
            Msg(code="problem.not_found"),
            Msg(code="problem.cycle_cycle_id_not_found", params={"cycle_id": str(cycle_id)}),
        )
    return cycle


async def start_cycle_for(
    session: Session, settings: Settings, temporal: Client, body: CycleCreate, actor_name: str
) -> TransferCycle:
    """Record the cycle and start its workflow; no workflow, no row (used by API and pages)."""
    now = datetime.now(UTC)
    cycle_id = body.id or f"MUT-{now:%Y%m%d-%H%M%S}"
    if session.execute(select(col(Employee.nip)).limit(1)).first() is None:
        raise ProblemError(
            422,
            Msg(code="problem.no_data_yet"),
            Msg(code="problem.import_the_employee_and_organisation_data_before"),
        )
    window = blocking_window(session, None, now.date())
    if window is not None:
        raise ProblemError(
            409,
            Msg(code="problem.official_replacement_moratorium"),
            refusal(window),
            rule="embargo",
            embargo_window=window.id,
        )
    cycle = TransferCycle(
        id=cycle_id,
        name=body.name,
        as_of=body.as_of or now.date(),
        effective_hours=body.effective_hours or settings.effective_hours_per_year,
        status="starting",
        created_by=actor_name,
        workflow_id=cycle_workflow_id(cycle_id),
        created_at=now,
        updated_at=now,
        options={"case_policy": body.case_policy.model_dump()},
    )
    session.add(cycle)
    try:
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise ProblemError(
            409,
            Msg(code="problem.already_exists"),
            Msg(code="problem.cycle_cycle_id_already_exists", params={"cycle_id": str(cycle_id)}),
        ) from exc
    try:
        await temporal.start_workflow(
            MutationCycleWorkflow.run,
            CycleInput(cycle_id=cycle_id),
            id=cycle.workflow_id,
            task_queue=settings.task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
        )
    except (RPCError, WorkflowAlreadyStartedError) as exc:
        # No workflow, no cycle: remove the row so the same id can be started again.
        session.delete(cycle)
        session.commit()
        if isinstance(exc, WorkflowAlreadyStartedError):
            raise ProblemError(
                409,
                Msg(code="problem.already_exists"),
                Msg(
                    code="problem.the_workflow_of_cycle_cycle_id_was_already",
                    params={"cycle_id": str(cycle_id)},
                ),
            ) from exc
        raise ProblemError(
            503,
            Msg(code="problem.workflow_service_unavailable"),
            exc.message,
            headers={"Retry-After": "5"},
        ) from exc
    session.refresh(cycle)
    return cycle


def build_report(session: Session, cycle: TransferCycle) -> dict[str, Any]:
    loads = [
        PositionLoad(
            r.position_code,
            r.unit_code,
            r.workload_minutes,
            r.required_exact,
            r.required,
            r.current,
            r.authorized,
            r.has_workload,
        )
        for r in session.execute(
            select(PositionLoadSnapshot).where(col(PositionLoadSnapshot.cycle_id) == cycle.id)
        ).scalars()
    ]
    if not loads:
        raise ProblemError(
            409,
            Msg(code="problem.not_analysed_yet"),
            Msg(
                code="problem.cycle_id_has_not_finished_its_needs_analysis",
                params={"id": str(cycle.id)},
            ),
        )
    rows = session.execute(
        select(
            col(Proposal.nip),
            col(Proposal.origin_position),
            col(Proposal.destination_position),
            col(Employee.rank),
        )
        .join(Employee, col(Employee.nip) == col(Proposal.nip), isouter=True)
        .where(col(Proposal.cycle_id) == cycle.id, col(Proposal.status) != "removed")
    ).all()
    names = dict(session.execute(select(col(Unit.code), col(Unit.name))).all())
    report = cycle_report(
        loads,
        names,
        [PlannedMove(r.nip, r.origin_position, r.destination_position, r.rank or "") for r in rows],
        WorkloadSettings(effective_hours=cycle.effective_hours),
    )
    report["cycle"] = {
        "id": cycle.id,
        "name": cycle.name,
        "status": cycle.status,
        "effective_hours": cycle.effective_hours,
        "case_policy": cycle_policy(cycle),
    }
    report["plan"] = cycle.plan_summary
    report["rotation_overdue"] = [
        {"unit": unit, "name": names.get(unit, unit), "employees": n}
        for unit, n in session.execute(
            select(col(Position.unit_code), func.count())
            .select_from(CycleFinding)
            .join(Employee, col(Employee.nip) == col(CycleFinding.subject))
            .join(Position, col(Position.code) == col(Employee.position_code))
            .where(
                col(CycleFinding.cycle_id) == cycle.id, col(CycleFinding.code) == "rotation_overdue"
            )
            .group_by(col(Position.unit_code))
            .order_by(col(Position.unit_code))
        )
    ]
    report["overrides"] = [
        {
            "nip": p.nip,
            "rules": [o["code"] for o in p.detail.get("overrides", [])],
            "reason": p.detail.get("override_reason", ""),
        }
        for p in session.execute(
            select(Proposal).where(
                col(Proposal.cycle_id) == cycle.id, col(Proposal.status) == "approved"
            )
        ).scalars()
        if p.detail.get("overrides")
    ]
    c = CompetencySnapshot
    report["cases"] = case_report(session, cycle.id)
    report["competency"] = {
        "by_category": dict(
            session.execute(
                select(col(c.category), func.count())
                .where(col(c.cycle_id) == cycle.id)
                .group_by(col(c.category))
            ).all()
        ),
        "by_talent_box": {
            str(k): v
            for k, v in session.execute(
                select(col(c.talent_box), func.count())
                .where(col(c.cycle_id) == cycle.id)
                .group_by(col(c.talent_box))
            ).all()
        },
        "training_jp": session.execute(
            select(func.coalesce(func.sum(col(c.training_jp)), 0)).where(
                col(c.cycle_id) == cycle.id
            )
        ).scalar_one(),
    }
    return report


class RemovalBody(BaseModel):
    nip: str = Field(..., min_length=18, max_length=18)
    reason: str = Field(..., min_length=3, max_length=500)


class AdditionBody(BaseModel):
    nip: str = Field(..., min_length=18, max_length=18)
    destination_position: str = Field(..., min_length=1, max_length=32)
    reason: str = Field(..., min_length=3, max_length=500)
    override_reason: str = Field(
        "",
        max_length=500,
        description="wajib bila mutasi ini melanggar aturan: "
        "alasan override, dicatat di jejak audit dan laporan",
    )


class PlanDecisionBody(BaseModel):
    approve: bool
    reason: str = Field("", max_length=500)
    removals: list[RemovalBody] = Field(default_factory=list, max_length=5000)
    additions: list[AdditionBody] = Field(default_factory=list, max_length=5000)


async def update_cycle(
    session: Session,
    temporal: Client,
    cycle: TransferCycle,
    update: UpdateMethodMultiParam[[Any, ArgT], str],
    arg: ArgT,
) -> str:
    return await send_update(
        temporal, cycle.workflow_id, update, arg, f"siklus '{cycle.id}'", release=session
    )


async def decide_plan_for(
    session: Session, temporal: Client, cycle_id: str, body: PlanDecisionBody, actor: Actor
) -> str:
    cycle = cycle_or_404(session, cycle_id)
    changes = PlanChanges(
        removals=[ProposalRemoval(nip=r.nip, reason=r.reason) for r in body.removals],
        additions=[
            ProposalAddition(
                nip=a.nip,
                destination_position=a.destination_position,
                reason=a.reason,
                override_reason=a.override_reason,
            )
            for a in body.additions
        ],
    )
    conflicts = addition_conflicts(session, cycle_id, changes)
    if conflicts:
        raise ProblemError(
            409,
            Msg(code="problem.employee_already_in_a_transfer"),
            "; ".join(conflicts),
            errors=conflicts,
        )
    problems = check_plan_changes(session, cycle_id, changes)
    if problems:
        raise ProblemError(
            422, Msg(code="problem.invalid_proposal_change"), "; ".join(problems), errors=problems
        )
    return await update_cycle(
        session,
        temporal,
        cycle,
        MutationCycleWorkflow.decide_plan,
        PlanDecision(
            approve=body.approve,
            reason=body.reason,
            removals=changes.removals,
            additions=changes.additions,
            actor=actor.name,
            actor_nip=actor.nip,
        ),
    )

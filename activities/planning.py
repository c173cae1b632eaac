"""Activities of a cycle's planning phase: read the organisation, run the pure planning
engine, persist the results.

Each activity rewrites its cycle's rows in one transaction, keyed by (cycle, natural key),
so a retry after a crash leaves exactly one copy of every row.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col
from temporalio import activity
from temporalio.exceptions import ApplicationError

from contracts.cycle import (
    CompetencyResult,
    CycleRef,
    CycleStatusChange,
    NeedsResult,
    PlanRequest,
    PlanResult,
)
from models import CompetencySnapshot, CycleFinding, PositionLoadSnapshot, Proposal, TransferCycle
from models.tables import table_of
from mutasi.org.planning_source import load_planning_input
from planning.competency import match, profile, training_needs
from planning.optimizer import Plan, optimise
from planning.problem import OptimiserSettings
from planning.rules import RuleSettings
from planning.talent import talent_box
from planning.types import Finding
from planning.workload import WorkloadSettings, analyse, published_ej, staff_counts


def _now() -> datetime:
    return datetime.now(UTC)


class PlanningActivities:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _cycle(self, session: Session, cycle_id: str) -> TransferCycle:
        cycle = session.get(TransferCycle, cycle_id)
        if cycle is None:
            raise ApplicationError(
                f"siklus {cycle_id} tidak ada", type="CycleNotFound", non_retryable=True
            )
        return cycle

    def _settings(self, cycle: TransferCycle) -> OptimiserSettings:
        rules = RuleSettings(**cycle.options.get("rules", {}))
        return OptimiserSettings(
            rules=rules, workload=WorkloadSettings(effective_hours=cycle.effective_hours)
        )

    @activity.defn
    def set_cycle_status(self, change: CycleStatusChange) -> None:
        with Session(self.engine) as session:
            session.execute(
                update(TransferCycle)
                .where(col(TransferCycle.id) == change.cycle_id)
                .values(status=change.status, updated_at=_now())
            )
            session.commit()

    def _read_cycle(self, cycle_id: str) -> TransferCycle:
        # Its own short transaction: on SQLite the worker's write transactions hold the
        # database lock, so reading inside one with a second connection would deadlock.
        with Session(self.engine, expire_on_commit=False) as session:
            cycle = self._cycle(session, cycle_id)
            session.expunge(cycle)
            return cycle

    @activity.defn
    def analyse_needs(self, ref: CycleRef) -> NeedsResult:
        cycle = self._read_cycle(ref.cycle_id)
        settings = self._settings(cycle)
        inp = load_planning_input(self.engine, cycle.as_of)
        with Session(self.engine) as session:
            counts = staff_counts(e.position_code for e in inp.employees)
            result = analyse(inp.positions, inp.units, inp.workload, counts, settings.workload)
            eff = settings.workload.effective_minutes
            session.execute(
                delete(PositionLoadSnapshot).where(
                    col(PositionLoadSnapshot.cycle_id) == ref.cycle_id
                )
            )
            session.execute(delete(CycleFinding).where(col(CycleFinding.cycle_id) == ref.cycle_id))
            rows = []
            for p in result.positions.values():
                # Stored as published: the figure a page prints is the one its grade was given for.
                ej = published_ej(p.efficiency(eff))
                rows.append(
                    dict(
                        cycle_id=ref.cycle_id,
                        position_code=p.code,
                        unit_code=p.unit_code,
                        workload_minutes=float(p.workload_minutes),
                        required_exact=float(p.required_exact),
                        required=p.required,
                        current=p.current,
                        authorized=p.authorized,
                        has_workload=p.has_workload,
                        efficiency=None if ej is None else float(ej),
                        grade=settings.workload.grade(ej) if p.has_workload else None,
                    )
                )
            if rows:
                session.execute(table_of(PositionLoadSnapshot).insert(), rows)
            _insert_findings(session, ref.cycle_id, result.findings)
            session.commit()
        loads = result.positions.values()
        return NeedsResult(
            positions=len(result.positions),
            units=len(result.units),
            surplus_positions=sum(1 for p in loads if p.has_workload and p.surplus > 0),
            deficit_positions=sum(1 for p in loads if p.has_workload and p.surplus < 0),
            imbalance=round(result.imbalance(), 4),
            dispersion=round(result.unit_dispersion(), 4),
            findings=len(result.findings),
        )

    @activity.defn
    def map_competencies(self, ref: CycleRef) -> CompetencyResult:
        """Every employee against their current post: JPM, gaps as training hours, 9-box."""
        cycle = self._read_cycle(ref.cycle_id)
        settings = self._settings(cycle)
        inp = load_planning_input(self.engine, cycle.as_of)
        with Session(self.engine) as session:
            positions = {p.code: p for p in inp.positions}
            rows: list[dict[str, Any]] = []
            for e in inp.employees:
                post = positions.get(e.position_code)
                if post is None:
                    continue
                person = profile(e)
                fit = match(person, post, settings.competency)
                box = talent_box(e, fit.jpm)
                rows.append(
                    dict(
                        cycle_id=ref.cycle_id,
                        nip=e.nip,
                        position_code=post.code,
                        unit_code=post.unit_code,
                        jpm=fit.jpm,
                        category=fit.category,
                        training_jp=sum(n.jp for n in training_needs(fit, settings.competency)),
                        gaps=[
                            {
                                "kind": g.kind,
                                "competency": g.competency,
                                "required": g.required,
                                "actual": g.actual,
                                "jp": g.jp,
                            }
                            for g in fit.gaps
                        ],
                        talent_box=box.box,
                        talent_label=box.label,
                        assessed=person.assessed,
                    )
                )
            session.execute(
                delete(CompetencySnapshot).where(col(CompetencySnapshot.cycle_id) == ref.cycle_id)
            )
            for start in range(0, len(rows), 5000):
                session.execute(table_of(CompetencySnapshot).insert(), rows[start : start + 5000])
            session.commit()
        return CompetencyResult(
            employees=len(rows),
            optimal=sum(r["category"] == "optimal" for r in rows),
            fairly_optimal=sum(r["category"] == "cukup optimal" for r in rows),
            below=sum(r["category"] == "kurang optimal" for r in rows),
            unassessed=sum(not r["assessed"] for r in rows),
            training_jp=sum(r["training_jp"] for r in rows),
        )

    @activity.defn
    def propose_transfers(self, request: PlanRequest) -> PlanResult:
        cycle = self._read_cycle(request.cycle_id)
        inp = load_planning_input(
            self.engine, cycle.as_of, frozenset(request.excluded_nips), request.cycle_id
        )
        plan = optimise(inp, self._settings(cycle))
        with Session(self.engine) as session:
            decided = session.execute(
                select(func.count())
                .select_from(Proposal)
                .where(
                    col(Proposal.cycle_id) == request.cycle_id, col(Proposal.status) != "proposed"
                )
            ).scalar_one()
            if decided:
                raise ApplicationError(
                    "rencana sudah diputuskan; tidak dapat disusun ulang",
                    type="PlanAlreadyDecided",
                    non_retryable=True,
                )
            session.execute(delete(Proposal).where(col(Proposal.cycle_id) == request.cycle_id))
            session.execute(
                delete(CycleFinding).where(col(CycleFinding.cycle_id) == request.cycle_id)
            )
            if plan.proposals:
                session.execute(
                    table_of(Proposal).insert(),
                    [
                        dict(
                            cycle_id=request.cycle_id,
                            nip=p["nip"],
                            name=p["name"],
                            origin_position=p["origin_position"],
                            origin_unit=p["origin_unit"],
                            destination_position=p["destination_position"],
                            destination_unit=p["destination_unit"],
                            jpm=p["jpm"],
                            status="proposed",
                            explanation=p["explanation"],
                            detail=p,
                        )
                        for p in plan.proposals
                    ],
                )
            _insert_findings(session, request.cycle_id, plan.findings)
            summary = plan_summary(plan)
            session.execute(
                update(TransferCycle)
                .where(col(TransferCycle.id) == request.cycle_id)
                .values(plan_summary=summary, updated_at=_now())
            )
            session.commit()
        return PlanResult(
            proposals=len(plan.proposals),
            objective=plan.objective,
            bound=plan.bound,
            optimal=plan.optimal,
            greedy_objective=plan.greedy_objective,
            imbalance_before=round(plan.imbalance_before, 4),
            imbalance_after=round(plan.imbalance_after, 4),
            findings=len(plan.findings),
        )


def plan_summary(plan: Plan) -> dict[str, Any]:
    return {
        "proposals": len(plan.proposals),
        "objective": plan.objective,
        "bound": plan.bound,
        "optimal": plan.optimal,
        "gap": plan.gap,
        "greedy_objective": plan.greedy_objective,
        "greedy_moves": plan.greedy_moves,
        "candidates": plan.candidates,
        "pairs": plan.pairs,
        "pruned": plan.pruned,
        "imbalance_before": plan.imbalance_before,
        "imbalance_after": plan.imbalance_after,
        "dispersion_before": plan.dispersion_before,
        "dispersion_after": plan.dispersion_after,
        "ineligible": plan.ineligible,
        "seconds": plan.seconds,
    }


def _insert_findings(session: Session, cycle_id: str, findings: Iterable[Finding]) -> None:
    # One row per (code, subject): the same record flagged twice is one finding.
    unique = {(f.code, f.subject): f for f in findings}
    if unique:
        session.execute(
            table_of(CycleFinding).insert(),
            [
                dict(cycle_id=cycle_id, code=f.code, subject=f.subject, message=f.message)
                for f in unique.values()
            ],
        )

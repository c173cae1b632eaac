"""Activities of a cycle after planning: apply HR's plan decision, hand out the cases'
inputs in pages, close the cycle."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.common import audit_event
from contracts.case import CaseInput, CasePolicy, TrainingItem
from contracts.cycle import CaseBatch, CycleClose, PlanDecisionApply, ProposalAddition
from contracts.ids import case_id
from models import CycleFinding, Position, Proposal, TransferCycle
from mutasi.audit import chain as audit
from mutasi.infra.db import must
from mutasi.org.case_builder import CaseBuilder
from mutasi.org.open_cases import open_move_of
from mutasi.org.plan_changes import addition_rules, check_plan_changes
from mutasi.org.planning_source import load_employee, position_info
from planning.competency import match, profile, training_needs
from planning.rules import RuleCheck


class CycleActivities:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _audit(
        self,
        s: Session,
        cycle_id: str,
        at: datetime,
        action: str,
        actor: str,
        *,
        suffix: str = "",
        subject_type: str = "cycle",
        subject_id: str | None = None,
        old: dict[str, Any] | None = None,
        new: dict[str, Any] | None = None,
        reason: str | None = None,
    ) -> None:
        audit_event(
            s,
            agency_code=audit.cycle_agency(s),
            at=at,
            action=action,
            actor=actor,
            role="hr_admin" if actor != "sistem" else "system",
            subject_type=subject_type,
            subject_id=subject_id or cycle_id,
            old=old,
            new=new,
            reason=reason,
            suffix=suffix,
        )

    @activity.defn
    def apply_plan_decision(self, req: PlanDecisionApply) -> int:
        """Removals, additions, then every remaining proposal approved. Returns the count."""
        with Session(self.engine) as s:
            cycle = _cycle(s, req.cycle_id)
            already = s.execute(
                select(col(Proposal.nip)).where(
                    col(Proposal.cycle_id) == req.cycle_id, col(Proposal.status) != "proposed"
                )
            ).first()
            if already is None:  # not yet applied (a retry finds it done)
                problems = check_plan_changes(s, req.cycle_id, req.changes)
                if problems:
                    raise ApplicationError(
                        "; ".join(problems), type="InvalidPlanChange", non_retryable=True
                    )
                # Judged once, before anything changes, by the same rules as the optimiser.
                judged = {
                    a.nip: addition_rules(
                        s, req.cycle_id, a.nip, a.destination_position, req.changes
                    )
                    for a in req.changes.additions
                }
                for r in req.changes.removals:
                    s.execute(
                        update(Proposal)
                        .where(col(Proposal.cycle_id) == req.cycle_id, col(Proposal.nip) == r.nip)
                        .values(status="removed")
                    )
                    self._audit(
                        s,
                        req.cycle_id,
                        req.at,
                        "proposal.removed",
                        req.actor,
                        suffix=f"/rm/{r.nip}",
                        subject_type="proposal",
                        subject_id=f"{req.cycle_id}.{r.nip}",
                        old={"status": "proposed"},
                        new={"status": "removed"},
                        reason=r.reason,
                    )
                for a in req.changes.additions:
                    broken = [c for c in judged[a.nip] if not c.ok]
                    s.add(self._added_proposal(s, cycle, a, judged[a.nip]))
                    self._audit(
                        s,
                        req.cycle_id,
                        req.at,
                        "proposal.added",
                        req.actor,
                        suffix=f"/add/{a.nip}",
                        subject_type="proposal",
                        subject_id=f"{req.cycle_id}.{a.nip}",
                        new={
                            "status": "approved",
                            "destination": a.destination_position,
                            "overrides": [c.code for c in broken],
                        },
                        reason=a.reason + (f"; override: {a.override_reason}" if broken else ""),
                    )
                self._block_people_under_way(s, req)
                s.execute(
                    update(Proposal)
                    .where(
                        col(Proposal.cycle_id) == req.cycle_id, col(Proposal.status) == "proposed"
                    )
                    .values(status="approved")
                )
                self._audit(
                    s,
                    req.cycle_id,
                    req.at,
                    "plan.approved",
                    req.actor,
                    reason=req.reason or None,
                    new={"removed": len(req.changes.removals), "added": len(req.changes.additions)},
                )
            count = s.execute(
                select(col(Proposal.nip)).where(
                    col(Proposal.cycle_id) == req.cycle_id, col(Proposal.status) == "approved"
                )
            ).all()
            s.commit()
            return len(count)

    def _block_people_under_way(self, s: Session, req: PlanDecisionApply) -> None:
        """A proposal for someone whose move from another cycle got under way since planning
        is not approved: one person, one open case. Said as a finding and in the trail."""
        proposed = (
            s.execute(
                select(col(Proposal.nip)).where(
                    col(Proposal.cycle_id) == req.cycle_id, col(Proposal.status) == "proposed"
                )
            )
            .scalars()
            .all()
        )
        for nip, other_case in sorted(
            open_move_of(s, proposed, exclude_cycle=req.cycle_id).items()
        ):
            why = f"pegawai masih dalam proses mutasi lain (kasus {other_case})"
            s.execute(
                update(Proposal)
                .where(col(Proposal.cycle_id) == req.cycle_id, col(Proposal.nip) == nip)
                .values(status="blocked")
            )
            s.merge(
                CycleFinding(
                    cycle_id=req.cycle_id,
                    code="open_case",
                    subject=nip,
                    message=f"Usulan untuk {nip} tidak disetujui: {why}",
                )
            )
            self._audit(
                s,
                req.cycle_id,
                req.at,
                "proposal.blocked",
                "sistem",
                suffix=f"/block/{nip}",
                subject_type="proposal",
                subject_id=f"{req.cycle_id}.{nip}",
                old={"status": "proposed"},
                new={"status": "blocked", "open_case": other_case},
                reason=why,
            )

    def _added_proposal(
        self, s: Session, cycle: TransferCycle, a: ProposalAddition, rules: list[RuleCheck]
    ) -> Proposal:
        person = load_employee(s, a.nip)
        post = must(s.get(Position, a.destination_position), f"jabatan {a.destination_position}")
        origin = must(s.get(Position, person.position_code), f"jabatan {person.position_code}")
        fit = match(profile(person), position_info(post))
        needs = training_needs(fit)
        broken = [c for c in rules if not c.ok]
        detail = {
            "nip": a.nip,
            "name": person.name,
            "jpm": fit.jpm,
            "jpm_category": fit.category,
            "added_by_hr": True,
            "reason": a.reason,
            "rules": [{"code": c.code, "ok": c.ok, "message": c.message} for c in rules],
            "overrides": [{"code": c.code, "message": c.message} for c in broken],
            "override_reason": a.override_reason if broken else "",
            "training": [
                {"program": n.program, "kind": n.kind, "jp": n.jp, "reason": n.reason}
                for n in needs
            ],
        }
        text = (
            f"{person.name} ({a.nip}) ditambahkan oleh BKPSDM ke {post.title}: {a.reason}. "
            f"JPM di jabatan tujuan {fit.jpm:g}% ({fit.category})."
        )
        if broken:
            text += (
                " Melanggar aturan dengan override BKPSDM ("
                + "; ".join(c.message for c in broken)
                + f"): {a.override_reason}."
            )
        detail["explanation"] = text
        return Proposal(
            cycle_id=cycle.id,
            nip=a.nip,
            name=person.name,
            origin_position=origin.code,
            origin_unit=origin.unit_code,
            destination_position=post.code,
            destination_unit=post.unit_code,
            jpm=fit.jpm,
            status="approved",
            explanation=text,
            detail=detail,
        )

    @activity.defn
    def case_inputs(self, batch: CaseBatch) -> list[CaseInput]:
        with Session(self.engine) as s:
            cycle = _cycle(s, batch.cycle_id)
            policy = CasePolicy(**cycle.options.get("case_policy", {}))
            builder = CaseBuilder(s)
            rows = (
                s.execute(
                    select(Proposal)
                    .where(
                        col(Proposal.cycle_id) == batch.cycle_id, col(Proposal.status) == "approved"
                    )
                    .order_by(col(Proposal.nip))
                    .offset(batch.offset)
                    .limit(batch.limit)
                )
                .scalars()
                .all()
            )
            return [
                builder.build(
                    case_id=case_id(batch.cycle_id, p.nip),
                    cycle_id=batch.cycle_id,
                    cycle_workflow_id=batch.cycle_workflow_id,
                    nip=p.nip,
                    name=p.name,
                    origin_position=p.origin_position,
                    origin_unit=p.origin_unit,
                    destination_position=p.destination_position,
                    destination_unit=p.destination_unit,
                    requested_by=batch.requested_by,
                    requested_by_nip=batch.requested_by_nip,
                    training=training_items(p.detail.get("training", [])),
                    policy=policy,
                )
                for p in rows
            ]

    @activity.defn
    def close_cycle(self, req: CycleClose) -> None:
        with Session(self.engine) as s:
            cycle = _cycle(s, req.cycle_id)
            summary = dict(cycle.plan_summary or {})
            summary["outcomes"] = req.stages
            s.execute(
                update(TransferCycle)
                .where(col(TransferCycle.id) == req.cycle_id)
                .values(status=req.status, plan_summary=summary, updated_at=datetime.now(UTC))
            )
            self._audit(
                s,
                req.cycle_id,
                req.at,
                f"cycle.{req.status}",
                "sistem",
                new={"outcomes": req.stages},
            )
            s.commit()


def _cycle(s: Session, cycle_id: str) -> TransferCycle:
    cycle = s.get(TransferCycle, cycle_id)
    if cycle is None:  # it will not appear by retrying
        raise ApplicationError(
            f"siklus {cycle_id} tidak ada", type="CycleNotFound", non_retryable=True
        )
    return cycle


def training_items(rows: list[dict[str, Any]]) -> list[TrainingItem]:
    return [
        TrainingItem(program=t["program"], kind=t["kind"], jp=t["jp"], reason=t.get("reason", ""))
        for t in rows
    ]

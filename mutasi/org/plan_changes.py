"""HR's changes to a proposed plan: removals and additions, each with a reason.

Checked by the API before the decision reaches the workflow, and again by the activity
that applies it, so a bad change is refused with a message and never half-applied."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from contracts.cycle import PlanChanges
from models import Employee, FamilyRelation, Position, Proposal, TransferCycle, Unit
from mutasi.infra.clock import today
from mutasi.org.open_cases import open_move_of, open_moves
from mutasi.org.planning_source import load_employee, position_info, unit_info
from planning.command import CommandLines, conflict_check
from planning.competency import match, profile
from planning.explain_text import number
from planning.rules import RuleCheck, RuleSettings, check, pair_checks


def addition_conflicts(session: Session, cycle_id: str, changes: PlanChanges) -> list[str]:
    """Additions of people who already have a move under way, each naming that case."""
    busy = open_move_of(session, [a.nip for a in changes.additions], exclude_cycle=cycle_id)
    return [
        f"tambah {a.nip}: masih ada mutasi yang berjalan untuk pegawai ini (kasus {busy[a.nip]}); "
        "satu pegawai hanya boleh memiliki satu kasus terbuka"
        for a in changes.additions
        if a.nip in busy
    ]


def check_plan_changes(session: Session, cycle_id: str, changes: PlanChanges) -> list[str]:
    problems: list[str] = addition_conflicts(session, cycle_id, changes)
    proposed = {
        p.nip: p
        for p in session.execute(
            select(Proposal).where(
                col(Proposal.cycle_id) == cycle_id, col(Proposal.status) == "proposed"
            )
        ).scalars()
    }
    seen: set[str] = set()
    for r in changes.removals:
        if r.nip not in proposed:
            problems.append(f"hapus {r.nip}: tidak ada dalam usulan")
        if not r.reason.strip():
            problems.append(f"hapus {r.nip}: alasan wajib diisi")
        seen.add(r.nip)
    for a in changes.additions:
        person = session.get(Employee, a.nip)
        post = session.get(Position, a.destination_position)
        if person is None:
            problems.append(f"tambah {a.nip}: pegawai tidak dikenal")
        if post is None:
            problems.append(f"tambah {a.nip}: jabatan {a.destination_position} tidak dikenal")
        if person is not None and post is not None and person.position_code == post.code:
            problems.append(f"tambah {a.nip}: jabatan tujuan sama dengan jabatan sekarang")
        if person is not None and post is not None and person.position_code != post.code:
            broken = [
                c for c in addition_rules(session, cycle_id, a.nip, post.code, changes) if not c.ok
            ]
            if broken and not a.override_reason.strip():
                problems.append(
                    f"tambah {a.nip}: melanggar aturan "
                    + "; ".join(f"{c.code} ({c.message})" for c in broken)
                    + "; tambahkan hanya dengan alasan override"
                )
        if a.nip in proposed and a.nip not in seen:
            problems.append(
                f"tambah {a.nip}: sudah ada dalam usulan (hapus dulu untuk mengganti tujuan)"
            )
        if a.nip in {x.nip for x in changes.additions if x is not a}:
            problems.append(f"tambah {a.nip}: lebih dari sekali")
        if not a.reason.strip():
            problems.append(f"tambah {a.nip}: alasan wajib diisi")
    return sorted(set(problems))


def addition_rules(
    session: Session,
    cycle_id: str | None,
    nip: str,
    destination: str,
    changes: PlanChanges | None = None,
) -> list[RuleCheck]:
    """Every rule the optimiser applies, for a move HR adds by hand (to a cycle's plan, or
    outside any cycle: a request or an individual move, judged as of today): the person's
    rules, the post's rules, the authorised headcount (counting this plan's arrivals and
    moves under way) and the minimum JPM."""
    cycle = session.get(TransferCycle, cycle_id) if cycle_id else None
    settings = RuleSettings(**(cycle.options or {}).get("rules", {})) if cycle else RuleSettings()
    person = load_employee(session, nip)
    origin = position_info(session.get(Position, person.position_code))
    post = position_info(session.get(Position, destination))
    verdict = check(person, cycle.as_of if cycle else today(), settings, origin)
    holders = session.execute(
        select(func.count()).select_from(Employee).where(col(Employee.position_code) == destination)
    ).scalar_one()
    removed = {r.nip for r in changes.removals} if changes else set()
    arriving = sum(
        1
        for n in session.execute(
            select(col(Proposal.nip)).where(
                col(Proposal.cycle_id) == cycle_id,
                col(Proposal.status).in_(("proposed", "approved")),
                col(Proposal.destination_position) == destination,
            )
        ).scalars()
        if n not in removed
    )
    arriving += sum(
        1 for a in (changes.additions if changes else []) if a.destination_position == destination
    )
    arriving += sum(
        1
        for m in open_moves(session, exclude_cycle=cycle_id)
        if m.destination_position == destination
    )
    fit = match(profile(person), post)
    return [
        *verdict.checks,
        *pair_checks(person, origin, post, settings),
        _conflict(session, nip, destination),
        RuleCheck(
            "headcount",
            holders + arriving <= post.authorized,
            f"formasi tujuan {post.authorized}, terisi {holders} dan {arriving} akan masuk",
        ),
        RuleCheck(
            "min_jpm",
            fit.jpm >= settings.min_jpm,
            f"JPM {number(fit.jpm, 'id')}% (batas minimal {number(settings.min_jpm, 'id')}%)",
        ),
    ]


def _conflict(session: Session, nip: str, destination: str) -> RuleCheck:
    """The conflict-of-interest rule for one move, over the whole line of command (the
    organisation is read only when the person has family in the service)."""
    kin = set(
        session.execute(
            select(col(FamilyRelation.relative_nip)).where(col(FamilyRelation.nip) == nip)
        ).scalars()
    )
    kin |= set(
        session.execute(
            select(col(FamilyRelation.nip)).where(col(FamilyRelation.relative_nip) == nip)
        ).scalars()
    )
    posts = (
        session.execute(
            select(col(Employee.position_code)).where(col(Employee.nip).in_(sorted(kin)))
        )
        .scalars()
        .all()
    )
    if not posts:
        return conflict_check(CommandLines([], []), destination, [])
    lines = CommandLines(
        [position_info(p) for p in session.execute(select(Position)).scalars()],
        [unit_info(u) for u in session.execute(select(Unit)).scalars()],
    )
    return conflict_check(lines, destination, posts)

"""What an approver sees in each inbox row: who moves, from which post and unit to which,
their JPM there and here, the kind of move, the step and its deadline. Loaded for the page's
rows at once (a handful of queries, not one per row), then filtered and sorted."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, SQLModel, col

from models import ApprovalTask, Employee, MutationCase, Position, Proposal, Unit
from mutasi.infra.db import as_utc
from planning.reference import PNS_RANKS

SORTS = ("due", "name", "jpm")


@dataclass
class InboxRow:
    task: ApprovalTask
    name: str
    nip: str
    rank: str
    origin: str
    destination: str
    mutation_type: str
    jpm: float | None
    jpm_origin: float | None
    overdue: bool
    due_soon: bool
    delegated: bool


def _by_key(
    session: Session, model: type[SQLModel], key: str, values: Collection[str]
) -> dict[str, Any]:
    if not values:
        return {}
    return {
        getattr(r, key): r
        for r in session.execute(
            select(model).where(col(getattr(model, key)).in_(values))
        ).scalars()
    }


def inbox_rows(
    session: Session, tasks: list[ApprovalTask], nip: str | None, now: datetime, due_soon: Any
) -> list[InboxRow]:
    cases = _by_key(session, MutationCase, "id", {t.case_id for t in tasks})
    people = _by_key(session, Employee, "nip", {c.nip for c in cases.values()})
    posts = _by_key(
        session,
        Position,
        "code",
        {p for c in cases.values() for p in (c.origin_position, c.destination_position)},
    )
    units = _by_key(
        session,
        Unit,
        "code",
        {u for c in cases.values() for u in (c.origin_unit, c.destination_unit)},
    )
    proposals = {
        (p.cycle_id, p.nip): p
        for p in session.execute(
            select(Proposal).where(
                col(Proposal.nip).in_({c.nip for c in cases.values()}),
                col(Proposal.cycle_id).in_({c.cycle_id for c in cases.values()}),
            )
        ).scalars()
    }

    def where(post_code: str, unit_code: str) -> str:
        post, unit = posts.get(post_code), units.get(unit_code)
        return f"{post.title if post else post_code} — {unit.name if unit else unit_code}"

    rows = []
    for t in tasks:
        case = cases[t.case_id]
        person = people.get(case.nip)
        proposal = proposals.get((case.cycle_id, case.nip))
        rank = person.rank if person else ""
        rows.append(
            InboxRow(
                task=t,
                name=person.name if person else case.nip,
                nip=case.nip,
                rank=f"{PNS_RANKS[rank]} ({rank})" if rank in PNS_RANKS else rank,
                origin=where(case.origin_position, case.origin_unit),
                destination=where(case.destination_position, case.destination_unit),
                mutation_type=case.mutation_type,
                jpm=proposal.jpm if proposal else None,
                jpm_origin=(proposal.detail or {}).get("jpm_origin") if proposal else None,
                overdue=as_utc(t.due_at) < now,
                due_soon=now <= as_utc(t.due_at) < now + due_soon,
                delegated=t.assignee_nip != nip,
            )
        )
    return rows


def filtered(rows: list[InboxRow], q: str, kind: str, step: str, sort: str) -> list[InboxRow]:
    """Rows matching a name/NIP search, a mutation type and a step, in the chosen order."""
    needle = q.strip().lower()
    chosen = [
        r
        for r in rows
        if (not needle or needle in r.name.lower() or needle in r.nip)
        and (not kind or r.mutation_type == kind)
        and (not step or r.task.title == step)
    ]
    if sort == "name":
        return sorted(chosen, key=lambda r: (r.name, r.task.due_at))
    if sort == "jpm":
        return sorted(chosen, key=lambda r: (-(r.jpm or 0), r.task.due_at))
    return sorted(chosen, key=lambda r: (r.task.due_at, r.task.id))

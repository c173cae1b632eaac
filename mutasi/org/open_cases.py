"""Moves under way: one person, one move at a time, across cycles.

A move is under way from the moment HR approves it in a plan until its case ends: first
as an approved proposal whose case has not opened yet, then as an open case (no outcome).
Planning counts these moves as done and leaves their people out; a plan decision and a
case about to open check against them; the partial unique index on open cases
(`models.case.OPEN_CASE_PER_NIP`) is the last word when two cycles race.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session
from sqlmodel import col

from contracts.ids import case_id
from models import MutationCase, Proposal, TransferCycle
from planning.types import PendingMove

# Cycles whose approved proposals become cases (once approved, until they close).
CYCLES_STARTING_CASES = ("plan_approved", "running")


def open_moves(
    session: Session, *, exclude_cycle: str | None = None, nips: Iterable[str] | None = None
) -> list[PendingMove]:
    """Every move under way (optionally only for `nips`), except proposals of `exclude_cycle`."""
    wanted = None if nips is None else sorted(set(nips))
    cases = select(
        col(MutationCase.nip),
        col(MutationCase.origin_position),
        col(MutationCase.destination_position),
        col(MutationCase.id),
    ).where(col(MutationCase.outcome).is_(None))
    not_opened = ~exists().where(
        and_(
            col(MutationCase.cycle_id) == col(Proposal.cycle_id),
            col(MutationCase.nip) == col(Proposal.nip),
        )
    )
    approved = (
        select(
            col(Proposal.nip),
            col(Proposal.origin_position),
            col(Proposal.destination_position),
            col(Proposal.cycle_id),
        )
        .join(TransferCycle, col(TransferCycle.id) == col(Proposal.cycle_id))
        .where(
            col(Proposal.status) == "approved",
            col(TransferCycle.status).in_(CYCLES_STARTING_CASES),
            not_opened,
        )
    )
    if exclude_cycle is not None:
        approved = approved.where(col(Proposal.cycle_id) != exclude_cycle)
    if wanted is not None:
        cases = cases.where(col(MutationCase.nip).in_(wanted))
        approved = approved.where(col(Proposal.nip).in_(wanted))
    moves = [PendingMove(*row) for row in session.execute(cases)]
    moves += [
        PendingMove(nip, origin, destination, case_id(cycle, nip))
        for nip, origin, destination, cycle in session.execute(approved)
    ]
    return moves


def open_move_of(
    session: Session, nips: Iterable[str], *, exclude_cycle: str | None = None
) -> dict[str, str]:
    """NIP -> the case (or approved proposal, as its future case id) under way for it."""
    found: dict[str, str] = {}
    for move in open_moves(session, exclude_cycle=exclude_cycle, nips=nips):
        found.setdefault(move.nip, move.case_id)
    return found

"""Who sits on an agency's committee: as HR configured it, else formed from org data (the
Sekda chairs; the BKPSDM head and the Inspektur sit; a majority is the quorum)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from models import Position, ReviewCommittee
from mutasi.org.directory import OrgDirectory, Unresolvable
from planning.reference import STRUCTURAL_KINDS


@dataclass(frozen=True)
class Committee:
    agency_code: str
    kind: str  # tpk | baperjakat
    chair_nip: str
    members: tuple[str, ...]  # the chair included
    quorum: int
    configured: bool


def committee_kind(session: Session, destination_position: str) -> str:
    """Baperjakat reviews moves into structural posts; TPK every other move."""
    post = session.get(Position, destination_position)
    return "baperjakat" if post is not None and post.kind in STRUCTURAL_KINDS else "tpk"


def committee_of(session: Session, agency_code: str, kind: str) -> Committee:
    own = session.get(ReviewCommittee, (agency_code, kind))
    if own is not None:
        configured = tuple(dict.fromkeys([own.chair_nip, *own.members]))
        return Committee(agency_code, kind, own.chair_nip, configured, own.quorum, True)
    directory = OrgDirectory(session)
    chair = directory.sekda(agency_code)  # Unresolvable: the agency must configure one
    members = [chair]
    finders: tuple[Callable[[], str], ...] = (
        lambda: directory.bkpsdm_head(agency_code),
        lambda: directory.head_of(directory.agency_unit(agency_code, kind="inspektorat") or ""),
    )
    for find in finders:
        try:
            members.append(find())
        except Unresolvable:
            continue
    unique = tuple(dict.fromkeys(members))
    return Committee(agency_code, kind, chair, unique, len(unique) // 2 + 1, False)


def membership_problems(chair: str, members: list[str], quorum: int) -> list[str]:
    problems = []
    everyone = set(members) | {chair}
    if len(everyone) < 3:
        problems.append("tim paling sedikit 3 anggota (termasuk ketua)")
    if not len(everyone) // 2 + 1 <= quorum <= len(everyone):
        problems.append(f"kuorum harus antara {len(everyone) // 2 + 1} dan {len(everyone)}")
    return problems

"""HR's changes to a proposed plan: removals and additions, each with a reason.

Checked by the API before the decision reaches the workflow, and again by the activity
that applies it, so a bad change is refused with a message and never half-applied."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Employee, Position, Proposal
from mutasi.open_cases import open_move_of


@dataclass
class ProposalRemoval:
    nip: str
    reason: str


@dataclass
class ProposalAddition:
    nip: str
    destination_position: str
    reason: str


@dataclass
class PlanChanges:
    removals: list[ProposalRemoval] = field(default_factory=list)
    additions: list[ProposalAddition] = field(default_factory=list)


def addition_conflicts(session: Session, cycle_id: str, changes: PlanChanges) -> list[str]:
    """Additions of people who already have a move under way, each naming that case."""
    busy = open_move_of(session, [a.nip for a in changes.additions], exclude_cycle=cycle_id)
    return [f"tambah {a.nip}: masih ada mutasi yang berjalan untuk pegawai ini (kasus {busy[a.nip]}); "
            "satu pegawai hanya boleh memiliki satu kasus terbuka" for a in changes.additions if a.nip in busy]


def check_plan_changes(session: Session, cycle_id: str, changes: PlanChanges) -> list[str]:
    problems: list[str] = addition_conflicts(session, cycle_id, changes)
    proposed = {p.nip: p for p in session.execute(
        select(Proposal).where(Proposal.cycle_id == cycle_id, Proposal.status == "proposed")).scalars()}
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
        if person is not None and not person.movable:
            problems.append(f"tambah {a.nip}: pegawai ditandai tidak dapat dimutasi")
        if a.nip in proposed and a.nip not in seen:
            problems.append(f"tambah {a.nip}: sudah ada dalam usulan (hapus dulu untuk mengganti tujuan)")
        if a.nip in {x.nip for x in changes.additions if x is not a}:
            problems.append(f"tambah {a.nip}: lebih dari sekali")
        if not a.reason.strip():
            problems.append(f"tambah {a.nip}: alasan wajib diisi")
    return sorted(set(problems))

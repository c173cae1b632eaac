"""HR's review of a proposed plan, built for thousands of proposals: filtered, searched,
sorted and paged on the server; each proposal as one summary line (numbers first) with
its explanation folded under it; removals marked as a draft that survives paging and
refused forms until the plan is decided."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlmodel import Session, col

from contracts.chain import mutation_type
from models import Agency, PlanRemoval, Proposal, Unit
from mutasi.infra.db import rows_changed

PAGE_SIZE = 50
SORTS = {
    "unit": lambda r: (r["destination_unit"], r["name"]),
    "name": lambda r: (r["name"], r["nip"]),
    "jpm": lambda r: (r["jpm"], r["name"]),
    "jpm_desc": lambda r: (-r["jpm"], r["name"]),
}
FLAGS = {
    "marked": "ditandai keluar",
    "low_jpm": "JPM di bawah 78 %",
    "rotation_due": "melewati batas 5 tahun",
    "preference": "unit pilihan pegawai",
}
JPM_SUFFICIENT = 78.0


@dataclass
class ReviewFilter:
    q: str = ""
    unit: str = ""
    opd: str = ""
    position: str = ""
    kind: str = ""
    flag: str = ""
    sort: str = "unit"
    page: int = 1

    def query_string(self, **changes: Any) -> str:
        from urllib.parse import urlencode

        values = {**self.__dict__, **changes}
        return urlencode({k: v for k, v in values.items() if v not in ("", None, 1, "unit")})


@dataclass
class ReviewPage:
    rows: list[dict[str, Any]]
    total: int  # proposals of the cycle
    matching: int  # after the filters
    page: int
    pages: int
    marked: dict[str, str] = field(default_factory=dict)  # nip -> reason
    units: list[tuple[str, str]] = field(default_factory=list)
    opds: list[tuple[str, str]] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)


def _tops(units: dict[str, Unit]) -> dict[str, str]:
    """Each unit's perangkat daerah (its top-level ancestor)."""
    tops: dict[str, str] = {}
    for code in units:
        seen, cur = set(), code
        while units[cur].parent_code and units[cur].parent_code in units and cur not in seen:
            seen.add(cur)
            cur = units[cur].parent_code or cur
        tops[code] = cur
    return tops


SUMMARY_TEXT = {
    "id": {
        "jpm": "JPM {} %",
        "now": " (kini {} %)",
        "tenure": "masa jabatan {}",
        "staffing": "tujuan terisi {} dari kebutuhan {}",
        "choice": "pilihan ke-{}",
        "rotation": "wajib rotasi",
    },
    "en": {
        "jpm": "JPM {} %",
        "now": " (now {} %)",
        "tenure": "time in post {}",
        "staffing": "destination has {} of {} needed",
        "choice": "choice no. {}",
        "rotation": "rotation due",
    },
}


Say = Callable[[str], str]


def as_is(text: str) -> str:
    return text


def summary_line(p: Proposal, lang: str = "id", say: Say = as_is) -> str:
    """Numbers first: JPM here and there, tenure, the destination's staffing."""
    t = SUMMARY_TEXT.get(lang, SUMMARY_TEXT["id"])
    d = p.detail or {}
    parts = [t["jpm"].format(f"{p.jpm:.0f}")]
    if d.get("jpm_origin") is not None:
        parts[0] += t["now"].format(f"{d['jpm_origin']:.0f}")
    if d.get("tenure_text"):
        parts.append(t["tenure"].format(say(d["tenure_text"])))
    dest = (d.get("positions") or {}).get("destination")
    if dest:
        parts.append(t["staffing"].format(dest["current"], dest["required"]))
    if d.get("preference_rank"):
        parts.append(t["choice"].format(d["preference_rank"]))
    if d.get("rotation_due"):
        parts.append(t["rotation"])
    return " · ".join(parts)


def review(
    session: Session, cycle_id: str, f: ReviewFilter, lang: str = "id", say: Say = as_is
) -> ReviewPage:
    units = {u.code: u for u in session.execute(select(Unit)).scalars()}
    agencies = {
        a.code: (a.code, a.province, a.kind) for a in session.execute(select(Agency)).scalars()
    }
    tops = _tops(units)
    marked = dict(
        session.execute(
            select(col(PlanRemoval.nip), col(PlanRemoval.reason)).where(
                col(PlanRemoval.cycle_id) == cycle_id
            )
        ).all()
    )
    total = session.execute(
        select(func.count()).select_from(Proposal).where(col(Proposal.cycle_id) == cycle_id)
    ).scalar_one()
    light = select(
        col(Proposal.nip),
        col(Proposal.name),
        col(Proposal.origin_unit),
        col(Proposal.destination_unit),
        col(Proposal.jpm),
        col(Proposal.status),
    ).where(col(Proposal.cycle_id) == cycle_id)
    if f.q:
        like = f"%{f.q.strip().lower()}%"
        light = light.where(
            or_(func.lower(col(Proposal.name)).like(like), col(Proposal.nip).like(like))
        )
    if f.unit:
        light = light.where(
            or_(col(Proposal.origin_unit) == f.unit, col(Proposal.destination_unit) == f.unit)
        )
    if f.position:
        light = light.where(col(Proposal.destination_position) == f.position)
    if f.flag == "low_jpm":
        light = light.where(col(Proposal.jpm) < JPM_SUFFICIENT)
    if f.flag == "marked":
        light = light.where(col(Proposal.nip).in_(list(marked) or [""]))
    rows = []
    for nip, name, o_unit, d_unit, jpm, status in session.execute(light):
        if f.opd and f.opd not in (tops.get(o_unit), tops.get(d_unit)):
            continue
        o_agency = units[o_unit].agency_code if o_unit in units else ""
        d_agency = units[d_unit].agency_code if d_unit in units else ""
        kind = mutation_type(
            agencies.get(o_agency, (o_agency, "")), agencies.get(d_agency, (d_agency, ""))
        )
        if f.kind and kind != f.kind:
            continue
        rows.append(
            {
                "nip": nip,
                "name": name,
                "origin_unit": o_unit,
                "destination_unit": d_unit,
                "jpm": jpm,
                "status": status,
                "mutation_type": str(kind),
            }
        )
    if f.flag in ("rotation_due", "preference"):  # in the explanation: read for the candidates
        key = "rotation_due" if f.flag == "rotation_due" else "preference_rank"
        wanted = {r["nip"] for r in rows}
        details = (
            session.execute(
                select(col(Proposal.nip), col(Proposal.detail)).where(
                    col(Proposal.cycle_id) == cycle_id, col(Proposal.nip).in_(wanted)
                )
            ).all()
            if wanted
            else []
        )
        keep = {nip for nip, detail in details if (detail or {}).get(key)}
        rows = [r for r in rows if r["nip"] in keep]
    rows.sort(key=SORTS.get(f.sort, SORTS["unit"]))
    matching = len(rows)
    pages = max(1, -(-matching // PAGE_SIZE))
    page = min(max(1, f.page), pages)
    shown = rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    full = (
        {
            p.nip: p
            for p in session.execute(
                select(Proposal).where(
                    col(Proposal.cycle_id) == cycle_id,
                    col(Proposal.nip).in_([r["nip"] for r in shown]),
                )
            ).scalars()
        }
        if shown
        else {}
    )
    out = []
    for r in shown:
        p = full[r["nip"]]
        d = p.detail or {}
        out.append(
            {
                **r,
                "proposal": p,
                "origin_title": d.get("origin_title") or p.origin_position,
                "destination_title": d.get("destination_title") or p.destination_position,
                "origin_name": units[p.origin_unit].name
                if p.origin_unit in units
                else p.origin_unit,
                "destination_name": units[p.destination_unit].name
                if p.destination_unit in units
                else p.destination_unit,
                "summary": summary_line(p, lang, say),
                "marked": marked.get(p.nip),
            }
        )
    used = {r["origin_unit"] for r in rows} | {r["destination_unit"] for r in rows}
    return ReviewPage(
        rows=out,
        total=total,
        matching=matching,
        page=page,
        pages=pages,
        marked=marked,
        units=sorted(((c, units[c].name) for c in used if c in units), key=lambda u: u[1]),
        opds=sorted(
            {(tops[c], units[tops[c]].name) for c in units if c in tops}, key=lambda u: u[1]
        ),
        kinds=sorted({r["mutation_type"] for r in rows}),
    )


def parse_back(query: str) -> dict[str, Any]:
    """The review's filters from the query string a form carried back."""
    from urllib.parse import parse_qsl

    known = ReviewFilter().__dict__
    values: dict[str, Any] = {}
    for key, value in parse_qsl(query):
        if key in known:
            values[key] = int(value) if key == "page" and value.isdigit() else value[:100]
    values.setdefault("page", 1)
    if not isinstance(values["page"], int):
        values["page"] = 1
    return values


def mark(session: Session, cycle_id: str, nips: list[str], reason: str, actor: str) -> int:
    """Mark proposals (of this cycle, still proposed) to be left out; returns how many."""
    known = set(
        session.execute(
            select(col(Proposal.nip)).where(
                col(Proposal.cycle_id) == cycle_id,
                col(Proposal.nip).in_(nips),
                col(Proposal.status) == "proposed",
            )
        ).scalars()
    )
    now = datetime.now(UTC)
    for nip in sorted(known):
        session.merge(
            PlanRemoval(cycle_id=cycle_id, nip=nip, reason=reason, marked_by=actor, marked_at=now)
        )
    session.commit()
    return len(known)


def unmark(session: Session, cycle_id: str, nips: list[str]) -> int:
    gone = rows_changed(
        session.execute(
            delete(PlanRemoval).where(
                col(PlanRemoval.cycle_id) == cycle_id, col(PlanRemoval.nip).in_(nips)
            )
        )
    )
    session.commit()
    return gone or 0


def marked_removals(session: Session, cycle_id: str) -> list[dict[str, str]]:
    return [
        {"nip": nip, "reason": reason}
        for nip, reason in session.execute(
            select(col(PlanRemoval.nip), col(PlanRemoval.reason))
            .where(col(PlanRemoval.cycle_id) == cycle_id)
            .order_by(col(PlanRemoval.nip))
        ).all()
    ]


def clear(session: Session, cycle_id: str) -> None:
    session.execute(delete(PlanRemoval).where(col(PlanRemoval.cycle_id) == cycle_id))
    session.commit()

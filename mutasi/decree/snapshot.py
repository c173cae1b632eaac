"""The snapshot of a decree: every input its text is made from, read once when it is
issued (signatory, titles, legal bases, annex rows, the letters it cites, tembusan), so the
issued document never depends on settings or org data read later."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from contracts.chain import OUTSIDE_LETTERS
from contracts.enums import MutationType, TaskKind, TaskStatus
from models import Agency, ApprovalTask, EmbargoWindow, Employee, MutationCase
from mutasi.decree.profile import DecreeProfile, profile_of
from mutasi.dossier.checklist import LETTER_KINDS, PPK_LETTER
from mutasi.org.directory import OrgDirectory, Unresolvable
from planning.calendar import date_text
from planning.reference import PNS_RANKS

EMPLOYEE_KIND = {
    "PNS": "Pegawai Negeri Sipil",
    "PPPK": "Pegawai Pemerintah dengan Perjanjian Kerja",
}
# How an outside authority's decision is cited, by its role in the chain.
AUTHORITY_TITLES = {
    "governor": "Keputusan Gubernur {province}",
    "kemendagri": "Keputusan Menteri Dalam Negeri",
    "bkn": "Keputusan Kepala Badan Kepegawaian Negara",
    "bkn_pertek": "Pertimbangan Teknis Badan Kepegawaian Negara",
    "bkn_regional": "Pertimbangan Teknis Badan Kepegawaian Negara",
}


class MixedBatch(ValueError):
    """PNS and PPPK in one decree: they are moved under different rules and wording."""


@dataclass(frozen=True, kw_only=True)
class Cited:
    """One letter a decree rests on: its sentence and its date (the decree may not precede)."""

    text: str
    dated: date


@dataclass(kw_only=True)
class SnapshotInput:
    kind: str  # decree | collective | extract
    number: str
    agency_code: str
    decided_on: date
    tmt: date
    rows: list[dict[str, Any]]
    cases: list[str]  # the case ids behind the rows
    method: str
    verify_url: str
    certificate: str = ""
    extract: dict[str, int] | None = None
    cited: list[Cited] = field(default_factory=list)


def cited_letters(session: Session, case_ids: list[str], province: str) -> list[Cited]:
    """What the decisions rest on, in chain order, each letter once: the committee's minutes
    and the outside offices' letters. The PPK's own approval is not cited: the decree is it."""
    tasks = session.execute(
        select(ApprovalTask)
        .where(
            col(ApprovalTask.case_id).in_(case_ids),
            col(ApprovalTask.kind).in_([TaskKind.RECORDED, TaskKind.COMMITTEE]),
            col(ApprovalTask.status) == TaskStatus.APPROVED,
        )
        .order_by(col(ApprovalTask.step), col(ApprovalTask.case_id))
    ).scalars()
    cited: dict[str, Cited] = {}
    for t in tasks:
        if not (t.letter_number and t.letter_date):
            continue
        if t.kind == TaskKind.COMMITTEE:
            title = f"Berita Acara Sidang {t.title}"
        else:
            letter = OUTSIDE_LETTERS.get(t.role, PPK_LETTER)
            if letter == PPK_LETTER:
                continue
            title = AUTHORITY_TITLES.get(t.role, LETTER_KINDS[letter]).format(province=province)
        text = f"{title} Nomor {t.letter_number} tanggal {date_text(t.letter_date)}"
        cited.setdefault(text, Cited(text=text, dated=t.letter_date))
    return list(cited.values())


def embargo_approval(session: Session, agency_code: str, on: date) -> Cited | None:
    """The Minister's written approval that lets a decree be issued inside an embargo."""
    window = (
        session.execute(
            select(EmbargoWindow).where(
                col(EmbargoWindow.agency_code) == agency_code,
                col(EmbargoWindow.starts_on) <= on,
                col(EmbargoWindow.ends_on) >= on,
                col(EmbargoWindow.approval_number).is_not(None),
            )
        )
        .scalars()
        .first()
    )
    if window is None or window.approval_date is None:
        return None
    text = (
        f"Persetujuan tertulis Menteri Dalam Negeri Nomor {window.approval_number} "
        f"tanggal {date_text(window.approval_date)}"
    )
    return Cited(text=text, dated=window.approval_date)


def _official(employee: Employee | None, title: str) -> dict[str, Any] | None:
    if employee is None:
        return None
    return {
        "name": employee.name,
        "nip": employee.nip,
        "title": title,
        "rank_text": rank_text(employee.rank),
    }


def rank_text(rank: str | None) -> str:
    """ "Penata Muda (III/a)"; a PPPK grade or an unknown rank as it is."""
    if not rank:
        return "-"
    name = PNS_RANKS.get(rank)
    return f"{name} ({rank})" if name else rank


def signatory(session: Session, agency: Agency, profile: DecreeProfile) -> dict[str, Any]:
    """Who signs: an acting PPK (Plt./Plh.), the Sekda "a.n." where the PPK delegated, or
    the PPK (a regional head: name only, no NIP)."""
    if profile.acting and profile.acting_official is not None:
        return {"mode": profile.acting, **profile.acting_official.model_dump()}
    if agency.ppk_delegation == "sekda":
        try:
            sekda = session.get(Employee, OrgDirectory(session).sekda(agency.code))
        except Unresolvable:
            sekda = None
        found = _official(sekda, "Sekretaris Daerah")
        if found is not None:
            return {"mode": "an", **found}
    return {
        "mode": "definitive",
        "name": agency.ppk_name or agency.ppk_title,
        "nip": None,
        "title": agency.ppk_title,
        "rank_text": None,
    }


def certifier(session: Session, agency: Agency, profile: DecreeProfile) -> dict[str, Any]:
    if profile.certifier is not None:
        return profile.certifier.model_dump()
    try:
        head = session.get(Employee, OrgDirectory(session).bkpsdm_head(agency.code))
    except Unresolvable:
        head = None
    found = _official(head, "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia")
    return found or {"name": "-", "nip": None, "title": "Kepala BKPSDM", "rank_text": None}


def grounds(kind_text: str, cases: list[MutationCase], asn_type: str) -> list[str]:
    """Menimbang, by what moved these people: the agency's need, their own request, a move
    between agencies, a PPPK's work agreement."""
    said = []
    if asn_type == "PPPK":
        said.append(
            f"bahwa untuk memenuhi kebutuhan organisasi dan sesuai dengan perjanjian kerja, perlu "
            f"memindahkan dan menempatkan {kind_text} yang namanya tercantum dalam Lampiran "
            "Keputusan ini;"
        )
    elif any(c.request_id is None and c.mutation_type == MutationType.WITHIN_AGENCY for c in cases):
        said.append(
            "bahwa dalam rangka pemerataan beban kerja, pengembangan karier dan kesesuaian "
            "kompetensi, berdasarkan analisis beban kerja dan pemetaan kompetensi, perlu "
            f"memindahkan dan menempatkan {kind_text} yang namanya tercantum dalam Lampiran "
            "Keputusan ini;"
        )
    if asn_type != "PPPK" and any(c.request_id is not None for c in cases):
        said.append(
            f"bahwa {kind_text} yang namanya tercantum dalam Lampiran Keputusan ini telah "
            "mengajukan permohonan pindah atas permintaan sendiri dan permohonan tersebut telah "
            "memenuhi persyaratan;"
        )
    if any(c.mutation_type != MutationType.WITHIN_AGENCY for c in cases):
        said.append(
            "bahwa pemindahan antar instansi tersebut telah mendapat persetujuan Pejabat Pembina "
            "Kepegawaian instansi asal dan instansi penerima serta pertimbangan teknis Badan "
            "Kepegawaian Negara;"
        )
    return said


def letters_cited(count: int) -> str:
    """ "huruf a", "huruf a dan huruf b", "huruf a, huruf b, dan huruf c"."""
    names = [f"huruf {chr(ord('a') + i)}" for i in range(count)]
    if len(names) <= 2:
        return " dan ".join(names)
    return ", ".join(names[:-1]) + ", dan " + names[-1]


def tembusan(profile: DecreeProfile, cases: list[MutationCase]) -> list[str]:
    copied = [profile.kanreg_bkn]
    if any(c.mutation_type != MutationType.WITHIN_AGENCY for c in cases):
        if profile.governor:
            copied.append(profile.governor)
        copied.append("Pejabat Pembina Kepegawaian instansi asal")
    copied += profile.tembusan
    copied.append("Pegawai yang bersangkutan")
    return list(dict.fromkeys(copied))


def build_snapshot(session: Session, inp: SnapshotInput) -> dict[str, Any]:
    agency = session.get(Agency, inp.agency_code)
    if agency is None:
        raise LookupError(f"instansi {inp.agency_code} tidak ada")
    profile = profile_of(agency.decree_profile)
    types = {r.get("asn_type") or "PNS" for r in inp.rows}
    if len(types) > 1:
        raise MixedBatch("PNS dan PPPK tidak boleh dalam satu keputusan: pisahkan batch-nya")
    asn_type = types.pop()
    kind_text = EMPLOYEE_KIND.get(asn_type, EMPLOYEE_KIND["PNS"])
    cases = list(
        session.execute(select(MutationCase).where(col(MutationCase.id).in_(inp.cases))).scalars()
    )
    rows = [{**r, "rank_text": rank_text(r.get("rank"))} for r in inp.rows]
    said = grounds(kind_text, cases, asn_type)
    return {
        "kind": inp.kind,
        "number": inp.number,
        "agency_code": agency.code,
        "agency_kind": agency.kind,
        "office": agency.ppk_office,
        "ppk_title": agency.ppk_title,
        "heading": agency.ppk_title.upper(),
        "seat": agency.seat,
        "province": agency.province,
        "decided_on": inp.decided_on.isoformat(),
        "decided_on_text": date_text(inp.decided_on),
        "tmt": inp.tmt.isoformat(),
        "tmt_text": date_text(inp.tmt),
        "asn_type": asn_type,
        "employee_kind": kind_text,
        "grounds": said,
        "grounds_cited": letters_cited(len(said)),
        "mengingat": profile.mengingat(agency.kind, asn_type),
        "considering": [c.text for c in inp.cited],
        "rows": rows,
        "extract": inp.extract,
        "signatory": {**signatory(session, agency, profile), "certificate": inp.certificate},
        "certifier": certifier(session, agency, profile),
        "tembusan": tembusan(profile, cases),
        "method": inp.method,
        "verify_url": inp.verify_url,
        "coat_of_arms": agency.coat_of_arms,
    }

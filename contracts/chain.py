"""Approval chains: the step kinds HR may use, the default templates per mutation type, and
the rules of one step.

Pure and deterministic, so the case workflow can use it and tests can drive it alone.

A step lists *tokens*, each one of the registry's kinds:
- an org role, resolved from org data when the step opens (`origin_head`, `ppk`, ...);
- a named position, `position:<code>`: whoever holds that post;
- an outside authority (`origin_ppk`, `governor`, `bkn_pertek`, ...): another office decides
  on paper, and an HR officer records its letter (number, date, document) as evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from contracts.enums import MutationType

# Resolved from org data to a person who decides in the inbox. "ppk" is the agency's head
# (Bupati/Wali Kota/Gubernur): where the agency has delegated the decision to the Sekda it is
# the Sekda's task ("a.n."), otherwise BKPSDM records the head's signed decision.
ORG_ROLES = {
    "origin_head": "Kepala Perangkat Daerah asal",
    "destination_head": "Kepala Perangkat Daerah tujuan",
    "bkpsdm_head": "Kepala BKPSDM",
    "sekda": "Sekretaris Daerah",
    "ppk": "Pejabat Pembina Kepegawaian (PPK)",
}
# Outside offices: their acts are letters that HR records, never clicks "on their behalf".
OUTSIDE_AUTHORITIES = {
    "origin_ppk": "PPK instansi asal (surat persetujuan melepas)",
    "receiving_ppk": "PPK instansi penerima (surat persetujuan menerima)",
    "bkn_pertek": "BKN (pertimbangan teknis)",
    "governor": "Gubernur (keputusan mutasi)",
    "kemendagri": "Menteri Dalam Negeri (keputusan mutasi)",
    "bkn": "Kepala BKN (keputusan mutasi)",
    # Kept for templates saved before the registry: the same act as bkn_pertek.
    "bkn_regional": "Kantor Regional BKN (pertimbangan teknis)",
}
# The kind of letter each outside act is recorded with.
OUTSIDE_LETTERS = {
    "origin_ppk": "surat_melepas",
    "receiving_ppk": "surat_menerima",
    "bkn_pertek": "pertek_bkn",
    "bkn_regional": "pertek_bkn",
    "governor": "keputusan_mutasi",
    "kemendagri": "keputusan_mutasi",
    "bkn": "keputusan_mutasi",
}
# The competent authority's decision: required documents must be complete before it opens.
DECIDING = frozenset({"ppk", "governor", "kemendagri", "bkn"})
# The performance assessment team's review (TPK; Baperjakat for structural posts): decided
# for a batch of cases in one sitting, whose signed minutes are the evidence.
COMMITTEE = "committee"
COMMITTEE_TITLES = {
    "tpk": "Tim Penilai Kinerja (TPK)",
    "baperjakat": "Badan Pertimbangan Jabatan dan Kepangkatan (Baperjakat)",
}
POSITION_PREFIX = "position:"
_POSITION_CODE = re.compile(r"^[A-Za-z0-9._-]{1,32}$")

STEP_KINDS = {
    "org_role": "Peran dari data organisasi",
    "position": "Jabatan tertentu",
    "outside": "Instansi luar (dicatat HR dengan surat)",
    "committee": "Tim penilai (TPK/Baperjakat), diputus dalam sidang",
}

# The previous name of the titles: every token the registry knows, with its title.
ROLE_TITLES = {
    **ORG_ROLES,
    **OUTSIDE_AUTHORITIES,
    COMMITTEE: "Tim Penilai Kinerja / Baperjakat",
}


def step_kind(token: str) -> str | None:
    """The registry kind of a step token, or None when it is not one."""
    if token in ORG_ROLES:
        return "org_role"
    if token in OUTSIDE_AUTHORITIES:
        return "outside"
    if token == COMMITTEE:
        return "committee"
    if token.startswith(POSITION_PREFIX) and _POSITION_CODE.match(
        token.removeprefix(POSITION_PREFIX)
    ):
        return "position"
    return None


def position_of(token: str) -> str | None:
    return token.removeprefix(POSITION_PREFIX) if step_kind(token) == "position" else None


def token_title(token: str) -> str:
    if token in ROLE_TITLES:
        return ROLE_TITLES[token]
    code = position_of(token)
    return f"Pemegang jabatan {code}" if code else token


@dataclass(kw_only=True)
class ChainStep:
    """One step: a single role (sequential) or several in parallel with a quorum. The one
    definition used by the default templates, the API's template bodies, the stored
    templates (as JSON) and the case workflow; `validate_steps` holds its rules."""

    name: str
    roles: list[str]
    quorum: int = 0  # approvals needed; 0 means all roles
    deadline_days: int = 3
    reminder_days: float = 1.5  # after opening; a reminder goes to whoever has not decided

    def needed(self) -> int:
        return self.quorum or len(self.roles)


@dataclass(kw_only=True)
class ChainTemplate:
    mutation_type: str
    name: str
    steps: list[ChainStep] = field(default_factory=list)


def _seq(*roles: str) -> list[ChainStep]:
    return [ChainStep(name=ROLE_TITLES[r], roles=[r]) for r in roles]


DEFAULT_TEMPLATES: dict[str, ChainTemplate] = {
    MutationType.WITHIN_AGENCY: ChainTemplate(
        mutation_type=MutationType.WITHIN_AGENCY,
        name="Mutasi dalam satu instansi",
        # The committee's review is a precondition of the PPK's decision (PP 11/2017).
        steps=_seq("origin_head", "destination_head", "bkpsdm_head", COMMITTEE, "ppk"),
    ),
    # Release and acceptance letters, then BKN's technical consideration, then the competent
    # authority decides (PP 11/2017 Ps 192-195; Peraturan BKN 5/2019).
    MutationType.BETWEEN_REGENCIES: ChainTemplate(
        mutation_type=MutationType.BETWEEN_REGENCIES,
        name="Mutasi antar-kabupaten/kota dalam satu provinsi",
        steps=_seq("origin_ppk", "receiving_ppk", "bkn_pertek", "governor"),
    ),
    MutationType.BETWEEN_PROVINCES: ChainTemplate(
        mutation_type=MutationType.BETWEEN_PROVINCES,
        name="Mutasi antar-provinsi atau antar-kabupaten/kota beda provinsi",
        steps=_seq("origin_ppk", "receiving_ppk", "bkn_pertek", "kemendagri"),
    ),
    MutationType.REGIONAL_CENTRAL: ChainTemplate(
        mutation_type=MutationType.REGIONAL_CENTRAL,
        name="Mutasi antara instansi daerah dan instansi pusat",
        steps=_seq("origin_ppk", "receiving_ppk", "bkn"),
    ),
}


MAX_STEPS = 12
MAX_PARALLEL_ROLES = 10
MAX_DEADLINE_DAYS = 90


def validate_steps(steps: list[ChainStep]) -> list[str]:
    """Problems with a template, in Bahasa Indonesia (empty when valid)."""
    problems = []
    if not steps:
        problems.append("rantai persetujuan minimal satu langkah")
    if len(steps) > MAX_STEPS:
        problems.append(f"rantai persetujuan paling banyak {MAX_STEPS} langkah")
    for i, step in enumerate(steps, start=1):
        if not 3 <= len(step.name.strip()) <= 200:
            problems.append(f"langkah {i}: nama 3 sampai 200 karakter")
        if not step.roles:
            problems.append(f"langkah {i}: belum ada peran")
        if len(step.roles) > MAX_PARALLEL_ROLES:
            problems.append(f"langkah {i}: paling banyak {MAX_PARALLEL_ROLES} peran sejajar")
        unknown = [r for r in step.roles if step_kind(r) is None]
        if unknown:
            problems.append(f"langkah {i}: jenis langkah tidak dikenal {', '.join(unknown)}")
        alone = [r for r in step.roles if step_kind(r) in ("outside", "committee")]
        if alone and len(step.roles) > 1:
            problems.append(f"langkah {i}: {alone[0]} harus langkah tersendiri")
        if len(set(step.roles)) != len(step.roles):
            problems.append(f"langkah {i}: peran ganda")
        if not 0 <= step.quorum <= len(step.roles):
            problems.append(f"langkah {i}: kuorum {step.quorum} di luar 0..{len(step.roles)}")
        if not 1 <= step.deadline_days <= MAX_DEADLINE_DAYS:
            problems.append(f"langkah {i}: tenggat 1 sampai {MAX_DEADLINE_DAYS} hari")
        if not 0 < step.reminder_days < step.deadline_days:
            problems.append(f"langkah {i}: pengingat harus sebelum tenggat")
    return problems


def step_outcome(needed: int, total: int, approvals: int, rejections: int) -> str | None:
    """'approved' once the quorum approves, 'rejected' once it no longer can; else None."""
    if approvals >= needed:
        return "approved"
    if total - rejections < needed:
        return "rejected"
    return None


def mutation_type(
    origin_agency: tuple[str, ...], destination_agency: tuple[str, ...]
) -> MutationType:
    """From (agency code, province[, kind]) of both sides; kind "pusat" is a central agency."""
    if origin_agency[0] == destination_agency[0]:
        return MutationType.WITHIN_AGENCY
    if "pusat" in (origin_agency[2:3] + destination_agency[2:3]):
        return MutationType.REGIONAL_CENTRAL
    if origin_agency[1] == destination_agency[1]:
        return MutationType.BETWEEN_REGENCIES
    return MutationType.BETWEEN_PROVINCES


def deciding_step(steps: list[ChainStep]) -> int | None:
    """The index of the competent authority's decision (the first step with a deciding
    token), before which the required documents must be complete."""
    return next((i for i, step in enumerate(steps) if any(r in DECIDING for r in step.roles)), None)

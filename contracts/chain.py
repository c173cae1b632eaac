"""Approval chains: the default templates per mutation type, and the rules of one step.

Pure and deterministic, so the case workflow can use it and tests can drive it alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from contracts.enums import MutationType

ROLE_TITLES = {
    "origin_head": "Kepala Perangkat Daerah asal",
    "destination_head": "Kepala Perangkat Daerah tujuan",
    "bkpsdm_head": "Kepala BKPSDM",
    "ppk": "PPK (Sekretaris Daerah atas nama PPK)",
    "receiving_ppk": "PPK instansi penerima",
    "origin_ppk": "PPK instansi asal",
    "governor": "Gubernur",
    "bkn_regional": "Kantor Regional BKN (pertimbangan teknis)",
    "kemendagri": "Kementerian Dalam Negeri",
    "bkn": "Kepala BKN",
}
# Outside the agency: BKPSDM records their letters on their behalf.
EXTERNAL_ROLES = frozenset(
    {"receiving_ppk", "origin_ppk", "governor", "bkn_regional", "kemendagri", "bkn"}
)


@dataclass
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


@dataclass
class ChainTemplate:
    mutation_type: str
    name: str
    steps: list[ChainStep] = field(default_factory=list)


def _seq(*roles: str) -> list[ChainStep]:
    return [ChainStep(ROLE_TITLES[r], [r]) for r in roles]


DEFAULT_TEMPLATES: dict[str, ChainTemplate] = {
    "within_agency": ChainTemplate(
        "within_agency",
        "Mutasi dalam satu instansi",
        _seq("origin_head", "destination_head", "bkpsdm_head", "ppk"),
    ),
    "between_regencies": ChainTemplate(
        "between_regencies",
        "Mutasi antar-kabupaten/kota dalam satu provinsi",
        _seq("receiving_ppk", "origin_ppk", "governor", "bkn_regional"),
    ),
    "between_provinces": ChainTemplate(
        "between_provinces",
        "Mutasi antar-provinsi",
        _seq("receiving_ppk", "origin_ppk", "governor", "kemendagri", "bkn"),
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
        unknown = [r for r in step.roles if r not in ROLE_TITLES]
        if unknown:
            problems.append(f"langkah {i}: peran tidak dikenal {', '.join(unknown)}")
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
    origin_agency: tuple[str, str], destination_agency: tuple[str, str]
) -> MutationType:
    """From (agency code, province) of both sides."""
    if origin_agency[0] == destination_agency[0]:
        return MutationType.WITHIN_AGENCY
    if origin_agency[1] == destination_agency[1]:
        return MutationType.BETWEEN_REGENCIES
    return MutationType.BETWEEN_PROVINCES

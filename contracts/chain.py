"""Approval chains: the default templates per mutation type, and the rules of one step.

Pure and deterministic, so the case workflow can use it and tests can drive it alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
    """One step: a single role (sequential) or several in parallel with a quorum."""

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


def validate_steps(steps: list[ChainStep]) -> list[str]:
    """Problems with a template, in Bahasa Indonesia (empty when valid)."""
    problems = []
    if not steps:
        problems.append("rantai persetujuan minimal satu langkah")
    for i, step in enumerate(steps, start=1):
        if not step.roles:
            problems.append(f"langkah {i}: belum ada peran")
        unknown = [r for r in step.roles if r not in ROLE_TITLES]
        if unknown:
            problems.append(f"langkah {i}: peran tidak dikenal {', '.join(unknown)}")
        if len(set(step.roles)) != len(step.roles):
            problems.append(f"langkah {i}: peran ganda")
        if not 0 <= step.quorum <= len(step.roles):
            problems.append(f"langkah {i}: kuorum {step.quorum} di luar 0..{len(step.roles)}")
        if step.deadline_days < 1:
            problems.append(f"langkah {i}: tenggat minimal 1 hari")
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


def mutation_type(origin_agency: tuple[str, str], destination_agency: tuple[str, str]) -> str:
    """From (agency code, province) of both sides."""
    if origin_agency[0] == destination_agency[0]:
        return "within_agency"
    if origin_agency[1] == destination_agency[1]:
        return "between_regencies"
    return "between_provinces"

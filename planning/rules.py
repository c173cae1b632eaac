"""Hard rules: who may be proposed for a move at all (`check`), and whether a given post is
one they may fill (`pair_checks`). The optimiser applies the same rules vectorised
(planning.candidates), HR's own additions and overrides go through these functions, and
the explanations list every rule with its outcome."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from planning.calendar import (
    add_months,
    add_years,
    date_text,
    months_between,
    span_text,
    years_as_months,
)
from planning.competency import education_rank
from planning.reference import (
    DEFAULT_RETIREMENT_AGES,
    GOOD_PREDIKATS,
    JENJANG,
    SERVICE_STATUSES,
    rank_order,
    retirement_group,
)
from planning.types import EmployeeInfo, PositionInfo


@dataclass(frozen=True)
class RuleSettings:
    """Spans are counted by calendar anniversaries (planning.calendar), in whole months."""

    min_tenure_years: float = 2.0
    rotation_due_years: float = 5.0
    sanction_lookback_years: float = 2.0
    blocking_sanctions: tuple[str, ...] = ("sedang", "berat")
    good_ratings_required: int = 2  # the last N yearly ratings must be Baik or better
    min_jpm: float = 60.0  # below this, a destination does not fit at all
    # A higher job class is a promotion, not a transfer: the most a move may rise (0: none).
    job_class_tolerance: int = 0
    include_pppk: bool = False  # PPPK are not moved under PNS transfer rules unless configured
    retirement_ages: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_RETIREMENT_AGES))
    retirement_margin_months: int = 12  # nobody is moved this close to their BUP
    # Past the five-year ceiling: "bonus" (a lower move cost) or "must_consider" (also a
    # candidate from a post without surplus, with the same bonus).
    rotation_rule: str = "bonus"


@dataclass(frozen=True)
class RuleCheck:
    code: str
    ok: bool
    message: str


@dataclass(frozen=True)
class Eligibility:
    nip: str
    checks: tuple[RuleCheck, ...]
    tenure_years: float
    rotation_due: bool
    tenure_months: int = 0

    @property
    def tenure_text(self) -> str:
        return span_text(self.tenure_months)

    @property
    def eligible(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def failures(self) -> list[RuleCheck]:
        return [c for c in self.checks if not c.ok]


def check(
    employee: EmployeeInfo,
    as_of: date,
    settings: RuleSettings = RuleSettings(),
    post: PositionInfo | None = None,
) -> Eligibility:
    """The rules about the person: `post` is the one they hold (it sets their BUP)."""
    tenure = months_between(employee.position_tmt, as_of)
    minimum = years_as_months(settings.min_tenure_years)
    active = employee.service_status == "aktif"
    checks = [
        RuleCheck(
            "movable",
            employee.movable,
            "dapat dimutasi"
            if employee.movable
            else f"tidak dapat dimutasi: {employee.not_movable_reason or 'tanpa alasan'}",
        ),
        RuleCheck(
            "service_status",
            active,
            "status kepegawaian aktif"
            if active
            else f"sedang {SERVICE_STATUSES.get(employee.service_status, employee.service_status)}",
        ),
        RuleCheck(
            "asn_type",
            employee.asn_type == "PNS" or settings.include_pppk,
            "PNS"
            if employee.asn_type == "PNS"
            else "PPPK: aturan mutasi PNS tidak berlaku"
            + ("" if not settings.include_pppk else " (diizinkan oleh pengaturan siklus)"),
        ),
        _retirement(employee, as_of, settings, post),
        RuleCheck(
            "min_tenure",
            tenure >= minimum,
            f"masa jabatan {span_text(tenure)} (minimal {span_text(minimum)})",
        ),
    ]
    # A sanction blocks until the anniversary that ends its look-back period.
    lookback = years_as_months(settings.sanction_lookback_years)
    recent = [
        (d, level)
        for d, level in employee.sanctions
        if level in settings.blocking_sanctions and as_of < add_months(d, lookback)
    ]
    checks.append(
        RuleCheck(
            "no_recent_sanction",
            not recent,
            f"tidak ada hukuman disiplin sedang/berat dalam {span_text(lookback)} terakhir"
            if not recent
            else f"hukuman disiplin {recent[0][1]} pada {date_text(recent[0][0])} "
            f"(berlaku sebagai penghalang hingga {date_text(add_months(recent[0][0], lookback))})",
        )
    )
    last = sorted(employee.ratings, reverse=True)[: settings.good_ratings_required]
    good = len(last) == settings.good_ratings_required and all(p in GOOD_PREDIKATS for _, p in last)
    shown = ", ".join(f"{y}: {p}" for y, p in last) or "belum ada"
    checks.append(
        RuleCheck(
            "good_ratings",
            good,
            f"{settings.good_ratings_required} predikat kinerja terakhir minimal Baik ({shown})",
        )
    )
    return Eligibility(
        employee.nip,
        tuple(checks),
        round(tenure / 12, 2),
        tenure >= years_as_months(settings.rotation_due_years),
        tenure,
    )


def retirement_date(
    employee: EmployeeInfo, post: PositionInfo | None, settings: RuleSettings
) -> date | None:
    """The day the BUP is reached (the age's anniversary), or None without a birth date."""
    if employee.birth_date is None:
        return None
    group = retirement_group(post.kind, post.jenjang) if post is not None else "administrasi"
    return add_years(employee.birth_date, settings.retirement_ages.get(group, 58))


def _retirement(
    employee: EmployeeInfo, as_of: date, settings: RuleSettings, post: PositionInfo | None
) -> RuleCheck:
    bup = retirement_date(employee, post, settings)
    if bup is None:
        return RuleCheck(
            "retirement", True, "batas usia pensiun tidak dapat dihitung (tanggal lahir tidak ada)"
        )
    left = months_between(as_of, bup)
    ok = left >= settings.retirement_margin_months
    return RuleCheck(
        "retirement",
        ok,
        f"batas usia pensiun {date_text(bup)}, {span_text(max(left, 0))} lagi "
        f"(minimal {span_text(settings.retirement_margin_months)})",
    )


def pair_checks(
    employee: EmployeeInfo,
    origin: PositionInfo,
    dest: PositionInfo,
    settings: RuleSettings = RuleSettings(),
) -> tuple[RuleCheck, ...]:
    """The rules about the post: may this person fill it as a transfer?"""
    rise = dest.job_class - origin.job_class
    checks = [
        RuleCheck(
            "job_class",
            rise <= settings.job_class_tolerance,
            f"kelas jabatan {origin.job_class} ke {dest.job_class}"
            + (
                ""
                if rise <= settings.job_class_tolerance
                else " (naik kelas adalah promosi, bukan mutasi)"
            ),
        )
    ]
    if dest.min_rank:
        have, need = rank_order(employee.rank), rank_order(dest.min_rank)
        ok = have is not None and need is not None and have >= need
        checks.append(
            RuleCheck("min_rank", ok, f"pangkat/golongan {employee.rank}, minimal {dest.min_rank}")
        )
    if dest.jenjang:
        ok = origin.jenjang == dest.jenjang
        shown = JENJANG.get(origin.jenjang or "", "tanpa jenjang")
        checks.append(
            RuleCheck(
                "jenjang",
                ok,
                f"jenjang {shown}, jabatan tujuan {JENJANG.get(dest.jenjang, dest.jenjang)}",
            )
        )
    if dest.education_required:
        level_ok = not dest.min_education or education_rank(
            employee.education_level
        ) >= education_rank(dest.min_education)
        field_ok = not dest.education_fields or employee.education_field in dest.education_fields
        education = f"{employee.education_level} {employee.education_field}".strip()
        checks.append(
            RuleCheck(
                "education",
                level_ok and field_ok,
                f"pendidikan {education}, syarat minimal {dest.min_education or '-'}"
                + (f" bidang {'/'.join(dest.education_fields)}" if dest.education_fields else ""),
            )
        )
    return tuple(checks)

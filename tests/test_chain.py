"""Approval-chain rules: template validation, quorum outcomes, mutation types."""

from __future__ import annotations

from contracts.chain import (
    DEFAULT_TEMPLATES,
    ChainStep,
    mutation_type,
    step_outcome,
    validate_steps,
)


def test_default_templates_are_valid():
    for template in DEFAULT_TEMPLATES.values():
        assert validate_steps(template.steps) == [], template.mutation_type


def test_bad_templates_are_explained():
    problems = validate_steps(
        [
            ChainStep(
                name="x",
                roles=["origin_head", "origin_head", "raja"],
                quorum=5,
                deadline_days=0,
                reminder_days=2,
            )
        ]
    )
    text = " | ".join(problems)
    for fragment in (
        "jenis langkah tidak dikenal raja",
        "peran ganda",
        "kuorum 5",
        "tenggat 1 sampai 90 hari",
        "pengingat",
        "nama 3 sampai 200",
    ):
        assert fragment in text, text
    assert validate_steps([]) == ["rantai persetujuan minimal satu langkah"]


def test_step_bounds_hold_at_their_edges():
    def step(name: str = "Kepala", days: int = 3) -> ChainStep:
        return ChainStep(name=name, roles=["origin_head"], deadline_days=days, reminder_days=1)

    assert validate_steps([step(name="abc"), step(days=90)]) == []
    assert validate_steps([step(name="ab")]) == ["langkah 1: nama 3 sampai 200 karakter"]
    assert validate_steps([step(name="x" * 201)]) == ["langkah 1: nama 3 sampai 200 karakter"]
    assert validate_steps([step(days=91)]) == ["langkah 1: tenggat 1 sampai 90 hari"]
    assert validate_steps([step()] * 12) == []
    assert validate_steps([step()] * 13) == ["rantai persetujuan paling banyak 12 langkah"]


def test_quorum_outcomes():
    assert step_outcome(needed=2, total=3, approvals=2, rejections=1) == "approved"
    assert step_outcome(needed=2, total=3, approvals=1, rejections=1) is None
    assert step_outcome(needed=2, total=3, approvals=0, rejections=2) == "rejected"
    assert step_outcome(needed=1, total=1, approvals=0, rejections=1) == "rejected"


def test_mutation_type():
    assert mutation_type(("KAB1", "Jabar"), ("KAB1", "Jabar")) == "within_agency"
    assert mutation_type(("KAB1", "Jabar"), ("KAB2", "Jabar")) == "between_regencies"
    assert mutation_type(("KAB1", "Jabar"), ("KAB3", "Jateng")) == "between_provinces"

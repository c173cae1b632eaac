"""The case policy HR sets per cycle is the one the workflow runs: same fields, same defaults."""

from __future__ import annotations

import dataclasses

import pytest
from pydantic import ValidationError

from api.services.cycles import CasePolicyBody
from contracts.case import CasePolicy


def test_the_api_policy_and_the_workflow_policy_have_the_same_fields_and_defaults():
    assert CasePolicyBody().model_dump() == dataclasses.asdict(CasePolicy())
    assert CasePolicy(**CasePolicyBody(consultation_days=3).model_dump()).consultation_days == 3


@pytest.mark.parametrize(
    ("field", "low", "high"),
    [
        ("consultation_days", 1, 60),
        ("training_due_days", 1, 365),
        ("tmt_min_days_after_decree", 0, 60),
        ("evaluation_days", 0, 730),
        ("evaluation_deadline_days", 1, 90),
    ],
)
def test_policy_bounds_are_inclusive(field, low, high):
    assert getattr(CasePolicyBody(**{field: low}), field) == low
    assert getattr(CasePolicyBody(**{field: high}), field) == high
    for wrong in (low - 1, high + 1):
        with pytest.raises(ValidationError):
            CasePolicyBody(**{field: wrong})


def test_policy_choices_are_closed():
    for field in ("silence_rule", "tmt_rule"):
        with pytest.raises(ValidationError):
            CasePolicyBody(**{field: "lainnya"})

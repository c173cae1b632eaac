from datetime import date

from planning.rules import RuleSettings, check
from tests.planning.factory import AS_OF, employee


def failures(e, settings: RuleSettings | None = None):
    return {f.code for f in check(e, AS_OF, settings or RuleSettings()).failures}


def test_eligible_employee():
    verdict = check(employee("1", "P", tenure_years=3), AS_OF)
    assert verdict.eligible and not verdict.rotation_due


def test_each_hard_rule():
    assert failures(employee("1", "P", tenure_years=1)) == {"min_tenure"}
    assert failures(employee("1", "P", movable=False)) == {"movable"}
    assert failures(employee("1", "P", sanctions=((date(2025, 3, 1), "sedang"),))) == {"no_recent_sanction"}
    assert failures(employee("1", "P", sanctions=((date(2025, 3, 1), "ringan"),))) == set()
    assert failures(employee("1", "P", sanctions=((date(2022, 3, 1), "berat"),))) == set()  # older than 2 years
    assert failures(employee("1", "P", ratings=((2024, "Baik"), (2025, "Cukup")))) == {"good_ratings"}
    assert failures(employee("1", "P", ratings=((2025, "Baik"),))) == {"good_ratings"}  # only one rating


def test_rotation_due_and_configurable_tenure():
    assert check(employee("1", "P", tenure_years=6), AS_OF).rotation_due
    assert failures(employee("1", "P", tenure_years=3), RuleSettings(min_tenure_years=4)) == {"min_tenure"}

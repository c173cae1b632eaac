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
    assert failures(employee("1", "P", sanctions=((date(2025, 3, 1), "sedang"),))) == {
        "no_recent_sanction"
    }
    assert failures(employee("1", "P", sanctions=((date(2025, 3, 1), "ringan"),))) == set()
    assert (
        failures(employee("1", "P", sanctions=((date(2022, 3, 1), "berat"),))) == set()
    )  # older than 2 years
    assert failures(employee("1", "P", ratings=((2024, "Baik"), (2025, "Cukup")))) == {
        "good_ratings"
    }
    assert failures(employee("1", "P", ratings=((2025, "Baik"),))) == {
        "good_ratings"
    }  # only one rating


def test_rotation_due_and_configurable_tenure():
    assert check(employee("1", "P", tenure_years=6), AS_OF).rotation_due
    assert failures(employee("1", "P", tenure_years=3), RuleSettings(min_tenure_years=4)) == {
        "min_tenure"
    }


def on(as_of: date, tmt: date, **rules):
    from dataclasses import replace

    return check(replace(employee("1", "P"), position_tmt=tmt), as_of, RuleSettings(**rules))


def test_tenure_counts_calendar_anniversaries():
    # (appointed, as of, eligible after two years?, tenure as shown)
    table = [
        (date(2024, 3, 1), date(2026, 3, 1), True, "2 tahun"),  # the anniversary itself
        (date(2024, 3, 1), date(2026, 2, 28), False, "1 tahun 11 bulan"),  # one day before
        (date(2024, 2, 29), date(2026, 2, 28), False, "1 tahun 11 bulan"),  # no 29 February in 2026
        (date(2024, 2, 29), date(2026, 3, 1), True, "2 tahun"),  # ... so it is reached on 1 March
        (date(2024, 2, 29), date(2028, 2, 29), True, "4 tahun"),  # leap year to leap year
        (date(2024, 1, 31), date(2026, 1, 30), False, "1 tahun 11 bulan"),
        (date(2024, 1, 31), date(2026, 1, 31), True, "2 tahun"),
    ]
    for tmt, as_of, eligible, shown in table:
        verdict = on(as_of, tmt)
        assert ("min_tenure" not in {f.code for f in verdict.failures}) is eligible, (tmt, as_of)
        assert verdict.tenure_text == shown, (tmt, as_of)
        tenure_rule = next(c for c in verdict.checks if c.code == "min_tenure")
        assert tenure_rule.message == f"masa jabatan {shown} (minimal 2 tahun)"


def test_rotation_due_on_the_fifth_anniversary_not_before():
    assert on(date(2026, 3, 1), date(2021, 3, 1)).rotation_due
    assert not on(date(2026, 2, 28), date(2021, 3, 1)).rotation_due


def test_sanction_blocks_until_the_anniversary_that_ends_its_look_back():
    from dataclasses import replace

    sanctioned = replace(employee("1", "P"), sanctions=((date(2024, 2, 29), "berat"),))
    assert "no_recent_sanction" in {f.code for f in check(sanctioned, date(2026, 2, 28)).failures}
    assert check(sanctioned, date(2026, 3, 1)).eligible


def test_spans_read_in_years_and_months():
    from planning.calendar import add_months, months_between, span_text

    assert [span_text(m) for m in (0, 5, 12, 23, 24, 61)] == [
        "0 bulan",
        "5 bulan",
        "1 tahun",
        "1 tahun 11 bulan",
        "2 tahun",
        "5 tahun 1 bulan",
    ]
    assert add_months(date(2024, 2, 29), 12) == date(2025, 3, 1)
    assert add_months(date(2024, 2, 29), 48) == date(2028, 2, 29)
    assert months_between(date(2024, 3, 31), date(2024, 4, 30)) == 0
    assert months_between(date(2024, 3, 31), date(2024, 5, 1)) == 1

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from planning.types import PositionInfo, UnitInfo, WorkloadItem
from planning.workload import WorkloadSettings, analyse, published_ej, round_headcount

P = PositionInfo("P", "U", "Analis", "pelaksana", 5, "X", 2, 1, 2)
U = UnitInfo("U", "Unit")


def test_hand_worked_example():
    # 1 810 documents x 30 min = 54 300 min; 54 300 / 75 000 = 0.724 -> 1 person
    result = analyse([P], [U], [WorkloadItem("P", "Verifikasi", 1810, 30)], {"P": 2})
    load = result.positions["P"]
    assert load.workload_minutes == 54_300
    assert load.required_exact == Fraction("0.724")
    assert load.required == 1 and load.surplus == 1
    assert published_ej(load.efficiency(75_000)) == Decimal("0.36")
    assert WorkloadSettings().grade(load.efficiency(75_000)) == "E"


def test_effective_hours_are_configurable():
    items = [WorkloadItem("P", "T", 1200, 60)]  # 72 000 min
    assert (
        analyse([P], [U], items, {"P": 1}, WorkloadSettings(effective_hours=1200))
        .positions["P"]
        .required_exact
        == 1.0
    )
    assert (
        analyse([P], [U], items, {"P": 1}, WorkloadSettings(effective_hours=1300))
        .positions["P"]
        .required
        == 1
    )


def test_grade_table_bounds():
    g = WorkloadSettings().grade
    assert [g(x) for x in (1.01, 1.0, 0.9, 0.89, 0.7, 0.69, 0.5, 0.49)] == [
        "A",
        "B",
        "B",
        "C",
        "C",
        "D",
        "D",
        "E",
    ]
    assert g(None) is None
    custom = WorkloadSettings(grades=((1.2, "A"), (1.0, "B")), lowest_grade="C")
    assert custom.grade(1.1) == "B" and custom.grade(0.3) == "C"


def test_rounding_half_up_and_at_least_one():
    assert [round_headcount(x) for x in (0.01, 0.49, 0.5, 1.5, 2.49, 0)] == [1, 1, 1, 2, 2, 0]


def test_missing_abk_and_empty_unit_are_reported():
    empty = UnitInfo("E", "Unit Kosong")
    q = PositionInfo("Q", "E", "Kosong", "pelaksana", 2, "X", 2, 1, 2)
    result = analyse([P, q], [U, empty], [WorkloadItem("Q", "T", 100, 60)], {"P": 3})
    codes = {(f.code, f.subject) for f in result.findings}
    assert ("position_without_abk", "P") in codes
    assert ("unit_without_staff", "E") in codes
    assert result.positions["P"].required == 3  # unknown load: treated as balanced, not moved


def test_imbalance_is_zero_when_balanced():
    items = [WorkloadItem("P", "T", 2 * 75_000 / 60, 60)]
    result = analyse([P], [U], items, {"P": 2})
    assert result.imbalance() == 0 and result.squared_gap() == 0
    assert result.imbalance({"P": 4}) == 0.5


def test_decimal_norm_times_that_add_up_to_one_and_a_half_people_need_two():
    # 21 000 x 0.1 + 48 000 x 2.3 = 112 500 minutes; summed as floats, 1.4999999999999998 people.
    items = [WorkloadItem("P", "A", 21_000, 0.1), WorkloadItem("P", "B", 48_000, 2.3)]
    assert (21_000 * 0.1 + 48_000 * 2.3) / 75_000 < 1.5  # the float trap this guards against
    load = analyse([P], [U], items, {"P": 1}).positions["P"]
    assert load.workload_minutes == 112_500 and load.required_exact == Fraction(3, 2)
    assert load.required == 2


@given(
    volumes=st.lists(st.integers(min_value=0, max_value=20_000), min_size=1, max_size=6),
    norms=st.lists(
        st.decimals(min_value=0, max_value=600, places=2, allow_nan=False, allow_infinity=False),
        min_size=6,
        max_size=6,
    ),
)
def test_required_staff_is_exact_half_up_for_any_decimal_norm_times(volumes, norms):
    items = [
        WorkloadItem("P", f"T{i}", v, float(n))
        for i, (v, n) in enumerate(zip(volumes, norms, strict=False))
    ]
    minutes = sum(
        (Fraction(v) * Fraction(n) for v, n in zip(volumes, norms, strict=False)), Fraction(0)
    )
    need = minutes / 75_000
    expected = int(need + Fraction(1, 2)) if need else 0  # floor(x + 1/2) for x >= 0
    if need > 0 and expected == 0:
        expected = 1
    load = analyse([P], [U], items, {"P": 1}).positions["P"]
    assert load.required_exact == need
    assert load.required == expected


def test_ej_is_graded_as_it_is_printed_half_up_to_two_decimals():
    g = WorkloadSettings().grade
    cases = {
        "0.695": ("0.70", "C"),
        "0.6949": ("0.69", "D"),
        "0.895": ("0.90", "B"),
        "0.8949": ("0.89", "C"),
        "1.004": ("1.00", "B"),
        "1.005": ("1.01", "A"),
        "0.495": ("0.50", "D"),
        "0.4949": ("0.49", "E"),
    }
    for raw, (shown, grade) in cases.items():
        assert str(published_ej(Decimal(raw))) == shown, raw
        assert g(Decimal(raw)) == grade, raw
        assert g(float(raw)) == grade, raw  # a float EJ grades like the decimal it stands for
    # 0.895 of a unit: 67 125 minutes for one person at 75 000 minutes a year.
    result = analyse([P], [U], [WorkloadItem("P", "T", 67_125, 1)], {"P": 1})
    ej = result.positions["P"].efficiency(75_000)
    assert ej == Fraction("0.895") and published_ej(ej) == Decimal("0.90") and g(ej) == "B"


def test_workload_sums_are_exact_for_any_figure_kind():
    from planning.workload import workload_minutes

    assert workload_minutes([(3, 0.1), (1, Decimal("0.7"))]) == Fraction(1)
    assert workload_minutes([(3, Fraction(1, 3)), (2, 0.25)]) == Fraction(
        3, 2
    )  # a fraction has no decimal form
    assert workload_minutes([]) == 0

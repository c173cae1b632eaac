from planning.types import PositionInfo, UnitInfo, WorkloadItem
from planning.workload import WorkloadSettings, analyse, round_headcount

P = PositionInfo("P", "U", "Analis", "pelaksana", 5, "X", 2, 1, 2)
U = UnitInfo("U", "Unit")


def test_hand_worked_example():
    # 1 810 documents x 30 min = 54 300 min; 54 300 / 75 000 = 0.724 -> 1 person
    result = analyse([P], [U], [WorkloadItem("P", "Verifikasi", 1810, 30)], {"P": 2})
    load = result.positions["P"]
    assert load.workload_minutes == 54_300
    assert round(load.required_exact, 3) == 0.724
    assert load.required == 1 and load.surplus == 1
    assert round(load.efficiency(75_000), 3) == 0.362
    assert WorkloadSettings().grade(load.efficiency(75_000)) == "E"


def test_effective_hours_are_configurable():
    items = [WorkloadItem("P", "T", 1200, 60)]  # 72 000 min
    assert analyse([P], [U], items, {"P": 1}, WorkloadSettings(effective_hours=1200)).positions["P"].required_exact == 1.0
    assert analyse([P], [U], items, {"P": 1}, WorkloadSettings(effective_hours=1300)).positions["P"].required == 1


def test_grade_table_bounds():
    g = WorkloadSettings().grade
    assert [g(x) for x in (1.01, 1.0, 0.9, 0.89, 0.7, 0.69, 0.5, 0.49)] == ["A", "B", "B", "C", "C", "D", "D", "E"]
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

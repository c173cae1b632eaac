"""Who may fill a post: each rule at, just above and just below its boundary, the
vectorised rules equal to the one-by-one rules, and the optimiser never breaking one."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planning.candidates import rule_breaking
from planning.optimizer import optimise
from planning.problem import OptimiserSettings
from planning.rules import RuleSettings, check, pair_checks
from planning.types import PositionInfo
from tests.planning.factory import AS_OF, employee, instance, needing, position

POST = PositionInfo("A", "U1", "Analis", "pelaksana", 5, "Administrasi", 2, 1, 2, job_class=7)


def failed(e, origin=POST, dest=POST, **rules) -> set[str]:
    return {c.code for c in pair_checks(e, origin, dest, RuleSettings(**rules)) if not c.ok}


def test_a_higher_job_class_is_a_promotion_not_a_transfer():
    e = employee("1", "A")
    assert failed(e, dest=replace(POST, job_class=7)) == set()
    assert failed(e, dest=replace(POST, job_class=6)) == set()
    assert failed(e, dest=replace(POST, job_class=8)) == {"job_class"}
    assert failed(e, dest=replace(POST, job_class=8), job_class_tolerance=1) == set()
    assert failed(e, dest=replace(POST, job_class=9), job_class_tolerance=1) == {"job_class"}


def test_minimum_rank():
    dest = replace(POST, min_rank="III/b")
    assert failed(replace(employee("1", "A"), rank="III/b"), dest=dest) == set()
    assert failed(replace(employee("1", "A"), rank="III/c"), dest=dest) == set()
    assert failed(replace(employee("1", "A"), rank="III/a"), dest=dest) == {"min_rank"}
    assert failed(replace(employee("1", "A"), rank="IX", asn_type="PPPK"), dest=dest) == {
        "min_rank"
    }


def test_functional_level_must_match():
    origin = replace(POST, kind="fungsional", jenjang="ahli_muda")
    e = employee("1", "A")
    assert failed(e, origin, replace(origin, code="B", jenjang="ahli_muda")) == set()
    assert failed(e, origin, replace(origin, code="B", jenjang="ahli_madya")) == {"jenjang"}
    assert failed(
        e, replace(origin, jenjang=None), replace(origin, code="B", jenjang="ahli_pertama")
    ) == {"jenjang"}


def test_education_as_a_hard_minimum_only_where_the_post_says_so():
    strict = replace(POST, education_required=True, min_education="S1", education_fields=("Hukum",))
    s1_law = replace(employee("1", "A"), education_level="S1", education_field="Hukum")
    assert failed(s1_law, dest=strict) == set()
    assert failed(replace(s1_law, education_level="S2"), dest=strict) == set()
    assert failed(replace(s1_law, education_level="D3"), dest=strict) == {"education"}
    assert failed(replace(s1_law, education_field="Teknik Sipil"), dest=strict) == {"education"}
    assert (
        failed(
            replace(s1_law, education_level="D3"), dest=replace(strict, education_required=False)
        )
        == set()
    )


def person_failures(e, post=POST, as_of=AS_OF, **rules) -> set[str]:
    return {c.code for c in check(e, as_of, RuleSettings(**rules), post).failures}


def test_pppk_are_not_moved_under_pns_rules_unless_configured():
    pppk = replace(employee("1", "A"), asn_type="PPPK", rank="IX")
    assert person_failures(pppk) == {"asn_type"}
    assert person_failures(pppk, include_pppk=True) == set()


def test_nobody_is_moved_within_the_margin_before_retirement():
    # Born 1 March 1968: an administrative post retires at 58, on 1 March 2026.
    e = replace(employee("1", "A"), birth_date=date(1968, 3, 1))
    assert person_failures(e, as_of=date(2025, 3, 1)) == set()  # exactly 12 months left
    assert person_failures(e, as_of=date(2025, 3, 2)) == {"retirement"}  # 11 months and a bit
    assert person_failures(e, as_of=date(2025, 3, 2), retirement_margin_months=6) == set()
    jpt = replace(POST, kind="jpt_pratama")
    assert person_failures(e, jpt, as_of=date(2027, 3, 1)) == set()  # JPT retire at 60
    expert = replace(POST, kind="fungsional", jenjang="ahli_utama")
    assert person_failures(e, expert, as_of=date(2032, 3, 1)) == set()  # Ahli Utama at 65
    assert person_failures(e, expert, as_of=date(2032, 3, 2)) == {"retirement"}
    skilled = replace(POST, kind="fungsional", jenjang="penyelia")
    assert person_failures(e, skilled, as_of=date(2025, 3, 2)) == {"retirement"}  # skilled at 58


def test_only_active_employees_move():
    assert person_failures(replace(employee("1", "A"), service_status="tugas_belajar")) == {
        "service_status"
    }
    message = next(
        c.message
        for c in check(replace(employee("1", "A"), service_status="cltn"), AS_OF).checks
        if c.code == "service_status"
    )
    assert "cuti di luar tanggungan negara" in message


posts = st.builds(
    lambda i, cls, rank, jenjang, strict, minimum, fields: PositionInfo(
        f"P{i}",
        "U",
        "x",
        "fungsional" if jenjang else "pelaksana",
        3,
        "Administrasi",
        2,
        1,
        2,
        fields,
        minimum,
        cls,
        rank,
        jenjang,
        strict,
    ),
    st.integers(0, 99),
    st.integers(5, 9),
    st.sampled_from([None, "III/a", "III/c"]),
    st.sampled_from([None, "ahli_pertama", "ahli_muda"]),
    st.booleans(),
    st.sampled_from([None, "D3", "S1"]),
    st.sampled_from([(), ("Hukum",)]),
)
people = st.builds(
    lambda rank, level, field: replace(
        employee("1", "A"), rank=rank, education_level=level, education_field=field
    ),
    st.sampled_from(["II/d", "III/a", "III/b", "III/d", "IX"]),
    st.sampled_from(["SMA", "D3", "S1", "S2"]),
    st.sampled_from(["Hukum", "Ekonomi"]),
)


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(st.tuples(people, posts), min_size=1, max_size=5),
    st.lists(posts, min_size=1, max_size=5),
    st.integers(0, 1),
)
def test_vectorised_rules_equal_the_rules_one_by_one(pairs, dests, tolerance):
    employees, origins = [p for p, _ in pairs], [o for _, o in pairs]
    rules = RuleSettings(job_class_tolerance=tolerance)
    mask = rule_breaking(employees, origins, dests, rules)
    expected = np.array(
        [
            [not all(c.ok for c in pair_checks(e, o, d, rules)) for d in dests]
            for e, o in zip(employees, origins, strict=True)
        ]
    )
    assert (mask == expected).all()


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(st.integers(5, 9), min_size=3, max_size=3),
    st.lists(st.sampled_from(["II/d", "III/a", "III/c"]), min_size=6, max_size=6),
    st.sampled_from([None, "III/a", "III/b"]),
)
def test_the_optimiser_never_proposes_a_rule_breaking_move(classes, ranks, min_rank):
    positions = [
        replace(position("A", "U1", authorized=10), job_class=classes[0]),
        replace(position("B", "U2", authorized=10), job_class=classes[1], min_rank=min_rank),
        replace(position("C", "U3", authorized=10), job_class=classes[2]),
    ]
    employees = [replace(employee(f"A{i}", "A"), rank=ranks[i]) for i in range(6)]
    inp = instance(positions, employees, [needing("A", 1), needing("B", 3), needing("C", 3)])
    plan = optimise(inp, OptimiserSettings(candidates_per_employee=None))
    by_code = {p.code: p for p in positions}
    by_nip = {e.nip: e for e in employees}
    for p in plan.proposals:
        e = by_nip[p["nip"]]
        assert all(
            c.ok
            for c in pair_checks(
                e, by_code["A"], by_code[p["destination_position"]], RuleSettings()
            )
        )
        assert all(r["ok"] for r in p["rules"])  # every rule checked, and listed with its outcome
        assert {"job_class", "movable", "retirement", "asn_type"} <= {r["code"] for r in p["rules"]}


def _org():
    from planning.types import UnitInfo

    units = [
        UnitInfo("U0", "Unit 0", region="Kec U0"),
        UnitInfo("U1", "Dinas", region="Kec U1", head_position_code="H1"),
        UnitInfo("U2", "Bidang", region="Kec U2", parent_code="U1", head_position_code="H2"),
        UnitInfo("U3", "Lain", region="Kec U3"),
    ]
    posts = [
        replace(position("A", "U0", authorized=20)),
        replace(position("H1", "U1"), kind="pelaksana"),
        replace(position("S1", "U1", authorized=5), superior_position_code="H1"),
        replace(position("H2", "U2")),
        replace(position("S2", "U2", authorized=5), superior_position_code="H2"),
        replace(position("C", "U3", authorized=5)),
    ]
    return units, posts


def test_lines_of_command_run_through_superiors_and_parent_unit_heads():
    from planning.command import CommandLines

    units, posts = _org()
    lines = CommandLines(posts, units)
    assert lines.above("S2") == {"H2", "H1"}  # H2 heads a unit under U1, so it answers to H1
    assert lines.in_line("H1", "S2") and lines.in_line("S2", "H1")
    assert not lines.in_line("S1", "S2")  # colleagues on different branches
    assert not lines.in_line("C", "S1")


def test_nobody_is_placed_in_a_relatives_line_of_command():
    units, posts = _org()
    people = [employee(f"A{i}", "A") for i in range(8)] + [
        employee("kepala", "H1"),
        employee("h2", "H2"),
    ]
    workload = [
        needing("A", 2),
        needing("H1", 1),
        needing("S1", 3),
        needing("H2", 1),
        needing("S2", 3),
        needing("C", 3),
    ]
    inp = instance(posts, people, workload, units=units)
    free = optimise(inp, OptimiserSettings(candidates_per_employee=None))
    assert any(p["destination_position"] in ("S1", "S2") for p in free.proposals)
    for p in free.proposals:
        inp.relations = {
            p["nip"]: ("kepala",),
            "kepala": (p["nip"],),
        }  # now married to the head of U1
        plan = optimise(inp, OptimiserSettings(candidates_per_employee=None))
        mine = next((q for q in plan.proposals if q["nip"] == p["nip"]), None)
        if mine is not None:
            assert mine["destination_position"] not in ("S1", "S2", "H2"), mine
            rule = next(r for r in mine["rules"] if r["code"] == "conflict_of_interest")
            assert (
                rule["ok"] and "kepala" not in rule["message"] and "Pegawai" not in rule["message"]
            )


def test_everyone_at_or_past_the_five_year_ceiling_is_listed():
    from planning.optimizer import rotation_overdue

    positions = [position("A", "U1")]
    on_the_day = replace(
        employee("tepat", "A"), position_tmt=date(AS_OF.year - 5, AS_OF.month, AS_OF.day)
    )
    day_before = replace(
        employee("belum", "A"), position_tmt=date(AS_OF.year - 5, AS_OF.month, AS_OF.day + 1)
    )
    found = rotation_overdue(
        instance(positions, [on_the_day, day_before], [needing("A", 2)]), RuleSettings()
    )
    assert [f.subject for f in found] == ["tepat"] and "5 tahun" in found[0].message


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(st.integers(5, 9), min_size=4, max_size=4),
    st.lists(
        st.tuples(
            st.sampled_from(["II/d", "III/a", "III/c"]),
            st.sampled_from(["PNS", "PNS", "PPPK"]),
            st.integers(1958, 1990),
            st.integers(1, 5),
        ),
        min_size=6,
        max_size=6,
    ),
    st.sampled_from([None, "III/a", "III/b"]),
)
def test_the_optimisers_pairs_are_exactly_the_pairs_the_rules_allow(classes, people, min_rank):
    from planning.candidates import family
    from planning.competency import match, profile
    from planning.optimizer import build_problem

    positions = [
        replace(position(c, f"U{c}", authorized=10), job_class=cls)
        for c, cls in zip("ABCD", classes, strict=True)
    ]
    positions[1] = replace(positions[1], min_rank=min_rank)
    employees = [
        replace(
            employee(f"E{i}", "A", level=level),
            rank=rank,
            asn_type=kind,
            birth_date=date(year, 6, 1),
        )
        for i, (rank, kind, year, level) in enumerate(people)
    ]
    inp = instance(
        positions, employees, [needing("A", 1), needing("B", 4), needing("C", 4), needing("D", 4)]
    )
    exact = OptimiserSettings(candidates_per_employee=None)
    problem, _, _ = build_problem(inp, exact)
    got = {
        (problem.employees[int(i)].nip, problem.destinations[int(q)].code)
        for i, q in zip(problem.pairs_employee, problem.pairs_destination, strict=True)
    }
    by_code = {p.code: p for p in positions}
    allowed = set()
    for e in employees:
        origin = by_code[e.position_code]
        if not check(e, AS_OF, exact.rules, origin).eligible:
            continue
        for d in problem.destinations:
            if (
                d.code != origin.code
                and family(d) == family(origin)
                and all(c.ok for c in pair_checks(e, origin, d, exact.rules))
                and match(profile(e), d).jpm >= exact.rules.min_jpm
            ):
                allowed.add((e.nip, d.code))
    assert got == allowed


def test_the_five_year_ceiling_can_make_someone_a_candidate_from_a_balanced_post():
    from planning.optimizer import build_problem

    positions = [position("A", "U1"), position("B", "U2", authorized=3)]
    overdue = replace(employee("lama", "A"), position_tmt=date(AS_OF.year - 6, 1, 1))
    inp = instance(positions, [overdue], [needing("A", 1), needing("B", 2)])
    as_bonus = OptimiserSettings(candidates_per_employee=None)
    considered = OptimiserSettings(
        candidates_per_employee=None, rules=RuleSettings(rotation_rule="must_consider")
    )
    assert build_problem(inp, as_bonus)[0].employees == []  # A is balanced: nobody leaves it
    assert [e.nip for e in build_problem(inp, considered)[0].employees] == ["lama"]
    assert [p["nip"] for p in optimise(inp, considered).proposals] == [
        "lama"
    ]  # B's deficit outweighs A's
    assert optimise(inp, as_bonus).proposals == []

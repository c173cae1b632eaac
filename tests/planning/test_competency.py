from datetime import date

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from planning.candidates import jpm_matrix
from planning.competency import CompetencySettings, build_profile, category, match, training_needs
from planning.reference import MANAGERIAL_COMPETENCIES
from planning.talent import talent_box
from planning.types import Assessment, PositionInfo
from tests.planning.factory import employee

POST = PositionInfo(
    "P",
    "U",
    "Analis Kebijakan",
    "fungsional",
    3,
    "Analisis Kebijakan",
    4,
    3,
    3,
    ("Administrasi Negara",),
    "S1",
)


def profile_of(tech, man, soc, level="S1", field="Administrasi Negara"):
    """`man`: one level for all eight managerial competencies, or eight levels."""
    levels = [man] * 8 if isinstance(man, int) else list(man)
    a = [
        Assessment("Analisis Kebijakan", "teknis", tech, date(2025, 1, 1)),
        *(
            Assessment(name, "manajerial", lvl, date(2025, 1, 1))
            for name, lvl in zip(MANAGERIAL_COMPETENCIES, levels, strict=True)
        ),
        Assessment("Perekat Bangsa", "sosial_kultural", soc, date(2025, 1, 1)),
    ]
    return build_profile(a, level, field)


def test_full_match_is_optimal_without_gaps():
    m = match(profile_of(4, 3, 3), POST)
    assert m.jpm == 100.0 and m.category == "optimal" and not m.gaps


def test_gaps_become_training_hours_and_floor():
    m = match(profile_of(2, 3, 3), POST)
    # each competency on its own: technical 2 of 4, managerial 8 x 3 of 8 x 3, socio-cultural 3 of 3
    assert m.jpm == round(100 * (2 + 24 + 3) / (4 + 24 + 3), 2) and m.category == "optimal"
    assert [(g.kind, g.jp) for g in m.gaps] == [("teknis", 40)]
    assert sum(n.jp for n in training_needs(m)) == 40
    full = match(profile_of(4, 3, 3), POST)
    assert [n.jp for n in training_needs(full)] == [20]  # yearly 20 JP floor


def test_a_surplus_in_one_competency_never_offsets_a_gap_in_another():
    # Four managerial competencies at 5 and four at 1 against a requirement of 3 average 3,
    # yet four competencies are two levels short: not optimal, and four gaps to train.
    m = match(profile_of(4, (5, 5, 5, 5, 1, 1, 1, 1), 3), POST)
    assert m.jpm == round(100 * (4 + 4 * 3 + 4 * 1 + 3) / (4 + 8 * 3 + 3), 2)  # 74.19 %
    assert m.category == "kurang optimal"
    managerial = [g for g in m.gaps if g.kind == "manajerial"]
    assert [(g.competency, g.actual, g.jp) for g in managerial] == [
        (name, 1, 40) for name in MANAGERIAL_COMPETENCIES[4:]
    ]
    assert sum(n.jp for n in training_needs(m)) == 160


def test_kinds_are_weighted_as_configured():
    person = profile_of(2, 3, 3)
    heavy = CompetencySettings(
        technical_weight=8.0
    )  # the technical competency counts like all eight managerial
    assert match(person, POST, heavy).jpm == round(100 * (8 * 2 + 24 + 3) / (8 * 4 + 24 + 3), 2)


def test_education_is_reported_beside_the_score_not_in_it():
    assert match(profile_of(4, 3, 3, field="Teknik Sipil"), POST).jpm == 100.0


def test_education_field_and_level():
    assert match(profile_of(4, 3, 3, field="Teknik Sipil"), POST).education_fit == 0.0
    assert match(profile_of(4, 3, 3, level="D3"), POST).education_fit == 0.5


def test_latest_assessment_wins():
    a = [
        Assessment("Analisis Kebijakan", "teknis", 1, date(2020, 1, 1)),
        Assessment("Analisis Kebijakan", "teknis", 4, date(2024, 1, 1)),
    ]
    assert build_profile(a, "S1", "x").technical["Analisis Kebijakan"] == 4


def test_categories():
    assert [category(x) for x in (90, 89.99, 78, 77.9)] == [
        "optimal",
        "cukup optimal",
        "cukup optimal",
        "kurang optimal",
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 5),
            st.integers(1, 5),
            st.integers(1, 5),
            st.sampled_from(["SMA", "D3", "S1", "S2"]),
            st.sampled_from(["Administrasi Negara", "Hukum", "Teknik Sipil"]),
        ),
        min_size=1,
        max_size=6,
    ),
    st.lists(
        st.tuples(
            st.integers(1, 5),
            st.integers(1, 5),
            st.integers(1, 5),
            st.sampled_from([(), ("Hukum",), ("Hukum", "Teknik Sipil")]),
            st.sampled_from([None, "D3", "S1"]),
        ),
        min_size=1,
        max_size=5,
    ),
)
def test_vectorised_jpm_equals_match(people, posts):
    profiles = [
        profile_of(t, [m, 5, 1, m, 3, m, 2, 4][:8], min(s, 3), lvl, f) for t, m, s, lvl, f in people
    ]
    dests = [
        PositionInfo(f"P{i}", "U", "x", "pelaksana", 1, "Analisis Kebijakan", t, m, s, fields, edu)
        for i, (t, m, s, fields, edu) in enumerate(posts)
    ]
    matrix = jpm_matrix(profiles, dests, CompetencySettings())
    expected = np.array([[match(p, d).jpm for d in dests] for p in profiles])
    assert np.allclose(matrix, expected)


def test_talent_box():
    star = employee("1", "P", ratings=((2024, "Baik"), (2025, "Sangat Baik")))
    assert talent_box(star, 95).box == 9
    assert talent_box(employee("2", "P", ratings=((2025, "Butuh Perbaikan"),)), 50).box == 1

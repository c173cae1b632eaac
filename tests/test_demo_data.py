"""The demo agency looks like a real kabupaten and shows the situations HR knows."""

from __future__ import annotations

from collections import Counter

from mutasi.demo.generator import DemoOptions, generate
from planning.reference import STRUCTURAL_KINDS


def test_deterministic_per_seed():
    assert generate(DemoOptions(employees=400, seed=4)) == generate(
        DemoOptions(employees=400, seed=4)
    )
    assert (
        generate(DemoOptions(employees=400, seed=4))["pegawai"]
        != generate(DemoOptions(employees=400, seed=5))["pegawai"]
    )


def test_shape_of_a_kabupaten():
    data = generate(DemoOptions(employees=3000, seed=1))
    opd = [u for u in data["unit_kerja"] if u["parent_code"] is None]
    assert 27 <= len(opd) <= 45
    kinds = Counter(u["kind"] for u in opd)
    assert (
        kinds["setda"] == 1
        and kinds["setwan"] == 1
        and kinds["inspektorat"] == 1
        and kinds["kecamatan"] >= 8
    )
    positions = {p["code"]: p for p in data["jabatan"]}
    people = data["pegawai"]
    kind_share = Counter(
        "structural"
        if positions[e["position_code"]]["kind"] in STRUCTURAL_KINDS
        else positions[e["position_code"]]["kind"]
        for e in people
    )
    n = len(people)
    assert 0.03 <= kind_share["structural"] / n <= 0.10
    assert 0.62 <= kind_share["fungsional"] / n <= 0.80
    assert 0.15 <= kind_share["pelaksana"] / n <= 0.30
    assert sum(1 for e in people if e["rank"].startswith("III/")) / n > 0.5
    degrees = sum(1 for e in people if e["education_level"] in ("D4", "S1", "S2", "S3")) / n
    assert 0.55 <= degrees <= 0.80


def test_known_situations_are_present():
    data = generate(DemoOptions(employees=2000, seed=1))
    staff = Counter(e["position_code"] for e in data["pegawai"])
    minutes = Counter()
    for row in data["beban_kerja"]:
        minutes[row["position_code"]] += row["yearly_volume"] * row["norm_minutes"]
    positions = {p["code"]: p for p in data["jabatan"]}
    units = {u["code"]: u for u in data["unit_kerja"]}

    def unit_load(pred, staff_posts_only=False):
        def chosen(code):
            p = positions[code]
            return pred(units[p["unit_code"]]) and not (
                staff_posts_only and p["kind"] in STRUCTURAL_KINDS
            )

        m = sum(v for c, v in minutes.items() if chosen(c))
        s = sum(v for c, v in staff.items() if chosen(c))
        return m / (s * 75_000)

    assert unit_load(lambda u: "DPMPTSP" in u["code"] or "Perizinan" in u["name"]) > 1.2
    assert unit_load(lambda u: u["kind"] == "setda", staff_posts_only=True) < 0.8
    engineers_in_admin = [
        e
        for e in data["pegawai"]
        if "Teknik" in e["education_field"] and positions[e["position_code"]]["kind"] == "pelaksana"
    ]
    assert engineers_in_admin

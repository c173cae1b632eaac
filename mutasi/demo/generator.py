"""Generate a realistic kabupaten: OPD, districts, schools, puskesmas, positions with
ABK workload, and employees with history, ratings, sanctions, assessments, wishes.

Deterministic per seed. The situations HR knows are built in: DPMPTSP overwhelmed
by permit applications, Dukcapil with a surge, health services under pressure,
administrative units with slack, engineers sitting in administrative posts, and
schools with uneven teacher numbers.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from mutasi.dataio.nip import make_nip
from mutasi.demo import catalogue as cat
from planning import reference as ref

EFFECTIVE_MINUTES = 75_000
AGENCY = "KAB-SKM"
# Teachers dominate a kabupaten's workforce (about half of all ASN).
TEACHER_SHARE = 0.50

# (mean, spread) of workload / staff per (OPD, family); `None` OPD matches any.
SCENARIOS: dict[tuple[str | None, str], tuple[float, float]] = {
    ("DPMPTSP", "permit"): (1.75, 0.08),
    ("DUKCAPIL", "civreg"): (1.6, 0.08),
    ("PUPR", "engineer"): (1.45, 0.08),
    ("PERKIM", "engineer"): (1.35, 0.08),
    (None, "nurse"): (1.3, 0.12),
    (None, "midwife"): (1.25, 0.12),
    (None, "doctor"): (1.35, 0.1),
    ("SETDA", "admin"): (0.55, 0.05),
    ("SETWAN", "admin"): (0.5, 0.05),
    ("KEC", "admin"): (0.65, 0.1),
    (None, "teacher_sd"): (1.0, 0.3),
    (None, "teacher_math"): (1.0, 0.3),
    (None, "teacher_lang"): (1.0, 0.3),
}
LEADERSHIP_TASKS: tuple[tuple[str, str, int], ...] = (
    ("Merumuskan kebijakan teknis", "dokumen", 2400),
    ("Mengoordinasikan pelaksanaan program", "kegiatan", 480),
    ("Mengevaluasi kinerja bawahan", "laporan", 960),
)


@dataclass(frozen=True)
class DemoOptions:
    employees: int = 2000
    seed: int = 1
    as_of: date = date(2026, 1, 1)


@dataclass
class _Slot:
    unit: dict[str, Any]
    family: str | None  # None: a structural post
    count: int
    code: str = ""
    title: str = ""
    kind: str = ""
    job_class: int = 0


def generate(options: DemoOptions = DemoOptions()) -> dict[str, list[dict[str, Any]]]:
    return _Generator(options).run()


class _Generator:
    def __init__(self, options: DemoOptions):
        if options.employees < 200:
            raise ValueError("data demo memerlukan sedikitnya 200 pegawai")
        self.o = options
        self.rng = random.Random(options.seed)
        self.sheets: dict[str, list[dict[str, Any]]] = {
            k: []
            for k in (
                "instansi",
                "unit_kerja",
                "jabatan",
                "pegawai",
                "riwayat_jabatan",
                "penilaian_kompetensi",
                "predikat_kinerja",
                "hukuman_disiplin",
                "beban_kerja",
                "preferensi_penempatan",
                "hubungan_keluarga",
            )
        }
        self.nip_seq: dict[str, int] = {}
        self.positions_by_family: dict[str, list[str]] = {}

    def run(self) -> dict[str, list[dict[str, Any]]]:
        self._agency()
        units = self._units()
        structural = self._structural_slots(units)
        slots = structural + self._staff_slots(units, sum(s.count for s in structural))
        for slot in slots:
            self._position(slot)
        for slot in slots:
            for _ in range(slot.count):
                self._employee(slot)
        self._couples()
        return self.sheets

    def _couples(self) -> None:
        """About one married couple per hundred employees, both in the service (a generator
        of its own, so the rest of the demo stays as it was for a seed)."""
        rng = random.Random(self.o.seed * 7919 + 1)
        people = self.sheets["pegawai"]
        men = [p["nip"] for p in people if p["nip"][14] == "1"]
        women = [p["nip"] for p in people if p["nip"][14] == "2"]
        for husband, wife in zip(
            rng.sample(men, min(len(men), len(people) // 100)),
            rng.sample(women, min(len(women), len(people) // 100)),
            strict=False,
        ):
            self.sheets["hubungan_keluarga"].append(
                dict(nip=husband, relative_nip=wife, relation="suami_istri")
            )

    # -- organisation -------------------------------------------------------
    def _agency(self) -> None:
        self.sheets["instansi"].append(
            dict(
                code=AGENCY,
                name="Pemerintah Kabupaten Sukamaju",
                kind="kabupaten",
                region="Kabupaten Sukamaju",
                province="Jawa Barat",
                ppk_title="Bupati Sukamaju",
                ppk_office="Pemerintah Kabupaten Sukamaju",
                seat="Sukamaju",
                ppk_name="H. Ahmad Fauzi, S.H., M.Si.",
                # The Bupati has delegated mutation decisions to the Sekda (signed "a.n.").
                ppk_delegation="sekda",
                decree_number_format="800/{seq:03d}/BKPSDM/{year}",
            )
        )

    def _unit(
        self, code: str, name: str, kind: str, region: str, parent: str | None = None
    ) -> dict[str, Any]:
        unit = dict(
            code=code,
            agency_code=AGENCY,
            name=name,
            kind=kind,
            parent_code=parent,
            head_position_code=None,
            region=region,
        )
        self.sheets["unit_kerja"].append(unit)
        return unit

    def _units(self) -> list[dict[str, Any]]:
        units = [self._unit(code, name, kind, cat.DISTRICTS[0]) for code, name, kind in cat.OPDS]
        for i, district in enumerate(cat.DISTRICTS, start=1):
            units.append(self._unit(f"KEC{i:02d}", f"Kecamatan {district}", "kecamatan", district))
            units.append(
                self._unit(f"PKM{i:02d}", f"Puskesmas {district}", "puskesmas", district, "DINKES")
            )
        schools = max(4, round(self.o.employees * TEACHER_SHARE / 18))
        for i in range(1, schools + 1):
            district = cat.DISTRICTS[(i - 1) % len(cat.DISTRICTS)]
            level = "SMP" if i % 4 == 0 else "SD"
            units.append(
                self._unit(
                    f"{level}{i:03d}",
                    f"{level} Negeri {i} {district}",
                    "sekolah",
                    district,
                    "DISDIK",
                )
            )
        return units

    def _structural_slots(self, units: list[dict[str, Any]]) -> list[_Slot]:
        kabid = 2 if self.o.employees < 4000 else 3
        slots: list[_Slot] = []
        for unit in units:
            kind, name = unit["kind"], unit["name"]
            posts: list[tuple[str, str, str, int]] = []
            if kind in ("setda", "setwan", "inspektorat", "dinas", "badan", "rsud"):
                head = {
                    "setda": "Sekretaris Daerah",
                    "setwan": "Sekretaris DPRD",
                    "inspektorat": "Inspektur",
                    "rsud": "Direktur",
                }.get(kind, "Kepala")
                head_title = (
                    head if kind in ("setda", "setwan", "inspektorat") else f"{head} {name}"
                )
                posts.append(("KEPALA", head_title, "jpt_pratama", 15 if kind == "setda" else 14))
                posts.append(
                    (
                        "SEKRETARIS",
                        f"Sekretaris {name}" if kind != "setda" else "Asisten Administrasi Umum",
                        "administrator",
                        12,
                    )
                )
                for i in range(1, kabid + 1):
                    label = "Kepala Bagian" if kind in ("setda", "setwan") else "Kepala Bidang"
                    posts.append((f"KABID{i}", f"{label} {i} {name}", "administrator", 12))
            elif kind == "kecamatan":
                posts.append(("KEPALA", f"Camat {unit['region']}", "administrator", 12))
                posts.append(
                    ("SEKRETARIS", f"Sekretaris Kecamatan {unit['region']}", "pengawas", 9)
                )
            elif kind == "puskesmas":
                posts.append(("KEPALA", f"Kepala {name}", "pengawas", 9))
            for suffix, title, pkind, job_class in posts:
                vacant = suffix != "KEPALA" and self.rng.random() < 0.05
                slot = _Slot(
                    unit,
                    None,
                    0 if vacant else 1,
                    f"{unit['code']}-{suffix}",
                    title,
                    pkind,
                    job_class,
                )
                slots.append(slot)
                if suffix == "KEPALA":
                    unit["head_position_code"] = slot.code
        return slots

    def _staff_slots(self, units: list[dict[str, Any]], structural: int) -> list[_Slot]:
        n = self.o.employees
        by_kind: dict[str, list[dict[str, Any]]] = {}
        for unit in units:
            by_kind.setdefault(unit["kind"], []).append(unit)
        teacher_total = round(n * TEACHER_SHARE)
        puskesmas_total = round(n * 0.14)
        rsud_total = round(n * 0.06)
        rest = max(len(units), n - teacher_total - puskesmas_total - rsud_total - structural)
        slots: list[_Slot] = []
        schools = by_kind["sekolah"]
        weights = [self.rng.uniform(0.6, 1.4) for _ in schools]
        for school, count in zip(schools, self._split(teacher_total, weights), strict=True):
            families: tuple[tuple[str, float], ...] = (
                (("teacher_sd", 1.0),)
                if school["code"].startswith("SD")
                else (("teacher_math", 0.5), ("teacher_lang", 0.5))
            )
            slots.extend(self._family_slots(school, families, count))
        for pkm, count in zip(
            by_kind["puskesmas"],
            self._split(puskesmas_total, [1.0] * len(by_kind["puskesmas"])),
            strict=True,
        ):
            slots.extend(self._family_slots(pkm, cat.PUSKESMAS_FAMILIES, count))
        opds = [
            u for u in units if u["kind"] in ("setda", "setwan", "inspektorat", "dinas", "badan")
        ]
        kecamatan = by_kind["kecamatan"]
        big = {
            "SETDA": 3.0,
            "DISDIK": 2.0,
            "DINKES": 2.0,
            "PUPR": 2.5,
            "DUKCAPIL": 1.5,
            "DPMPTSP": 1.2,
            "BPKAD": 1.8,
            "SATPOLPP": 2.0,
            "DISTAN": 2.5,
            "SETWAN": 1.5,
        }
        weights = [big.get(u["code"], 1.0) for u in opds] + [0.8] * len(kecamatan)
        for unit, count in zip(opds + kecamatan, self._split(rest, weights), strict=True):
            families = (
                cat.KECAMATAN_FAMILIES
                if unit["kind"] == "kecamatan"
                else cat.OPD_FAMILIES.get(unit["code"], cat.DEFAULT_OPD_FAMILIES)
            )
            slots.extend(self._family_slots(unit, families, count))
        rsud = next(u for u in units if u["kind"] == "rsud")
        slots.extend(self._family_slots(rsud, cat.OPD_FAMILIES["RSUD"], rsud_total))
        return slots

    def _family_slots(
        self, unit: dict[str, Any], families: tuple[tuple[str, float], ...], count: int
    ) -> list[_Slot]:
        shares = [share for _, share in families]
        result = []
        for (family, _), c in zip(families, self._split(count, shares), strict=True):
            fam = cat.FAMILIES[family]
            result.append(
                _Slot(
                    unit,
                    family,
                    max(1, c),
                    f"{unit['code']}-{family.upper()}",
                    fam.title,
                    fam.kind,
                    fam.job_class,
                )
            )
        return result

    def _split(self, total: int, weights: list[float]) -> list[int]:
        """Largest-remainder split of `total` in proportion to `weights`."""
        scale = sum(weights)
        raw = [total * w / scale for w in weights]
        counts = [math.floor(r) for r in raw]
        order = sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)
        for i in order[: total - sum(counts)]:
            counts[i] += 1
        return counts

    # -- positions and workload ---------------------------------------------
    def _load_factor(self, slot: _Slot) -> float:
        if slot.family is None:
            return self.rng.uniform(0.9, 1.15)
        unit_key = "KEC" if slot.unit["kind"] == "kecamatan" else slot.unit["code"]
        mean, spread = (
            SCENARIOS.get((unit_key, slot.family))
            or SCENARIOS.get((None, slot.family))
            or (1.0, 0.08)
        )
        return max(0.3, self.rng.gauss(mean, spread))

    def _position(self, slot: _Slot) -> None:
        family = cat.FAMILIES.get(slot.family) if slot.family else None
        current = max(slot.count, 1)
        required = current * self._load_factor(slot)
        authorized = max(1, math.ceil(required)) if required > current else max(1, round(required))
        if family is None:
            technical, fields, required_technical = "Manajemen Pemerintahan", "", 3
            tasks = LEADERSHIP_TASKS
            authorized = 1
        else:
            technical, fields, required_technical = (
                family.competency,
                ";".join(family.fields),
                family.required_technical,
            )
            tasks = family.tasks
        unit = slot.unit
        self.sheets["jabatan"].append(
            dict(
                code=slot.code,
                unit_code=unit["code"],
                title=slot.title,
                kind=slot.kind,
                job_class=slot.job_class,
                authorized_headcount=authorized,
                superior_position_code=None
                if slot.code == unit["head_position_code"]
                else unit["head_position_code"],
                technical_competency=technical,
                required_technical=required_technical,
                required_managerial=ref.DEFAULT_MANAGERIAL_LEVEL[slot.kind],
                required_sociocultural=2 if family is None else 1,
                education_fields=fields,
                min_education="S1" if family is None else None,
                min_rank=None,
                jenjang=None,
                education_required=False,
            )
        )
        self.positions_by_family.setdefault(slot.family or slot.kind, []).append(slot.code)
        self._workload(slot.code, tasks, required * EFFECTIVE_MINUTES)

    def _workload(self, code: str, tasks: tuple[tuple[str, str, int], ...], minutes: float) -> None:
        weights = [self.rng.uniform(0.5, 1.5) for _ in tasks]
        total = sum(weights)
        for (task, unit, norm), weight in zip(tasks, weights, strict=True):
            volume = max(1, round(minutes * weight / total / norm))
            self.sheets["beban_kerja"].append(
                dict(
                    position_code=code,
                    task=task,
                    yearly_volume=float(volume),
                    output_unit=unit,
                    norm_minutes=float(norm),
                )
            )

    # -- people ---------------------------------------------------------------
    def _employee(self, slot: _Slot) -> None:
        rng, as_of = self.rng, self.o.as_of
        family = cat.FAMILIES.get(slot.family) if slot.family else None
        gender = (
            "P"
            if rng.random() < (0.7 if slot.family in ("nurse", "midwife", "teacher_sd") else 0.45)
            else "L"
        )
        age = rng.choices(
            (rng.randint(23, 30), rng.randint(31, 40), rng.randint(41, 50), rng.randint(51, 57)),
            weights=(10, 22, 33, 35),
        )[0]
        if slot.family is None:
            age = max(age, 38 if slot.kind != "jpt_pratama" else 45)
        birth = date(as_of.year - age, rng.randint(1, 12), rng.randint(1, 28))
        appointed_age = min(age - 1, rng.randint(22, 33))
        appointed = date(birth.year + appointed_age, rng.randint(1, 12), 1)
        asn_type = (
            "PPPK"
            if family is not None and rng.random() < 0.15 and appointed.year >= 2019
            else "PNS"
        )
        engineer_in_admin = (
            slot.family == "admin"
            and slot.unit["kind"] in ("setda", "setwan", "kecamatan")
            and rng.random() < 0.15
        )
        if engineer_in_admin:
            level, field = rng.choice(("D3", "S1", "S1")), "Teknik Sipil"
        elif family is not None:
            level, field = rng.choice(family.levels), rng.choice(family.fields)
        else:
            level, field = (
                rng.choice(("S1", "S2", "S2")),
                rng.choice(("Administrasi Publik", "Manajemen", "Hukum")),
            )
        nip = self._nip(birth, appointed, gender)
        years = max(0, (as_of - appointed).days // 365)
        tenure_days = rng.randint(200, min(max(400, (as_of - appointed).days), 12 * 365))
        position_tmt = max(appointed, as_of - timedelta(days=tenure_days)).replace(day=1)
        self.sheets["pegawai"].append(
            dict(
                nip=nip,
                name=self._name(gender, level, field),
                asn_type=asn_type,
                rank=self._rank(asn_type, level, years, slot.kind),
                education_level=level,
                education_field=field,
                position_code=slot.code,
                position_tmt=position_tmt,
                home_region=slot.unit["region"]
                if rng.random() < 0.55
                else rng.choice(cat.DISTRICTS),
                movable=not (rng.random() < 0.02),
                not_movable_reason=None,
            )
        )
        if not self.sheets["pegawai"][-1]["movable"]:
            self.sheets["pegawai"][-1]["not_movable_reason"] = "Tugas belajar"
        self._history(nip, slot, appointed, position_tmt)
        self._ratings(nip)
        self._discipline(nip)
        self._assessments(nip, slot, family, engineer_in_admin)
        self._preferences(nip, slot, engineer_in_admin)

    def _nip(self, birth: date, appointed: date, gender: str) -> str:
        prefix = f"{birth:%Y%m%d}{appointed:%Y%m}{gender}"
        seq = self.nip_seq.get(prefix, self.rng.randint(0, 3)) + 1
        self.nip_seq[prefix] = seq
        return make_nip(birth, appointed, gender, seq)

    def _name(self, gender: str, level: str, field: str) -> str:
        first = self.rng.choice(cat.FIRST_NAMES_M if gender == "L" else cat.FIRST_NAMES_F)
        name = f"{first} {self.rng.choice(cat.LAST_NAMES)}"
        title = cat.DEGREE_TITLES.get(field)
        if level in ref.DEGREE_LEVELS and title:
            name = f"{title} {name}" if title == "dr." else f"{name}, {title}"
            if level in ("S2", "S3") and title != "dr.":
                name += ", M.Si."
        elif level == "D3":
            name += ", A.Md."
        return name

    def _rank(self, asn_type: str, level: str, years: int, kind: str) -> str:
        if asn_type == "PPPK":
            return {"SMA": "V", "D3": "VII"}.get(level, "IX" if level in ("S1", "D4") else "X")
        start = {
            "SD": 0,
            "SMP": 2,
            "SMA": 4,
            "D1": 4,
            "D2": 5,
            "D3": 6,
            "D4": 8,
            "S1": 8,
            "S2": 9,
            "S3": 10,
        }[level]
        cap = {"jpt_pratama": 14, "administrator": 13, "pengawas": 12, "fungsional": 12}.get(
            kind, 11
        )
        floor = {"jpt_pratama": 13, "administrator": 11, "pengawas": 10}.get(kind, 0)
        step = max(floor, min(cap, start + years // 6))
        return list(ref.PNS_RANKS)[step]

    def _history(self, nip: str, slot: _Slot, appointed: date, position_tmt: date) -> None:
        rows = self.sheets["riwayat_jabatan"]
        start = appointed
        peers = [
            c for c in self.positions_by_family.get(slot.family or slot.kind, []) if c != slot.code
        ]
        if peers and (position_tmt - appointed).days > 3 * 365:
            middle = date(start.year + (position_tmt.year - start.year) // 2, start.month, 1)
            if appointed < middle < position_tmt:
                rows.append(
                    dict(
                        nip=nip,
                        tmt_start=start,
                        position_code=self.rng.choice(peers),
                        tmt_end=middle,
                        decree_number=f"800/{self.rng.randint(1, 400):03d}/BKPSDM/{start.year}",
                    )
                )
                start = middle
        if start < position_tmt and peers:
            rows.append(
                dict(
                    nip=nip,
                    tmt_start=start,
                    position_code=self.rng.choice(peers),
                    tmt_end=position_tmt,
                    decree_number=f"800/{self.rng.randint(1, 400):03d}/BKPSDM/{start.year}",
                )
            )
        rows.append(
            dict(
                nip=nip,
                tmt_start=position_tmt,
                position_code=slot.code,
                tmt_end=None,
                decree_number=f"800/{self.rng.randint(1, 400):03d}/BKPSDM/{position_tmt.year}",
            )
        )

    def _ratings(self, nip: str) -> None:
        for year in range(self.o.as_of.year - 3, self.o.as_of.year):
            predikat = self.rng.choices(ref.PREDIKATS, weights=(18, 70, 8, 3, 1))[0]
            self.sheets["predikat_kinerja"].append(dict(nip=nip, year=year, predikat=predikat))

    def _discipline(self, nip: str) -> None:
        if self.rng.random() < 0.03:
            level = self.rng.choices(ref.SANCTION_LEVELS, weights=(60, 30, 10))[0]
            decided = self.o.as_of - timedelta(days=self.rng.randint(30, 4 * 365))
            self.sheets["hukuman_disiplin"].append(
                dict(
                    nip=nip,
                    decided_on=decided,
                    level=level,
                    description="Pelanggaran ketentuan jam kerja",
                )
            )

    def _assessments(
        self, nip: str, slot: _Slot, family: cat.Family | None, engineer: bool
    ) -> None:
        if self.rng.random() < 0.03:
            return  # not yet assessed: the planning engine must say so
        rows = self.sheets["penilaian_kompetensi"]
        assessed = self.o.as_of - timedelta(days=self.rng.randint(30, 700))
        required_technical = family.required_technical if family else 3
        competency = family.competency if family else "Manajemen Pemerintahan"
        rows.append(
            dict(
                nip=nip,
                competency=competency,
                assessed_on=assessed,
                kind="teknis",
                level=self._level(required_technical),
            )
        )
        if engineer:
            rows.append(
                dict(
                    nip=nip,
                    competency="Teknik Sipil",
                    assessed_on=assessed,
                    kind="teknis",
                    level=self.rng.choice((3, 3, 4)),
                )
            )
        managerial = ref.DEFAULT_MANAGERIAL_LEVEL[slot.kind]
        for name in cat.MANAGERIAL:
            rows.append(
                dict(
                    nip=nip,
                    competency=name,
                    assessed_on=assessed,
                    kind="manajerial",
                    level=self._level(managerial),
                )
            )
        rows.append(
            dict(
                nip=nip,
                competency=cat.SOCIOCULTURAL,
                assessed_on=assessed,
                kind="sosial_kultural",
                level=min(ref.MAX_SOCIOCULTURAL_LEVEL, self._level(2 if family is None else 1)),
            )
        )

    def _level(self, required: int) -> int:
        delta = self.rng.choices((-2, -1, 0, 1), weights=(5, 25, 50, 20))[0]
        return min(5, max(1, required + delta))

    def _preferences(self, nip: str, slot: _Slot, engineer: bool) -> None:
        rng = self.rng
        if engineer and rng.random() < 0.6:
            wishes = ["PUPR"]
        elif rng.random() < 0.12:
            kinds = (
                {"sekolah"} if slot.unit["kind"] == "sekolah" else {"dinas", "badan", "kecamatan"}
            )
            options = [
                u["code"]
                for u in self.sheets["unit_kerja"]
                if u["kind"] in kinds and u is not slot.unit
            ]
            wishes = rng.sample(options, k=min(len(options), rng.randint(1, 2)))
        else:
            return
        for rank, unit in enumerate(wishes, start=1):
            self.sheets["preferensi_penempatan"].append(
                dict(
                    nip=nip,
                    rank=rank,
                    unit_code=unit,
                    reason="Dekat dengan domisili" if rank == 1 else "",
                )
            )

"""What each import sheet holds: columns, types, keys, references and row rules.

One `SheetSpec` per kind; the reader, validator, importer, exporter and the
downloadable template are all driven by these, so the documentation HR reads
is the same object the validator enforces.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import SQLModel

from models import (
    Agency,
    CompetencyAssessment,
    DisciplinaryRecord,
    Employee,
    FamilyRelation,
    PerformanceRating,
    PlacementPreference,
    Position,
    PositionHistory,
    Unit,
    WorkloadRow,
)
from mutasi.dataio.nip import InvalidNip, parse_nip
from mutasi.decree.numbers import format_problems
from mutasi.infra.clock import today
from planning import reference as ref
from planning.command import RELATIONS

RowErrors = list[tuple[str, str]]  # (column, reason)


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # str | int | float | date | bool
    help: str
    required: bool = True
    choices: tuple[str, ...] | None = None
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    ref: str | None = None  # name of the sheet whose key this column references
    example: Any = None
    default: Any = None  # stored when an optional cell is blank

    @property
    def identifier(self) -> bool:
        """NIPs and codes: text that must arrive digit for digit, never as a number."""
        return self.kind == "str" and (self.name in ("nip", "code") or self.name.endswith("_code"))


@dataclass(frozen=True)
class SheetSpec:
    name: str
    aliases: tuple[str, ...]
    title: str
    model: type[SQLModel]
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    check_row: Callable[[dict[str, Any]], RowErrors] | None = None
    derive: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _check_agency(row: dict[str, Any]) -> RowErrors:
    return [("decree_number_format", p) for p in format_problems(row["decree_number_format"])]


# Enough to refuse a typo; the mail server has the last word (a bounce is recorded).
EMAIL = re.compile(r"[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+")


def _check_employee(row: dict[str, Any]) -> RowErrors:
    errors: RowErrors = []
    try:
        parts = parse_nip(row["nip"])
    except InvalidNip as exc:
        return [("nip", str(exc))]
    ranks = ref.PNS_RANKS if row["asn_type"] == "PNS" else ref.PPPK_RANKS
    if row["rank"] not in ranks:
        errors.append(("rank", f"golongan '{row['rank']}' tidak berlaku untuk {row['asn_type']}"))
    if row["position_tmt"] < parts.appointment_month:
        errors.append(("position_tmt", "TMT jabatan sebelum bulan pengangkatan pada NIP"))
    if row["position_tmt"] > today():
        errors.append(("position_tmt", "TMT jabatan di masa depan"))
    if row.get("movable") is False and not row.get("not_movable_reason"):
        errors.append(("not_movable_reason", "wajib diisi bila pegawai tidak dapat dimutasi"))
    if row.get("email") and not EMAIL.fullmatch(row["email"]):
        errors.append(("email", f"alamat e-mail '{row['email']}' tidak sah"))
    return errors


def _derive_employee(row: dict[str, Any]) -> dict[str, Any]:
    parts = parse_nip(row["nip"])
    return {
        "birth_date": parts.birth_date,
        "appointment_month": parts.appointment_month,
        "gender": parts.gender,
    }


def _check_position(row: dict[str, Any]) -> RowErrors:
    """Fills the managerial level a position's kind implies when HR left it blank; a
    functional level belongs to functional posts only."""
    if row.get("required_managerial") is None:
        row["required_managerial"] = ref.DEFAULT_MANAGERIAL_LEVEL[row["kind"]]
    if row.get("jenjang") and row["kind"] != "fungsional":
        return [("jenjang", "jenjang hanya untuk jabatan fungsional")]
    if row.get("education_required") and not (
        row.get("min_education") or row.get("education_fields")
    ):
        return [
            ("education_required", "syarat mutlak pendidikan butuh pendidikan minimal atau bidang")
        ]
    return []


def _check_history(row: dict[str, Any]) -> RowErrors:
    end = row.get("tmt_end")
    if end is not None and end < row["tmt_start"]:
        return [("tmt_end", "TMT selesai sebelum TMT mulai")]
    return []


_STANDARD = {
    "manajerial": ref.MANAGERIAL_COMPETENCIES,
    "sosial_kultural": ref.SOCIOCULTURAL_COMPETENCIES,
}


def _check_assessment(row: dict[str, Any]) -> RowErrors:
    """Managerial and socio-cultural competencies are the standard ones (PermenPANRB 38/2017),
    each compared on its own; socio-cultural levels run 1-3."""
    standard = _STANDARD.get(row["kind"])
    if standard is not None:
        names = {" ".join(n.lower().split()): n for n in standard}
        canonical = names.get(" ".join(row["competency"].lower().split()))
        if canonical is None:
            return [
                (
                    "competency",
                    f"kompetensi {row['kind']} harus salah satu dari: {', '.join(standard)}",
                )
            ]
        row["competency"] = canonical
    if row["kind"] == "sosial_kultural" and row["level"] > ref.MAX_SOCIOCULTURAL_LEVEL:
        return [("level", f"level sosial kultural 1-{ref.MAX_SOCIOCULTURAL_LEVEL}")]
    return []


def _check_relation(row: dict[str, Any]) -> RowErrors:
    if row["nip"] == row["relative_nip"]:
        return [("relative_nip", "pegawai tidak dapat menjadi keluarganya sendiri")]
    return []


def _check_rating(row: dict[str, Any]) -> RowErrors:
    if row["year"] > today().year:
        return [("year", "tahun penilaian di masa depan")]
    return []


LEVEL: dict[str, Any] = {"kind": "int", "minimum": 1, "maximum": 5}
NIP_HELP = (
    "NIP: tepat 18 digit angka (tanggal lahir YYYYMMDD, bulan pengangkatan YYYYMM, jenis kelamin 1/2, "
    "nomor urut 001-999). Format kolom sebagai Teks agar digit terakhir tidak berubah."
)
NIP_REF_HELP = "NIP pegawai (tepat 18 digit, kolom berformat Teks)"
# The column that ties a row of a person's sheet to the employee (frozen: one shared instance).
EMPLOYEE_NIP = Column(
    "nip", "str", NIP_REF_HELP, max_length=18, ref="pegawai", example="198503122010011003"
)

SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec(
        "instansi",
        ("agencies", "agency"),
        "Instansi",
        Agency,
        (
            Column("code", "str", "Kode instansi", max_length=32, example="KAB-SKM"),
            Column(
                "name",
                "str",
                "Nama instansi",
                max_length=200,
                example="Pemerintah Kabupaten Sukamaju",
            ),
            Column(
                "kind",
                "str",
                "Jenis: kabupaten, kota, provinsi, pusat",
                choices=ref.AGENCY_KINDS,
                example="kabupaten",
            ),
            Column("region", "str", "Nama daerah", max_length=120, example="Kabupaten Sukamaju"),
            Column("province", "str", "Provinsi", max_length=120, example="Jawa Barat"),
            Column("ppk_title", "str", "Jabatan PPK", max_length=200, example="Bupati Sukamaju"),
            Column(
                "ppk_office",
                "str",
                "Kantor PPK",
                max_length=200,
                example="Pemerintah Kabupaten Sukamaju",
            ),
            Column("seat", "str", "Tempat penetapan keputusan", max_length=120, example="Sukamaju"),
            Column(
                "ppk_name",
                "str",
                "Nama PPK (dicetak di bawah keputusan)",
                required=False,
                max_length=200,
                example="H. Ahmad Fauzi, S.H., M.Si.",
            ),
            Column(
                "ppk_delegation",
                "str",
                "Kewenangan PPK didelegasikan: 'sekda' (Sekda memutus a.n. PPK) atau kosong",
                required=False,
                choices=("sekda",),
                default="",
                example="sekda",
            ),
            Column(
                "decree_number_format",
                "str",
                "Format nomor SK: {seq} (boleh {seq:03d}), {year}, {agency}",
                required=False,
                max_length=120,
                default="800/{seq:03d}/BKPSDM/{year}",
                example="800/{seq:03d}/BKPSDM/{year}",
            ),
        ),
        ("code",),
        check_row=_check_agency,
    ),
    SheetSpec(
        "unit_kerja",
        ("units", "unit"),
        "Unit kerja / OPD",
        Unit,
        (
            Column("code", "str", "Kode unit", max_length=32, example="DPMPTSP"),
            Column(
                "agency_code",
                "str",
                "Kode instansi",
                max_length=32,
                ref="instansi",
                example="KAB-SKM",
            ),
            Column(
                "name", "str", "Nama unit", max_length=200, example="Dinas Penanaman Modal dan PTSP"
            ),
            Column("kind", "str", "Jenis unit", choices=ref.UNIT_KINDS, example="dinas"),
            Column(
                "parent_code",
                "str",
                "Kode unit induk (kosong bila OPD)",
                required=False,
                max_length=32,
                ref="unit_kerja",
            ),
            Column(
                "head_position_code",
                "str",
                "Kode jabatan kepala unit",
                required=False,
                max_length=32,
                ref="jabatan",
            ),
            Column(
                "region", "str", "Kecamatan lokasi unit", max_length=120, example="Sukamaju Kota"
            ),
        ),
        ("code",),
    ),
    SheetSpec(
        "jabatan",
        ("positions", "position"),
        "Jabatan",
        Position,
        (
            Column("code", "str", "Kode jabatan", max_length=32, example="DPMPTSP-PEL-01"),
            Column(
                "unit_code", "str", "Kode unit", max_length=32, ref="unit_kerja", example="DPMPTSP"
            ),
            Column("title", "str", "Nama jabatan", max_length=200, example="Pengelola Perizinan"),
            Column("kind", "str", "Jenis jabatan", choices=ref.POSITION_KINDS, example="pelaksana"),
            Column("job_class", "int", "Kelas jabatan (1-17)", minimum=1, maximum=17, example=7),
            Column(
                "authorized_headcount",
                "int",
                "Formasi (jumlah pegawai yang diizinkan)",
                minimum=0,
                example=6,
            ),
            Column(
                "superior_position_code",
                "str",
                "Kode jabatan atasan langsung",
                required=False,
                max_length=32,
                ref="jabatan",
            ),
            Column(
                "technical_competency",
                "str",
                "Kompetensi teknis utama",
                max_length=120,
                example="Perizinan",
            ),
            Column(
                "required_technical",
                help="Level kompetensi teknis yang disyaratkan (1-5)",
                example=2,
                **LEVEL,
            ),
            Column(
                "required_managerial",
                help="Level manajerial (kosong = bawaan jenis jabatan)",
                required=False,
                example=1,
                **LEVEL,
            ),
            Column(
                "required_sociocultural",
                "int",
                "Level sosial kultural (1-3)",
                minimum=1,
                maximum=ref.MAX_SOCIOCULTURAL_LEVEL,
                example=1,
            ),
            Column(
                "education_fields",
                "str",
                "Bidang pendidikan yang diterima, dipisah ';'",
                required=False,
                max_length=500,
                default="",
                example="Administrasi Publik;Hukum",
            ),
            Column(
                "min_education",
                "str",
                "Pendidikan minimal",
                required=False,
                choices=ref.EDUCATION_LEVELS,
                example="D3",
            ),
            Column(
                "min_rank",
                "str",
                "Pangkat/golongan minimal pemegang jabatan (PNS, mis. III/b); kosong = tanpa "
                "syarat",
                required=False,
                choices=tuple(ref.PNS_RANKS),
                example="III/a",
            ),
            Column(
                "jenjang",
                "str",
                "Jenjang jabatan fungsional yang harus sudah dimiliki pemegangnya "
                f"({', '.join(ref.JENJANG)}); kosong untuk jabatan nonfungsional",
                required=False,
                choices=tuple(ref.JENJANG),
                example="ahli_pertama",
            ),
            Column(
                "education_required",
                "bool",
                "Pendidikan minimal dan bidangnya syarat mutlak (ya/tidak; kosong "
                "= tidak, hanya dinilai dalam JPM)",
                required=False,
                default=False,
                example=False,
            ),
        ),
        ("code",),
        check_row=_check_position,
    ),
    SheetSpec(
        "pegawai",
        ("employees", "employee"),
        "Pegawai",
        Employee,
        (
            Column("nip", "str", NIP_HELP, max_length=18, example="198503122010011003"),
            Column(
                "name",
                "str",
                "Nama lengkap dengan gelar",
                max_length=200,
                example="Budi Santoso, S.T.",
            ),
            Column("asn_type", "str", "PNS atau PPPK", choices=ref.ASN_TYPES, example="PNS"),
            Column(
                "rank",
                "str",
                "Golongan (PNS: III/a ...; PPPK: I-XVII)",
                max_length=8,
                example="III/b",
            ),
            Column(
                "education_level",
                "str",
                "Jenjang pendidikan",
                choices=ref.EDUCATION_LEVELS,
                example="S1",
            ),
            Column(
                "education_field",
                "str",
                "Bidang pendidikan",
                max_length=120,
                example="Teknik Sipil",
            ),
            Column(
                "position_code",
                "str",
                "Kode jabatan saat ini",
                max_length=32,
                ref="jabatan",
                example="DPMPTSP-PEL-01",
            ),
            Column("position_tmt", "date", "TMT pada jabatan saat ini", example=date(2020, 3, 1)),
            Column(
                "home_region", "str", "Kecamatan domisili", max_length=120, example="Sukamaju Kota"
            ),
            Column(
                "movable",
                "bool",
                "Dapat dimutasi (ya/tidak; kosong = ya)",
                required=False,
                example=True,
                default=True,
            ),
            Column(
                "not_movable_reason",
                "str",
                "Alasan tidak dapat dimutasi (mis. tugas belajar)",
                required=False,
                max_length=200,
            ),
            Column(
                "service_status",
                "str",
                "Status kepegawaian: "
                + ", ".join(ref.SERVICE_STATUSES)
                + " (kosong = aktif); selain aktif tidak dimutasi",
                required=False,
                choices=tuple(ref.SERVICE_STATUSES),
                default="aktif",
                example="aktif",
            ),
            Column(
                "email",
                "str",
                "Alamat e-mail dinas (pemberitahuan dan kode aktivasi akun)",
                required=False,
                max_length=254,
                example="budi@sukamaju.go.id",
            ),
        ),
        ("nip",),
        check_row=_check_employee,
        derive=_derive_employee,
    ),
    SheetSpec(
        "riwayat_jabatan",
        ("position_history",),
        "Riwayat jabatan",
        PositionHistory,
        (
            EMPLOYEE_NIP,
            Column("tmt_start", "date", "TMT mulai"),
            Column("position_code", "str", "Kode jabatan", max_length=32, ref="jabatan"),
            Column("tmt_end", "date", "TMT selesai (kosong bila masih menjabat)", required=False),
            Column("decree_number", "str", "Nomor SK", required=False, max_length=80),
        ),
        ("nip", "tmt_start"),
        check_row=_check_history,
    ),
    SheetSpec(
        "penilaian_kompetensi",
        ("competency_assessments",),
        "Penilaian kompetensi",
        CompetencyAssessment,
        (
            EMPLOYEE_NIP,
            Column("competency", "str", "Nama kompetensi", max_length=120, example="Perizinan"),
            Column("assessed_on", "date", "Tanggal penilaian"),
            Column(
                "kind",
                "str",
                "Jenis: teknis, manajerial, sosial_kultural",
                choices=ref.COMPETENCY_KINDS,
            ),
            Column("level", help="Level (teknis dan manajerial 1-5, sosial kultural 1-3)", **LEVEL),
        ),
        ("nip", "competency", "assessed_on"),
        check_row=_check_assessment,
    ),
    SheetSpec(
        "predikat_kinerja",
        ("performance_ratings",),
        "Predikat kinerja tahunan",
        PerformanceRating,
        (
            EMPLOYEE_NIP,
            Column("year", "int", "Tahun", minimum=1990, maximum=2100),
            Column("predikat", "str", "Predikat kinerja", choices=ref.PREDIKATS),
        ),
        ("nip", "year"),
        check_row=_check_rating,
    ),
    SheetSpec(
        "hukuman_disiplin",
        ("disciplinary_records",),
        "Hukuman disiplin",
        DisciplinaryRecord,
        (
            EMPLOYEE_NIP,
            Column("decided_on", "date", "Tanggal keputusan"),
            Column("level", "str", "Tingkat: ringan, sedang, berat", choices=ref.SANCTION_LEVELS),
            Column("description", "str", "Uraian", required=False, max_length=500, default=""),
        ),
        ("nip", "decided_on", "level"),
    ),
    SheetSpec(
        "beban_kerja",
        ("workload", "abk"),
        "Analisis beban kerja (ABK)",
        WorkloadRow,
        (
            Column("position_code", "str", "Kode jabatan", max_length=32, ref="jabatan"),
            Column(
                "task",
                "str",
                "Uraian tugas",
                max_length=200,
                example="Memverifikasi berkas permohonan izin",
            ),
            Column("yearly_volume", "float", "Volume kerja per tahun", minimum=0, example=5200),
            Column("output_unit", "str", "Satuan hasil", max_length=60, example="berkas"),
            Column(
                "norm_minutes", "float", "Norma waktu (menit per satuan)", minimum=0, example=30
            ),
        ),
        ("position_code", "task"),
    ),
    SheetSpec(
        "preferensi_penempatan",
        ("preferences",),
        "Preferensi penempatan",
        PlacementPreference,
        (
            EMPLOYEE_NIP,
            Column("rank", "int", "Urutan pilihan (1-3)", minimum=1, maximum=3),
            Column(
                "unit_code", "str", "Kode unit yang diinginkan", max_length=32, ref="unit_kerja"
            ),
            Column("reason", "str", "Alasan", required=False, max_length=300, default=""),
        ),
        ("nip", "rank"),
    ),
    SheetSpec(
        "hubungan_keluarga",
        ("family_relations",),
        "Hubungan keluarga antarpegawai",
        FamilyRelation,
        (
            EMPLOYEE_NIP,
            Column(
                "relative_nip",
                "str",
                "NIP anggota keluarga yang juga pegawai (cukup dicatat sekali; berlaku dua arah)",
                max_length=18,
                ref="pegawai",
                example="198706152011012004",
            ),
            Column(
                "relation",
                "str",
                "Hubungan: " + ", ".join(RELATIONS),
                choices=tuple(RELATIONS),
                example="suami_istri",
            ),
        ),
        ("nip", "relative_nip"),
        check_row=_check_relation,
    ),
)

SHEETS_BY_NAME: dict[str, SheetSpec] = {s.name: s for s in SHEETS}
# Sheets that the template carries for people, not data: ignored on import.
IGNORED_SHEETS = frozenset({"petunjuk", "instructions"})


def resolve_sheet(name: str) -> SheetSpec | None:
    wanted = name.strip().lower().replace(" ", "_")
    for spec in SHEETS:
        if wanted == spec.name or wanted in spec.aliases:
            return spec
    return None

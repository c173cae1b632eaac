"""Reference data of the Indonesian civil service that the rules are written in.

Pure constants: importers validate against them, the planning engine ranks by them.
"""

from __future__ import annotations

# Golongan ruang of PNS, lowest first, with the rank title (pangkat).
PNS_RANKS: dict[str, str] = {
    "I/a": "Juru Muda",
    "I/b": "Juru Muda Tingkat I",
    "I/c": "Juru",
    "I/d": "Juru Tingkat I",
    "II/a": "Pengatur Muda",
    "II/b": "Pengatur Muda Tingkat I",
    "II/c": "Pengatur",
    "II/d": "Pengatur Tingkat I",
    "III/a": "Penata Muda",
    "III/b": "Penata Muda Tingkat I",
    "III/c": "Penata",
    "III/d": "Penata Tingkat I",
    "IV/a": "Pembina",
    "IV/b": "Pembina Tingkat I",
    "IV/c": "Pembina Utama Muda",
    "IV/d": "Pembina Utama Madya",
    "IV/e": "Pembina Utama",
}
# PPPK have their own golongan I..XVII.
PPPK_RANKS: tuple[str, ...] = (
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
    "XVII",
)
ASN_TYPES = ("PNS", "PPPK")

# Performance predikat (PermenPANRB 6/2022), best first.
PREDIKATS: tuple[str, ...] = (
    "Sangat Baik",
    "Baik",
    "Butuh Perbaikan",
    "Kurang",
    "Sangat Kurang",
)
GOOD_PREDIKATS = frozenset({"Sangat Baik", "Baik"})

SANCTION_LEVELS = ("ringan", "sedang", "berat")
COMPETENCY_KINDS = ("teknis", "manajerial", "sosial_kultural")
# PermenPANRB 38/2017: the eight managerial competencies and the socio-cultural one, each
# compared on its own against the level the post requires.
MANAGERIAL_COMPETENCIES: tuple[str, ...] = (
    "Integritas",
    "Kerja Sama",
    "Komunikasi",
    "Orientasi pada Hasil",
    "Pelayanan Publik",
    "Pengembangan Diri dan Orang Lain",
    "Mengelola Perubahan",
    "Pengambilan Keputusan",
)
SOCIOCULTURAL_COMPETENCIES: tuple[str, ...] = ("Perekat Bangsa",)
MAX_SOCIOCULTURAL_LEVEL = 3  # socio-cultural competence is described in three levels

EDUCATION_LEVELS: tuple[str, ...] = ("SD", "SMP", "SMA", "D1", "D2", "D3", "D4", "S1", "S2", "S3")
DEGREE_LEVELS = frozenset({"D4", "S1", "S2", "S3"})

POSITION_KINDS: tuple[str, ...] = (
    "jpt_madya",
    "jpt_pratama",
    "administrator",
    "pengawas",
    "fungsional",
    "pelaksana",
)
STRUCTURAL_KINDS = frozenset({"jpt_madya", "jpt_pratama", "administrator", "pengawas"})
# Managerial level required by default for each kind of position.
DEFAULT_MANAGERIAL_LEVEL: dict[str, int] = {
    "jpt_madya": 5,
    "jpt_pratama": 4,
    "administrator": 3,
    "pengawas": 2,
    "fungsional": 1,
    "pelaksana": 1,
}
POSITION_KIND_LABELS: dict[str, str] = {
    "jpt_madya": "JPT Madya",
    "jpt_pratama": "JPT Pratama",
    "administrator": "Administrator",
    "pengawas": "Pengawas",
    "fungsional": "Fungsional",
    "pelaksana": "Pelaksana",
}

UNIT_KINDS: tuple[str, ...] = (
    "setda",
    "setwan",
    "inspektorat",
    "dinas",
    "badan",
    "kecamatan",
    "kelurahan",
    "rsud",
    "puskesmas",
    "sekolah",
    "upt",
)
AGENCY_KINDS = ("kabupaten", "kota", "provinsi", "pusat")

# Functional levels (jenjang): expert (keahlian) and skilled (keterampilan) tracks.
JENJANG: dict[str, str] = {
    "ahli_pertama": "Ahli Pertama",
    "ahli_muda": "Ahli Muda",
    "ahli_madya": "Ahli Madya",
    "ahli_utama": "Ahli Utama",
    "pemula": "Pemula",
    "terampil": "Terampil",
    "mahir": "Mahir",
    "penyelia": "Penyelia",
}

# Service states (PP 11/2017): only an active employee can be moved.
SERVICE_STATUSES: dict[str, str] = {
    "aktif": "aktif",
    "tugas_belajar": "tugas belajar",
    "cltn": "cuti di luar tanggungan negara",
    "penugasan_sementara": "penugasan sementara",
    "diberhentikan_sementara": "diberhentikan sementara",
    "pensiun": "pensiun",
    "berhenti": "berhenti atau pindah ke luar instansi",
    "meninggal": "meninggal dunia",
}
# Out of the service for good: their accounts stop working and their open tasks move on.
LEFT_SERVICE = ("pensiun", "berhenti", "meninggal")

# Retirement age (BUP, PP 11/2017 Ps 239) by the kind of post held; agencies may configure.
DEFAULT_RETIREMENT_AGES: dict[str, int] = {
    "administrasi": 58,  # administrator, pengawas, pelaksana
    "jpt": 60,  # JPT madya and pratama
    "ahli_pertama": 58,
    "ahli_muda": 58,
    "ahli_madya": 60,
    "ahli_utama": 65,
    "keterampilan": 58,  # pemula, terampil, mahir, penyelia
}


def rank_order(rank: str | None) -> int | None:
    """Position of a PNS golongan ruang, lowest 0 (None when it is not one)."""
    return list(PNS_RANKS).index(rank) if rank in PNS_RANKS else None


def retirement_group(kind: str, jenjang: str | None) -> str:
    if kind in ("jpt_madya", "jpt_pratama"):
        return "jpt"
    if kind == "fungsional" and jenjang in (
        "ahli_pertama",
        "ahli_muda",
        "ahli_madya",
        "ahli_utama",
    ):
        return jenjang
    if kind == "fungsional" and jenjang is not None:
        return "keterampilan"
    return "administrasi"

"""The kabupaten the demo describes: its OPD, districts, position families and names."""

from __future__ import annotations

from dataclasses import dataclass

DISTRICTS = (
    "Sukamaju Kota", "Cibeureum", "Sindangsari", "Margahayu", "Cikalong", "Pasirjaya",
    "Karangsari", "Sukaresmi", "Cipanas", "Mekarsari", "Tanjungsari", "Babakan",
)

# (code, name, kind). Load factor scenarios are keyed by code in generator.SCENARIOS.
OPDS: tuple[tuple[str, str, str], ...] = (
    ("SETDA", "Sekretariat Daerah", "setda"),
    ("SETWAN", "Sekretariat DPRD", "setwan"),
    ("INSP", "Inspektorat Daerah", "inspektorat"),
    ("DISDIK", "Dinas Pendidikan", "dinas"),
    ("DINKES", "Dinas Kesehatan", "dinas"),
    ("PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "dinas"),
    ("PERKIM", "Dinas Perumahan dan Kawasan Permukiman", "dinas"),
    ("SATPOLPP", "Satuan Polisi Pamong Praja", "dinas"),
    ("DINSOS", "Dinas Sosial", "dinas"),
    ("DISNAKER", "Dinas Tenaga Kerja", "dinas"),
    ("DP3A", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "dinas"),
    ("DKP", "Dinas Ketahanan Pangan", "dinas"),
    ("DLH", "Dinas Lingkungan Hidup", "dinas"),
    ("DUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "dinas"),
    ("DPMD", "Dinas Pemberdayaan Masyarakat dan Desa", "dinas"),
    ("DISHUB", "Dinas Perhubungan", "dinas"),
    ("DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas"),
    ("DISKOPUKM", "Dinas Koperasi dan Usaha Mikro", "dinas"),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "dinas"),
    ("DISPORAPAR", "Dinas Kepemudaan, Olahraga dan Pariwisata", "dinas"),
    ("DISPUSIP", "Dinas Perpustakaan dan Kearsipan", "dinas"),
    ("DISTAN", "Dinas Pertanian", "dinas"),
    ("DISKAN", "Dinas Perikanan", "dinas"),
    ("DISDAG", "Dinas Perdagangan dan Perindustrian", "dinas"),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "badan"),
    ("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah", "badan"),
    ("BAPENDA", "Badan Pendapatan Daerah", "badan"),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan SDM", "badan"),
    ("BPBD", "Badan Penanggulangan Bencana Daerah", "badan"),
    ("KESBANGPOL", "Badan Kesatuan Bangsa dan Politik", "badan"),
    ("BRIDA", "Badan Riset dan Inovasi Daerah", "badan"),
    ("RSUD", "Rumah Sakit Umum Daerah", "rsud"),
)


@dataclass(frozen=True)
class Family:
    """A kind of non-structural post: what it does, what it needs, who fills it."""

    title: str
    kind: str  # fungsional | pelaksana
    competency: str
    fields: tuple[str, ...]
    levels: tuple[str, ...]  # education levels drawn for its holders
    job_class: int
    tasks: tuple[tuple[str, str, int], ...]  # (task, output unit, norm minutes)
    required_technical: int = 2


ADMIN_TASKS = (
    ("Mengagendakan surat masuk dan keluar", "surat", 10),
    ("Menyusun bahan laporan kegiatan", "laporan", 240),
    ("Mengelola arsip dinamis", "berkas", 15),
    ("Menyiapkan bahan rapat", "kegiatan", 120),
)

FAMILIES: dict[str, Family] = {
    "admin": Family("Pengadministrasi Perkantoran", "pelaksana", "Administrasi Perkantoran",
                    ("Administrasi Perkantoran", "Administrasi Publik", "Manajemen", "Umum"),
                    ("SMA", "SMA", "D3", "S1"), 5, ADMIN_TASKS, 2),
    "data": Family("Pengolah Data dan Informasi", "pelaksana", "Pengolahan Data",
                   ("Manajemen Informatika", "Statistika", "Administrasi Publik", "Umum"),
                   ("SMA", "D3", "S1"), 6,
                   (("Memutakhirkan basis data", "dokumen", 45), ("Menyusun rekapitulasi data", "laporan", 180),
                    ("Memverifikasi data masuk", "berkas", 20)), 2),
    "finance": Family("Pengelola Keuangan", "pelaksana", "Pengelolaan Keuangan",
                      ("Akuntansi", "Manajemen", "Ekonomi Pembangunan"), ("D3", "S1"), 7,
                      (("Memverifikasi SPJ", "berkas", 40), ("Menyusun laporan keuangan", "laporan", 600),
                       ("Mencatat transaksi", "transaksi", 12)), 2),
    "permit": Family("Pengelola Perizinan", "pelaksana", "Perizinan",
                     ("Administrasi Publik", "Hukum", "Administrasi Perkantoran"), ("D3", "S1"), 7,
                     (("Memverifikasi berkas permohonan izin", "berkas", 35),
                      ("Melakukan peninjauan lapangan", "lokasi", 240),
                      ("Menyusun draf keputusan izin", "izin", 60)), 2),
    "civreg": Family("Operator Layanan Kependudukan", "pelaksana", "Administrasi Kependudukan",
                     ("Administrasi Publik", "Manajemen Informatika", "Umum"), ("SMA", "D3", "S1"), 6,
                     (("Menerbitkan KTP-el", "dokumen", 15), ("Menerbitkan kartu keluarga", "dokumen", 20),
                      ("Menerbitkan akta kelahiran", "akta", 25)), 2),
    "engineer": Family("Teknisi Sarana dan Prasarana", "pelaksana", "Teknik Sipil",
                       ("Teknik Sipil", "Arsitektur"), ("D3", "S1"), 7,
                       (("Mengawasi pekerjaan konstruksi", "paket", 2400), ("Menyusun RAB", "dokumen", 480),
                        ("Memeriksa kondisi jalan dan jembatan", "ruas", 300)), 3),
    "teacher_sd": Family("Guru Kelas", "fungsional", "Pembelajaran SD", ("PGSD", "Pendidikan Guru SD"),
                         ("S1", "S1", "S1", "D3"), 8,
                         (("Melaksanakan pembelajaran", "jam pelajaran", 45),
                          ("Menilai hasil belajar", "siswa", 30), ("Menyusun perangkat ajar", "dokumen", 300)), 3),
    "teacher_math": Family("Guru Matematika", "fungsional", "Pembelajaran Matematika",
                           ("Pendidikan Matematika", "Matematika"), ("S1",), 8,
                           (("Melaksanakan pembelajaran", "jam pelajaran", 45),
                            ("Menilai hasil belajar", "siswa", 30), ("Menyusun perangkat ajar", "dokumen", 300)), 3),
    "teacher_lang": Family("Guru Bahasa Indonesia", "fungsional", "Pembelajaran Bahasa Indonesia",
                           ("Pendidikan Bahasa Indonesia", "Sastra Indonesia"), ("S1",), 8,
                           (("Melaksanakan pembelajaran", "jam pelajaran", 45),
                            ("Menilai hasil belajar", "siswa", 30), ("Menyusun perangkat ajar", "dokumen", 300)), 3),
    "nurse": Family("Perawat", "fungsional", "Keperawatan", ("Keperawatan", "Ners"), ("D3", "S1"), 8,
                    (("Melakukan asuhan keperawatan", "pasien", 40), ("Melakukan tindakan keperawatan", "tindakan", 20),
                     ("Mendokumentasikan asuhan", "dokumen", 10)), 3),
    "midwife": Family("Bidan", "fungsional", "Kebidanan", ("Kebidanan",), ("D3", "D4"), 8,
                      (("Melakukan pemeriksaan kehamilan", "pasien", 30), ("Menolong persalinan", "persalinan", 240),
                       ("Melakukan kunjungan nifas", "kunjungan", 60)), 3),
    "doctor": Family("Dokter", "fungsional", "Pelayanan Medis", ("Kedokteran",), ("S1", "S2"), 11,
                     (("Melakukan pemeriksaan pasien", "pasien", 15), ("Melakukan tindakan medis", "tindakan", 45),
                      ("Melakukan rujukan", "rujukan", 30)), 3),
    "auditor": Family("Auditor", "fungsional", "Audit Pemerintahan", ("Akuntansi", "Manajemen", "Hukum"),
                      ("S1", "S2"), 9,
                      (("Melaksanakan audit kinerja", "penugasan", 9600), ("Menyusun laporan hasil audit", "laporan", 1200),
                       ("Melakukan reviu laporan keuangan", "dokumen", 2400)), 3),
    "planner": Family("Perencana", "fungsional", "Perencanaan Pembangunan",
                      ("Perencanaan Wilayah dan Kota", "Ekonomi Pembangunan", "Administrasi Publik"), ("S1", "S2"), 9,
                      (("Menyusun dokumen perencanaan", "dokumen", 4800), ("Mengevaluasi capaian program", "laporan", 1800),
                       ("Memfasilitasi musrenbang", "kegiatan", 960)), 3),
    "extension": Family("Penyuluh Pertanian", "fungsional", "Penyuluhan Pertanian", ("Agroteknologi", "Agribisnis", "Pertanian"),
                        ("D3", "S1"), 8,
                        (("Melakukan penyuluhan kelompok tani", "kegiatan", 240), ("Menyusun programa penyuluhan", "dokumen", 960),
                         ("Melakukan demonstrasi plot", "kegiatan", 480)), 3),
    "hr": Family("Analis SDM Aparatur", "fungsional", "Manajemen SDM Aparatur",
                 ("Administrasi Publik", "Psikologi", "Manajemen"), ("S1", "S2"), 9,
                 (("Menyusun analisis jabatan", "dokumen", 960), ("Memproses usul mutasi", "berkas", 90),
                  ("Mengolah data kepegawaian", "dokumen", 60)), 3),
    "it": Family("Pranata Komputer", "fungsional", "Teknologi Informasi", ("Teknik Informatika", "Sistem Informasi"),
                 ("D3", "S1"), 8,
                 (("Mengembangkan aplikasi", "modul", 4800), ("Memelihara jaringan", "perangkat", 120),
                  ("Menangani gangguan sistem", "tiket", 90)), 3),
    "police": Family("Polisi Pamong Praja", "fungsional", "Ketertiban Umum", ("Umum", "Hukum"), ("SMA", "SMA", "D3", "S1"), 6,
                     (("Melakukan patroli ketertiban", "kegiatan", 240), ("Menegakkan perda", "kasus", 480),
                      ("Mengamankan kegiatan pemerintah", "kegiatan", 360)), 2),
    "social": Family("Pekerja Sosial", "fungsional", "Pelayanan Sosial", ("Kesejahteraan Sosial", "Psikologi"), ("S1",), 8,
                     (("Melakukan asesmen klien", "klien", 180), ("Melakukan pendampingan", "kunjungan", 240),
                      ("Menyusun laporan kasus", "laporan", 120)), 3),
}

# The OPD-specific staff of every OPD besides its administration: (family, share of OPD staff).
OPD_FAMILIES: dict[str, tuple[tuple[str, float], ...]] = {
    "SETDA": (("admin", 0.5), ("data", 0.2), ("finance", 0.15), ("planner", 0.15)),
    "SETWAN": (("admin", 0.7), ("finance", 0.3)),
    "INSP": (("auditor", 0.7), ("admin", 0.3)),
    "DISDIK": (("admin", 0.4), ("data", 0.3), ("finance", 0.3)),
    "DINKES": (("admin", 0.3), ("data", 0.3), ("doctor", 0.2), ("nurse", 0.2)),
    "PUPR": (("engineer", 0.6), ("admin", 0.2), ("finance", 0.2)),
    "PERKIM": (("engineer", 0.5), ("admin", 0.5)),
    "SATPOLPP": (("police", 0.8), ("admin", 0.2)),
    "DINSOS": (("social", 0.6), ("admin", 0.4)),
    "DUKCAPIL": (("civreg", 0.75), ("data", 0.15), ("admin", 0.1)),
    "DISKOMINFO": (("it", 0.6), ("data", 0.2), ("admin", 0.2)),
    "DPMPTSP": (("permit", 0.75), ("data", 0.1), ("admin", 0.15)),
    "DISTAN": (("extension", 0.7), ("admin", 0.3)),
    "BAPPEDA": (("planner", 0.7), ("admin", 0.3)),
    "BPKAD": (("finance", 0.7), ("admin", 0.3)),
    "BAPENDA": (("finance", 0.5), ("data", 0.3), ("admin", 0.2)),
    "BKPSDM": (("hr", 0.6), ("data", 0.2), ("admin", 0.2)),
    "RSUD": (("nurse", 0.5), ("midwife", 0.15), ("doctor", 0.15), ("admin", 0.1), ("finance", 0.1)),
}
DEFAULT_OPD_FAMILIES = (("admin", 0.6), ("data", 0.25), ("finance", 0.15))
KECAMATAN_FAMILIES = (("admin", 0.8), ("data", 0.2))
PUSKESMAS_FAMILIES = (("nurse", 0.45), ("midwife", 0.35), ("doctor", 0.1), ("admin", 0.1))

MANAGERIAL = (
    "Integritas", "Kerja Sama", "Komunikasi", "Orientasi pada Hasil", "Pelayanan Publik",
    "Pengembangan Diri dan Orang Lain", "Mengelola Perubahan", "Pengambilan Keputusan",
)
SOCIOCULTURAL = "Perekat Bangsa"

FIRST_NAMES_M = ("Budi", "Agus", "Dedi", "Asep", "Eko", "Hendra", "Rudi", "Yusuf", "Ahmad", "Dadang",
                 "Iwan", "Joko", "Rahmat", "Slamet", "Teguh", "Wahyu", "Fajar", "Rizky", "Andi", "Bambang")
FIRST_NAMES_F = ("Siti", "Sri", "Dewi", "Ani", "Rina", "Yuli", "Euis", "Neneng", "Lina", "Fitri",
                 "Nur", "Wulan", "Ratna", "Dian", "Ika", "Tuti", "Rini", "Maya", "Putri", "Ayu")
LAST_NAMES = ("Santoso", "Hidayat", "Suryana", "Kurniawan", "Permana", "Rahayu", "Setiawan", "Gunawan",
              "Saputra", "Wijaya", "Nurhayati", "Lestari", "Firmansyah", "Maulana", "Pratama", "Sulastri",
              "Hermawan", "Susanti", "Ramdani", "Kusnadi")
DEGREE_TITLES = {
    "Teknik Sipil": "S.T.", "Arsitektur": "S.Ars.", "Akuntansi": "S.Ak.", "Manajemen": "S.E.",
    "Ekonomi Pembangunan": "S.E.", "Hukum": "S.H.", "Keperawatan": "S.Kep.", "Ners": "S.Kep., Ners",
    "Kebidanan": "S.Tr.Keb.", "Kedokteran": "dr.", "PGSD": "S.Pd.", "Pendidikan Guru SD": "S.Pd.",
    "Pendidikan Matematika": "S.Pd.", "Matematika": "S.Si.", "Pendidikan Bahasa Indonesia": "S.Pd.",
    "Sastra Indonesia": "S.S.", "Teknik Informatika": "S.Kom.", "Sistem Informasi": "S.Kom.",
    "Manajemen Informatika": "S.Kom.", "Statistika": "S.Stat.", "Psikologi": "S.Psi.",
    "Kesejahteraan Sosial": "S.Sos.", "Administrasi Publik": "S.AP.", "Agroteknologi": "S.P.",
    "Agribisnis": "S.P.", "Pertanian": "S.P.", "Perencanaan Wilayah dan Kota": "S.T.",
}

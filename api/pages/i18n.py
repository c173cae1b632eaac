"""Page language: Bahasa Indonesia by default; English when the `lang` cookie says so.
Templates write Indonesian text through `_()`; the English table maps it."""

from __future__ import annotations

from collections.abc import Callable

LANGUAGES = ("id", "en")
LANG_COOKIE = "lang"

EN: dict[str, str] = {
    "Masuk": "Sign in",
    "Keluar": "Sign out",
    "Nama pengguna": "Username",
    "Kata sandi": "Password",
    "Nama pengguna atau NIP": "Username or NIP",
    "Beranda": "Home",
    "Siklus mutasi": "Transfer cycles",
    "Kotak tugas": "Task inbox",
    "Halaman saya": "My page",
    "Audit": "Audit",
    "Sistem Mutasi ASN": "Civil-service transfer system",
    "Setiap keputusan tercatat dan dapat diaudit.": "Every decision is recorded and auditable.",
    "Mulai siklus baru": "Start a new cycle",
    "Nama siklus": "Cycle name",
    "Kode siklus (opsional)": "Cycle code (optional)",
    "Tanggal acuan": "Reference date",
    "Mulai": "Start",
    "Kode": "Code",
    "Nama": "Name",
    "Status": "Status",
    "Kemajuan per tahap": "Progress by stage",
    "Dibuat": "Created",
    "Belum ada siklus.": "No cycles yet.",
    "Ringkasan rencana": "Plan summary",
    "Usulan": "Proposals",
    "Ketimpangan sebelum": "Imbalance before",
    "Ketimpangan sesudah": "Imbalance after",
    "Beban kerja per unit: sebelum dan sesudah": "Workload per unit: before and after",
    "Sebelum": "Before",
    "Sesudah": "After",
    "Usulan mutasi": "Proposed moves",
    "Pegawai": "Employee",
    "Dari": "From",
    "Ke": "To",
    "Alasan": "Reason",
    "Keluarkan": "Remove",
    "Setujui rencana": "Approve plan",
    "Batalkan siklus": "Cancel cycle",
    "Alasan (wajib untuk pembatalan dan usulan yang dikeluarkan)":
        "Reason (required to cancel and for removed proposals)",
    "Rencana belum siap.": "The plan is not ready yet.",
    "Tugas terbuka": "Open tasks",
    "Tenggat": "Deadline",
    "Terlambat": "Overdue",
    "Langkah": "Step",
    "Kasus": "Case",
    "Tidak ada tugas terbuka.": "No open tasks.",
    "Setujui yang dipilih": "Approve selected",
    "Catatan": "Comment",
    "Setujui": "Approve",
    "Tolak": "Reject",
    "Buka": "Open",
    "Penjelasan usulan": "Why this move",
    "Jawaban konsultasi": "Consultation answer",
    "Beban kerja unit": "Unit workload",
    "Langkah lain": "Other steps",
    "Usulan mutasi saya": "My proposed move",
    "Tidak ada usulan mutasi untuk Anda.": "There is no proposed move for you.",
    "Terima": "Accept",
    "Keberatan": "Object",
    "Alasan keberatan": "Reason for objecting",
    "Preferensi unit (kode, dipisah koma, maks. 3)": "Preferred units (codes, comma-separated, max 3)",
    "Pelatihan saya": "My trainings",
    "Program": "Program",
    "JP": "Hours (JP)",
    "Batas waktu": "Due",
    "Surat keputusan": "Decree",
    "Nomor": "Number",
    "Pencarian kasus": "Case search",
    "Cari": "Search",
    "Tahap": "Stage",
    "Riwayat kasus": "Case history",
    "Waktu": "Time",
    "Pelaku": "Actor",
    "Peran": "Role",
    "Tindakan": "Action",
    "Lama": "Old",
    "Baru": "New",
    "Unduh CSV": "Download CSV",
    "Unduh JSON": "Download JSON",
    "Lihat di Temporal": "View in Temporal",
    "Akses ditolak": "Access denied",
    "Halaman ini tidak untuk peran Anda.": "This page is not for your role.",
    "Jabatan": "Position",
    "Unit": "Unit",
    "Jabatan asal": "Current position",
    "Jabatan tujuan": "New position",
    "Jawaban Anda": "Your answer",
    "Kirim": "Send",
    "Semua": "All",
    "Belum dijawab": "Not answered yet",
    "Pilih semua": "Select all",
    "Hasil": "Result",
    "Tidak ada kasus yang cocok.": "No matching cases.",
    "Evaluasi pascamutasi": "Post-transfer evaluation",
    "Laporan siklus": "Cycle report",
}


# Stored codes (stages, statuses, answers) as people read them: (Indonesian, English).
CODE_LABELS: dict[str, tuple[str, str]] = {
    "consultation": ("konsultasi", "consultation"), "hr_review": ("tinjauan HR", "HR review"),
    "training": ("pelatihan", "training"), "approval": ("persetujuan", "approval"), "decree": ("SK", "decree"),
    "awaiting_tmt": ("menunggu TMT", "awaiting effective date"), "completed": ("selesai", "completed"),
    "rejected": ("ditolak", "rejected"), "withdrawn": ("ditarik", "withdrawn"), "open": ("terbuka", "open"),
    "approved": ("disetujui", "approved"), "cancelled": ("dibatalkan", "cancelled"),
    "accepted": ("diterima", "accepted"), "objected": ("keberatan", "objected"),
    "deemed_accepted": ("dianggap menerima", "deemed accepted"), "routed_to_hr": ("diteruskan ke HR", "routed to HR"),
    "starting": ("dimulai", "starting"), "analysing": ("analisis kebutuhan", "analysing needs"),
    "planning": ("menyusun rencana", "planning"), "plan_ready": ("rencana siap", "plan ready"),
    "plan_approved": ("rencana disetujui", "plan approved"), "running": ("berjalan", "running"),
    "cancelling": ("membatalkan", "cancelling"), "proposed": ("diusulkan", "proposed"),
    "removed": ("dikeluarkan", "removed"), "added": ("ditambahkan", "added"), "assigned": ("ditugaskan", "assigned"),
    "issued": ("terbit", "issued"), "annulled": ("dibatalkan", "annulled"),
    "route_to_hr": ("diteruskan ke HR", "routed to HR"),
    "next_month": ("awal bulan berikutnya setelah SK", "first day of the month after the decree"),
    "decree_date": ("tanggal SK", "decree date"),
    "blocked": ("tidak dibuka: pegawai masih dalam mutasi lain", "not opened: employee already in another transfer"),
}


def code_labeller(lang: str) -> Callable[[str | None], str]:
    index = 1 if lang == "en" else 0
    return lambda code: CODE_LABELS[code][index] if code in CODE_LABELS else (code or "")


def translator(lang: str) -> Callable[[str], str]:
    if lang == "en":
        return lambda text: EN.get(text, text)
    return lambda text: text

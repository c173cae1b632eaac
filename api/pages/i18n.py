"""Page language: Bahasa Indonesia by default; English when the `lang` cookie says so.
Templates write Indonesian text through `_()`; the English table maps it."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from api.pages.formats import MONTHS_EN
from api.pages.i18n_more import MORE_EN
from api.pages.labels_en import LABELS_EN
from api.pages.messages_en import MESSAGES_EN
from planning.calendar import MONTHS
from planning.explain_text import employee_explanation, hr_explanation

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
    "Alasan (wajib untuk pembatalan dan usulan yang dikeluarkan)": "Reason (required to cancel and for removed proposals)",
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
    "consultation": ("konsultasi", "consultation"),
    "hr_review": ("tinjauan HR", "HR review"),
    "training": ("pelatihan", "training"),
    "approval": ("persetujuan", "approval"),
    "decree": ("SK", "decree"),
    "awaiting_tmt": ("menunggu TMT", "awaiting effective date"),
    "reporting": ("menunggu SPMT", "awaiting report for duty"),
    "within_agency": ("mutasi dalam instansi", "within the agency"),
    "between_regencies": ("antar-kabupaten/kota satu provinsi", "between regencies/cities"),
    "between_provinces": ("antar-provinsi", "between provinces"),
    "regional_central": ("antara instansi daerah dan pusat", "regional and central"),
    "collective": ("SK kolektif per batch (petikan per pegawai)", "collective decree per batch"),
    "individual": ("SK per kasus", "one decree per case"),
    "recorded": ("dicatat dengan surat", "recorded from a letter"),
    "submitted": ("diajukan", "submitted"),
    "completed": ("selesai", "completed"),
    "rejected": ("ditolak", "rejected"),
    "withdrawn": ("ditarik", "withdrawn"),
    "open": ("terbuka", "open"),
    "approved": ("disetujui", "approved"),
    "cancelled": ("dibatalkan", "cancelled"),
    "accepted": ("diterima", "accepted"),
    "objected": ("keberatan", "objected"),
    "deemed_accepted": ("dianggap menerima", "deemed accepted"),
    "routed_to_hr": ("diteruskan ke HR", "routed to HR"),
    "starting": ("dimulai", "starting"),
    "analysing": ("analisis kebutuhan", "analysing needs"),
    "planning": ("menyusun rencana", "planning"),
    "plan_ready": ("rencana siap", "plan ready"),
    "plan_approved": ("rencana disetujui", "plan approved"),
    "running": ("berjalan", "running"),
    "cancelling": ("membatalkan", "cancelling"),
    "proposed": ("diusulkan", "proposed"),
    "removed": ("dikeluarkan", "removed"),
    "added": ("ditambahkan", "added"),
    "assigned": ("ditugaskan", "assigned"),
    "issued": ("terbit", "issued"),
    "annulled": ("dibatalkan", "annulled"),
    "route_to_hr": ("diteruskan ke HR", "routed to HR"),
    "next_month": ("awal bulan berikutnya setelah SK", "first day of the month after the decree"),
    "decree_date": ("tanggal SK", "decree date"),
    "pending": ("belum menjawab", "not answered yet"),
    "mail_pending": ("menunggu dikirim", "waiting to be sent"),
    "mail_sending": ("sedang dikirim", "being sent"),
    "mail_sent": ("terkirim", "sent"),
    "mail_no_address": ("tanpa alamat e-mail", "no e-mail address"),
    "mail_bounced": ("ditolak server", "bounced"),
    "mail_skipped": ("tidak dikirim (sebelum surel aktif)", "not sent (before mail was on)"),
    "request_opinion": ("menunggu pendapat atasan", "waiting for the superior's opinion"),
    "request_screening": ("diperiksa BKPSDM", "being screened by HR"),
    "request_accepted": ("diterima, diproses sebagai kasus", "accepted, a case is open"),
    "request_refused": ("ditolak", "refused"),
    "request_withdrawn": ("ditarik", "withdrawn"),
    "opinion_mendukung": ("mendukung", "supports"),
    "opinion_tidak_mendukung": ("tidak mendukung", "does not support"),
    "opinion_tidak_ada": ("tidak memberi pendapat hingga tenggat", "no opinion by the deadline"),
    "blocked": (
        "tidak dibuka: pegawai masih dalam mutasi lain",
        "not opened: employee already in another transfer",
    ),
}


def code_labeller(lang: str) -> Callable[[str | None], str]:
    index = 1 if lang == "en" else 0
    return lambda code: CODE_LABELS[code][index] if code in CODE_LABELS else (code or "")


EN.update(MORE_EN)
EN.update(LABELS_EN)


def _compile(template: str) -> re.Pattern[str]:
    literal = template.split("{}")
    return re.compile("(.+?)".join(re.escape(part) for part in literal) + r"\Z", re.DOTALL)


# Templates with values, the most literal text first: "masa jabatan {} (minimal {})" is tried
# before "{} tahun", so a sentence is read as a whole before its values are.
_PATTERNS = sorted(
    (
        (template.split("{}")[0], _compile(template), english)
        for template, english in MESSAGES_EN.items()
        if "{}" in template
    ),
    key=lambda entry: -len(entry[1].pattern.replace("(.+?)", "")),
)
_DECIMAL = re.compile(r"-?\d+,\d+\Z")
_DATE = re.compile(rf"(\d{{1,2}}) ({'|'.join(MONTHS)}) (\d{{4}})\Z")
_SPAN = re.compile(r"-?(?:(\d+) tahun)? ?(?:(\d+) bulan)?\Z")
_EXACT = {**{t: e for t, e in MESSAGES_EN.items() if "{}" not in t}, **EN}


@lru_cache(maxsize=8192)
def english(text: str, depth: int = 0) -> str:
    """A page label or a message in English: a label or a message without values as the
    table says; a message with values by its template, each value itself translated when
    it is a known message (a span, a status); text joined by "; " part by part; anything
    else (a name, a code, a number) as it is."""
    if text in _EXACT:
        return _EXACT[text]
    if depth > 2 or not text.strip():
        return text
    if _DECIMAL.match(text):
        return text.replace(",", ".")
    if (found := _SPAN.match(text)) and (found[1] or found[2]):
        return " ".join(
            f"{n} {unit}{'' if n == '1' else 's'}"
            for n, unit in ((found[1], "year"), (found[2], "month"))
            if n
        )
    if found := _DATE.match(text):
        return f"{found[1]} {MONTHS_EN[MONTHS.index(found[2])]} {found[3]}"
    for prefix, pattern, target in _PATTERNS:
        if text.startswith(prefix) and (found := pattern.match(text)):
            return target.format(*(english(v, depth + 1) for v in found.groups()))
    if "; " in text:
        return "; ".join(english(part, depth + 1) for part in text.split("; "))
    return text


def translator(lang: str) -> Callable[[str], str]:
    if lang == "en":
        return lambda text: english(text) if text else text
    return lambda text: text


def explainer(lang: str) -> Callable[..., str]:
    """A proposal's explanation in the page's language. In Bahasa Indonesia the text stored
    at planning time is shown as it was written; in English it is rendered again from the
    planner's record (`own`: the employee's second-person text), or translated where a
    record is missing."""
    say = translator(lang)

    def explain(detail: dict[str, Any] | None, stored: str | None = None, own: bool = False) -> str:
        if lang == "id" or not detail or not ("units" in detail or detail.get("added_by_hr")):
            return say(stored or "")
        render = employee_explanation if own else hr_explanation
        return render(detail, lang, say)

    return explain


# Audit actions and roles as people read them (the code stays visible beside the label).
ACTION_LABELS: dict[str, str] = {
    "case.opened": "kasus dibuka",
    "case.hr_review": "diteruskan ke tinjauan HR",
    "case.training": "masuk tahap pelatihan",
    "case.approval": "masuk tahap persetujuan",
    "case.decree": "menunggu SK",
    "case.awaiting_tmt": "SK terbit, menunggu TMT",
    "case.reporting": "menunggu SPMT",
    "case.completed": "kasus selesai",
    "case.rejected": "kasus ditolak",
    "case.withdrawn": "kasus ditarik",
    "case.blocked": "kasus tidak dibuka (sudah ada kasus terbuka)",
    "case.compensated": "akibat kasus dibatalkan",
    "consultation.accepted": "pegawai menerima",
    "consultation.objected": "pegawai keberatan",
    "consultation.deemed_accepted": "dianggap menerima (tanpa tanggapan)",
    "consultation.routed_to_hr": "tanpa tanggapan, diteruskan ke HR",
    "objection.confirmed": "keberatan dijawab: mutasi dilanjutkan",
    "objection.withdrawn": "keberatan diterima: usulan ditarik",
    "training.assigned": "pelatihan ditugaskan",
    "training.completed": "pelatihan selesai",
    "task.opened": "tugas persetujuan dibuka",
    "task.approved": "disetujui",
    "task.rejected": "ditolak",
    "task.cancelled": "tugas dibatalkan",
    "task.escalated": "tugas dieskalasi",
    "task.reassigned": "tugas dialihkan",
    "task.deciders_changed": "pemutus berubah (delegasi)",
    "task.recorded_approved": "surat dicatat: disetujui",
    "task.recorded_rejected": "surat dicatat: tidak disetujui",
    "task.committee_setuju": "tim penilai: setuju",
    "task.committee_tidak_setuju": "tim penilai: tidak setuju",
    "task.committee_tunda": "tim penilai: ditunda",
    "document.uploaded": "dokumen diunggah",
    "document.accepted": "dokumen diterima",
    "document.rejected": "dokumen ditolak",
    "decree.issued": "SK terbit",
    "decree.collective_issued": "SK kolektif terbit",
    "decree.signed": "SK ditandatangani PPK",
    "decree.revocation_drafted": "SK pembatalan disiapkan",
    "decree.revoked": "SK dicabut",
    "employee.move_reversed": "mutasi dibatalkan dalam data kepegawaian",
    "agency.template_saved": "templat SK disimpan",
    "agency.decree_profile_changed": "profil SK diubah",
    "employee.moved": "pegawai pindah jabatan (TMT)",
    "reporting.opened": "SPMT diminta",
    "employee.reported_for_duty": "SPMT dikonfirmasi",
    "evaluation.opened": "evaluasi pascamutasi dibuka",
    "evaluation.submitted": "evaluasi pascamutasi diisi",
    "evaluation.expired": "evaluasi pascamutasi lewat tenggat",
    "evaluation.skipped": "evaluasi pascamutasi tidak diperlukan",
    "delegation.created": "delegasi dicatat",
    "delegation.revoked": "delegasi dicabut",
    "history.archived": "riwayat diarsipkan",
    "request.opened": "permohonan diajukan",
    "request.opinion": "pendapat atasan dicatat",
    "request.accepted": "permohonan diterima, kasus dibuka",
    "request.refused": "permohonan ditolak",
    "request.withdrawn": "permohonan ditarik pemohon",
    "appeal.filed": "keberatan atas SK diajukan",
    "appeal.upheld": "keberatan atas SK dikabulkan",
    "appeal.dismissed": "keberatan atas SK ditolak",
    "accounts.provisioned": "akun pegawai dibuat (kode aktivasi)",
    "accounts.reset_code": "kode ganti kata sandi diterbitkan",
    "accounts.deactivated": "akun dinonaktifkan (keluar dari layanan)",
}
ROLE_LABELS: dict[str, str] = {
    "hr_admin": "admin kepegawaian",
    "approver": "pejabat penyetuju",
    "delegate": "delegasi",
    "employee": "pegawai",
    "auditor": "auditor",
    "system": "sistem",
    "committee_chair": "ketua tim penilai",
}


ACTION_LABELS_EN: dict[str, str] = {
    "case.opened": "case opened",
    "case.hr_review": "sent to HR review",
    "case.training": "training stage",
    "case.approval": "approval stage",
    "case.decree": "waiting for the decree",
    "case.awaiting_tmt": "decree issued, waiting for TMT",
    "case.reporting": "waiting for the report of duty",
    "case.completed": "case completed",
    "case.rejected": "case rejected",
    "case.withdrawn": "case withdrawn",
    "case.blocked": "case not opened (another case is open)",
    "case.compensated": "case effects undone",
    "consultation.accepted": "employee accepted",
    "consultation.objected": "employee objected",
    "consultation.deemed_accepted": "deemed accepted (no answer)",
    "consultation.routed_to_hr": "no answer, sent to HR",
    "objection.confirmed": "objection answered: the move goes ahead",
    "objection.withdrawn": "objection accepted: proposal withdrawn",
    "training.assigned": "training assigned",
    "training.completed": "training completed",
    "task.opened": "approval task opened",
    "task.approved": "approved",
    "task.rejected": "rejected",
    "task.cancelled": "task cancelled",
    "task.escalated": "task escalated",
    "task.reassigned": "task reassigned",
    "task.deciders_changed": "deciders changed (delegation)",
    "task.recorded_approved": "letter recorded: approved",
    "task.recorded_rejected": "letter recorded: not approved",
    "task.committee_setuju": "committee: agrees",
    "task.committee_tidak_setuju": "committee: disagrees",
    "task.committee_tunda": "committee: deferred",
    "document.uploaded": "document uploaded",
    "document.accepted": "document accepted",
    "document.rejected": "document refused",
    "decree.issued": "decree issued",
    "decree.collective_issued": "collective decree issued",
    "decree.signed": "decree signed by the PPK",
    "decree.revocation_drafted": "revoking decree prepared",
    "decree.revoked": "decree revoked",
    "employee.move_reversed": "move reversed in the records",
    "agency.template_saved": "decree template saved",
    "agency.decree_profile_changed": "decree profile changed",
    "employee.moved": "employee moved post (TMT)",
    "reporting.opened": "report of duty requested",
    "employee.reported_for_duty": "report of duty confirmed",
    "evaluation.opened": "post-transfer evaluation opened",
    "evaluation.submitted": "post-transfer evaluation submitted",
    "evaluation.expired": "post-transfer evaluation past its deadline",
    "evaluation.skipped": "post-transfer evaluation not needed",
    "delegation.created": "delegation recorded",
    "delegation.revoked": "delegation revoked",
    "history.archived": "history archived",
    "request.opened": "request filed",
    "request.opinion": "superior's opinion recorded",
    "request.accepted": "request accepted, case opened",
    "request.refused": "request refused",
    "request.withdrawn": "request withdrawn by the applicant",
    "appeal.filed": "objection to the decree lodged",
    "appeal.upheld": "objection to the decree upheld",
    "appeal.dismissed": "objection to the decree dismissed",
    "accounts.provisioned": "employee accounts created (activation codes)",
    "accounts.reset_code": "password reset code issued",
    "accounts.deactivated": "account deactivated (left the service)",
}
ROLE_LABELS_EN: dict[str, str] = {
    "hr_admin": "HR administrator",
    "approver": "approving official",
    "delegate": "delegate",
    "employee": "employee",
    "auditor": "auditor",
    "system": "system",
    "committee_chair": "committee chair",
}


def action_label(code: str, lang: str = "id") -> str:
    labels = ACTION_LABELS_EN if lang == "en" else ACTION_LABELS
    if code in labels:
        return labels[code]
    if code.startswith("reminder."):
        return "reminder sent" if lang == "en" else "pengingat dikirim"
    return code


def role_labels(lang: str) -> dict[str, str]:
    return ROLE_LABELS_EN if lang == "en" else ROLE_LABELS

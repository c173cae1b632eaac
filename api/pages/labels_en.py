"""English for the labels that reach pages as values, not as template text: approval step
kinds and titles, committee names, request grounds, document checklist items and the
plan review's flags. A test reads each of those tables and fails on a label missing here."""

from __future__ import annotations

LABELS_EN: dict[str, str] = {
    # Approval step kinds (contracts.chain.STEP_KINDS) and titles (ROLE_TITLES).
    "Peran dari data organisasi": "A role from the organisation data",
    "Jabatan tertentu": "A specific post",
    "Instansi luar (dicatat HR dengan surat)": "An outside authority (recorded by HR with its letter)",
    "Tim penilai (TPK/Baperjakat), diputus dalam sidang": (
        "The review committee (TPK/Baperjakat), decided in a sitting"
    ),
    "Tim Penilai Kinerja (TPK)": "Performance Assessment Team (TPK)",
    "Badan Pertimbangan Jabatan dan Kepangkatan (Baperjakat)": (
        "Position and Rank Advisory Board (Baperjakat)"
    ),
    "Tim Penilai Kinerja / Baperjakat": "Performance Assessment Team / Baperjakat",
    "Kepala Perangkat Daerah asal": "Head of the origin regional office",
    "Kepala Perangkat Daerah tujuan": "Head of the destination regional office",
    "Kepala BKPSDM": "Head of BKPSDM",
    "Sekretaris Daerah": "Regional Secretary (Sekda)",
    "Pejabat Pembina Kepegawaian (PPK)": "Staffing Authority (PPK)",
    "PPK instansi asal (surat persetujuan melepas)": (
        "PPK of the origin agency (letter of release)"
    ),
    "PPK instansi penerima (surat persetujuan menerima)": (
        "PPK of the receiving agency (letter of acceptance)"
    ),
    "BKN (pertimbangan teknis)": "BKN (technical consideration)",
    "Gubernur (keputusan mutasi)": "Governor (transfer decision)",
    "Menteri Dalam Negeri (keputusan mutasi)": "Minister of Home Affairs (transfer decision)",
    "Kepala BKN (keputusan mutasi)": "Head of BKN (transfer decision)",
    "Kantor Regional BKN (pertimbangan teknis)": "BKN Regional Office (technical consideration)",
    # Grounds of a request (contracts.requests).
    "Mengikuti suami/istri": "Following a spouse",
    "Alasan kesehatan": "Health reasons",
    "Alasan keluarga": "Family reasons",
    "Pengembangan karier": "Career development",
    "Lainnya": "Other",
    "Kebutuhan organisasi yang mendesak": "Urgent organisational need",
    "Melaksanakan putusan pengadilan": "Carrying out a court ruling",
    "Penataan organisasi": "Reorganisation",
    # Document checklist items (mutasi.dossier.checklist).
    "Analisis jabatan dan ABK instansi penerima": (
        "Job analysis and workload analysis of the receiving agency"
    ),
    "SKP 2 (dua) tahun terakhir": "Performance targets (SKP) of the last 2 years",
    "Salinan SK CPNS dan SK PNS": "Copies of the CPNS and PNS decrees",
    "Salinan SK jabatan terakhir": "Copy of the latest post decree",
    "Salinan SK pangkat terakhir": "Copy of the latest rank decree",
    "Surat pernyataan bebas kewajiban (tugas belajar, utang)": (
        "Statement of no outstanding obligations (study leave, debts)"
    ),
    "Surat pernyataan tidak sedang dijatuhi hukuman disiplin": (
        "Statement of no disciplinary penalty in force"
    ),
    "Surat pernyataan tidak sedang menjalani proses pidana": (
        "Statement of no criminal proceedings under way"
    ),
    "Surat usul mutasi / permohonan": "Transfer proposal or request letter",
    # The plan review's flags (api.services.plan_review.FLAGS).
    "JPM di bawah 78 %": "JPM below 78 %",
    "melewati batas 5 tahun": "past 5 years in post",
    "unit pilihan pegawai": "the employee's chosen unit",
    # Page text that the label test reads from the templates (added with the English walk).
    "Verifikasi SK": "Decree verification",
    "Verifikasi Surat Keputusan": "Verification of a decree",
    "Masukkan kode verifikasi yang tercetak di bawah kode QR pada SK nomor": (
        "Enter the verification code printed under the QR code of decree number"
    ),
    "Kode verifikasi": "Verification code",
    "Periksa": "Check",
    "Isi SK menurut catatan BKPSDM": "The decree's content in BKPSDM's records",
    "SK kolektif": "Collective decree",
    "pegawai (setiap pegawai memegang petikannya sendiri)": (
        "employees (each holds their own extract)"
    ),
    "Nama / NIP": "Name / NIP",
    "Petikan dari SK": "Extract of decree",
    "baris": "row",
    "Jabatan lama": "Previous post",
    "Jabatan baru": "New post",
    "Alasan pembatalan": "Reason for annulment",
    "Tanggal penetapan": "Date of decision",
    "Kunci penanda tangan": "Signing key",
    "Cocokkan isi di atas dengan SK yang Anda pegang; perbedaan apa pun berarti dokumen itu tidak sah.": (
        "Compare the content above with the decree you hold; any difference means that "
        "document is not valid."
    ),
    "(memuat ulang otomatis)": "(reloads automatically)",
    "Efisiensi jabatan (EJ) unit dengan perubahan terbesar; garis tegak = 1,0 (seimbang).": (
        "Job efficiency (EJ) of the units that change most; the vertical line = 1.0 (balanced)."
    ),
    "Konsultasi": "Consultation",
    "terkirim": "submitted",
    "adaptasi rata-rata": "mean adaptation",
    "Keberatan dan penolakan": "Objections and rejections",
    "keberatan": "objection",
    "Analisis beban kerja": "Workload analysis",
    "Efisiensi jabatan": "Job efficiency",
    "unit kerja": "work units",
    "jabatan": "posts",
    "pegawai": "employees",
    "templat impor": "import template",
    "ekspor data": "data export",
    "Mutasi Semester I 2027": "Transfers, first half of 2027",
    "di jabatan sekarang": "in the current post",
    "org": "staff",
    "wajib diisi bila menolak": "required when rejecting",
    "belum disegel": "not sealed yet",
}

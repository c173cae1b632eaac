"""English for the messages the code says to people (problem titles and details, flash
messages, rule outcomes, workflow refusals, the planner's explanation sentences). Keys are
the Indonesian templates as the code writes them, `{}` where a value goes in; values the
English, `{}` in the same order, or `{0}`, `{1}` where English orders them differently.
A value that is itself a known message is translated too."""

from __future__ import annotations

MESSAGES_EN: dict[str, str] = {
    # Spans, statuses and categories that messages carry as values.
    "ringan": "light",
    "sedang": "moderate",
    "berat": "severe",
    "aktif": "active",
    "tugas belajar": "on study leave",
    "cuti di luar tanggungan negara": "on unpaid leave",
    "penugasan sementara": "on temporary assignment",
    "diberhentikan sementara": "temporarily suspended",
    "pensiun": "retired",
    "berhenti atau pindah ke luar instansi": "left the service or the agency",
    "meninggal dunia": "deceased",
    "optimal": "optimal",
    "cukup optimal": "fairly optimal",
    "kurang optimal": "less than optimal",
    "tanpa alasan": "no reason given",
    "belum ada": "none yet",
    "tanpa jenjang": "no level",
    "mendukung": "supporting",
    "tidak mendukung": "not supporting",
    "disetujui": "approved",
    "ditolak": "rejected",
    "dibatalkan": "cancelled",
    "dikabulkan": "upheld",
    "tanpa pegawai": "no staff",
    # Problem titles.
    "Terjadi kesalahan": "Something went wrong",
    "Akses ditolak": "Access denied",
    "Aktivasi gagal": "Activation failed",
    "Akun tidak aktif": "Account not active",
    "Akun tidak valid": "Invalid account",
    "Alasan terlalu singkat": "Reason too short",
    "Alasan wajib": "Reason required",
    "Arsip riwayat rusak": "History archive damaged",
    "Batas waktu keberatan lewat": "Objection period over",
    "Batch SK tidak sah": "Invalid decree batch",
    "Belum ada SK": "No decree yet",
    "Belum dianalisis": "Not analysed yet",
    "Belum ditandatangani": "Not signed yet",
    "Belum siap": "Not ready",
    "Belum terbit": "Not issued yet",
    "Berita acara rusak atau hilang": "Minutes damaged or missing",
    "Berkas ditolak": "File refused",
    "Berkas terlalu besar": "File too large",
    "Berkas wajib": "File required",
    "Bukan pemberi persetujuan": "Not an approver",
    "Daftar periksa tidak sah": "Invalid checklist",
    "Data belum ada": "No data yet",
    "Data pegawai tidak lengkap": "Employee data incomplete",
    "Dokumen rusak atau hilang": "Document damaged or missing",
    "Dokumen sudah diganti": "Document already replaced",
    "Format nomor tidak sah": "Invalid number format",
    "Gagal masuk": "Sign-in failed",
    "Idempotency-Key sudah dipakai": "Idempotency-Key already used",
    "Impor ditolak": "Import refused",
    "Instansi tidak dikenal": "Unknown agency",
    "Jenis data tidak dikenal": "Unknown kind of data",
    "Jenis dokumen ditolak": "Document type refused",
    "Jenis surat salah": "Wrong kind of letter",
    "Keberatan sudah diajukan": "Objection already lodged",
    "Layanan alur kerja sibuk": "Workflow service busy",
    "Layanan alur kerja tidak tersedia": "Workflow service unavailable",
    "Masa larangan penggantian pejabat": "Official-replacement moratorium",
    "Masih ada mutasi berjalan": "A transfer is still under way",
    "Masih ada permohonan berjalan": "A request is still under way",
    "Masukan tidak valid": "Invalid input",
    "Mutasi individual tidak sah": "Invalid individual move",
    "Nomor surat wajib": "Letter number required",
    "Pegawai masih dalam proses mutasi": "Employee already in a transfer",
    "Pegawai tidak dikenal": "Unknown employee",
    "Peran tidak valid": "Invalid role",
    "Permohonan sudah diputuskan": "Request already decided",
    "Permohonan tidak dapat diterima": "Request cannot be accepted",
    "Permohonan tidak sah": "Invalid request",
    "Perubahan ditolak": "Change refused",
    "Perubahan usulan tidak valid": "Invalid proposal change",
    "Rantai persetujuan tidak valid": "Invalid approval chain",
    "Riwayat tidak ada": "No history",
    "SK ini milik pegawai lain": "This decree belongs to another employee",
    "SPMT tidak ditemukan": "Report of duty not found",
    "Sidang tidak sah": "Invalid meeting",
    "Sudah ada": "Already exists",
    "Sudah dicatat": "Already recorded",
    "Sudah diputuskan": "Already decided",
    "Surat ditolak": "Letter refused",
    "Surat tidak ditemukan": "Letter not found",
    "Susunan tim tidak sah": "Invalid committee",
    "Terlalu banyak percobaan": "Too many attempts",
    "Tidak aktif": "Not active",
    "Tidak berwenang": "Not authorised",
    "Metrik dimatikan": "Metrics are off",
    "setel MUTASI_METRICS_TOKEN lalu kirim Authorization: Bearer <token>": (
        "set MUTASI_METRICS_TOKEN, then send Authorization: Bearer <token>"
    ),
    "Tidak dapat diproses": "Cannot be processed",
    "Tidak dapat ditarik": "Cannot be withdrawn",
    "Tidak ditemukan": "Not found",
    "Tidak terautentikasi": "Not signed in",
    "Tim belum dibentuk": "No committee yet",
    "Token CSRF tidak valid": "Invalid CSRF token",
    # Problem details and workflow refusals.
    "Anda tidak dapat mengunggah '{}' untuk kasus ini": "You cannot upload '{}' for this case",
    "NIP {} tidak ada": "NIP {} does not exist",
    "NIP {} tidak memiliki akun aktif dengan peran approver; tambahkan perannya dulu": (
        "NIP {} has no active account with the approver role; add the role first"
    ),
    "SK mutasi sudah diproses; penarikan hanya melalui BKPSDM (keberatan)": (
        "The transfer decree is already being processed; it can only be withdrawn through "
        "BKPSDM (an objection)"
    ),
    "SK nomor '{}' tidak ditemukan": "Decree number '{}' not found",
    "SK sudah berlaku (TMT lewat); mutasi tidak dapat ditarik": (
        "The decree is in effect (TMT passed); the transfer cannot be withdrawn"
    ),
    "SPMT ini bukan untuk Anda konfirmasi": "This report of duty is not yours to confirm",
    "SPMT wajib diunggah sebagai bukti": "The report of duty must be uploaded as proof",
    "TMT sudah tiba; mutasi yang berlaku tidak dapat ditarik": (
        "TMT has come; a transfer in effect cannot be withdrawn"
    ),
    "aktifkan akun lebih dulu (PATCH /users)": "activate the account first (PATCH /users)",
    "akun '{}' tidak ditemukan": "account '{}' not found",
    "akun ini tidak terhubung dengan NIP pegawai": "this account is not linked to an employee NIP",
    "alasan penyusunan ulang wajib diisi": "a reason for re-planning is required",
    "alur kerja siklus '{}' sudah pernah dimulai": "the workflow of cycle '{}' was already started",
    "alur kerja {} sudah selesai atau tidak ada": "workflow {} has finished or does not exist",
    "batas unggahan {} byte": "upload limit {} bytes",
    "batch '{}' belum menerbitkan SK": "batch '{}' has not issued its decree yet",
    "berita acara '{}' tidak ditemukan": "minutes '{}' not found",
    "berita acara belum ditandatangani ketua": "the minutes are not signed by the chair yet",
    "catat nomor surat keputusan PPK atas keberatan": (
        "record the number of the PPK's decision letter on the objection"
    ),
    "delegasi {} tidak ditemukan": "delegation {} not found",
    "dokumen tidak dapat ditambahkan lagi": "documents can no longer be added",
    "dokumen yang ditolak wajib disertai alasan": "a refused document needs a reason",
    "dokumen {} bukan milik kasus ini": "document {} does not belong to this case",
    "dokumen {} tidak ditemukan": "document {} not found",
    "hanya atasan langsung pemohon yang memberi pendapat": (
        "only the applicant's direct superior gives the opinion"
    ),
    "hanya atasan langsung yang memberi pendapat": "only the direct superior gives the opinion",
    "hanya kepala unit tujuan (atau delegasinya) atau BKPSDM yang dapat mengonfirmasi SPMT": (
        "only the head of the destination unit (or their delegate) or BKPSDM can confirm the "
        "report of duty"
    ),
    "hanya kepala unit tujuan (atau delegasinya) yang dapat mengevaluasi": (
        "only the head of the destination unit (or their delegate) can evaluate"
    ),
    "hanya kepala unit tujuan atau BKPSDM": "only the head of the destination unit or BKPSDM",
    "hanya ketua tim yang menandatangani berita acara": "only the chair signs the minutes",
    "hanya pegawai yang bersangkutan yang dapat menanggapi": "only the employee concerned can answer",
    "hanya penerima tugas atau delegasinya yang dapat memutuskan": (
        "only the assignee or their delegate can decide"
    ),
    "hanya siklus yang sedang berjalan yang dapat dibatalkan; sebelum rencana disetujui, tolak rencananya": (
        "only a running cycle can be cancelled; before the plan is approved, reject the plan"
    ),
    "hanya tugas yang masih terbuka yang dapat dialihkan": "only an open task can be reassigned",
    "hanya unggahan terakhir suatu jenis yang diverifikasi": (
        "only the latest upload of a kind is verified"
    ),
    "impor data pegawai dan organisasi sebelum memulai siklus": (
        "import the employee and organisation data before starting a cycle"
    ),
    "indikator layanan harus: {}": "service indicators must be: {}",
    "instansi '{}' tidak ditemukan": "agency '{}' not found",
    "instansi {} tidak ada": "agency {} does not exist",
    "jabatan permohonan {} tidak dikenal": "requested post {} is unknown",
    "jabatan struktural: tanggal pelantikan wajib diisi": (
        "structural post: the inauguration date is required"
    ),
    "jenis data '{}' tidak dikenal": "unknown kind of data '{}'",
    "jenis dokumen '{}' tidak ada pada daftar periksa {}": (
        "document type '{}' is not on checklist {}"
    ),
    "jenis mutasi '{}' tidak dikenal": "unknown transfer type '{}'",
    "kasus '{}' belum memiliki evaluasi pascamutasi": (
        "case '{}' has no post-transfer evaluation yet"
    ),
    "kasus '{}' tidak ditemukan": "case '{}' not found",
    "kasus sudah selesai": "the case has ended",
    "kasus sudah selesai atau sedang ditarik": "the case has ended or is being withdrawn",
    "kasus {} tidak ada": "case {} does not exist",
    "keberatan Anda sedang diputuskan": "your objection is being decided",
    "keberatan dapat diajukan sampai {} ({} hari setelah SK)": (
        "an objection can be lodged until {} ({} days after the decree)"
    ),
    "keberatan diajukan atas SK yang sudah terbit": "an objection is lodged against an issued decree",
    "keberatan ini diputuskan oleh PPK (Sekda a.n. PPK)": (
        "this objection is decided by the PPK (the Sekda on the PPK's behalf)"
    ),
    "keberatan ini sudah {}": "this objection has already been {}",
    "keberatan wajib disertai alasan": "an objection needs a reason",
    "keberatan {} tidak ditemukan": "objection {} not found",
    "keputusan PPK atas keberatan ini dicatat oleh BKPSDM": (
        "the PPK's decision on this objection is recorded by BKPSDM"
    ),
    "keputusan atas keberatan wajib disertai alasan": "a decision on an objection needs a reason",
    "keputusan belum terkonfirmasi; kirim ulang dengan Idempotency-Key yang sama": (
        "the decision is not confirmed yet; send it again with the same Idempotency-Key"
    ),
    "keputusan penyaringan wajib disertai alasan": "a screening decision needs a reason",
    "kind '{}' tidak dikenal": "unknown kind '{}'",
    "konsultasi ini milik pegawai lain": "this consultation belongs to another employee",
    "konsultasi sudah ditutup": "the consultation is closed",
    "kunci '{}' sudah dipakai oleh {} ({}); satu kunci hanya untuk satu permintaan yang sama persis; gunakan kunci baru": (
        "key '{}' was already used by {} ({}); one key is for one identical request only; "
        "use a new key"
    ),
    "lambang harus gambar PNG atau JPEG": "the emblem must be a PNG or JPEG image",
    "langkah ini diputuskan dengan surat; BKPSDM mencatatnya beserta dokumennya": (
        "this step is decided by letter; BKPSDM records it with its document"
    ),
    "langkah ini memerlukan '{}', bukan '{}'": "this step needs '{}', not '{}'",
    "langkah sudah {}": "the step is already {}",
    "masa larangan {} tidak ditemukan": "moratorium {} not found",
    "memerlukan peran: {}": "requires the role: {}",
    "metrik memerlukan token (MUTASI_METRICS_TOKEN)": "metrics require a token (MUTASI_METRICS_TOKEN)",
    "muat ulang halaman lalu kirim lagi": "reload the page and send again",
    "nama pengguna atau kata sandi salah": "wrong username or password",
    "nomor surat wajib diisi": "the letter number is required",
    "pegawai {} masih dalam proses mutasi (kasus {}); satu pegawai hanya boleh memiliki satu kasus terbuka": (
        "employee {} is still in a transfer (case {}); an employee may have only one open case"
    ),
    "pegawai {} sudah memiliki permohonan": "employee {} already has a request",
    "pelatihan '{}' tidak ada atau sudah selesai": "training '{}' does not exist or is completed",
    "pembatalan wajib disertai alasan": "a cancellation needs a reason",
    "penarikan wajib disertai alasan": "a withdrawal needs a reason",
    "pendapat tidak mendukung wajib disertai alasan": "an opinion against needs a reason",
    "penerima tugas harus termasuk yang dapat memutuskan": "the assignee must be one who can decide",
    "penerima tugas harus tetap dapat memutuskan": "the assignee must still be able to decide",
    "pengalihan tugas wajib disertai alasan": "a reassignment needs a reason",
    "pengguna '{}' tidak ditemukan": "user '{}' not found",
    "penolakan wajib disertai alasan": "a rejection needs a reason",
    "permohonan '{}' tidak ditemukan": "request '{}' not found",
    "permohonan sedang diproses": "the request is being processed",
    "permohonan sudah diputuskan": "the request has been decided",
    "permohonan sudah ditarik": "the request has been withdrawn",
    "permohonan tidak menunggu pendapat atasan": "the request is not waiting for the superior's opinion",
    "permohonan tidak sedang menunggu penyaringan": "the request is not waiting for screening",
    "permohonan {} sudah selesai": "request {} has ended",
    "permohonan {} tidak ada": "request {} does not exist",
    "permohonan {} untuk pegawai {} belum selesai; tunggu keputusannya atau tarik lebih dulu": (
        "request {} for employee {} is not finished; wait for its decision or withdraw it first"
    ),
    "persetujuan nomor {} sudah dicatat": "approval number {} is already recorded",
    "perubahan dari sesi peramban memerlukan header X-CSRF-Token": (
        "changes from a browser session need the X-CSRF-Token header"
    ),
    "perubahan usulan hanya bersama persetujuan rencana": (
        "proposal changes only together with the plan's approval"
    ),
    "pilih jabatan tujuan": "choose the destination post",
    "prinsip empat mata: pengusul atau pegawai yang dimutasi tidak dapat menyetujui": (
        "four-eyes principle: the proposer or the transferred employee cannot approve"
    ),
    "rencana belum siap atau sudah diputuskan": "the plan is not ready or already decided",
    "rencana sudah diputuskan; tidak dapat disusun ulang": (
        "the plan has been decided; it cannot be re-planned"
    ),
    "setiap nilai harus 1 sampai 5": "every score must be 1 to 5",
    "siklus '{}' belum selesai analisis kebutuhan": "cycle '{}' has not finished its needs analysis",
    "siklus '{}' sudah ada": "cycle '{}' already exists",
    "siklus '{}' tidak ditemukan": "cycle '{}' not found",
    "siklus {} tidak ada": "cycle {} does not exist",
    "surat ini sudah ditolak saat verifikasi": "this letter was refused at verification",
    "surat wajib diunggah sebagai bukti": "the letter must be uploaded as proof",
    "surat yang tidak menyetujui wajib dicatat dengan alasannya": (
        "a letter that does not approve must be recorded with its reason"
    ),
    "tanggal melaksanakan tugas sebelum TMT {}": "the date of reporting for duty is before TMT {}",
    "tanggal melaksanakan tugas tidak boleh di masa depan": (
        "the date of reporting for duty cannot be in the future"
    ),
    "tanggal pelantikan sebelum TMT {}": "the inauguration date is before TMT {}",
    "tanggal surat tidak boleh di masa depan": "the letter's date cannot be in the future",
    "templat persetujuan {} tidak valid: {}": "approval template {} is invalid: {}",
    "tidak ada SPMT yang menunggu konfirmasi": "no report of duty is waiting for confirmation",
    "tidak ada evaluasi pascamutasi yang terbuka": "no post-transfer evaluation is open",
    "tidak ada kasus yang menunggu SK dalam batch ini": "no case in this batch is waiting for a decree",
    "tidak ada keberatan yang menunggu keputusan": "no objection is waiting for a decision",
    "tidak ada usulan mutasi untuk NIP {} dalam siklus ini": (
        "there is no proposed move for NIP {} in this cycle"
    ),
    "tidak dapat menonaktifkan atau mencabut peran HR akun sendiri": (
        "you cannot deactivate your own account or remove its HR role"
    ),
    "tidak dapat terhubung ke Temporal di {}": "cannot connect to Temporal at {}",
    "tugas '{}' tidak ditemukan": "task '{}' not found",
    "tugas sudah {}; keputusan lain tidak dapat diterima": (
        "the task is already {}; another decision cannot be accepted"
    ),
    "tugas tidak terbuka": "the task is not open",
    "tugas yang sama muncul lebih dari sekali": "the same task appears more than once",
    "tugas {} bukan langkah yang dicatat dengan surat": "task {} is not a step recorded by letter",
    "tugas {} tidak ada": "task {} does not exist",
    "tugas {} tidak ada pada kasus ini": "task {} is not on this case",
    "tugas {} tidak ada pada rantai kasus ini": "task {} is not in this case's chain",
    "tulis alasan keberatan (minimal 10 karakter)": "write the reason for the objection (at least 10 characters)",
    "unggah SPMT (jenis 'spmt') untuk kasus ini": "upload the report of duty (type 'spmt') for this case",
    "unggah berkas PDF, JPEG atau PNG": "upload a PDF, JPEG or PNG file",
    "{} '{}' tidak ditemukan": "{} '{}' not found",
    "{}: {}": "{}: {}",
    "{}; tetapkan susunan tim lebih dulu": "{}; set up the committee first",
    # The rules as each outcome reads.
    "dapat dimutasi": "may be transferred",
    "tidak dapat dimutasi: {}": "may not be transferred: {}",
    "status kepegawaian aktif": "service status active",
    "sedang {}": "currently {}",
    "PNS": "civil servant (PNS)",
    "PPPK: aturan mutasi PNS tidak berlaku": "PPPK: the PNS transfer rules do not apply",
    "PPPK: aturan mutasi PNS tidak berlaku (diizinkan oleh pengaturan siklus)": (
        "PPPK: the PNS transfer rules do not apply (allowed by the cycle's settings)"
    ),
    "batas usia pensiun tidak dapat dihitung (tanggal lahir tidak ada)": (
        "the retirement age cannot be computed (no birth date)"
    ),
    "batas usia pensiun {}, {} lagi (minimal {})": "retirement age reached on {}, {} from now (at least {})",
    "masa jabatan {} (minimal {})": "time in post {} (at least {})",
    "tidak ada hukuman disiplin sedang/berat dalam {} terakhir": (
        "no moderate or severe disciplinary penalty in the last {}"
    ),
    "hukuman disiplin {} pada {} (berlaku sebagai penghalang hingga {})": (
        "{} disciplinary penalty on {} (it blocks a transfer until {})"
    ),
    "{} predikat kinerja terakhir minimal Baik ({})": "the last {} performance ratings at least Baik ({})",
    "kelas jabatan {} ke {}": "job class {} to {}",
    "kelas jabatan {} ke {} (naik kelas adalah promosi, bukan mutasi)": (
        "job class {} to {} (a higher class is a promotion, not a transfer)"
    ),
    "pangkat/golongan {}, minimal {}": "rank {}, at least {}",
    "jenjang {}, jabatan tujuan {}": "level {}, destination post {}",
    "pendidikan {}, syarat minimal {}": "education {}, minimum required {}",
    "pendidikan {}, syarat minimal {} bidang {}": "education {}, minimum required {} in {}",
    "jabatan tujuan berada dalam garis komando langsung anggota keluarga": (
        "the destination post is in a family member's direct line of command"
    ),
    "tidak ada anggota keluarga dalam garis komando jabatan tujuan": (
        "no family member in the destination post's line of command"
    ),
    "formasi tujuan {}, terisi {} dan {} akan masuk": (
        "destination establishment {}, {} filled and {} arriving"
    ),
    "formasi tujuan {}, terisi {} sebelum rencana": (
        "destination establishment {}, {} filled before the plan"
    ),
    "jabatan tujuan berbeda dari jabatan sekarang": "the destination post differs from the current one",
    "JPM {}% (batas minimal {}%)": "JPM {}% (minimum {}%)",
    "JPM {}% di atas batas minimal {}%": "JPM {}% above the minimum of {}%",
    # Flash messages and page errors.
    "Anda menyetujui usulan mutasi; usulan diteruskan ke persetujuan.": (
        "You accepted the proposed move; it goes on to approval."
    ),
    "Berita acara tidak ditemukan atau bukan untuk Anda.": "The minutes were not found or are not yours.",
    "Berita acara {} ditandatangani; rekomendasi dikirim ke {} kasus.": (
        "Minutes {} signed; the recommendation went to {} cases."
    ),
    "Bila akun ini memiliki alamat e-mail, kode pengganti kata sandi telah dikirim ke sana. Tanpa e-mail, minta kode ke BKPSDM.": (
        "If this account has an e-mail address, a password reset code has been sent there. "
        "Without e-mail, ask BKPSDM for a code."
    ),
    "Delegasi dicatat: {} memutus atas nama {} dari {} sampai {}; tugas terbuka ikut beralih.": (
        "Delegation recorded: {} decides on behalf of {} from {} to {}; open tasks move with it."
    ),
    "Delegasi {} dicabut; tugas terbuka kembali hanya kepada pejabat asal.": (
        "Delegation {} revoked; open tasks go back to the original official only."
    ),
    "Dokumen {} terkirim; BKPSDM akan memverifikasinya.": "Document {} sent; BKPSDM will verify it.",
    "Evaluasi belum lengkap: isi setiap nilai 1 sampai 5.": (
        "The evaluation is incomplete: give every score from 1 to 5."
    ),
    "Kata sandi tersimpan. Silakan masuk dengan NIP dan kata sandi baru Anda.": (
        "Password saved. Please sign in with your NIP and your new password."
    ),
    "Kedua kata sandi tidak sama.": "The two passwords differ.",
    "Keberatan Anda tercatat dan diteruskan ke BKPSDM; Anda akan diberi tahu keputusannya.": (
        "Your objection is recorded and sent to BKPSDM; you will be told the decision."
    ),
    "Keberatan Anda tercatat dan diteruskan kepada PPK; Anda akan diberi tahu keputusannya.": (
        "Your objection is recorded and sent to the PPK; you will be told the decision."
    ),
    "Keberatan dikabulkan; SK sudah berlaku: BKPSDM menindaklanjuti dengan mutasi individual.": (
        "Objection upheld; the decree is already in effect: BKPSDM follows up with an "
        "individual move."
    ),
    "Keberatan dikabulkan; kasus ditarik dan petikan SK dibatalkan.": (
        "Objection upheld; the case is withdrawn and the decree extract annulled."
    ),
    "Keberatan dikabulkan; kasus tidak dapat ditarik otomatis ({}): BKPSDM menindaklanjuti dengan mutasi individual.": (
        "Objection upheld; the case cannot be withdrawn automatically ({}): BKPSDM follows up "
        "with an individual move."
    ),
    "Keberatan ditolak; pegawai diberi tahu alasannya.": (
        "Objection dismissed; the employee is told the reason."
    ),
    "Keberatan tidak ditemukan.": "Objection not found.",
    "Kode terdiri dari 12 huruf/angka dan kata sandi minimal 12 karakter.": (
        "The code has 12 letters or digits and the password at least 12 characters."
    ),
    "kata sandi minimal {} karakter": "the password needs at least {} characters",
    "kata sandi terlalu mudah ditebak (karakter berulang atau berurutan)": (
        "the password is too easy to guess (repeated or sequential characters)"
    ),
    "kata sandi ini termasuk yang paling sering dipakai; pilih yang lain": (
        "this password is among the most often used; choose another"
    ),
    "kata sandi tidak boleh memuat NIP, nama pengguna atau nama Anda": (
        "the password must not contain your NIP, username or name"
    ),
    "kata sandi akun ini sudah diganti; silakan masuk lagi": (
        "this account's password has been changed; please sign in again"
    ),
    "terlalu banyak percobaan; coba lagi dalam {} detik": "too many attempts; try again in {} seconds",
    "tugas {} sudah {}; keputusan ini tidak dicatat": (
        "task {} is already {}; this decision is not recorded"
    ),
    "MUTASI_TRUSTED_PROXIES: '{}' bukan alamat atau jaringan IP": (
        "MUTASI_TRUSTED_PROXIES: '{}' is not an IP address or network"
    ),
    "Masa berlaku 1 sampai 720 jam.": "Validity 1 to 720 hours.",
    "Muat ulang halaman lalu kirim lagi.": "Reload the page and send again.",
    "Mutasi individual {} dibuka untuk {}; pegawai diminta tanggapannya lebih dulu.": (
        "Individual move {} opened for {}; the employee is asked for an answer first."
    ),
    "Pendapat Anda ({}) atas permohonan {} tercatat.": "Your opinion ({}) on request {} is recorded.",
    "Pendapat tidak mendukung wajib disertai alasan.": "An opinion against needs a reason.",
    "Permohonan tidak ditemukan.": "Request not found.",
    "Permohonan {} Anda tarik; tidak ada yang diproses lagi.": (
        "You withdrew request {}; nothing more is processed."
    ),
    "Permohonan {} diterima; kasus {} dibuka.": "Request {} accepted; case {} opened.",
    "Permohonan {} ditolak; pemohon diberi tahu alasannya.": (
        "Request {} refused; the applicant is told the reason."
    ),
    "Permohonan {} terkirim. Atasan langsung Anda memberi pendapat lebih dulu, lalu BKPSDM memeriksanya; Anda akan diberi tahu hasilnya.": (
        "Request {} sent. Your direct superior gives an opinion first, then BKPSDM screens "
        "it; you will be told the outcome."
    ),
    "Pilih minimal satu tugas.": "Choose at least one task.",
    "Pilih usulan lebih dulu.": "Choose proposals first.",
    "Rantai persetujuan {} disimpan ({} langkah); berlaku untuk kasus yang dibuka sesudah ini.": (
        "Approval chain {} saved ({} steps); it applies to cases opened from now on."
    ),
    "Siklus {} dimulai: analisis kebutuhan berjalan.": "Cycle {} started: the needs analysis is running.",
    "Tanggal tidak sah.": "Invalid date.",
    "Terjadi kesalahan tak terduga; sudah dicatat. Coba lagi sebentar lagi.": (
        "An unexpected error happened; it has been logged. Try again shortly."
    ),
    "Tulis alasan keputusan atas keberatan (minimal 3 karakter).": (
        "Write the reason for the decision on the objection (at least 3 characters)."
    ),
    "{} pemberitahuan ditandai sudah dibaca.": "{} notices marked as read.",
    "{} tugas disetujui.": "{} tasks approved.",
    "{} tugas disetujui. Gagal: {}": "{} tasks approved. Failed: {}",
    "{} usulan ditandai keluar; dikeluarkan saat rencana disetujui.": (
        "{} proposals marked for removal; they are removed when the plan is approved."
    ),
    "{} usulan tidak lagi ditandai keluar.": "{} proposals no longer marked for removal.",
    # Form and API validation (api.validation_text) and our own validators.
    "wajib diisi": "required",
    "minimal {} karakter": "at least {} characters",
    "maksimal {} karakter": "at most {} characters",
    "minimal {} isian": "at least {} entries",
    "maksimal {} isian": "at most {} entries",
    "tidak boleh kurang dari {}": "must not be less than {}",
    "harus lebih dari {}": "must be more than {}",
    "tidak boleh lebih dari {}": "must not be more than {}",
    "harus kurang dari {}": "must be less than {}",
    "harus bilangan bulat": "must be a whole number",
    "harus angka": "must be a number",
    "harus ya atau tidak": "must be yes or no",
    "tanggal tidak sah (format TTTT-BB-HH)": "invalid date (format YYYY-MM-DD)",
    "tanggal tidak sah": "invalid date",
    "harus salah satu dari: {}": "must be one of: {}",
    "formatnya tidak sesuai": "the format does not match",
    "JSON tidak sah": "invalid JSON",
    "isian tidak sah": "invalid entry",
    "harus objek": "must be an object",
    "harus daftar": "must be a list",
    "harus teks": "must be text",
    "MUTASI_OTEL_EXPORTER tidak dikenal: {} (none, otlp, console)": (
        "unknown MUTASI_OTEL_EXPORTER: {} (none, otlp, console)"
    ),
    "bukan hash SHA-256: {}": "not a SHA-256 hash: {}",
    "bukan kode kasus: {}": "not a case id: {}",
    "bukan kode tugas: {}": "not a task id: {}",
    "data demo memerlukan sedikitnya 200 pegawai": "the demo data needs at least 200 employees",
    "jabatan asal {} melepas {} > kelebihan": "origin post {} releases {} > surplus",
    "jabatan tujuan {} menerima {} > kekurangan/formasi": (
        "destination post {} receives {} > shortage/establishment"
    ),
    "jam kerja efektif harus salah satu dari {}": "effective working hours must be one of {}",
    "kode siklus hanya huruf, angka, titik, garis bawah dan tanda hubung (maks. 64)": (
        "a cycle code is letters, digits, dots, underscores and hyphens only (at most 64)"
    ),
    "masa {} membutuhkan {}": "period {} needs {}",
    "mutasi {} menyebut jabatan yang tidak ada dalam analisis": (
        "move {} names a post that is not in the analysis"
    ),
    "pegawai dipindah lebih dari sekali": "an employee is moved more than once",
    "pegawai tidak dapat mendelegasikan kepada dirinya sendiri": (
        "an employee cannot delegate to themselves"
    ),
    "tanggal selesai sebelum tanggal mulai": "the end date is before the start date",
    "{} bukan alur kerja kasus atau siklus": "{} is not a case or cycle workflow",
    "langkah tidak terbaca: {}": "unreadable step: {}",
    # What a not-found page names.
    "{} tidak ditemukan.": "{} not found.",
    "Halaman {}": "Page {}",
    "kasus {}": "case {}",
    "siklus {}": "cycle {}",
    "tugas {}": "task {}",
    "instansi {}": "agency {}",
    # What the public verification page says of a decree.
    "Nomor SK ini tidak terdaftar di BKPSDM.": "This decree number is not registered at BKPSDM.",
    "SK ini terdaftar tetapi tidak bertanda tangan elektronik.": (
        "This decree is registered but has no electronic signature."
    ),
    "Isi SK tidak cocok dengan tanda tangan elektronik: SK telah diubah setelah ditandatangani atau tanda tangannya palsu.": (
        "The decree's content does not match its electronic signature: it was changed after "
        "signing or the signature is forged."
    ),
    "SK asli, tetapi telah DIBATALKAN: {}": "Genuine decree, but it has been ANNULLED: {}",
    "SK asli, tetapi telah DIBATALKAN.": "Genuine decree, but it has been ANNULLED.",
    "SK asli, tidak diubah, dan berlaku.": "Genuine decree, unaltered and in force.",
    "SK asli, tetapi telah DICABUT dengan Keputusan Nomor {}.": (
        "Genuine decree, but it has been REVOKED by decree number {}."
    ),
    "SK ini terdaftar tetapi belum ditandatangani PPK.": (
        "This decree is registered but not yet signed by the PPK."
    ),
    "SK telah diubah setelah terbit: {}.": "The decree was changed after its issue: {}.",
    "SK asli dan berlaku: berkas yang tersimpan sama persis dengan yang diterbitkan (SHA-256 {}).": (
        "Genuine decree, in force: the stored file is exactly the one issued (SHA-256 {})."
    ),
    "SK pembatalan asli: mencabut Keputusan Nomor {} sepanjang mengenai pegawai yang namanya tercantum di dalamnya.": (
        "Genuine revoking decree: it revokes decree number {} as far as the employee it names "
        "is concerned."
    ),
    # The demo plan's short explanation (mutasi.demo.plans).
    "{} dipindahkan ke {} karena beban kerja unit tujuan tinggi.": (
        "{} is moved to {} because the destination unit's workload is high."
    ),
    # Signing, freezing and revoking decrees.
    "Tanda tangan SK {} sedang diproses (layanan TTE dicoba lagi otomatis).": (
        "The signature of decree {} is under way (the signing service is retried automatically)."
    ),
    "SK {} ditandatangani dan terbit; pegawai menerima SK/petikannya.": (
        "Decree {} is signed and issued; each employee receives their decree or extract."
    ),
    "unggah pindaian SK (PDF)": "upload the scan of the decree (PDF)",
    "Data tidak lengkap": "Incomplete data",
    "NIK (16 angka) dan passphrase wajib diisi": "the NIK (16 digits) and the passphrase are required",
    "Belum dikabulkan": "Not upheld",
    "hanya keberatan yang dikabulkan dicabut SK-nya": "only an upheld objection revokes its decree",
    "Profil SK tidak sah": "Invalid decree profile",
    "Plt./Plh. memerlukan nama dan jabatan pejabatnya": (
        "Plt./Plh. needs the acting official's name and title"
    ),
    "Templat tidak sah": "Invalid template",
    "{}; SK pembatalan disiapkan melalui jalur penandatanganan SK.": (
        "{}; the revoking decree is being prepared through the decree signing path."
    ),
    "{}; SK pembatalan belum dapat disiapkan ({}): ulangi dari keberatan ini (POST /api/v1/appeals/{}/revocation).": (
        "{}; the revoking decree could not be prepared yet ({}): start it again from this "
        "objection (POST /api/v1/appeals/{}/revocation)."
    ),
    "Keberatan dikabulkan": "Objection upheld",
    "Keberatan dikabulkan; kasus ditarik": "Objection upheld; the case was withdrawn",
    "Sudah ditandatangani": "Already signed",
    "SK {} sudah ditandatangani": "decree {} is already signed",
    "Cara tanda tangan lain": "Another way of signing",
    "SK {} ditandatangani dengan cara '{}', bukan '{}'": "decree {} is signed by '{}', not '{}'",
    "Naskah belum dicetak": "Draft not printed",
    "cetak naskah untuk ditandatangani lebih dahulu": "print the draft for signature first",
    "pindaian SK harus berupa PDF": "the scan of the decree must be a PDF",
    "Sedang diproses": "In progress",
    "tanda tangan SK {} sedang atau sudah diproses": (
        "the signature of decree {} is under way or done"
    ),
    "Tanda tangan ditolak": "Signature refused",
    "SK bertanggal {} tidak boleh mendahului surat yang dikutipnya: {}": (
        "a decree dated {} may not precede a letter it cites: {}"
    ),
    "TMT {} tidak boleh sebelum tanggal SK {}": "the TMT {} may not precede the decree's date {}",
    "SK {} tidak dapat dicabut": "decree {} cannot be revoked",
    "SK pencabutan {} belum ditandatangani": "revoking decree {} is not signed yet",
    "TMT {} sudah lewat pada tanggal penandatanganan {}: SK perlu TMT baru": (
        "the TMT {} has passed on the signing day {}: the decree needs a new TMT"
    ),
    "SK {} tidak menunggu tanda tangan": "decree {} is not waiting for a signature",
    "unggah pindaian SK yang ditandatangani": "upload the scan of the signed decree",
    "SK {} dibatalkan sebelum ditandatangani": "decree {} was annulled before it was signed",
    "berkas PKCS#12 tidak dapat dibuka (passphrase salah?)": (
        "the PKCS#12 file cannot be opened (wrong passphrase?)"
    ),
    "NIK dan passphrase penandatangan wajib diisi": "the signer's NIK and passphrase are required",
    "layanan TTE menolak: {}": "the signing service refused: {}",
    "layanan TTE menjawab {}: {}": "the signing service answered {}: {}",
    "layanan TTE tidak mengembalikan dokumen PDF": "the signing service did not return a PDF",
    "berkas PKCS#12 tidak dapat dibuka: {}": "the PKCS#12 file cannot be opened: {}",
    "layanan stempel waktu tidak dapat dihubungi: {}": "the timestamp authority cannot be reached: {}",
    "layanan TTE tidak dapat dihubungi: {}": "the signing service cannot be reached: {}",
    "templat harus memuat @{}": "the template must contain @{}",
    "perintah tata letak tidak dikenal: @{}": "unknown layout directive: @{}",
    "teks sebelum perintah tata letak pertama (@...)": "text before the first layout directive (@...)",
    "templat '{}' tidak dikenal": "unknown template '{}'",
    "isi templat harus 1 sampai {} karakter": "a template has 1 to {} characters",
    "templat {}: {}": "template {}: {}",
    "Passphrase anda salah": "your passphrase is wrong",
    "informasi pencabutan sertifikat tidak diperoleh: {}": (
        "the certificate's revocation information could not be obtained: {}"
    ),
    "berkas PKCS#12 tidak memuat sertifikat akar; sertakan rantai lengkap untuk menyematkan informasi pencabutan": (
        "the PKCS#12 file holds no root certificate; include the whole chain to embed "
        "revocation information"
    ),
}

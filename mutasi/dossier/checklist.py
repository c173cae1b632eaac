"""The documents a case needs, per mutation type (Peraturan BKN 5/2019; configurable), and
the kinds of letter that recorded acts and the SPMT are evidenced by."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from contracts.enums import MutationType


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    title: str
    required: bool = True


def _items(*pairs: tuple[str, str]) -> list[ChecklistItem]:
    return [ChecklistItem(code, title) for code, title in pairs]


_PERSONAL = (
    ("sk_cpns_pns", "Salinan SK CPNS dan SK PNS"),
    ("sk_pangkat", "Salinan SK pangkat terakhir"),
    ("sk_jabatan", "Salinan SK jabatan terakhir"),
    ("skp_2_tahun", "SKP 2 (dua) tahun terakhir"),
    ("pernyataan_disiplin", "Surat pernyataan tidak sedang dijatuhi hukuman disiplin"),
    ("pernyataan_pidana", "Surat pernyataan tidak sedang menjalani proses pidana"),
    ("pernyataan_kewajiban", "Surat pernyataan bebas kewajiban (tugas belajar, utang)"),
)
_BETWEEN_AGENCIES = (
    ("surat_usul", "Surat usul mutasi / permohonan"),
    *_PERSONAL,
    ("anjab_abk_penerima", "Analisis jabatan dan ABK instansi penerima"),
)

# Within an agency BKPSDM already holds the employee's records; an agency may add items.
# Between agencies the release and acceptance letters, the pertek and the decision are the
# chain's recorded acts, each with its own letter, so they are not repeated here.
DEFAULT_CHECKLISTS: dict[str, list[ChecklistItem]] = {
    MutationType.WITHIN_AGENCY: [],
    MutationType.BETWEEN_REGENCIES: _items(*_BETWEEN_AGENCIES),
    MutationType.BETWEEN_PROVINCES: _items(*_BETWEEN_AGENCIES),
    MutationType.REGIONAL_CENTRAL: _items(*_BETWEEN_AGENCIES),
}

# Letters that evidence an act rather than fill the checklist.
LETTER_KINDS = {
    "surat_melepas": "Surat persetujuan melepas dari PPK instansi asal",
    "surat_menerima": "Surat persetujuan menerima dari PPK instansi penerima",
    "pertek_bkn": "Pertimbangan teknis BKN",
    "keputusan_mutasi": "Keputusan mutasi pejabat yang berwenang",
    "keputusan_ppk": "Persetujuan/keputusan PPK yang ditandatangani",
    "spmt": "Surat pernyataan melaksanakan tugas (SPMT)",
}
PPK_LETTER = "keputusan_ppk"
SPMT_LETTER = "spmt"

_CODE = re.compile(r"^[a-z0-9_]{2,48}$")
MAX_ITEMS = 30


def validate_items(items: list[ChecklistItem]) -> list[str]:
    """Problems with a checklist, in Bahasa Indonesia (empty when valid)."""
    problems = []
    if len(items) > MAX_ITEMS:
        problems.append(f"paling banyak {MAX_ITEMS} dokumen")
    seen: set[str] = set()
    for i, item in enumerate(items, start=1):
        if not _CODE.match(item.code):
            problems.append(f"dokumen {i}: kode 2-48 huruf kecil, angka atau garis bawah")
        elif item.code in LETTER_KINDS:
            problems.append(f"dokumen {i}: kode '{item.code}' dipakai untuk surat langkah")
        if item.code in seen:
            problems.append(f"dokumen {i}: kode '{item.code}' ganda")
        seen.add(item.code)
        if not 3 <= len(item.title.strip()) <= 200:
            problems.append(f"dokumen {i}: judul 3 sampai 200 karakter")
    return problems


def as_rows(items: list[ChecklistItem]) -> list[dict[str, Any]]:
    return [asdict(i) for i in items]


def from_rows(rows: list[dict[str, Any]]) -> list[ChecklistItem]:
    return [ChecklistItem(r["code"], r["title"], bool(r.get("required", True))) for r in rows]


def missing(required: list[str], accepted: list[str] | set[str]) -> list[str]:
    """The required kinds whose latest upload is not (yet) accepted, in checklist order."""
    have = set(accepted)
    return [code for code in required if code not in have]

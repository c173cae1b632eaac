"""Decrees issued before documents were frozen at issue (mutasi.decree.frozen), rendered
as they always were so they still print; new decrees are laid out by mutasi.decree.layout.
Also the QR code's address and the date in words, which both use."""

from __future__ import annotations

import dataclasses
import io
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import (
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import BaseDocTemplate
from reportlab.platypus.frames import Frame

from mutasi.decree.layout import ANNEX_STYLE, arms_image, qr_code
from mutasi.infra.safe_text import pdf_text
from planning.calendar import date_text

LEGAL_BASIS = (
    "Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara;",
    "Peraturan Pemerintah Nomor 11 Tahun 2017 tentang Manajemen Pegawai Negeri Sipil sebagaimana telah diubah "
    "dengan Peraturan Pemerintah Nomor 17 Tahun 2020;",
    "Peraturan Badan Kepegawaian Negara Nomor 5 Tahun 2019 tentang Tata Cara Pelaksanaan Mutasi;",
)
# PPPK are not PNS: their decrees name them as such and cite their own regulation.
LEGAL_BASIS_PPPK = (
    "Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara;",
    "Peraturan Pemerintah Nomor 49 Tahun 2018 tentang Manajemen Pegawai Pemerintah dengan Perjanjian Kerja;",
)
EMPLOYEE_KIND = {
    "PNS": "Pegawai Negeri Sipil",
    "PPPK": "Pegawai Pemerintah dengan Perjanjian Kerja",
}


def tanggal(day: date) -> str:
    return date_text(day)


@dataclass
class DecreeDocument:
    number: str
    office: str  # "Pemerintah Kabupaten Sukamaju"
    ppk_title: str  # "Bupati Sukamaju"
    seat: str  # "Sukamaju"
    decided_on: date
    tmt: date
    annex: dict[str, Any]
    signatory_name: str
    signatory_nip: str | None
    signatory_title: str  # "a.n. Bupati Sukamaju / Sekretaris Daerah"
    verify_url: str
    key_id: str | None
    signature: str | None
    status: str = "issued"
    # "Memperhatikan": the letters the decision rests on (release, acceptance, pertek, the
    # competent authority's decision), each with its number and date.
    considering: list[str] = dataclasses.field(default_factory=list)
    # A collective decree's annex (every employee); empty: the one row in `annex`.
    rows: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    # An employee's extract (petikan): {"no", "total"}; `number` is then the decree's.
    extract: dict[str, Any] | None = None
    coat_of_arms: bytes | None = None  # PNG or JPEG, printed above the heading


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    return {
        "center": ParagraphStyle(
            "center",
            parent=base["Normal"],
            alignment=TA_CENTER,
            fontName="Helvetica-Bold",
            fontSize=11,
            leading=15,
        ),
        "body": ParagraphStyle(
            "body", parent=base["Normal"], alignment=TA_JUSTIFY, fontSize=10.5, leading=14
        ),
        "small": ParagraphStyle("small", parent=base["Normal"], fontSize=8, leading=10),
        "cell": ParagraphStyle("cell", parent=base["Normal"], fontSize=9, leading=11),
    }


def _clauses(rows: list[tuple[str, str]], st: dict[str, ParagraphStyle]) -> Table:
    table = Table(
        [
            [Paragraph(f"<b>{label}</b>", st["body"]), ":", Paragraph(text, st["body"])]
            for label, text in rows
        ],
        colWidths=[3.2 * cm, 0.4 * cm, 12.4 * cm],
    )
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    return table


def _escaped(doc: DecreeDocument) -> DecreeDocument:
    """Every stored text as printable text: markup in a name or a PPK title is printed, never
    laid out (an unclosed "<" in one would break every decree of the agency)."""
    return dataclasses.replace(
        doc,
        number=pdf_text(doc.number),
        office=pdf_text(doc.office),
        ppk_title=pdf_text(doc.ppk_title),
        seat=pdf_text(doc.seat),
        signatory_name=pdf_text(doc.signatory_name),
        signatory_nip=pdf_text(doc.signatory_nip) if doc.signatory_nip else None,
        signatory_title=pdf_text(doc.signatory_title),
        key_id=pdf_text(doc.key_id) if doc.key_id else None,
        signature=pdf_text(doc.signature) if doc.signature else None,
        annex={k: pdf_text(v) if isinstance(v, str) else v for k, v in doc.annex.items()},
        considering=[pdf_text(c) for c in doc.considering],
        rows=[
            {k: pdf_text(v) if isinstance(v, str) else v for k, v in r.items()} for r in doc.rows
        ],
    )


def render_decree(document: DecreeDocument) -> bytes:
    st = _styles()
    doc = _escaped(document)
    a = doc.annex
    rows = doc.rows or [a]
    collective = len(rows) > 1
    pppk = rows[0].get("asn_type") == "PPPK"
    kind = EMPLOYEE_KIND["PPPK" if pppk else "PNS"]
    basis = LEGAL_BASIS_PPPK if pppk else LEGAL_BASIS
    # Upper case first, then escaped: "&lt;" must not become "&LT;".
    office, title = pdf_text(document.office.upper()), pdf_text(document.ppk_title.upper())
    signer = pdf_text(document.signatory_title.upper())
    buffer = io.BytesIO()
    pdf = BaseDocTemplate(
        buffer,
        pagesize=A4,
        title=f"SK {document.number}",
        author=document.office,
        subject="Keputusan pemindahan dan penempatan ASN",
        leftMargin=2.5 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
    )
    portrait = Frame(pdf.leftMargin, pdf.bottomMargin, pdf.width, pdf.height, id="portrait")
    wide = landscape(A4)
    annex_frame = Frame(2 * cm, 2 * cm, wide[0] - 4 * cm, wide[1] - 4 * cm, id="annex")
    pdf.addPageTemplates(
        [
            PageTemplate("portrait", [portrait], pagesize=A4),
            PageTemplate("annex", [annex_frame], pagesize=wide),
        ]
    )
    flow = [
        *(
            [arms_image(document.coat_of_arms), Spacer(1, 0.2 * cm)]
            if document.coat_of_arms
            else []
        ),
        Paragraph(office, st["center"]),
        Spacer(1, 0.3 * cm),
        *([Paragraph("PETIKAN", st["center"])] if doc.extract else []),
        Paragraph(f"KEPUTUSAN {title}", st["center"]),
        Paragraph(f"NOMOR {doc.number}", st["center"]),
        Spacer(1, 0.2 * cm),
        Paragraph("TENTANG", st["center"]),
        Paragraph(f"PEMINDAHAN DAN PENEMPATAN {kind.upper()}", st["center"]),
        Spacer(1, 0.3 * cm),
        Paragraph(title + ",", st["center"]),
        Spacer(1, 0.3 * cm),
        _clauses(
            [
                (
                    "Menimbang",
                    "a. bahwa untuk pemerataan beban kerja dan kesesuaian kompetensi, berdasarkan analisis "
                    f"beban kerja dan pemetaan kompetensi, perlu memindahkan {kind} yang namanya "
                    "tercantum dalam lampiran keputusan ini;<br/>b. bahwa usulan tersebut telah melalui "
                    "konsultasi dengan pegawai dan persetujuan berjenjang;",
                ),
                (
                    "Mengingat",
                    "<br/>".join(f"{i}. {text}" for i, text in enumerate(basis, start=1)),
                ),
                *(
                    [
                        (
                            "Memperhatikan",
                            "<br/>".join(
                                f"{i}. {text};" for i, text in enumerate(doc.considering, start=1)
                            ),
                        )
                    ]
                    if doc.considering
                    else []
                ),
            ],
            st,
        ),
        Spacer(1, 0.3 * cm),
        Paragraph("MEMUTUSKAN:", st["center"]),
        Spacer(1, 0.2 * cm),
        _clauses(
            [
                ("Menetapkan", f"KEPUTUSAN TENTANG PEMINDAHAN DAN PENEMPATAN {kind.upper()}."),
                (
                    "KESATU",
                    (
                        f"Memindahkan dan menempatkan {len(rows)} (orang) {kind} yang namanya "
                        "tercantum dalam Lampiran, dari dan ke jabatan sebagaimana tercantum di "
                        "dalamnya; Lampiran merupakan bagian tidak terpisahkan dari Keputusan ini."
                    )
                    if collective
                    else (
                        f"Memindahkan dan menempatkan {kind} atas nama {a['name']}, NIP {a['nip']}, "
                        f"dari jabatan {a['old_position']} ke jabatan {a['new_position']}, "
                        "sebagaimana tercantum dalam Lampiran yang merupakan bagian tidak "
                        "terpisahkan dari Keputusan ini."
                    ),
                ),
                (
                    "KEDUA",
                    f"Kepada {kind} tersebut diberikan penghasilan sesuai dengan ketentuan "
                    "peraturan perundang-undangan.",
                ),
                (
                    "KETIGA",
                    f"Keputusan ini berlaku terhitung mulai tanggal {tanggal(doc.tmt)}, dengan ketentuan apabila "
                    "di kemudian hari terdapat kekeliruan akan dibetulkan sebagaimana mestinya.",
                ),
            ],
            st,
        ),
        Spacer(1, 0.6 * cm),
    ]
    signature = Table(
        [
            [
                qr_code(doc.verify_url, 3.2 * cm),
                Paragraph(
                    f"Ditetapkan di {doc.seat}<br/>pada tanggal {tanggal(doc.decided_on)}<br/><br/>"
                    f"{signer},<br/><br/><i>ditandatangani secara elektronik</i><br/><br/>"
                    f"<b>{doc.signatory_name}</b>"
                    + (f"<br/>NIP {doc.signatory_nip}" if doc.signatory_nip else ""),
                    st["body"],
                ),
            ]
        ],
        # The signatory block sits on the right half, as decrees lay it out.
        colWidths=[8.5 * cm, 7.5 * cm],
    )
    signature.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    flow += [
        KeepTogether(signature),
        Spacer(1, 0.3 * cm),
        Paragraph(
            f"Keaslian {'petikan ' if doc.extract else ''}SK ini dapat diperiksa dengan memindai "
            f"kode QR atau membuka {pdf_text(doc.verify_url)}. Ditandatangani secara elektronik "
            f"(Ed25519, kunci {doc.key_id or '-'}); tanda tangan disimpan dan diperiksa oleh "
            "layanan verifikasi, tidak dicetak.",
            st["small"],
        ),
        Spacer(1, 0.4 * cm),
        Paragraph(
            "Tembusan:<br/>1. Kepala Kantor Regional BKN;<br/>2. Inspektur Daerah;<br/>"
            "3. Kepala Badan Pengelolaan Keuangan Daerah;<br/>4. Kepala Perangkat Daerah asal dan tujuan;<br/>"
            "5. Pegawai yang bersangkutan.",
            st["body"],
        ),
    ]
    if doc.extract:
        flow.append(
            Paragraph(
                f"Petikan sesuai dengan aslinya: baris {doc.extract['no']} dari "
                f"{doc.extract['total']} pada Lampiran Keputusan Nomor {doc.number}.",
                st["small"],
            )
        )
    if doc.status == "annulled":
        flow.insert(0, Paragraph("<font color='red'>DIBATALKAN</font>", st["center"]))
    cell = st["cell"]
    annex_rows = [["No", "Nama / NIP", "Pangkat / Gol", "Jabatan lama", "Jabatan baru", "Ket"]]
    annex_rows += [
        [
            str(r.get("no", 1)),
            Paragraph(f"{r['name']}<br/>NIP {r['nip']}", cell),
            Paragraph(
                f"{r['rank_name']} ({r['rank']})" if r.get("rank_name") else r.get("rank") or "-",
                cell,
            ),
            Paragraph(f"{r['old_position']}<br/>{r.get('old_unit', '')}", cell),
            Paragraph(f"{r['new_position']}<br/>{r.get('new_unit', '')}", cell),
            Paragraph(r.get("note") or "", cell),
        ]
        for r in rows
    ]
    annex = Table(
        annex_rows, colWidths=[1.2 * cm, 6 * cm, 3.5 * cm, 6 * cm, 6 * cm, 3 * cm], repeatRows=1
    )
    annex.setStyle(TableStyle(ANNEX_STYLE))
    flow += [
        NextPageTemplate("annex"),
        PageBreak(),
        Paragraph(
            f"LAMPIRAN KEPUTUSAN {title}<br/>NOMOR {doc.number}<br/>"
            f"TANGGAL {tanggal(doc.decided_on).upper()}",
            st["body"],
        ),
        Spacer(1, 0.4 * cm),
        Paragraph(f"DAFTAR {kind.upper()} YANG DIPINDAHKAN DAN DITEMPATKAN", st["center"]),
        Spacer(1, 0.3 * cm),
        annex,
    ]
    pdf.build(flow)
    return buffer.getvalue()


def verify_url(base_url: str, number: str, code: str | None) -> str:
    url = f"{base_url.rstrip('/')}/verify/decree/{quote(number, safe='/')}"
    return f"{url}?kode={quote(code)}" if code else url

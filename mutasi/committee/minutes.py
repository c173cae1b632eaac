"""The minutes (berita acara) of a committee sitting, as the chair signs them."""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from contracts.chain import COMMITTEE_TITLES
from mutasi.decree.pdf import tanggal
from mutasi.infra.safe_text import pdf_text

RECOMMENDATION_TEXT = {"setuju": "Setuju", "tidak_setuju": "Tidak setuju", "tunda": "Ditunda"}


@dataclass
class Person:
    name: str
    nip: str
    role: str  # Ketua | Anggota


@dataclass
class MinutesDocument:
    number: str
    office: str
    kind: str
    held_on: object  # date
    seat: str
    attendees: list[Person]
    members_total: int
    quorum: int
    items: list[dict]
    chair: Person


def render_minutes(doc: MinutesDocument) -> bytes:
    base = getSampleStyleSheet()
    center = ParagraphStyle("c", parent=base["Normal"], alignment=1, fontName="Helvetica-Bold")
    body = ParagraphStyle("b", parent=base["Normal"], fontSize=10, leading=13)
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5)
    title = COMMITTEE_TITLES[doc.kind]
    out = io.BytesIO()
    pdf = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=f"Berita Acara {doc.number}",
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
    )
    attendance = [["No", "Nama / NIP", "Kedudukan"]] + [
        [str(i), Paragraph(f"{pdf_text(p.name)}<br/>NIP {p.nip}", cell), p.role]
        for i, p in enumerate(doc.attendees, start=1)
    ]
    cases = [["No", "Nama / NIP", "Jabatan asal", "Jabatan tujuan", "Rekomendasi", "Alasan"]] + [
        [
            str(i),
            Paragraph(f"{pdf_text(item['name'])}<br/>NIP {item['nip']}", cell),
            Paragraph(pdf_text(item["origin"]), cell),
            Paragraph(pdf_text(item["destination"]), cell),
            RECOMMENDATION_TEXT[item["recommendation"]],
            Paragraph(pdf_text(item["reason"]), cell),
        ]
        for i, item in enumerate(doc.items, start=1)
    ]
    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8f1f8")),
            ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
            ("FONTSIZE", (0, 0), (-1, -1), 8.5),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    people = Table(attendance, colWidths=[1 * cm, 10 * cm, 4 * cm], repeatRows=1)
    people.setStyle(grid)
    decided = Table(
        cases,
        colWidths=[0.8 * cm, 3.8 * cm, 3.4 * cm, 3.4 * cm, 2 * cm, 3.6 * cm],
        repeatRows=1,
    )
    decided.setStyle(grid)
    flow = [
        Paragraph(pdf_text(doc.office.upper()), center),
        Spacer(1, 0.3 * cm),
        Paragraph(f"BERITA ACARA SIDANG {pdf_text(title.upper())}", center),
        Paragraph(f"NOMOR {pdf_text(doc.number)}", center),
        Spacer(1, 0.4 * cm),
        Paragraph(
            f"Pada hari ini, {tanggal(doc.held_on)}, {pdf_text(title)} bersidang membahas usulan "
            f"mutasi pegawai. Hadir {len(doc.attendees)} dari {doc.members_total} anggota; "
            f"kuorum {doc.quorum} anggota terpenuhi.",
            body,
        ),
        Spacer(1, 0.3 * cm),
        Paragraph("Daftar hadir:", body),
        people,
        Spacer(1, 0.4 * cm),
        Paragraph("Rekomendasi atas setiap usulan:", body),
        decided,
        Spacer(1, 0.6 * cm),
        # The chair's block stays on one page, never split across a page break.
        KeepTogether(
            Table(
                [
                    [
                        "",
                        Paragraph(
                            f"{pdf_text(doc.seat)}, {tanggal(doc.held_on)}<br/>Ketua,<br/><br/>"
                            f"<i>ditandatangani secara elektronik</i><br/><br/>"
                            f"<b>{pdf_text(doc.chair.name)}</b><br/>NIP {doc.chair.nip}",
                            body,
                        ),
                    ]
                ],
                colWidths=[9 * cm, 8 * cm],
            )
        ),
    ]
    pdf.build(flow)
    return out.getvalue()

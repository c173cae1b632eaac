"""A decree's text laid out as a PDF in the layout Indonesian decrees use. The template
(mutasi.decree.templates) writes the words; lines starting with "@" say how the lines after
them are laid out:

  @arms            the coat of arms            @center TEXT   a bold centred line
  @space           a gap                       @para          paragraphs follow
  @clause LABEL    "LABEL : item, item ..."    @list          an indented list follows
  @signature       the signatory block         @certification "Untuk petikan yang sah"
  @verification    the QR code and its note    @annex         the annex page starts
  @annex-table     the annex table

Everything printed comes from the snapshot and the text: the same two give the same bytes
(reportlab's invariant mode), so a decree can be rendered again and compared."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import segno
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import (
    Flowable,
    Image,
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

from mutasi.decree.document_signers import ELECTRONIC
from mutasi.infra.safe_text import pdf_text

# The annex table's grid and heading row (the legacy layout in mutasi.decree.pdf too).
ANNEX_STYLE = [
    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8f1f8")),
    ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
]


class TemplateRefused(ValueError):
    """A template that cannot render a decree (syntax, an unknown field, too long, a layout
    without its signature or annex)."""


DIRECTIVES = frozenset(
    {
        "arms",
        "center",
        "space",
        "para",
        "clause",
        "list",
        "signature",
        "certification",
        "verification",
        "annex",
        "annex-table",
        "attendance-table",
        "recommendation-table",
        "chair",
    }
)


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()["Normal"]
    return {
        "center": ParagraphStyle(
            "center",
            parent=base,
            alignment=TA_CENTER,
            fontName="Helvetica-Bold",
            fontSize=11,
            leading=15,
        ),
        "body": ParagraphStyle(
            "body", parent=base, alignment=TA_JUSTIFY, fontSize=10.5, leading=14
        ),
        "item": ParagraphStyle(
            "item",
            parent=base,
            alignment=TA_JUSTIFY,
            fontSize=10.5,
            leading=14,
            leftIndent=0.6 * cm,
            firstLineIndent=-0.6 * cm,
        ),
        "list": ParagraphStyle(
            "list",
            parent=base,
            fontSize=10.5,
            leading=14,
            leftIndent=1.0 * cm,
            firstLineIndent=-0.6 * cm,
        ),
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=11),
    }


def parse(text: str) -> list[tuple[str, str, list[str]]]:
    """(directive, argument, lines) blocks; text before the first directive is refused."""
    blocks: list[tuple[str, str, list[str]]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("@"):
            name, _, argument = line[1:].partition(" ")
            if name not in DIRECTIVES:
                raise TemplateRefused(f"perintah tata letak tidak dikenal: @{name}")
            blocks.append((name, argument.strip(), []))
        elif line:
            if not blocks:
                raise TemplateRefused("teks sebelum perintah tata letak pertama (@...)")
            blocks[-1][2].append(line)
    return blocks


# What every decree of a kind must lay out: a transfer has its signed annex.
NEEDED = {
    "decree": ("signature", "annex", "annex-table"),
    "revocation": ("signature",),
    "minutes": ("recommendation-table", "chair"),
}


def check_layout(text: str, name: str = "decree") -> None:
    """Refuses a template's output that could not be laid out as a decree."""
    names = [name for name, _, _ in parse(text)]
    for needed in NEEDED.get(name, ("signature",)):
        if needed not in names:
            raise TemplateRefused(f"templat harus memuat @{needed}")


class QrCode(Flowable):
    """A QR code (segno's matrix, 4 modules of quiet zone) drawn as one rectangle per run of
    dark modules in a row: reportlab's own widget builds a shape object per module, which
    cost most of a decree's rendering."""

    QUIET = 4

    def __init__(self, data: str, size: float) -> None:
        super().__init__()
        self.matrix = segno.make(data, error="m").matrix
        self.size = size

    def wrap(self, *_: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        count = len(self.matrix)
        module = self.size / (count + 2 * self.QUIET)
        self.canv.setFillColor(colors.black)
        for r, row in enumerate(self.matrix):
            y = self.size - (r + self.QUIET + 1) * module
            c = 0
            while c < count:
                if not row[c]:
                    c += 1
                    continue
                start = c
                while c < count and row[c]:
                    c += 1
                x = (start + self.QUIET) * module
                self.canv.rect(x, y, (c - start) * module, module, stroke=0, fill=1)


def qr_code(url: str, size: float = 2.8 * cm) -> QrCode:
    return QrCode(url, size)


def arms_image(image: bytes) -> Image:
    """The agency's coat of arms, 2.2 cm tall, its proportions kept."""
    picture = Image(io.BytesIO(image))
    ratio = picture.imageWidth / picture.imageHeight
    picture.drawHeight, picture.drawWidth = 2.2 * cm, 2.2 * cm * ratio
    return picture


def signatory_lines(snapshot: dict[str, Any]) -> list[str]:
    """The signatory block as Indonesian decrees print it: "Ditetapkan di", the date, the
    office (a.n./Plt./Plh. on its own line above the signing official's title), the mark of
    the signature, the name (NIP for civil servants)."""
    s = snapshot["signatory"]
    lines = [f"Ditetapkan di {snapshot['seat']}", f"pada tanggal {snapshot['decided_on_text']}", ""]
    mode, office = s["mode"], snapshot["heading"]
    if mode == "an":
        lines += [f"a.n. {office}", f"{s['title'].upper()},"]
    elif mode in ("plt", "plh"):
        lines += [f"{'Plt.' if mode == 'plt' else 'Plh.'} {office},"]
    else:
        lines += [f"{office},"]
    if snapshot["kind"] == "extract":  # a certified copy: the original was signed
        lines += ["", "ttd.", ""]
    elif snapshot["method"] in ELECTRONIC:
        lines += ["", "ditandatangani secara elektronik", ""]
    else:  # the hand signature and the stamp go here
        lines += ["", "", "", ""]
    lines.append(s["name"].upper() if s.get("nip") is None else s["name"])
    if s.get("rank_text"):
        lines.append(s["rank_text"])
    if s.get("nip"):
        lines.append(f"NIP {s['nip']}")
    return lines


class _Builder:
    def __init__(self, snapshot: dict[str, Any], arms: bytes | None) -> None:
        self.snapshot, self.arms, self.st = snapshot, arms, _styles()
        self.flow: list[Flowable] = []

    def p(self, text: str, style: str = "body") -> Paragraph:
        return Paragraph(pdf_text(text), self.st[style])

    def block(self, name: str, argument: str, lines: list[str]) -> None:
        handler: Callable[[str, list[str]], None] = getattr(self, "do_" + name.replace("-", "_"))
        handler(argument, lines)

    def do_arms(self, _: str, __: list[str]) -> None:
        if self.arms:
            self.flow += [arms_image(self.arms), Spacer(1, 0.2 * cm)]

    def do_center(self, argument: str, lines: list[str]) -> None:
        self.flow += [self.p(t, "center") for t in [argument, *lines] if t]

    def do_space(self, _: str, __: list[str]) -> None:
        self.flow.append(Spacer(1, 0.3 * cm))

    def do_para(self, argument: str, lines: list[str]) -> None:
        self.flow += [Spacer(1, 0.3 * cm), *(self.p(t) for t in [argument, *lines] if t)]

    def do_list(self, _: str, lines: list[str]) -> None:
        self.flow += [self.p(t, "list") for t in lines]

    def do_clause(self, label: str, lines: list[str]) -> None:
        items = [self.p(t, "item" if len(lines) > 1 else "body") for t in lines] or [self.p("")]
        table = Table([[self.p(label), ":", items]], colWidths=[3.2 * cm, 0.4 * cm, 12.4 * cm])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("FONTNAME", (0, 0), (0, 0), "Helvetica-Bold"),
                ]
            )
        )
        self.flow += [table, Spacer(1, 0.15 * cm)]

    def _right(self, lines: list[str]) -> Table:
        """A block on the right half of the page, as decrees place their signatures."""
        text = "<br/>".join(pdf_text(t) for t in lines)
        block = Table([["", Paragraph(text, self.st["body"])]], colWidths=[8.5 * cm, 7.5 * cm])
        block.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return block

    def do_signature(self, _: str, __: list[str]) -> None:
        self.flow += [
            Spacer(1, 0.4 * cm),
            KeepTogether(self._right(signatory_lines(self.snapshot))),
        ]

    def do_certification(self, _: str, __: list[str]) -> None:
        c = self.snapshot.get("certifier") or {}
        lines = ["Untuk petikan yang sah", f"{c.get('title', '')},", "", "", "", c.get("name", "")]
        if c.get("rank_text"):
            lines.append(c["rank_text"])
        if c.get("nip"):
            lines.append(f"NIP {c['nip']}")
        self.flow += [Spacer(1, 0.4 * cm), KeepTogether(self._right(lines))]

    def do_verification(self, _: str, __: list[str]) -> None:
        snap = self.snapshot
        note = (
            f"Keaslian dokumen ini dapat diperiksa dengan memindai kode QR atau membuka "
            f"{snap['verify_url']}. Rekaman verifikasi ditandatangani oleh aplikasi Mutasi "
            "(bukan tanda tangan pejabat)."
        )
        if snap["kind"] == "extract":
            part = snap.get("extract") or {}
            note += (
                f" Petikan baris {part.get('no', 1)} dari {part.get('total', 1)} pada Lampiran "
                f"Keputusan Nomor {snap['number']}."
            )
        elif snap["method"] == "pades":
            note += (
                " Keputusan ini ditandatangani secara elektronik dengan sertifikat elektronik "
                f"atas nama {snap['signatory'].get('certificate') or snap['signatory']['name']}; "
                "tanda tangan dapat diperiksa pada aplikasi pembaca PDF."
            )
        elif snap["method"] == "remote":
            note += (
                " Keputusan ini ditandatangani secara elektronik menggunakan sertifikat "
                "elektronik yang diterbitkan oleh Balai Sertifikasi Elektronik (BSrE)."
            )
        table = Table(
            [[qr_code(snap["verify_url"]), self.p(note, "small")]], colWidths=[3.2 * cm, 12.8 * cm]
        )
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        self.flow += [Spacer(1, 0.4 * cm), table]

    def do_annex(self, _: str, lines: list[str]) -> None:
        self.flow += [NextPageTemplate("annex"), PageBreak()]
        heading = "<br/>".join(pdf_text(t) for t in lines)
        block = Table([["", Paragraph(heading, self.st["body"])]], colWidths=[14 * cm, 11.7 * cm])
        self.flow += [block, Spacer(1, 0.3 * cm)]

    def do_annex_table(self, _: str, __: list[str]) -> None:
        def cell(text: str) -> Paragraph:
            return Paragraph("<br/>".join(pdf_text(t) for t in text.split("\n")), self.st["cell"])

        rows: list[list[Any]] = [
            [
                "No",
                "Nama / NIP",
                "Pangkat / Gol. Ruang",
                "Jabatan dan unit kerja lama",
                "Jabatan dan unit kerja baru",
                "Keterangan",
            ]
        ]
        for r in self.snapshot["rows"]:
            rows.append(
                [
                    str(r["no"]),
                    cell(f"{r['name']}\nNIP {r['nip']}"),
                    cell(r["rank_text"]),
                    cell(f"{r['old_position']}\n{r['old_unit']}"),
                    cell(f"{r['new_position']}\n{r['new_unit']}"),
                    cell(r.get("note") or ""),
                ]
            )
        table = Table(
            rows, colWidths=[1.2 * cm, 5.6 * cm, 3.6 * cm, 6 * cm, 6 * cm, 3.3 * cm], repeatRows=1
        )
        table.setStyle(TableStyle([*ANNEX_STYLE, ("FONTSIZE", (0, 0), (-1, 0), 9)]))
        self.flow.append(table)

    def _grid(self, rows: list[list[Any]], widths: list[float]) -> None:
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle([*ANNEX_STYLE, ("FONTSIZE", (0, 0), (-1, -1), 8.5)]))
        self.flow.append(table)

    def do_attendance_table(self, _: str, __: list[str]) -> None:
        rows: list[list[Any]] = [["No", "Nama / NIP", "Kedudukan"]]
        for i, p in enumerate(self.snapshot["attendees"], start=1):
            rows.append([str(i), self.p(f"{p['name']} — NIP {p['nip']}", "cell"), p["role"]])
        self._grid(rows, [1 * cm, 10 * cm, 4 * cm])

    def do_recommendation_table(self, _: str, __: list[str]) -> None:
        rows: list[list[Any]] = [
            ["No", "Nama / NIP", "Jabatan asal", "Jabatan tujuan", "Rekomendasi", "Alasan"]
        ]
        for i, item in enumerate(self.snapshot["items"], start=1):
            rows.append(
                [
                    str(i),
                    self.p(f"{item['name']} — NIP {item['nip']}", "cell"),
                    self.p(item["origin"], "cell"),
                    self.p(item["destination"], "cell"),
                    item["recommendation_text"],
                    self.p(item["reason"], "cell"),
                ]
            )
        self._grid(rows, [0.8 * cm, 3.8 * cm, 3.4 * cm, 3.4 * cm, 2 * cm, 3.6 * cm])

    def do_chair(self, _: str, __: list[str]) -> None:
        """The chair's block: approved in the application, which is what it says (no
        certificate signed the minutes)."""
        snap, chair = self.snapshot, self.snapshot["chair"]
        lines = [f"{snap['seat']}, {snap['held_on_text']}", "Ketua,", ""]
        lines += ["disahkan melalui aplikasi Mutasi", "", chair["name"], f"NIP {chair['nip']}"]
        self.flow += [Spacer(1, 0.6 * cm), KeepTogether(self._right(lines))]


def render_pdf(snapshot: dict[str, Any], text: str, arms: bytes | None = None) -> bytes:
    """The decree's PDF from its snapshot and its template's text; deterministic."""
    builder = _Builder(snapshot, arms)
    for name, argument, lines in parse(text):
        builder.block(name, argument, lines)
    if snapshot.get("status_mark"):
        builder.flow.insert(0, builder.p(snapshot["status_mark"], "center"))
    buffer = io.BytesIO()
    pdf = BaseDocTemplate(
        buffer,
        pagesize=A4,
        title=f"SK {snapshot['number']}",
        author=snapshot["office"],
        subject=snapshot.get("subject", "Keputusan pemindahan dan penempatan ASN"),
        leftMargin=2.5 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        invariant=1,
    )
    wide = landscape(A4)
    pdf.addPageTemplates(
        [
            PageTemplate(
                "portrait",
                [Frame(pdf.leftMargin, pdf.bottomMargin, pdf.width, pdf.height)],
                pagesize=A4,
            ),
            PageTemplate(
                "annex", [Frame(2 * cm, 2 * cm, wide[0] - 4 * cm, wide[1] - 4 * cm)], pagesize=wide
            ),
        ]
    )
    pdf.build(builder.flow)
    return buffer.getvalue()

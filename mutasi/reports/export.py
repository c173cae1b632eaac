"""The cycle report as files HR can hand on: an XLSX workbook (with a chart of workload per
unit before/after) and a PDF."""

from __future__ import annotations

import io
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from xlsxwriter.worksheet import Worksheet

from mutasi.infra.safe_text import pdf_text
from mutasi.infra.safe_text import workbook as text_workbook

CHART_UNITS = 25


def summary_rows(report: dict[str, Any]) -> list[tuple[str, Any]]:
    cases = report.get("cases", {})
    return [
        ("Siklus", f"{report['cycle']['id']} — {report['cycle']['name']}"),
        ("Status", report["cycle"]["status"]),
        ("Usulan mutasi", report["moves"]),
        ("Ketimpangan sebelum (%)", round(100 * report["imbalance_before"], 2)),
        ("Ketimpangan sesudah (%)", round(100 * report["imbalance_after"], 2)),
        ("Kasus", cases.get("cases", 0)),
        *[(f"Konsultasi: {k}", v) for k, v in cases.get("consultation", {}).items()],
        *[(f"Jenis mutasi: {k}", v) for k, v in cases.get("by_type", {}).items()],
        ("Evaluasi pascamutasi terkirim", cases.get("evaluations", {}).get("submitted", 0)),
        ("Rata-rata adaptasi", cases.get("evaluations", {}).get("adaptation_mean")),
        ("Kasus tidak dibuka (pegawai masih dalam mutasi lain)", len(cases.get("blocked", []))),
        ("Mutasi dengan override aturan", len(report.get("overrides", []))),
        (
            "Pegawai melewati batas 5 tahun di jabatannya",
            sum(u["employees"] for u in report.get("rotation_overdue", [])),
        ),
        *[
            (f"Override {o['nip']}: {', '.join(o['rules'])}", o["reason"])
            for o in report.get("overrides", [])
        ],
        *policy_rows(report["cycle"].get("case_policy") or {}),
    ]


POLICY_TEXT = {
    "consultation_days": "Aturan kasus: hari konsultasi",
    "silence_rule": "Aturan kasus: tanpa tanggapan",
    "training_blocks_approval": "Aturan kasus: persetujuan menunggu pelatihan",
    "training_due_days": "Aturan kasus: hari penyelesaian pelatihan",
    "tmt_rule": "Aturan kasus: TMT",
    "tmt_min_days_after_decree": "Aturan kasus: jarak minimal SK ke TMT (hari)",
    "evaluation_days": "Aturan kasus: evaluasi pascamutasi setelah TMT (hari)",
    "evaluation_deadline_days": "Aturan kasus: hari mengisi evaluasi",
    "decree_mode": "Aturan kasus: surat keputusan",
    "spmt_days": "Aturan kasus: hari konfirmasi SPMT setelah TMT",
}
POLICY_VALUES = {
    "deemed_accepted": "dianggap menerima",
    "route_to_hr": "diteruskan ke HR",
    "next_month": "awal bulan berikutnya setelah SK",
    "decree_date": "tanggal SK",
    "collective": "SK kolektif per batch, petikan per pegawai",
    "individual": "SK per kasus",
    True: "ya",
    False: "tidak",
}


def policy_rows(policy: dict[str, Any]) -> list[tuple[str, Any]]:
    return [
        (POLICY_TEXT[k], POLICY_VALUES.get(v, v) if isinstance(v, str | bool) else v)
        for k, v in policy.items()
        if k in POLICY_TEXT
    ]


def changed_units(report: dict[str, Any]) -> list[dict[str, Any]]:
    units = [u for u in report["units"] if u["moves_in"] or u["moves_out"]]
    return sorted(units, key=lambda u: -abs((u["ej_after"] or 0) - (u["ej_before"] or 0)))


def report_xlsx(report: dict[str, Any]) -> bytes:
    out = io.BytesIO()
    book = text_workbook(out)
    bold = book.add_format({"bold": True, "bg_color": "#E8F1F8"})

    def sheet(name: str, header: list[str], rows: list[list[Any]]) -> Worksheet:
        ws = book.add_worksheet(name)
        ws.write_row(0, 0, header, bold)
        for i, row in enumerate(rows, start=1):
            ws.write_row(i, 0, row)
        ws.set_column(0, len(header) - 1, 18)
        return ws

    sheet("ringkasan", ["Butir", "Nilai"], [list(r) for r in summary_rows(report)])
    units = report["units"]
    ws = sheet(
        "unit",
        [
            "Kode",
            "Unit",
            "Pegawai sebelum",
            "Pegawai sesudah",
            "Kebutuhan",
            "EJ sebelum",
            "EJ sesudah",
            "Kelas sebelum",
            "Kelas sesudah",
            "Masuk",
            "Keluar",
        ],
        [
            [
                u["unit"],
                u["name"],
                u["staff_before"],
                u["staff_after"],
                u["required"],
                u["ej_before"],
                u["ej_after"],
                u["grade_before"],
                u["grade_after"],
                u["moves_in"],
                u["moves_out"],
            ]
            for u in units
        ],
    )
    chart = book.add_chart({"type": "bar"})
    last = min(len(units), CHART_UNITS)
    for col, name, color in ((5, "EJ sebelum", "#9AA9BA"), (6, "EJ sesudah", "#0B5D8F")):
        chart.add_series(
            {
                "name": name,
                "categories": ["unit", 1, 1, last, 1],
                "values": ["unit", 1, col, last, col],
                "fill": {"color": color},
            }
        )
    chart.set_title({"name": "Beban kerja per unit: sebelum dan sesudah"})
    chart.set_size({"width": 900, "height": 40 + 22 * last})
    ws.insert_chart("M2", chart)
    sheet(
        "mutasi_per_golongan",
        ["Pangkat/Gol", "Jumlah"],
        [[k, v] for k, v in report["moves_by_rank"].items()],
    )
    cases = report.get("cases", {})
    sheet(
        "durasi_persetujuan",
        ["Langkah", "Jabatan", "Keputusan", "Median (jam)", "P90 (jam)"],
        [
            [d["step"], d["title"], d["decisions"], d["median"], d["p90"]]
            for d in cases.get("approval_hours", [])
        ],
    )
    sheet(
        "keberatan",
        ["Kasus", "NIP", "Alasan", "Keputusan HR", "Alasan HR"],
        [
            [o["case_id"], o["nip"], o["reason"], o["hr_resolution"], o["hr_reason"]]
            for o in cases.get("objections", [])
        ],
    )
    sheet(
        "penolakan",
        ["Kasus", "Langkah", "Oleh", "Alasan"],
        [[r["case_id"], r["step"], r["by"], r["reason"]] for r in cases.get("rejections", [])],
    )
    evaluations = cases.get("evaluations", {})
    sheet(
        "evaluasi",
        ["Indikator", "Rata-rata"],
        [[k, v] for k, v in evaluations.get("indicator_means", {}).items()]
        + [["adaptasi", evaluations.get("adaptation_mean")]],
    )
    book.close()
    return out.getvalue()


def _chart(units: list[dict[str, Any]]) -> Drawing:
    units = units[:CHART_UNITS]
    height = 30 + 16 * len(units)
    drawing = Drawing(16 * cm, height)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 6 * cm, 15, 9.5 * cm, height - 25
    chart.data = [[u["ej_before"] or 0 for u in units], [u["ej_after"] or 0 for u in units]]
    chart.categoryAxis.categoryNames = [u["name"][:34] for u in units]
    chart.categoryAxis.labels.fontSize = 6
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = colors.HexColor("#9AA9BA")
    chart.bars[1].fillColor = colors.HexColor("#0B5D8F")
    drawing.add(chart)
    return drawing


def report_pdf(report: dict[str, Any]) -> bytes:
    st = getSampleStyleSheet()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=f"Laporan siklus {report['cycle']['id']}",
        leftMargin=2 * cm,
        rightMargin=2 * cm,
    )
    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("FONTSIZE", (0, 0), (-1, -1), 8),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8F1F8")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )

    def table(rows: list[list[Any]]) -> Table:
        # Stored text (reasons, names) is escaped: markup in it is printed, never laid out.
        t = Table(
            [
                [
                    Paragraph(pdf_text(c), st["BodyText"])
                    if isinstance(c, str) and len(c) > 40
                    else c
                    for c in row
                ]
                for row in rows
            ],
            repeatRows=1,
        )
        t.setStyle(grid)
        return t

    units = changed_units(report)
    cases = report.get("cases", {})
    title = "Laporan Siklus Mutasi " + str(report["cycle"]["id"])
    flow = [
        Paragraph(pdf_text(title), st["Title"]),
        table([["Butir", "Nilai"], *[list(r) for r in summary_rows(report)]]),
        Spacer(1, 0.5 * cm),
        Paragraph(
            "Beban kerja per unit (EJ): sebelum (abu-abu) dan sesudah (biru)", st["Heading2"]
        ),
        _chart(units) if units else Paragraph("Tidak ada unit yang berubah.", st["BodyText"]),
        Spacer(1, 0.3 * cm),
        table(
            [
                ["Unit", "Pegawai", "EJ sebelum", "EJ sesudah", "Masuk", "Keluar"],
                *[
                    [
                        u["name"][:40],
                        f"{u['staff_before']} → {u['staff_after']}",
                        u["ej_before"],
                        u["ej_after"],
                        u["moves_in"],
                        u["moves_out"],
                    ]
                    for u in units
                ],
            ]
        ),
        Paragraph("Durasi persetujuan per langkah (jam)", st["Heading2"]),
        table(
            [
                ["Langkah", "Jabatan", "Keputusan", "Median", "P90"],
                *[
                    [d["step"], d["title"], d["decisions"], d["median"], d["p90"]]
                    for d in cases.get("approval_hours", [])
                ],
            ]
        ),
        Paragraph("Keberatan dan penolakan", st["Heading2"]),
        table(
            [
                ["Kasus", "Jenis", "Alasan"],
                *[
                    [o["case_id"], "keberatan", o["reason"] or "-"]
                    for o in cases.get("objections", [])
                ],
                *[
                    [r["case_id"], f"ditolak: {r['step']}", r["reason"] or "-"]
                    for r in cases.get("rejections", [])
                ],
            ]
        ),
    ]
    doc.build(flow)
    return out.getvalue()

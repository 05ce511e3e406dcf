"""The situation report as PDF (A4, Bahasa Indonesia) and XLSX, from one set of tables.

``tables`` lays the numbers out once as titled tables; the PDF prints them one under the other,
the workbook gives each its own sheet, so that both always show the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from pamtps.planner.outputs.pdf import HEAD, HEADING, MARGIN, SUBTITLE, TITLE, grid, para
from pamtps.service.field.times import utc
from pamtps.service.sitrep.report import CLOSED, OPEN, Sitrep

Cell = str | int
COVERAGE = {
    "guarded": "Terjaga (petugas hadir)",
    "not_yet": "Belum hadir",
    "alert": "Peringatan (belum terjaga)",
    "no_post": "Tanpa pos",
}
ESCORTS = {
    "counted": "Penghitungan selesai",
    "pps_complete": "Diserahkan ke PPS",
    "ppk_complete": "Diserahkan ke PPK",
    "pending": "Pengawalan belum selesai",
    "overdue": "Terlambat (peringatan terbuka)",
}
STATUS = {
    "available": "siaga",
    "dispatched": "diberangkatkan",
    "on_scene": "di lokasi",
    "returning": "kembali",
}


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    header: list[str]
    rows: list[list[Cell]]


def tables(report: Sitrep) -> list[Table]:
    """The report's tables, in print order."""
    totals = report.totals
    pairs: list[tuple[str, int]] = [
        ("Jumlah TPS", totals["tps"]),
        *[(label, report.coverage.get(key, 0)) for key, label in COVERAGE.items()],
        ("Kejadian terbuka", totals["incidents_open"]),
        ("Kejadian selesai", totals["incidents_closed"]),
        ("Personel cadangan", totals["reserve_officers"]),
        ("Cadangan dikerahkan (personel)", totals["reserve_committed"]),
        ("Satuan cadangan dikerahkan", totals["units_committed"]),
        *[(label, report.escorts.get(key, 0)) for key, label in ESCORTS.items()],
    ]
    summary: list[list[Cell]] = [[label, n] for label, n in pairs]
    return [
        Table("Ringkasan", "Ringkasan", ["Uraian", "Jumlah"], summary),
        Table(
            "Kategori",
            "Kejadian per kategori",
            ["Kategori", "Terbuka", "Selesai"],
            [[k, v[OPEN], v[CLOSED]] for k, v in report.incidents_by_category.items()],
        ),
        Table(
            "Sektor",
            "Kejadian per sektor (Polsek)",
            ["Sektor", "Terbuka", "Selesai"],
            [[k, v[OPEN], v[CLOSED]] for k, v in report.incidents_by_sector.items()],
        ),
        Table(
            "Kejadian terbuka",
            "Kejadian terbuka",
            ["No", "TPS", "Kategori", "Tingkat", "Status", "Sektor", "Dilaporkan"],
            [
                [
                    i,
                    e["tps_code"],
                    e["category"],
                    e["severity"],
                    e["status"],
                    e["sector"],
                    e["reported_at"][:16],
                ]
                for i, e in enumerate(report.open_incidents, 1)
            ],
        ),
        Table(
            "Cadangan",
            "Satuan cadangan",
            ["Satuan", "Nama", "Pangkalan", "Personel", "Status"],
            [
                [
                    u["code"],
                    u["name"],
                    u["station"],
                    u["officers"],
                    STATUS.get(u["status"], u["status"]),
                ]
                for u in report.reserve_units
            ],
        ),
    ]


def _heading(report: Sitrep) -> tuple[str, str]:
    return "LAPORAN SITUASI", f"{report.operation} - per {utc(report.at):%d-%m-%Y %H:%M} UTC"


def write_pdf(report: Sitrep, path: Path) -> Path:
    """The report as an A4 PDF."""
    width = A4[0] - 2 * MARGIN
    title, subtitle = _heading(report)
    story: list = [para(title, TITLE), para(subtitle, SUBTITLE)]
    for table in tables(report):
        story.append(para(table.title, HEADING))
        if not table.rows:
            story.append(para("Nihil."))
            continue
        rows = [[para(h, HEAD) for h in table.header]]
        rows += [[para(cell) for cell in row] for row in table.rows]
        story += [grid(rows, [width / len(table.header)] * len(table.header)), Spacer(1, 3 * mm)]
    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
    )
    doc.build(story)
    return path


def write_xlsx(report: Sitrep, path: Path) -> Path:
    """The report as a workbook, one sheet per table."""
    book = Workbook()
    book.remove(book.active)
    title, subtitle = _heading(report)
    grey = PatternFill("solid", fgColor="D9D9D9")
    for table in tables(report):
        sheet = book.create_sheet(table.name[:31])
        sheet.append([title])
        sheet.append([subtitle])
        sheet.append(table.header)
        for cell in sheet[3]:
            cell.font, cell.fill = Font(bold=True), grey
        for row in table.rows:
            sheet.append(row)
        sheet["A1"].font = Font(bold=True, size=12)
        for column in "ABCDEFG":
            sheet.column_dimensions[column].width = 24
    book.save(path)
    return path

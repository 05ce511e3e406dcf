"""The situation report as PDF (A4, Bahasa Indonesia) and XLSX, from one set of tables.

``tables`` lays the numbers out once as titled tables; the PDF prints them one under the other,
the workbook gives each its own sheet, so that both always show the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from pamtps.documents.pdf import HEAD, HEADING, MARGIN, SUBTITLE, TITLE, grid, para
from pamtps.domain.clock import utc
from pamtps.domain.sitrep import CLOSED, LISTED, OPEN, Sitrep
from pamtps.i18n import t

Cell = str | int
WIDTHS = {"No": 0.45, "Kejadian": 0.75, "TPS": 1.9, "Uraian": 3.0, "Nama": 1.6}
LANGUAGE = "id"  # a report the Polres prints and files: in Bahasa Indonesia
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


def _word(kind: str, code: str) -> str:
    """The Indonesian name of an incident category, severity or status (the code if none)."""
    key = f"incident.{kind}.{code}"
    text = t(key, LANGUAGE)
    return code if text == key else text


def _local(report: Sitrep, iso: str | None, with_date: bool = False) -> str:
    """An ISO moment as the operation's wall clock: '14:05', or '14-02 14:05'."""
    if not iso:
        return "-"
    moment = datetime.fromisoformat(iso) + timedelta(hours=report.utc_offset_h)
    return f"{moment:%d-%m %H:%M}" if with_date else f"{moment:%H:%M}"


def _incident_table(report: Sitrep, name: str, listed: list[dict[str, Any]], closed: bool) -> Table:
    names = report.names
    header = ["No", "Kejadian", "TPS", "Kategori", "Tingkat", "Status", "Sektor", "Dilaporkan"]
    if closed:
        header += ["Penanggung jawab", "Ditutup"]
    rows: list[list[Cell]] = []
    for i, e in enumerate(listed, 1):
        row: list[Cell] = [
            i,
            f"#{e['id']}",
            f"{names.get(e['tps_code'], e['tps_code'])} ({e['tps_code']})",
            _word("category", e["category"]),
            _word("severity", e["severity"]),
            _word("status", e["status"]),
            names.get(e["sector"], e["sector"]),
            _local(report, e["reported_at"], with_date=True),
        ]
        if closed:
            row += [e["owner"] or "-", _local(report, e["closed_at"], with_date=True)]
        rows.append(row)
    title = f"{name} ({len(listed)}" + (f", {LISTED} terbaru" if len(listed) >= LISTED else "")
    return Table(name, title + ")", header, rows)


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
    names = report.names
    return [
        Table("Ringkasan", "Ringkasan", ["Uraian", "Jumlah"], summary),
        Table(
            "Kategori",
            "Kejadian per kategori",
            ["Kategori", "Terbuka", "Selesai"],
            [
                [_word("category", k), v[OPEN], v[CLOSED]]
                for k, v in report.incidents_by_category.items()
            ],
        ),
        Table(
            "Sektor",
            "Kejadian per sektor (Polsek)",
            ["Sektor", "Terbuka", "Selesai"],
            [[names.get(k, k), v[OPEN], v[CLOSED]] for k, v in report.incidents_by_sector.items()],
        ),
        _incident_table(report, "Kejadian terbuka", report.open_incidents, closed=False),
        _incident_table(report, "Kejadian selesai", report.closed_incidents, closed=True),
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
    moment = utc(report.at) + timedelta(hours=report.utc_offset_h)
    return "LAPORAN SITUASI", f"{report.operation} - per {moment:%d-%m-%Y %H:%M} {report.zone}"


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
        weights = [WIDTHS.get(h, 1.0) for h in table.header]
        widths = [width * w / sum(weights) for w in weights]
        story += [grid(rows, widths), Spacer(1, 3 * mm)]
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
        for column in "ABCDEFGHIJ":
            sheet.column_dimensions[column].width = 24
    book.save(path)
    return path

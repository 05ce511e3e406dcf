"""The Sprint attachment as one printable workbook: Rekap, a sheet per Polsek, Padal, Cadangan."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pamtps.documents.sheets import Sheet, attachment, lampiran, subtitle
from pamtps.documents.view import PlanView
from pamtps.domain.plan import Plan, Scenario

MM_PER_CHAR = 1.9  # an Excel width unit is about one digit of the default font
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="D9D9D9")
_FONT = Font(name="Arial", size=9)
_BOLD = Font(name="Arial", size=9, bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_RIGHT = Alignment(horizontal="right", vertical="top")


def write_sprint_xlsx(plan: Plan, scenario: Scenario, path: str | Path) -> Path:
    """Write the Sprint attachment workbook; returns the path written."""
    view = PlanView(plan, scenario)
    book = Workbook()
    book.remove(book.active)
    title, pairs = lampiran(view)
    heading = [title, *(f"{key} : {value}" for key, value in pairs)]
    for sheet in attachment(view):
        _write_sheet(book.create_sheet(_tab_name(sheet.name)), sheet, heading, subtitle(view))
    book.properties.title = heading[0]
    book.properties.creator = "PamTPS"
    path = Path(path)
    book.save(path)
    return path


def _write_sheet(ws: Worksheet, sheet: Sheet, heading: list[str], sub: str) -> None:
    width = len(sheet.columns)
    last = get_column_letter(width)
    for row, text in enumerate(heading, start=1):
        ws.cell(row, 1, text).font = _BOLD
    for row, text in ((5, sheet.title), (6, sub)):
        ws.merge_cells(f"A{row}:{last}{row}")
        cell = ws.cell(row, 1, text)
        cell.font = Font(name="Arial", size=11 if row == 5 else 9, bold=row == 5)
        cell.alignment = Alignment(horizontal="center")
    header_row = 8
    for col, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(header_row, col, column.title)
        cell.font, cell.fill, cell.border = _BOLD, _HEAD_FILL, _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = round(column.width_mm / MM_PER_CHAR, 1)
    for r, values in enumerate(sheet.rows, start=header_row + 1):
        total = sheet.total_row and r == header_row + len(sheet.rows)
        for col, (column, value) in enumerate(zip(sheet.columns, values, strict=True), start=1):
            cell = ws.cell(r, col, value)
            cell.font = _BOLD if total else _FONT
            cell.border = _BORDER
            cell.alignment = _RIGHT if column.number else _WRAP
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    if sheet.rows:
        ws.auto_filter.ref = f"A{header_row}:{last}{header_row + len(sheet.rows)}"
    _page_setup(ws)


def _page_setup(ws: Worksheet) -> None:
    """Landscape A4, fitted to one page wide, page numbers in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "Halaman &P dari &N"
    ws.oddFooter.right.text = "&A"


def _tab_name(name: str) -> str:
    """A legal, at most 31-character worksheet name."""
    for char in "[]:*?/\\":
        name = name.replace(char, " ")
    return name[:31]

"""The Polda's *Sprint BKO*: who lends what to which Polres, as a printable A4 PDF and a workbook.

Drawn from a Polda run's summary (``ringkasan-polda.json``, plain JSON: what ``pamtps plan
--polda CODE --json`` prints), so it needs neither the planner nor the allocation. Two tables:
the Polda's pool (prepared, kept in reserve, lent, not lent) and the placement by Polres with
each plan's coverage. Numbers are written as an Indonesian reader writes them (2.163).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pamtps.i18n import number_text, t

FORCES = ("bko_polri", "brimob", "tni")
COLUMNS = (  # key, catalogue key, PDF width (mm)
    ("no", "", 8), ("polres_code", "polda.col.code", 13), ("polres_name", "polda.col.polres", 52),
    ("tps", "polda.col.tps", 16), ("rawan", "polda.col.rawan", 15),
    ("officers_own", "polda.col.own", 22), ("need", "polda.col.need", 20),
    ("bko_polri", "polda.col.bko", 17), ("brimob", "polda.col.brimob", 22),
    ("tni", "polda.col.tni", 14), ("received", "polda.col.received", 18),
    ("rawan_short", "polda.col.rawan_short", 24), ("shortfall", "polda.col.shortfall", 22),
)
Row = list[str]


def _n(value: float, lang: str) -> str:
    return number_text(value, lang)


def pool_rows(summary: dict[str, Any], lang: str = "id") -> list[Row]:
    """The pool table: per force, prepared, kept, lent, not lent (persons)."""
    head = [t("polda.sprint.force", lang), t("polda.sprint.pool", lang),
            t("polda.sprint.kept", lang, share=_share(summary, lang)), t("polda.sprint.lent", lang),
            t("polda.sprint.not_lent", lang)]
    rows = [head]
    for force in FORCES:
        rows.append([t(f"polda.col.{'bko' if force == 'bko_polri' else force}", lang),
                     *(_n(summary[part][force], lang)
                       for part in ("pool", "kept_in_reserve", "lent", "not_lent"))])
    rows.append([t("polda.total", lang), *(_n(sum(summary[part][f] for f in FORCES), lang)
                                          for part in ("pool", "kept_in_reserve", "lent",
                                                       "not_lent"))])
    return rows


def _share(summary: dict[str, Any], lang: str) -> str:
    from fractions import Fraction

    return _n(float(Fraction(summary["pool"]["reserve_share"]) * 100), lang) + " %"


def allocation_rows(summary: dict[str, Any], lang: str = "id") -> list[Row]:
    """The placement table: a row per Polres, then the totals."""
    rows = [[t(key, lang) if key else "No" for _, key, _ in COLUMNS]]
    sums: dict[str, int] = {}
    for number, polres in enumerate(summary["polres"], start=1):
        values = {**polres, "no": number, "need": polres["need"]["rawan"] + polres["need"]["safe"],
                  "received": sum(polres[f] for f in FORCES)}
        for key, _, _ in COLUMNS[3:]:
            sums[key] = sums.get(key, 0) + values[key]
        rows.append([_cell(key, values, lang) for key, _, _ in COLUMNS])
    rows.append(["", "", t("polda.total", lang),
                 *(_n(sums.get(key, 0), lang) for key, _, _ in COLUMNS[3:])])
    return rows


def _cell(key: str, values: dict[str, Any], lang: str) -> str:
    value = values[key]
    if key == "brimob" and value:
        platoons = t("polda.sprint.platoons", lang, count=values["brimob_platoons"])
        return f"{_n(value, lang)} ({platoons})"
    return _n(value, lang) if isinstance(value, int) and key != "polres_code" else str(value)


def title_lines(summary: dict[str, Any], lang: str = "id") -> tuple[str, str]:
    return (t("polda.sprint.title", lang),
            t("polda.sprint.subtitle", lang, operation=summary["operation"],
              code=summary["polda"]))


def synthetic(summary: dict[str, Any]) -> bool:
    return any(p["synthetic_roster"] for p in summary["polres"])


def write_sprint_bko_xlsx(summary: dict[str, Any], path: Path, lang: str = "id") -> Path:
    """The workbook: one sheet, the pool table then the placement table, set for A4 landscape."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = t("polda.sprint.sheet", lang)
    title, subtitle = title_lines(summary, lang)
    sheet.append([title])
    sheet.append([subtitle])
    sheet["A1"].font = Font(bold=True, size=12)
    if synthetic(summary):
        sheet.append([t("polda.sprint.synthetic", lang)])
    for caption, rows in ((t("polda.sprint.pool_table", lang), pool_rows(summary, lang)),
                          (t("polda.sprint.allocation_table", lang),
                           allocation_rows(summary, lang))):
        sheet.append([])
        sheet.append([caption])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        for index, row in enumerate(rows):
            sheet.append(row)
            if index == 0 or index == len(rows) - 1:
                for cell in sheet[sheet.max_row]:
                    cell.font = Font(bold=True)
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.append([])
    sheet.append([t("polda.sprint.short_note", lang)])
    for column, (_, _, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[chr(64 + column)].width = max(width / 1.9, 6)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    book.properties.title = title
    book.properties.creator = "PamTPS"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def write_sprint_bko_pdf(summary: dict[str, Any], path: Path, lang: str = "id") -> Path:
    """The PDF: A4 landscape, the two tables with the totals, the header on every page."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    from pamtps.documents import pdf

    title, subtitle = title_lines(summary, lang)
    bold_last = [("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold")]

    def table(rows: list[Row], widths: list[float], numbers_from: int) -> Any:
        body = [[pdf.para(c, pdf.HEAD) for c in rows[0]]]
        body += [[pdf.para(c, pdf.CELL_RIGHT if i >= numbers_from else pdf.CELL)
                  for i, c in enumerate(row)] for row in rows[1:]]
        return pdf.grid(body, widths, extra=bold_last)

    story: list[Any] = [pdf.para(title, pdf.TITLE), pdf.para(subtitle, pdf.SUBTITLE)]
    if synthetic(summary):
        story.append(pdf.para(t("polda.sprint.synthetic", lang), pdf.BODY_BOLD))
    story += [pdf.para(t("polda.sprint.pool_table", lang), pdf.HEADING),
              table(pool_rows(summary, lang), [40 * mm, 40 * mm, 45 * mm, 40 * mm, 70 * mm], 1),
              Spacer(1, 4 * mm),
              pdf.para(t("polda.sprint.allocation_table", lang), pdf.HEADING),
              table(allocation_rows(summary, lang), [w * mm for _, _, w in COLUMNS], 3),
              Spacer(1, 2 * mm), pdf.para(t("polda.sprint.short_note", lang), pdf.SMALL)]
    return pdf.build(path, story, landscape(A4), title=title, header=subtitle,
                     footer=f"PamTPS - {subtitle}")

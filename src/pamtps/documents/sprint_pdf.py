"""The Sprint attachment as a PDF: A4 landscape, one section per Polsek, ready to sign."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Table, TableStyle

from pamtps.documents import pdf
from pamtps.documents.sheets import Sheet, attachment, lampiran, subtitle
from pamtps.documents.view import PlanView
from pamtps.domain.plan import Plan, Scenario

PAGE = landscape(A4)
WIDTH = PAGE[0] - 2 * pdf.MARGIN


def write_sprint_pdf(
    plan: Plan, scenario: Scenario, path: str | Path, sector: str | None = None
) -> Path:
    """Write the attachment (or one sector's part of it, by Polsek unit code); returns the path."""
    view = PlanView(plan, scenario)
    story: list[Flowable] = []
    for sheet in attachment(view, sector):
        if story:
            story.append(PageBreak())
        story += _section(view, sheet)
    title = lampiran(view)[0]
    return pdf.build(
        path, story, PAGE, title=title, header=title.title(), footer=pdf.footer_text(view)
    )


def _section(view: PlanView, sheet: Sheet) -> list[Flowable]:
    title, pairs = lampiran(view)
    block = Table(
        [[[pdf.para(title, pdf.SMALL), pdf.key_values(pairs, (18 * mm, 77 * mm), pdf.SMALL)]]],
        colWidths=[95 * mm],
        hAlign="RIGHT",
    )
    block.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, -1), (-1, -1), 0.6, pdf.LINE),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return [
        pdf.Section(sheet.name),
        block,
        pdf.para(sheet.title, pdf.TITLE),
        pdf.para(subtitle(view), pdf.SUBTITLE),
        pdf.WithTail(_table(sheet), pdf.signature_block(view, WIDTH)),
    ]


def _table(sheet: Sheet) -> Table:
    """The sheet's rows; a post's own cells print once and its rows never part across pages."""
    scale = WIDTH / (sum(c.width_mm for c in sheet.columns) * mm)
    widths = [c.width_mm * mm * scale for c in sheet.columns]
    rows: list[list[Any]] = [[pdf.para(c.title, pdf.HEAD) for c in sheet.columns]]
    style: list[tuple[Any, ...]] = []
    start = 1
    groups = zip(sheet.rows, sheet.group_starts, strict=True)
    for index, (values, starts) in enumerate(groups, start=1):
        cells = []
        for column, value in zip(sheet.columns, values, strict=True):
            shown = "" if column.group and not starts else value
            cells.append(pdf.para(shown, pdf.CELL_RIGHT if column.number else pdf.CELL))
        rows.append(cells)
        if starts:
            start = index
        else:
            # No rule between a post's rows in its own columns; keep its rows on one page.
            for col, column in enumerate(sheet.columns):
                if column.group:
                    style.append(("LINEABOVE", (col, index), (col, index), 0.4, colors.white))
            style.append(("NOSPLIT", (0, start), (-1, index)))
    if sheet.total_row:
        last = len(rows) - 1
        rows[last] = [
            pdf.para(v, pdf.CELL_BOLD_RIGHT if c.number else pdf.CELL_BOLD)
            for c, v in zip(sheet.columns, sheet.rows[-1], strict=True)
        ]
        style.append(("BACKGROUND", (0, last), (-1, last), pdf.GREY))
    return pdf.grid(rows, widths, extra=style)

"""What the PDF writers share: styles, cells, the page frame with its footer, the signature block.

Pages carry a running header (the document and section it belongs to, since printed pages get
handed out separately) and "Halaman x dari y", counted once the whole document is laid out.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from pamtps.documents.view import PlanView

MARGIN = 12 * mm
GREY = colors.HexColor("#D9D9D9")
LINE = colors.HexColor("#808080")


def _style(name: str, size: float, bold: bool = False, **kwargs: Any) -> ParagraphStyle:
    font = "Helvetica-Bold" if bold else "Helvetica"
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.22, **kwargs)


CELL = _style("cell", 7)
CELL_BOLD = _style("cell-bold", 7, bold=True)
CELL_RIGHT = _style("cell-right", 7, alignment=TA_RIGHT)
CELL_BOLD_RIGHT = _style("cell-bold-right", 7, bold=True, alignment=TA_RIGHT)
HEAD = _style("head", 7, bold=True, alignment=TA_CENTER)
BODY = _style("body", 9)
BODY_BOLD = _style("body-bold", 9, bold=True)
BODY_CENTER = _style("body-center", 9, bold=True, alignment=TA_CENTER)
SMALL = _style("small", 7.5)
HEADING = _style("heading", 9.5, bold=True, spaceBefore=5, spaceAfter=2)
TITLE = _style("title", 11, bold=True, alignment=TA_CENTER, spaceAfter=2)
SUBTITLE = _style("subtitle", 8.5, alignment=TA_CENTER, spaceAfter=6)


def para(text: object, style: ParagraphStyle = CELL) -> Paragraph:
    """A paragraph of plain text (escaped; line breaks kept)."""
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def grid(
    rows: list[list[Any]],
    widths: Sequence[float],
    *,
    header: bool = True,
    extra: Sequence[tuple[Any, ...]] = (),
) -> Table:
    """A bordered table of cells, its first row a grey repeated header when ``header``."""
    table = Table(rows, colWidths=list(widths), repeatRows=1 if header else 0)
    style: list[tuple[Any, ...]] = [
        ("BOX", (0, 0), (-1, -1), 0.6, LINE),
        ("INNERGRID", (0, 0), (-1, -1), 0.3, LINE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if header:
        style += [("BACKGROUND", (0, 0), (-1, 0), GREY), ("VALIGN", (0, 0), (-1, 0), "MIDDLE")]
    table.setStyle(TableStyle(style + list(extra)))
    return table


def key_values(
    pairs: Sequence[tuple[str, str]], widths: tuple[float, float], style: ParagraphStyle = BODY
) -> Table:
    """'Nama : ...' lines without borders, the colons aligned."""
    rows = [[para(key, style), para(f": {value}", style)] for key, value in pairs]
    table = Table(rows, colWidths=list(widths), hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def signature_block(view: PlanView, width: float) -> Flowable:
    """The Kapolres' signature with room to sign; his name and NRP when the roster has him."""
    kapolres = view.kapolres
    name = kapolres.name.upper() if kapolres else "." * 40
    rank = f"{kapolres.rank.name.upper()} NRP {kapolres.nrp}" if kapolres else "NRP " + "." * 20
    lines: list[Flowable] = [
        para(f"KEPALA KEPOLISIAN RESOR {view.regency_name.upper()}", BODY_BOLD),
        Spacer(1, 18 * mm),
        Paragraph(f"<u>{escape(name)}</u>", BODY_BOLD),
        para(rank, BODY),
    ]
    block = Table([[None, lines]], colWidths=[width - 95 * mm, 95 * mm])
    block.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 5 * mm)])
    )
    return block


class WithTail(Flowable):
    """A table and a block under it (a signature) that must not stand alone on a page.

    Where the block would not fit under the table's last rows, the table is cut higher up, so
    that some of its rows (with the repeated header) go over to the next page with the block.
    """

    def __init__(self, table: Table, tail: Flowable) -> None:
        super().__init__()
        self.table = table
        self.tail = tail

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, table_height = self.table.wrap(available_width, available_height)
        self.tail_height = self.tail.wrap(available_width, available_height)[1]
        self.height = table_height + self.tail_height
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        table_height = self.table.wrap(available_width, available_height)[1]
        tail_height = self.tail.wrap(available_width, available_height)[1]
        room = (
            available_height - tail_height if table_height <= available_height else available_height
        )
        parts = self.table.split(available_width, room)
        return [parts[0], WithTail(parts[1], self.tail)] if len(parts) == 2 else []

    def draw(self) -> None:
        self.table.drawOn(self.canv, 0, self.tail_height)
        self.tail.drawOn(self.canv, 0, 0)


class Section(Flowable):
    """An invisible mark: pages from here on carry ``text`` in their running header."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.width = self.height = 0

    def draw(self) -> None:
        self.canv._pamtps_section = self.text


class _NumberedCanvas(Canvas):
    """Holds every page back until the end, to write 'Halaman x dari y' on each."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.setFont("Helvetica", 7.5)
            page = f"Halaman {number} dari {total}"
            self.drawRightString(self._pagesize[0] - MARGIN, 7 * mm, page)
            super().showPage()
        super().save()


def build(
    path: str | Path,
    story: list[Flowable],
    pagesize: tuple[float, float],
    *,
    title: str,
    header: str,
    footer: str,
) -> Path:
    """Lay the story out on pages with a running header and footer; returns the path."""
    path = Path(path)
    width, height = pagesize

    def frame_page(canvas: Canvas, _doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.setFillColor(colors.HexColor("#555555"))
        section = getattr(canvas, "_pamtps_section", "")
        canvas.drawString(MARGIN, height - 7 * mm, header)
        canvas.drawRightString(width - MARGIN, height - 7 * mm, section)
        canvas.drawString(MARGIN, 7 * mm, footer)
        canvas.restoreState()

    doc = BaseDocTemplate(
        str(path),
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author="PamTPS",
    )
    frame = Frame(
        MARGIN,
        MARGIN,
        width - 2 * MARGIN,
        height - 2 * MARGIN,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate("page", [frame], onPageEnd=frame_page)])
    doc.build(story, canvasmaker=_NumberedCanvas)
    return path


def footer_text(view: PlanView) -> str:
    """The footer: operation, plan version and, for a synthetic roster, a warning."""
    text = f"{view.operation.name} - rencana versi {view.plan.version}"
    if any(officer.synthetic for officer in view.dataset.personnel):
        text += " - DATA PERSONEL SINTETIS, BUKAN NAMA SEBENARNYA"
    return text

"""The printable invite sheet: for each TPS, the codes of its KPPS chair and its Pengawas TPS.

One block per TPS (cut along the line): the TPS and its desa, then for each holder the code in
large letters and a QR code of the redeem page with the code filled in. Several TPS of one desa
fit on a page.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from urllib.parse import quote

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer, Table, TableStyle

from pamtps.documents import pdf
from pamtps.documents.orders_pdf import QrCode
from pamtps.domain.liaison import HOLDER_NAMES
from pamtps.tokens import shown

WIDTH = A4[0] - 2 * pdf.MARGIN
QR_SIZE = 34 * mm
CODE_STYLE = ParagraphStyle("liaison-code", parent=pdf.BODY_BOLD, fontSize=18, leading=22)
STEPS = (
    "Buka {url} di HP, atau pindai kode QR.",
    "Masukkan kode ini (sekali pakai). Jangan berikan kepada orang lain.",
    "Laporkan masalah di TPS; Polri tidak menerima hasil penghitungan suara.",
)


@dataclass(frozen=True)
class SheetTps:
    """One TPS on the sheet: its code and names, and its active codes by holder."""

    tps_code: str
    label: str  # "TPS 001 Sukamaju, Kec. Hulu"
    codes: dict[str, str]


def _holder_cell(holder: str, code: str, base_url: str) -> Table:
    link = f"{base_url}/liaison?code={quote(shown(code))}"
    text = [
        pdf.para(HOLDER_NAMES[holder], pdf.BODY_BOLD),
        pdf.para(shown(code), CODE_STYLE),
        Spacer(1, 2 * mm),
        *(pdf.para(step.format(url=f"{base_url}/liaison"), pdf.SMALL) for step in STEPS),
    ]
    cell = Table([[text, QrCode(link, QR_SIZE)]], colWidths=[WIDTH / 2 - QR_SIZE - 4 * mm,
                                                             QR_SIZE + 2 * mm])
    cell.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return cell


def _block(tps: SheetTps, base_url: str) -> KeepTogether:
    cells = [_holder_cell(h, tps.codes[h], base_url) for h in HOLDER_NAMES if h in tps.codes]
    while len(cells) < 2:
        cells.append(pdf.para(""))
    table = Table([[pdf.para(tps.label, pdf.HEADING), ""], cells], colWidths=[WIDTH / 2] * 2)
    table.setStyle(
        TableStyle([("SPAN", (0, 0), (1, 0)), ("BOX", (0, 0), (-1, -1), 0.6, pdf.LINE),
                    ("LINEBEFORE", (1, 1), (1, 1), 0.3, pdf.LINE),
                    ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    return KeepTogether([table, Spacer(1, 6 * mm)])


def sheet_pdf(entries: list[SheetTps], base_url: str, title: str) -> bytes:
    """The PDF of the sheet, as bytes."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=pdf.MARGIN, rightMargin=pdf.MARGIN, topMargin=pdf.MARGIN,
        bottomMargin=pdf.MARGIN, title=title, author="PamTPS",
    )
    story = [pdf.para(title, pdf.TITLE), Spacer(1, 3 * mm)]
    story += [_block(entry, base_url.rstrip("/")) for entry in entries]
    if not entries:
        story.append(pdf.para("Tidak ada kode aktif yang belum dipakai.", pdf.BODY))
    doc.build(story)
    return out.getvalue()

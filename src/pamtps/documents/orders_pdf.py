"""Order sheets: one A4 page per officer on a post, with a signed check-in QR code.

Each page tells one officer where to be, with whom, under whom and when, and the standing
orders; its QR code carries a token (see ``tokens``) that the field service checks on arrival.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import qrcode
import qrcode.constants
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle

from pamtps.documents import labels, pdf
from pamtps.documents.sheets import satuan
from pamtps.documents.view import Member, PlanView
from pamtps.domain import Officer
from pamtps.domain.plan import Duty, Plan, Post, Scenario
from pamtps.tokens import sign_token

WIDTH = A4[0] - 2 * pdf.MARGIN
QR_SIZE = 42 * mm
MAX_TPS_ROWS = 12  # a post with more TPS is listed by desa, so the order stays on one page
STANDING_ORDERS = [
    "Bersikap netral dan profesional; tidak memihak peserta pemilu mana pun.",
    "Berkoordinasi dengan KPPS dan Pengawas TPS untuk menyelesaikan masalah teknis "
    "pemungutan dan penghitungan suara.",
    "<b>DILARANG mencatat, memotret atau melaporkan perolehan suara.</b> Hasil penghitungan "
    "suara adalah wewenang KPPS; Polri tidak mengumpulkan hasil suara.",
    "Bila terjadi kerusuhan atau pembakaran surat suara: amankan penyelenggara pemilu lebih "
    "dahulu, dokumentasikan barang bukti untuk penegakan hukum, dan segera laporkan kepada "
    "Padal dan Kapolsek.",
    "Tetap berada di TPS sampai penghitungan suara selesai dan kotak suara diserahkan "
    "serta dikawal ke PPS sesuai perintah.",
]


def write_order_sheets(
    plan: Plan,
    scenario: Scenario,
    path: str | Path,
    secret: bytes,
    officers: Iterable[str] | None = None,
    *,
    expires: datetime | None = None,
) -> Path:
    """Write one order page per officer on a post (or only the NRPs in ``officers``).

    Tokens expire at ``expires``; by default at the end of the day after voting day, local
    time, since counting may run past midnight.
    """
    view = PlanView(plan, scenario)
    wanted = set(officers) if officers is not None else None
    expires = expires or _default_expiry(view)
    story: list[Flowable] = []
    for sector in view.sectors:
        for post in view.sector_posts(sector.code):
            for member in view.team(post.id):
                if wanted is None or member.officer.nrp in wanted:
                    token = sign_token(secret, member.officer.nrp, post.id, plan.version, expires)
                    if story:
                        story.append(PageBreak())
                    story += _page(view, post, member, token, expires)
    if wanted is not None:
        on_posts = {m.officer.nrp for m in view.by_duty[Duty.POST]}
        if wanted - on_posts:
            raise ValueError(f"not on a post in this plan: {', '.join(sorted(wanted - on_posts))}")
    if not story:
        raise ValueError("no officer on a post: nothing to print")
    header = f"Surat Perintah Tugas Pengamanan TPS - {view.polres_name}"
    return pdf.build(path, story, A4, title=header, header=header, footer=pdf.footer_text(view))


def _page(
    view: PlanView, post: Post, member: Member, token: str, expires: datetime
) -> list[Flowable]:
    officer = member.officer
    day = view.operation.voting_day
    return [
        pdf.Section(f"NRP {officer.nrp} - Pos {post.id}"),
        _letterhead(view),
        Paragraph("<u>SURAT PERINTAH TUGAS</u>", pdf.TITLE),
        pdf.para(f"Lembar perintah pengamanan TPS - {view.operation.name}", pdf.SUBTITLE),
        pdf.para(
            f"Dasar: Surat Perintah Kapolres {view.regency_name} Nomor: "
            f"{labels.sprint_number(day)}.",
            pdf.BODY,
        ),
        Spacer(1, 3 * mm),
        _addressee(view, post, member, token, expires),
        _heading("TPS yang diamankan"),
        _tps_table(view, post),
        _heading("Tim pos"),
        _team_table(view, post, officer),
        _heading("Pengendali"),
        pdf.key_values(_controllers(view, post), (45 * mm, WIDTH - 45 * mm)),
        _heading(f"Waktu - {labels.long_date(day)}"),
        pdf.key_values(_schedule(view), (45 * mm, WIDTH - 45 * mm)),
        _heading("Ketentuan"),
        *(Paragraph(f"{i}. {text}", pdf.BODY) for i, text in enumerate(STANDING_ORDERS, 1)),
        pdf.signature_block(view, WIDTH),
    ]


def _heading(text: str) -> Paragraph:
    return Paragraph(text, pdf.HEADING)


def _letterhead(view: PlanView) -> Table:
    province = view.area_name(view.operation.regency[:2])
    lines = [
        "KEPOLISIAN NEGARA REPUBLIK INDONESIA",
        f"DAERAH {province.upper()}",
        f"RESOR {view.regency_name.upper()}",
    ]
    table = Table(
        [[pdf.para(line, pdf.BODY_CENTER)] for line in lines],
        colWidths=[85 * mm],
        hAlign="LEFT",
        spaceAfter=4 * mm,
    )
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, -1), (-1, -1), 0.8, pdf.LINE),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


def _addressee(view: PlanView, post: Post, member: Member, token: str, expires: datetime) -> Table:
    """Who is ordered where, beside the QR code he shows (or scans) on arrival."""
    officer = member.officer
    role = labels.role_label(member.assignment.leader)
    pairs = [
        ("Nama", officer.name),
        ("Pangkat / NRP", f"{officer.rank.name} / {officer.nrp}"),
        ("Satuan", satuan(view, officer)),
        ("Tugas", f"{role} pos {post.id} ({labels.class_label(post.vulnerability)})"),
        ("Sektor", view.unit_name(post.sector)),
    ]
    local = expires.astimezone(_zone(view))
    caption = pdf.para(
        f"Kode lapor hadir: tunjukkan saat tiba di TPS. Berlaku sampai "
        f"{local.day} {labels.MONTHS[local.month - 1]} {local.year} "
        f"{labels.clock(local.time(), view.zone)}.",
        pdf.SMALL,
    )
    left = [pdf.para("Kepada:", pdf.BODY_BOLD), pdf.key_values(pairs, (30 * mm, 100 * mm))]
    table = Table(
        [[left, [QrCode(token, QR_SIZE), caption]]],
        colWidths=[WIDTH - QR_SIZE - 6 * mm, QR_SIZE + 6 * mm],
    )
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    return table


class QrCode(Flowable):
    """A QR code drawn as vector squares: sharp at any print size, and quick to write."""

    def __init__(self, data: str, size: float) -> None:
        super().__init__()
        # Medium error correction: a creased or smudged page still scans.
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
        code.add_data(data)
        code.make(fit=True)
        self.matrix: list[list[bool]] = code.get_matrix()
        self.width = self.height = size

    def draw(self) -> None:
        cell = self.width / len(self.matrix)
        path = self.canv.beginPath()
        for r, row in enumerate(self.matrix):
            y = self.height - (r + 1) * cell
            c = 0
            while c < len(row):  # one rectangle per run of dark modules
                start = c
                while c < len(row) and row[c]:
                    c += 1
                if c > start:
                    path.rect(start * cell, y, (c - start) * cell, cell)
                c += 1
        self.canv.drawPath(path, stroke=0, fill=1)


def _tps_table(view: PlanView, post: Post) -> Table:
    head = ["No", "TPS", "Desa/Kelurahan", "Kecamatan", "Kelas"]
    kecamatan = view.area_name(post.kecamatan)
    tps = view.post_tps(post)
    if len(tps) <= MAX_TPS_ROWS:
        body = [
            [t.label, view.area_name(t.desa_code), kecamatan, labels.class_label(view.class_of(t))]
            for t in tps
        ]
    else:
        kelas = labels.class_label(post.vulnerability)
        body = [[f"TPS {n}", desa, kecamatan, kelas] for n, desa in view.tps_by_desa(post)]
    rows = [[i, *cells] for i, cells in enumerate(body, start=1)]
    return _grid(head, rows, [10, 40, 55, 50, 31])


def _team_table(view: PlanView, post: Post, me: Officer) -> Table:
    head = ["Peran", "Pangkat", "Nama", "NRP", "Satuan"]
    rows = [
        [
            labels.role_label(m.assignment.leader),
            m.officer.rank.name,
            m.officer.name + (" (Anda)" if m.officer.nrp == me.nrp else ""),
            m.officer.nrp,
            satuan(view, m.officer),
        ]
        for m in view.team(post.id)
    ]
    return _grid(head, rows, [20, 18, 62, 22, 64])


def _grid(head: list[str], rows: list[list[Any]], widths_mm: list[float]) -> Table:
    cells = [[pdf.para(h, pdf.HEAD) for h in head]]
    cells += [[pdf.para(value, pdf.SMALL) for value in row] for row in rows]
    return pdf.grid(cells, [w * mm for w in widths_mm])


def _controllers(view: PlanView, post: Post) -> list[tuple[str, str]]:
    padal = "; ".join(_who(o) for o in view.padal(post.kecamatan)) or "-"
    kapolsek = view.head_of(post.sector, "Kapolsek")
    sector = view.unit_name(post.sector)
    return [
        ("Padal kecamatan", f"{padal} - Kec. {view.area_name(post.kecamatan)}"),
        ("Kapolsek", f"{_who(kapolsek)} - {sector}" if kapolsek else f"- ({sector})"),
    ]


def _who(officer: Officer) -> str:
    return f"{officer.display} (NRP {officer.nrp})"


def _schedule(view: PlanView) -> list[tuple[str, str]]:
    times = view.operation.schedule
    zone = view.zone
    return [
        ("Apel pergeseran", labels.clock(times.apel, zone)),
        ("Tiba di TPS paling lambat", labels.clock(times.at_tps_by, zone)),
        (
            "Pemungutan suara",
            f"{labels.clock(times.voting_opens, zone)} - {labels.clock(times.voting_closes, zone)}",
        ),
        ("Penghitungan suara", f"mulai {labels.clock(times.voting_closes, zone)} sampai selesai"),
    ]


def _zone(view: PlanView) -> timezone:
    return timezone(timedelta(hours=labels.UTC_OFFSET_HOURS[view.zone]), view.zone)


def _default_expiry(view: PlanView) -> datetime:
    next_day = view.operation.voting_day + timedelta(days=1)
    return datetime.combine(next_day, time(23, 59, 59), tzinfo=_zone(view))

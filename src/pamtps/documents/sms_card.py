"""The printable SMS syntax card for the order packet: what to type when there is no data.

A half-page card (two to an A4 page, cut along the line): the number to send to, the commands
with an example each, the words for TPS steps, incident categories and severities, and the rule
that no vote count is ever sent. A personal card also prints the officer's name, NRP, his TPS
and his six-digit HADIR code. The text is Indonesian: it is read at the TPS.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer, Table, TableStyle

from pamtps.documents import pdf

WIDTH = A4[0] - 2 * pdf.MARGIN
COMMANDS = (
    ("HADIR <kode>", "Tiba di pos (kode 6 angka di kartu ini)", "HADIR 482177"),
    ("APEL / BERANGKAT / BERTUGAS / SELESAI", "Tahap tugas hari ini", "BERTUGAS"),
    ("STATUS <tps> <langkah> [catatan]", "Langkah TPS", "STATUS 3 BUKA"),
    ("LAPOR <tps> <kategori> <tingkat> <teks>", "Kejadian di TPS", "LAPOR 3 RICUH TINGGI massa"),
    ("SEGEL <tps> <5 nomor segel>", "Segel kotak PPWP DPR DPD DPRDPROV DPRDKAB",
     "SEGEL 3 A11 A12 A13 A14 A15"),
    ("SERAH <tps> PPS|PPK <5 segel> [nama]", "Serah terima kotak (cek segel)",
     "SERAH 3 PPS A11 A12 A13 A14 A15 Budi"),
    ("TERIMA <tps> PPS|PPK <5 segel>", "Penerima (liaison): terima kotak",
     "TERIMA 3 PPS A11 A12 A13 A14 A15"),
    ("INFO", "Balasan berisi format", "INFO"),
)
WORDS = (
    ("Langkah", "BUKA, PUNGUT, TUTUP, HITUNG, HITUNGSELESAI, SERAHKOTAK"),
    ("Kategori", "TELAT, LOGISTIK, RUSAK, TERTUKAR, INTIMIDASI, ANCAM, UANG, RICUH, BAKAR, "
                 "KOTAKRUSAK, BENCANA, LISTRIK, SENGKETA, LAIN"),
    ("Tingkat", "RENDAH (1), SEDANG (2), TINGGI (3), KRITIS (4)"),
    ("<tps>", "nomor TPS di pos Anda (3 atau 003) atau kode TPS 13 angka"),
)
RULES = (
    "Huruf besar/kecil bebas; pisahkan dengan spasi (# atau * juga boleh).",
    "Setiap SMS dibalas: OK, atau penjelasan kesalahan. Tanpa balasan: kirim ulang SMS yang sama "
    "(tidak tercatat dua kali).",
    "JANGAN kirim perolehan suara: SMS berisi angka suara ditolak seluruhnya.",
)


@dataclass(frozen=True)
class CardOfficer:
    """The personal part of a card."""

    name: str
    nrp: str
    code: str  # "482 177"
    tps: tuple[str, ...]  # "TPS 003 Sukamaju (1601...)"


def _card(number: str, officer: CardOfficer | None) -> KeepTogether:
    send_to = f"Kirim SMS ke: <b>{number}</b>" if number else "Kirim SMS ke nomor posko Polres"
    rows = [[pdf.para(c, pdf.CELL_BOLD), pdf.para(what), pdf.para(example, pdf.CELL_BOLD)]
            for c, what, example in COMMANDS]
    table = pdf.grid([["Perintah", "Untuk", "Contoh"], *rows],
                     [WIDTH * 0.38, WIDTH * 0.30, WIDTH * 0.32])
    words = Table([[pdf.para(k, pdf.CELL_BOLD), pdf.para(v)] for k, v in WORDS],
                  colWidths=[WIDTH * 0.14, WIDTH * 0.86])
    words.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    parts = [pdf.para("KARTU SMS PAMTPS - bila tidak ada data internet", pdf.TITLE),
             pdf.para(send_to, pdf.SUBTITLE)]
    if officer is not None:
        parts += [
            pdf.para(f"{officer.name} - NRP {officer.nrp} - kode HADIR: <b>{officer.code}</b>",
                     pdf.BODY_BOLD),
            pdf.para("TPS: " + "; ".join(officer.tps), pdf.SMALL), Spacer(1, 2 * mm),
        ]
    parts += [table, Spacer(1, 2 * mm), words, Spacer(1, 1 * mm),
              *(pdf.para("- " + rule, pdf.SMALL) for rule in RULES),
              pdf.para("- " * 70, pdf.SMALL)]
    return KeepTogether(parts)


def sms_card_pdf(number: str = "", officers: list[CardOfficer] | None = None) -> bytes:
    """The card as PDF bytes: one generic card, or one personal card per officer."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=pdf.MARGIN, rightMargin=pdf.MARGIN,
        topMargin=pdf.MARGIN, bottomMargin=pdf.MARGIN, title="Kartu SMS PamTPS",
    )
    cards = [_card(number, officer) for officer in officers] if officers else [_card(number, None)]
    document.build(cards)
    return buffer.getvalue()

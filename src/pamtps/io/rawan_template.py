"""Write the blank Bawaslu rawan list that read_rawan reads, with instructions in Indonesian."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from pamtps.io.rawan_import import KELAS, NOT_MARKED, REQUIRED

# The example's kode_tps is not a TPS code, so a forgotten example row is refused by name.
EXAMPLE_CODE = "1601072001001 (contoh)"
# column: (explanation, example value). The variables are Bawaslu's for Pemilu 2024.
COLUMNS: dict[str, tuple[str, str]] = {
    "kode_tps": ("Kode TPS KPU, 13 angka: kode desa (10 angka) + nomor TPS (3 angka). Ketik "
                 "sebagai teks.", EXAMPLE_CODE),
    "kelas": ("Kelas TPS menurut daftar: " + ", ".join(KELAS) + ".", "rawan"),
    "alasan": ("Alasan singkat mengapa TPS ini rawan, seperti tertulis dalam daftar Bawaslu.",
               "dusun terpencil, akses menyeberang sungai"),
    "hak_pilih": ("Variabel penggunaan hak pilih: indikator yang ditemukan (mis. pemilih tidak "
                  "memenuhi syarat, pemilih pindahan).", ""),
    "keamanan": ("Variabel keamanan: mis. riwayat kekerasan, riwayat intimidasi penyelenggara.",
                 ""),
    "kampanye": ("Variabel kampanye: mis. politik uang, ujaran SARA di sekitar TPS.", ""),
    "netralitas": ("Variabel netralitas: ASN, TNI/Polri, perangkat desa atau KPPS tidak "
                   "netral.", ""),
    "logistik": ("Variabel logistik: riwayat kekurangan, keterlambatan, kerusakan atau "
                 "tertukarnya logistik.", ""),
    "lokasi": ("Variabel lokasi TPS: mis. sulit dijangkau, rawan bencana, dekat posko "
               "kampanye, lokasi khusus.", "sulit dijangkau"),
    "listrik_internet": ("Variabel jaringan listrik dan internet: kendala listrik atau "
                         "sinyal.", "tidak ada sinyal"),
}
TEXT_COLUMNS = ("kode_tps",)
MAX_ROWS = 5000


def write_rawan_template(path: str | Path) -> Path:
    """Write the rawan list template: CSV when the name ends in .csv, else an XLSX workbook
    whose second sheet "Petunjuk" explains each column and the valid classes."""
    path = Path(path)
    header = list(COLUMNS)
    example = [example for _, example in COLUMNS.values()]
    if path.suffix.casefold() == ".csv":
        # utf-8-sig: the BOM makes Excel open the file as UTF-8; read_rawan accepts it.
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            csv.writer(out).writerows([header, example])
        return path
    if path.suffix.casefold() != ".xlsx":
        raise ValueError(f"rawan template must be .xlsx or .csv, not {path.name!r}")
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.title = "TPS Rawan"
    _write_list_sheet(sheet, header, example)
    _write_instructions(workbook.create_sheet("Petunjuk"))
    workbook.save(path)
    return path


def _write_list_sheet(sheet: Worksheet, header: list[str], example: list[str]) -> None:
    sheet.append(header)
    sheet.append(example)
    sheet.freeze_panes = "A2"
    for index, name in enumerate(header, start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[letter].width = max(14, len(example[index - 1]) + 2)
        if name in TEXT_COLUMNS:
            for row in range(2, MAX_ROWS + 1):
                sheet.cell(row=row, column=index).number_format = "@"
    rule = DataValidation(type="list", formula1=f'"{",".join(KELAS)}"', allow_blank=False)
    column = get_column_letter(header.index("kelas") + 1)
    rule.add(f"{column}2:{column}{MAX_ROWS}")
    sheet.add_data_validation(rule)


def _write_instructions(sheet: Worksheet) -> None:
    bold = Font(bold=True)
    not_marked = ", ".join(f'"{value}"' for value in sorted(NOT_MARKED) if value)
    sheet.append(["Petunjuk pengisian daftar TPS rawan (Bawaslu)"])
    sheet.append(["Baris pertama lembar TPS Rawan adalah judul kolom; jangan diubah. Satu baris "
                  "untuk satu TPS; satu TPS hanya boleh muncul sekali. Hapus baris contoh "
                  "sebelum mengimpor."])
    sheet.append(["Impor dengan: pamtps import rawan NAMA_BERKAS.xlsx. Daftar yang diimpor "
                  "menggantikan daftar sebelumnya untuk kabupaten/kota yang sama; TPS yang "
                  "tidak ada lagi di daftar kembali dinilai dengan aturan biasa."])
    sheet.append([f"Kolom variabel: kosong, 0, {not_marked} berarti tidak ada. Isi lain "
                  "disimpan apa adanya dan ditampilkan sebagai alasan kelas TPS. Kolom "
                  "variabel atau indikator lain boleh ditambahkan dengan judul sendiri."])
    sheet.append([])
    sheet.append(["Kolom", "Wajib", "Penjelasan", "Contoh"])
    for name, (explanation, example) in COLUMNS.items():
        sheet.append([name, "ya" if name in REQUIRED else "tidak", explanation, example])
    sheet.append([])
    sheet.append(["Kelas yang sah"])
    sheet.cell(row=sheet.max_row, column=1).font = bold
    for value in KELAS:
        sheet.append([value, value.replace("_", " ")])
    for row in (1, 6):
        for cell in sheet[row]:
            cell.font = bold
    for letter, width in (("A", 22), ("B", 10), ("C", 90), ("D", 40)):
        sheet.column_dimensions[letter].width = width

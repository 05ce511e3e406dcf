"""Write the blank personnel roster that read_roster reads, with instructions in Indonesian."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from pamtps.domain.personnel import POLRI_RANKS, TNI_RANKS
from pamtps.io.roster_import import EXAMPLE_NAME, ORIGINS, REQUIRED, STATUSES, UNIT_TYPES

# column: (explanation, example value). The example row declares its own BKO unit, so that once
# renamed it imports against any reference; under its own name read_roster refuses it.
COLUMNS: dict[str, tuple[str, str]] = {
    "nrp": ("Nomor Registrasi Pokok. Polri: tepat 8 angka. TNI: 7 sampai 18 angka. Ketik sebagai "
            "teks agar angka 0 di depan tidak hilang.", "99010001"),
    "nama": ("Nama lengkap personel.", EXAMPLE_NAME),
    "pangkat": ("Singkatan pangkat (mis. Bripka, AKP, Serda) atau nama lengkapnya. Daftar pangkat "
                "yang sah ada di bawah.", "Bripda"),
    "satuan": ("Kode atau nama satuan yang sudah terdaftar (Polres, Polsek). Untuk satuan BKO atau "
               "TNI yang belum terdaftar, tulis namanya dan isi kolom asal dan jenis_satuan.",
               "Kompi Contoh Brimob Polda"),
    "asal": ("Asal personel: polres, polsek, bko_polri atau tni. Wajib untuk satuan baru; untuk "
             "satuan terdaftar hanya diperiksa kecocokannya.", "bko_polri"),
    "jenis_satuan": ("Jenis satuan baru: brimob, samapta atau bko_polri (asal bko_polri); tni "
                     "(asal tni). Kosong: bko_polri atau tni.", "brimob"),
    "fungsi": ("Fungsi atau bagian (mis. Sabhara, Reskrim, Intelkam, Brimob). Kosong: jenis "
               "satuannya.", "Brimob"),
    "status": ("Kesiapan personel: siap, sakit, cuti, dik (sedang pendidikan) atau tugas_lain. "
               "Kosong: siap.", "siap"),
    "dilarang_desa": ("Kode desa tempat personel tidak boleh ditugaskan (konflik kepentingan, "
                      "mis. keluarganya menjadi calon), dipisah dengan ';', mis. "
                      "16.01.07.2001;16.01.07.2002.", ""),
    "lat": ("Lintang titik berangkat, derajat desimal (mis. -4.1234). Kosong: markas satuannya.",
            ""),
    "lng": ("Bujur titik berangkat, derajat desimal (mis. 104.1234). Kosong: markas satuannya.",
            ""),
}
STATUS_HELP = {
    "siap": "siap ditugaskan",
    "sakit": "sakit",
    "cuti": "sedang cuti",
    "dik": "sedang pendidikan",
    "tugas_lain": "bertugas di tempat lain",
}
TEXT_COLUMNS = ("nrp", "dilarang_desa")  # stored as text so that leading zeros survive
CHOICES = {
    "asal": list(ORIGINS),
    "jenis_satuan": list(UNIT_TYPES),
    "status": list(STATUS_HELP),
}
MAX_ROWS = 2000


def write_roster_template(path: str | Path) -> Path:
    """Write the roster template: CSV when the name ends in .csv, else an XLSX workbook whose
    second sheet "Petunjuk" explains each column and lists the valid ranks and statuses."""
    path = Path(path)
    header = list(COLUMNS)
    example = [example for _, example in COLUMNS.values()]
    if path.suffix.casefold() == ".csv":
        # utf-8-sig: the BOM makes Excel open the file as UTF-8; read_roster accepts it.
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            csv.writer(out).writerows([header, example])
        return path
    if path.suffix.casefold() != ".xlsx":
        raise ValueError(f"roster template must be .xlsx or .csv, not {path.name!r}")
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.title = "Personel"
    _write_roster_sheet(sheet, header, example)
    _write_instructions(workbook.create_sheet("Petunjuk"))
    workbook.save(path)
    return path


def _write_roster_sheet(sheet: Worksheet, header: list[str], example: list[str]) -> None:
    sheet.append(header)
    sheet.append(example)
    sheet.freeze_panes = "A2"
    for index, name in enumerate(header, start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[letter].width = max(12, len(example[index - 1]) + 2)
        if name in TEXT_COLUMNS:
            for row in range(2, MAX_ROWS + 1):
                sheet.cell(row=row, column=index).number_format = "@"
        if name in CHOICES:
            rule = DataValidation(type="list", formula1=f'"{",".join(CHOICES[name])}"',
                                  allow_blank=True)
            rule.add(f"{letter}2:{letter}{MAX_ROWS}")
            sheet.add_data_validation(rule)


def _write_instructions(sheet: Worksheet) -> None:
    bold = Font(bold=True)
    sheet.append(["Petunjuk pengisian daftar personel Pam TPS"])
    sheet.append(["Baris pertama lembar Personel adalah judul kolom; jangan diubah. Satu baris "
                  "untuk satu personel. Hapus baris contoh sebelum mengimpor."])
    sheet.append([])
    sheet.append(["Kolom", "Wajib", "Penjelasan", "Contoh"])
    for name, (explanation, example) in COLUMNS.items():
        sheet.append([name, "ya" if name in REQUIRED else "tidak", explanation, example])
    sections = [
        ("Pangkat Polri yang sah", [(r.name, r.title) for r in POLRI_RANKS]),
        ("Pangkat TNI yang sah", [(r.name, r.title) for r in TNI_RANKS]),
        ("Status yang sah (juga diterima: " + ", ".join(s for s in STATUSES if s not in STATUS_HELP)
         + ")", list(STATUS_HELP.items())),
    ]
    for title, entries in sections:
        sheet.append([])
        sheet.append([title])
        sheet.cell(row=sheet.max_row, column=1).font = bold
        for entry in entries:
            sheet.append(list(entry))
    for row in (1, 4):
        for cell in sheet[row]:
            cell.font = bold
    for letter, width in (("A", 24), ("B", 28), ("C", 90), ("D", 34)):
        sheet.column_dimensions[letter].width = width

"""Write the blank Bawaslu rawan list that read_rawan reads, with instructions in Indonesian."""

from __future__ import annotations

from pathlib import Path

from pamtps.io.rawan_import import KELAS, NOT_MARKED, REQUIRED
from pamtps.io.template import Template, write_template

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
NOT_MARKED_TEXT = ", ".join(f'"{value}"' for value in sorted(NOT_MARKED) if value)
TEMPLATE = Template(
    kind="rawan",
    sheet="TPS Rawan",
    columns=COLUMNS,
    required=frozenset(REQUIRED),
    intro=[
        "Petunjuk pengisian daftar TPS rawan (Bawaslu)",
        "Baris pertama lembar TPS Rawan adalah judul kolom; jangan diubah. Satu baris untuk satu "
        "TPS; satu TPS hanya boleh muncul sekali. Hapus baris contoh sebelum mengimpor.",
        "Impor dengan: pamtps import rawan NAMA_BERKAS.xlsx. Daftar yang diimpor menggantikan "
        "daftar sebelumnya untuk kabupaten/kota yang sama; TPS yang tidak ada lagi di daftar "
        "kembali dinilai dengan aturan biasa.",
        f"Kolom variabel: kosong, 0, {NOT_MARKED_TEXT} berarti tidak ada. Isi lain disimpan apa "
        "adanya dan ditampilkan sebagai alasan kelas TPS. Kolom variabel atau indikator lain "
        "boleh ditambahkan dengan judul sendiri.",
    ],
    sections=[("Kelas yang sah", [(value, value.replace("_", " ")) for value in KELAS])],
    text_columns=("kode_tps",),
    choices={"kelas": (list(KELAS), False)},
    max_rows=5000,
    min_width=14,
    widths=(22, 10, 90, 40),
)


def write_rawan_template(path: str | Path) -> Path:
    """Write the rawan list template: CSV when the name ends in .csv, else an XLSX workbook
    whose second sheet "Petunjuk" explains each column and the valid classes."""
    return write_template(path, TEMPLATE)

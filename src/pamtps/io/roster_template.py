"""Write the blank personnel roster that read_roster reads, with instructions in Indonesian."""

from __future__ import annotations

from pathlib import Path

from pamtps.domain.personnel import POLRI_RANKS, TNI_RANKS
from pamtps.io.roster_import import EXAMPLE_NAME, ORIGINS, REQUIRED, STATUSES, UNIT_TYPES
from pamtps.io.template import Template, write_template

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
TEMPLATE = Template(
    kind="roster",
    sheet="Personel",
    columns=COLUMNS,
    required=frozenset(REQUIRED),
    intro=[
        "Petunjuk pengisian daftar personel Pam TPS",
        "Baris pertama lembar Personel adalah judul kolom; jangan diubah. Satu baris untuk satu "
        "personel. Hapus baris contoh sebelum mengimpor.",
    ],
    sections=[
        ("Pangkat Polri yang sah", [(r.name, r.title) for r in POLRI_RANKS]),
        ("Pangkat TNI yang sah", [(r.name, r.title) for r in TNI_RANKS]),
        ("Status yang sah (juga diterima: " + ", ".join(s for s in STATUSES if s not in STATUS_HELP)
         + ")", list(STATUS_HELP.items())),
    ],
    text_columns=TEXT_COLUMNS,
    choices={
        "asal": (list(ORIGINS), True),
        "jenis_satuan": (list(UNIT_TYPES), True),
        "status": (list(STATUS_HELP), True),
    },
)


def write_roster_template(path: str | Path) -> Path:
    """Write the roster template: CSV when the name ends in .csv, else an XLSX workbook whose
    second sheet "Petunjuk" explains each column and lists the valid ranks and statuses."""
    return write_template(path, TEMPLATE)

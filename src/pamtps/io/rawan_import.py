"""Import Bawaslu's list of TPS rawan (CSV or XLSX) checked against a reference.

Columns (header case and spaces do not matter):

* ``kode_tps`` - the 13-digit KPU TPS code (required);
* ``kelas`` - the class the list gives: kurang_rawan, rawan, sangat_rawan or khusus (required;
  also read from a column named ``kategori``, ``klasifikasi`` or ``tingkat_kerawanan``);
* ``alasan`` - free text: why the TPS is listed (optional; also ``keterangan`` or ``catatan``);
* descriptive columns that other tables of the list carry (``no``, ``no_tps``, ``kode_desa``,
  ``desa``, ``kecamatan``...) are ignored and named as ignored;
* every other column is a Bawaslu variable or indicator (``lokasi_sulit_dijangkau``,
  ``riwayat_kekerasan``...): a cell that is blank, 0, "-" or "tidak" means the TPS does not
  have it; any other value is kept as the list gives it and shown in the TPS's reason.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pamtps.domain import Dataset, VulnerabilityClass
from pamtps.domain.rawan import RawanListing
from pamtps.io.cells import RowCheck, choice_key
from pamtps.io.problems import did_you_mean
from pamtps.io.tables import read_table

REQUIRED = ("kode_tps", "kelas")
OPTIONAL = ("alasan",)
ALIASES = {
    "kategori": "kelas",
    "klasifikasi": "kelas",
    "tingkat_kerawanan": "kelas",
    "keterangan": "alasan",
    "catatan": "alasan",
    "alasan_kerawanan": "alasan",
}
DESCRIPTIVE = (
    "no", "nomor", "no_urut", "no_tps", "nama_tps", "kode_desa", "desa", "nama_desa",
    "kelurahan", "desa_kelurahan", "kode_kec", "kecamatan", "nama_kec", "kabupaten",
    "kabupaten_kota", "provinsi", "dpt", "lat", "lng",
)
NOT_MARKED = frozenset({"", "0", "-", "tidak", "tdk", "no", "false", "n"})
KELAS = {cls.value: cls for cls in VulnerabilityClass}
MAX_ALASAN = 1000


@dataclass(frozen=True, slots=True)
class RawanList:
    """A checked list: the listings in file order, its indicator columns, the columns it
    ignored, and the file's name and sha256 (so that the same file is recognised later)."""

    listings: list[RawanListing]
    indicator_columns: tuple[str, ...]
    ignored_columns: tuple[str, ...]
    file: str
    sha256: str


def read_rawan(path: str | Path, reference: Dataset) -> RawanList:
    """The Bawaslu rawan list of the file, every TPS checked against ``reference``.

    Raises ImportFailed listing every problem: an unknown TPS, an unknown kelas, a TPS listed
    twice, a blank required cell.
    """
    path = Path(path)
    header = read_table(path, REQUIRED, (), ALIASES).header
    named = [name for name in header if name]
    ignored = tuple(name for name in named if name in DESCRIPTIVE)
    indicators = tuple(name for name in named
                       if name not in (*REQUIRED, *OPTIONAL, *DESCRIPTIVE))
    table = read_table(path, REQUIRED, (*OPTIONAL, *indicators), ALIASES)
    known = {tps.code for tps in reference.tps}
    first_row: dict[str, int] = {}
    listings = []
    for row in table.rows:
        check = RowCheck(row, table.problems)
        code = _code(check, known, reference.name, first_row)
        kelas = _kelas(check)
        alasan = check.text("alasan")
        if len(alasan) > MAX_ALASAN:
            check.fail("alasan", f"alasan is longer than {MAX_ALASAN} characters",
                       alasan[:60] + "...")
        marked = tuple((name, row[name]) for name in indicators
                       if row[name].strip().casefold() not in NOT_MARKED)
        if code is not None and kelas is not None and not check.failures:
            listings.append(RawanListing(code, kelas, marked, alasan, table.file))
    table.problems.raise_if_any()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return RawanList(listings, indicators, ignored, table.file, digest)


def _code(
    check: RowCheck, known: set[str], reference: str, first_row: dict[str, int]
) -> str | None:
    code = check.tps_code()
    if code is None:
        return None
    if code not in known:
        check.fail("kode_tps", f"unknown TPS: not in {reference} (import the TPS list first?)")
        return None
    return code if check.first("kode_tps", code, first_row) else None


def _kelas(check: RowCheck) -> VulnerabilityClass | None:
    text = check.required("kelas")
    if text is None:
        return None
    kelas = KELAS.get(choice_key(text))
    if kelas is None:
        check.fail("kelas", "unknown kelas: must be one of " + ", ".join(KELAS)
                   + did_you_mean(choice_key(text), KELAS))
    return kelas

"""Import desa context indicators (the PODES/BNPB/Kemendes file) for the desa of a reference.

The format is that of ``podes_sumsel_desa_indikator.csv``: one row a desa keyed by ``kode_desa``
(blank where the source desa could not be matched: such rows are skipped and counted), and the
indicator columns of INDICATORS, each optional; descriptive columns are ignored.
"""

from __future__ import annotations

from pathlib import Path

from pamtps.domain import Dataset
from pamtps.io.cells import RowCheck, desa_code
from pamtps.io.tables import read_table

# indicator: (lowest, highest) plausible value; None = no upper bound.
INDICATORS: dict[str, tuple[float, float | None]] = {
    "luas_desa": (0, None),  # ha
    "jarak_jalan": (0, None),  # m, median distance to a road
    "jarak_sungai": (0, None),  # m
    "jarak_rs_terdekat": (0, None),  # km class (PODES)
    "jumlah_faskes": (0, None),
    "jumlah_kk": (0, None),
    "jumlah_populasi": (0, None),
    "kepadatan_populasi": (0, None),  # jiwa/ha
    "persentase_elektrifikasi": (0, 100),
    "jenis_sinyal_internet": (0, None),  # PODES category code
    "indeks_bahaya_banjir": (0, 1),  # BNPB index
    "indeks_bahaya_longsor": (0, 1),
    "kejadian_banjir": (0, None),  # category code
    "kejadian_tanah_longsor": (0, None),
    "derajat_kemiskinan": (0, 100),  # %
    "persentase_hutan_alami": (0, 100),
    "persentase_kebun": (0, 100),
    "jarak_area_tambang": (0, None),  # m
    "jumlah_sma": (0, None),
}


class Indicators(dict[str, dict[str, float | None]]):
    """Indicators by dotted desa code (blank cells are None), with counts of the rows skipped:
    ``skipped_blank`` (no kode_desa) and ``skipped_outside`` (a desa outside the reference)."""

    skipped_blank = 0
    skipped_outside = 0


def read_indicators(path: str | Path, reference: Dataset) -> Indicators:
    """The indicators of the reference's desa found in the file.

    A desa code inside one of the reference's regencies that the reference does not know is a
    problem (the codes do not match), not a skip. Raises ImportFailed listing every problem.
    """
    table = read_table(path, ("kode_desa",), tuple(INDICATORS))
    present = [name for name in INDICATORS if name in table.header]
    if not present:
        table.problems.add(1, None, None, "no indicator column: expected some of "
                           + ", ".join(INDICATORS))
    result = Indicators()
    first_row: dict[str, int] = {}
    for row in table.rows:
        check = RowCheck(row, table.problems)
        code = desa_code(row["kode_desa"])
        if not row["kode_desa"]:
            result.skipped_blank += 1
            continue
        if code is not None and code not in reference.area_by_code and not any(
            code.startswith(regency + ".") for regency in reference.regency_codes
        ):
            result.skipped_outside += 1
            continue
        code = check.desa("kode_desa", reference)
        if code in first_row:
            check.fail("kode_desa", f"duplicate kode_desa: already on row {first_row[code]}")
        elif code is not None:
            first_row[code] = row.number
        values = {name: _indicator(check, name) for name in present}
        if code is not None and not check.failures:
            result[code] = values
    table.problems.raise_if_any()
    return result


def _indicator(check: RowCheck, name: str) -> float | None:
    value = check.decimal(name)
    low, high = INDICATORS[name]
    if value is not None and (value < low or (high is not None and value > high)):
        bounds = f"from {low:g} to {high:g}" if high is not None else f"{low:g} or more"
        check.fail(name, f"{name} must be {bounds}")
    return value

"""The bundled PODES village indicators of Sumatera Selatan, by desa.

``indicators/podes_sumsel_desa_indikator.csv`` is GPL-3.0 data from CIFOR-ICRAF Indonesia (BPS
PODES 2021, BIG, BNPB, Kemendes; a draft, by its authors' word). It is optional: a package built
without it gives no indicators, and the pre-screen then ranks by travel and sparseness alone.
Rows without a kode_desa (source desa that could not be matched) are skipped; an empty cell is
None; a desa listed twice keeps its first row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache

from pamtps.datasets.files import read_csv

INDICATORS_FILE = ("indicators", "podes_sumsel_desa_indikator.csv")

# The columns the geographic pre-screen can weigh (see pamtps.planner.prescreen).
COLUMNS = (
    "jarak_jalan",  # m, median distance from the desa's land to a road
    "jarak_rs_terdekat",  # PODES class of the distance to the nearest hospital
    "persentase_elektrifikasi",  # % of households with electricity
    "jenis_sinyal_internet",  # PODES code: 1 4G, 2 3G, 3 2.5G, 4 no signal (0 unknown)
    "indeks_bahaya_banjir",  # BNPB flood hazard index, 0 to 1
    "indeks_bahaya_longsor",  # BNPB landslide hazard index, 0 to 1
    "persentase_hutan_alami",  # % of the desa under natural forest
)

DesaIndicators = dict[str, dict[str, float | None]]


@cache
def _all_rows() -> tuple[tuple[str, tuple[float | None, ...]], ...]:
    try:
        rows = list(read_csv(*INDICATORS_FILE))
    except FileNotFoundError:
        return ()
    seen: set[str] = set()
    result = []
    for row in rows:
        code = row["kode_desa"].strip()
        if not code or code in seen:
            continue
        seen.add(code)
        result.append((code, tuple(float(row[c]) if row[c].strip() else None for c in COLUMNS)))
    return tuple(result)


def bundled_indicators(regency_codes: Iterable[str]) -> DesaIndicators:
    """The bundled indicators of every desa of the regencies (an empty dict where the file does
    not cover them, or is not installed)."""
    prefixes = tuple(code + "." for code in regency_codes)
    if not prefixes:
        return {}
    return {
        code: dict(zip(COLUMNS, values))
        for code, values in _all_rows()
        if code.startswith(prefixes)
    }


def overlay(
    base: Mapping[str, Mapping[str, float | None]],
    imported: Mapping[str, Mapping[str, float | None]],
) -> DesaIndicators:
    """``base`` with ``imported`` laid over it, desa by desa and indicator by indicator.

    An imported file that has only some columns, or only some desa, replaces just those values:
    the rest keep their bundled value. An imported blank cell (None) does replace a bundled
    value: the user said the value is unknown.
    """
    result = {code: dict(values) for code, values in base.items()}
    for code, values in imported.items():
        result.setdefault(code, {}).update(values)
    return result

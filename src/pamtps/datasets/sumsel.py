"""Dataset ``sumsel-2024``: the 17 kabupaten/kota of Sumatera Selatan in Pemilu 2024."""

from __future__ import annotations

from pamtps.datasets.build import (
    estimated_objects,
    estimated_units,
    load_areas,
    load_boundaries,
    make_tps,
    spread_voters,
    tps_numbers_by_desa,
)
from pamtps.datasets.seats import sumsel_seats
from pamtps.domain import Dataset, ElectionType
from pamtps.domain.tps import tps_code

# KPU's DPT for Sumatera Selatan, Pemilu 2024 (6.33 million voters): per-TPS counts are not
# public, so every TPS gets an even share of it, marked estimated.
SUMSEL_DPT_2024 = 6_330_000


def load_sumsel(regencies: set[str] | None = None) -> Dataset:
    """The province, or only the kabupaten/kota codes in ``regencies`` (e.g. {"16.02"})."""
    areas = load_areas(regencies)
    by_code = {area.code: area for area in areas}
    boundaries = {c: g for c, g in load_boundaries(regencies).items() if c in by_code}
    numbers = tps_numbers_by_desa(regencies)
    all_codes = [tps_code(d, n) for d, ns in numbers.items() for n in ns]
    province_tps = 25_985
    total = round(SUMSEL_DPT_2024 * len(all_codes) / province_tps)
    voters = spread_voters(total, all_codes, {}, ElectionType.PEMILU.voter_cap)
    tps = make_tps(numbers, by_code, boundaries, voters)
    regency_codes = tuple(sorted({code[:5] for code in numbers}))
    units = estimated_units(areas, numbers, by_code, sumsel_seats())
    return Dataset(
        name="sumsel-2024" if regencies is None else "sumsel-2024:" + ",".join(regency_codes),
        regency_codes=regency_codes,
        areas=areas,
        tps=tps,
        units=units,
        objects=estimated_objects(areas, units, numbers, by_code),
        boundaries=boundaries,
    )

"""A small synthetic nation for the scale tests: real kabupaten/kota of the national network,
each cut down to its first kecamatan (a few dozen TPS), so that a whole run takes seconds."""

from __future__ import annotations

from functools import cache

from pamtps.datasets.national import load_national
from pamtps.domain import AreaLevel, Dataset, UnitType
from pamtps.scale.partition import PoldaPart, PolresPart, partition

# Two Polda of two Polres and two of one: small regencies, so that loading them is quick.
CODES = ("11.72", "65.04", "91.19", "91.20", "92.07", "92.11")


@cache
def small_polres(code: str) -> Dataset:
    """The kabupaten/kota with only its first kecamatan (and its Polsek) left (loaded once: a
    scenario copies the dataset, never changes it)."""
    full = load_national(code)
    kecamatan = min(a.code for a in full.areas if a.level is AreaLevel.KECAMATAN)
    inside = kecamatan + "."
    units = [u for u in full.units
             if u.type is UnitType.POLRES or kecamatan in u.kecamatan_codes]
    return Dataset(
        full.name,
        full.regency_codes,
        [a for a in full.areas if a.level in (AreaLevel.PROVINSI, AreaLevel.KABUPATEN)
         or a.code == kecamatan or a.code.startswith(inside)],
        [t for t in full.tps if t.desa_code.startswith(inside)],
        units,
        [],
        [o for o in full.objects if o.kecamatan_code == kecamatan],
    )


def small_nation() -> list[PoldaPart]:
    """The partition of the small nation, built from its TPS as the national one is."""
    rows = []
    for code in CODES:
        for tps in small_polres(code).tps:
            rows.append({"kode_kab": code, "n_tps": "1", "kode_desa": tps.desa_code})
    return partition(rows, {c: f"Polres {c}" for c in CODES},
                     {c.split(".")[0]: f"Polda {c.split('.')[0]}" for c in CODES})


def all_polres(nation: list[PoldaPart]) -> list[PolresPart]:
    return [p for polda in nation for p in polda.polres]

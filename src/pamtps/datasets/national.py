"""Any of Indonesia's 514 kabupaten/kota from the bundled national TPS network.

The national files give, per desa, its Pemilu 2024 TPS count (of which special TPS) and a
centroid; per kabupaten/kota, its name and province. They carry no kecamatan or desa names and
no boundaries, so areas are named by their Kemendagri code, and everything below the regency is
estimated and marked so: TPS stand on a small spiral around their desa's centroid, voters are
the national average per TPS, one Polsek sector per kecamatan, and the Polres HQ, the KPU office
and each PPK in the busiest desa (the seats are not in the data).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import replace
from functools import cache

from pamtps.datasets.build import (
    estimated_objects,
    estimated_units,
    make_tps,
    spread_voters,
)
from pamtps.datasets.files import read_csv
from pamtps.domain import Area, AreaLevel, Dataset, ElectionType, Tps
from pamtps.domain.tps import TPS_KHUSUS_FROM, tps_code

NATIONAL = "national"
DESA_FILE = "tps_pemilu2024_desa_nasional.csv.gz"
KABUPATEN_FILE = "tps_pemilu2024_kabupaten_nasional.csv"
DATASET_PREFIX = "national-2024"
# KPU's final voter list (DPT) of Pemilu 2024 and its TPS: the average stands in for each TPS.
NATIONAL_DPT_2024 = 204_807_222
NATIONAL_TPS_2024 = 820_161
SPIRAL_STEP_DEG = 0.002  # about 220 m between rings of the spiral around a desa centroid
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


class UnknownRegency(ValueError):
    """A kabupaten/kota code that the national TPS network does not hold."""


@cache
def regencies() -> dict[str, dict[str, str]]:
    """The national kabupaten/kota table, by dotted code (e.g. "65.04")."""
    return {row["kode_kab"]: row for row in read_csv(NATIONAL, KABUPATEN_FILE)}


def regency_name(code: str) -> str:
    """'Kabupaten Tana Tidung', 'Kota Sabang': KPU's upper-case name in title case."""
    name = regencies()[code]["nama_kab"].title()
    return name if name.startswith("Kota ") else f"Kabupaten {name}"


@cache
def _desa_by_regency() -> dict[str, list[dict[str, str]]]:
    """The desa rows of the national file by kabupaten/kota, read once per process (a national
    run loads the 514 one after the other)."""
    rows: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in read_csv(NATIONAL, DESA_FILE):
        rows[row["kode_kab"]].append(row)
    return dict(rows)


def _desa_rows(regency: str) -> list[dict[str, str]]:
    return _desa_by_regency().get(regency, [])


def spiral_points(lat: float, lng: float, count: int) -> list[tuple[float, float]]:
    """``count`` points on a golden-angle spiral around (lat, lng): deterministic, never stacked."""
    points = []
    for i in range(count):
        radius, angle = SPIRAL_STEP_DEG * math.sqrt(i + 0.5), i * GOLDEN_ANGLE
        points.append((round(lat + radius * math.sin(angle), 6),
                       round(lng + radius * math.cos(angle), 6)))
    return points


def load_national(regency: str) -> Dataset:
    """One kabupaten/kota from the national network, every location estimated."""
    if regency not in regencies():
        raise UnknownRegency(f"unknown kabupaten/kota code {regency!r}: not among the "
                             f"{len(regencies())} of the national TPS network "
                             "(e.g. 16.08, 65.04)")
    info = regencies()[regency]
    rows = _desa_rows(regency)
    numbers: dict[str, list[int]] = {}
    points: dict[str, tuple[float, float]] = {}
    by_kec: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for row in rows:
        total, special = int(row["n_tps"]), int(row["n_tps_khusus"])
        numbers[row["kode_desa"]] = (list(range(1, total - special + 1))
                                     + list(range(TPS_KHUSUS_FROM + 1,
                                                  TPS_KHUSUS_FROM + 1 + special)))
        points[row["kode_desa"]] = (float(row["lat"]), float(row["lng"]))
        by_kec[row["kode_desa"].rsplit(".", 1)[0]].append(points[row["kode_desa"]])
    areas = [Area(info["kode_prov"], info["nama_prov"].title(), AreaLevel.PROVINSI),
             Area(regency, regency_name(regency), AreaLevel.KABUPATEN,
                  *_mean(list(points.values())))]
    for kec, kec_points in sorted(by_kec.items()):
        areas.append(Area(kec, f"Kecamatan {kec}", AreaLevel.KECAMATAN, *_mean(kec_points)))
    for desa, (lat, lng) in sorted(points.items()):
        kind = "kelurahan" if desa.rsplit(".", 1)[1].startswith("1") else "desa"
        areas.append(Area(desa, f"{kind.capitalize()} {desa}", AreaLevel.DESA, lat, lng,
                          None, kind))
    by_code = {area.code: area for area in areas}
    codes = [tps_code(d, n) for d, ns in numbers.items() for n in ns]
    total = round(NATIONAL_DPT_2024 * len(codes) / NATIONAL_TPS_2024)
    voters = spread_voters(total, codes, {}, ElectionType.PEMILU.voter_cap)
    tps = make_tps(numbers, by_code, {}, voters)
    spread = {d: iter(spiral_points(*points[d], len(ns))) for d, ns in numbers.items()}
    tps = [_moved(t, next(spread[t.desa_code])) for t in tps]
    units = estimated_units(areas, numbers, by_code)
    return Dataset(
        name=f"{DATASET_PREFIX}:{regency}",
        regency_codes=(regency,),
        areas=areas,
        tps=tps,
        units=units,
        objects=estimated_objects(areas, units, numbers, by_code),
    )


def _mean(points: list[tuple[float, float]]) -> tuple[float, float]:
    return (round(sum(p[0] for p in points) / len(points), 6),
            round(sum(p[1] for p in points) / len(points), 6))


def _moved(tps: Tps, point: tuple[float, float]) -> Tps:
    return replace(tps, lat=point[0], lng=point[1])

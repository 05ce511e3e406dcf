"""Build Datasets from the bundled Sumatera Selatan files (areas, boundaries, TPS, sectors).

Everything not in the public data is estimated here, and marked as estimated: TPS locations are
spread inside their desa polygon, voter counts come from area totals, and a sector's base is put
in the busiest desa of its kecamatan (where the kecamatan's town usually is).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from pamtps.datasets.files import read_csv, read_geojson
from pamtps.datasets.geo import spread_points
from pamtps.datasets.seats import Seat
from pamtps.domain import (
    Area,
    AreaLevel,
    GuardedObject,
    GuardedObjectKind,
    Precision,
    Tps,
    TpsKind,
    Unit,
    UnitType,
)
from pamtps.domain.tps import TPS_KHUSUS_FROM, tps_code

SUMSEL = "sumsel-2024"
PROVINCE_CODE = "16"
PROVINCE_NAME = "Sumatera Selatan"


def _float(text: str) -> float | None:
    return float(text) if text.strip() else None


def _in_scope(code: str, regencies: set[str] | None) -> bool:
    return regencies is None or code[:5] in regencies


def load_areas(regencies: set[str] | None) -> list[Area]:
    """Province, kabupaten/kota, kecamatan and the desa that had TPS in Pemilu 2024."""
    areas = [Area(PROVINCE_CODE, PROVINCE_NAME, AreaLevel.PROVINSI)]
    for row in read_csv(SUMSEL, "admin_sumsel_kabupaten.csv"):
        if _in_scope(row["kode_kab"], regencies):
            areas.append(_area(row, "kode_kab", "nama_kab", AreaLevel.KABUPATEN))
    kecamatan = {}
    for row in read_csv(SUMSEL, "admin_sumsel_kecamatan.csv"):
        if _in_scope(row["kode_kec"], regencies):
            kecamatan[row["kode_kec"]] = _area(row, "kode_kec", "nama_kec", AreaLevel.KECAMATAN)
    areas.extend(kecamatan.values())
    admin = {row["kode_desa"]: row for row in read_csv(SUMSEL, "admin_sumsel_desa.csv")}
    for row in read_csv(SUMSEL, "tps_pemilu2024_sumsel_desa.csv"):
        code = row["kode_desa"]
        if not _in_scope(code, regencies):
            continue
        known = admin.get(code)
        lat, lng = _float(row["lat"]), _float(row["lng"])
        if lat is None or lng is None:  # no 2025 boundary: stand in the kecamatan's centroid
            kec = kecamatan[code.rsplit(".", 1)[0]]
            lat, lng = kec.lat, kec.lng
        areas.append(
            Area(
                code,
                known["nama_desa"] if known else row["nama_desa_kpu"].title(),
                AreaLevel.DESA,
                lat,
                lng,
                _float(known["luas_km2"]) if known else None,
                (known["jenis"] if known else "desa"),
            )
        )
    return areas


def _area(row: dict[str, str], code: str, name: str, level: AreaLevel) -> Area:
    return Area(
        row[code], row[name], level, _float(row["lat"]), _float(row["lng"]), _float(row["luas_km2"])
    )


def load_boundaries(regencies: set[str] | None) -> dict[str, dict[str, Any]]:
    """GeoJSON geometries by area code, for kabupaten, kecamatan and desa."""
    boundaries: dict[str, dict[str, Any]] = {}
    for name, key in (
        ("sumsel_kabupaten.geojson", "kode_kab"),
        ("sumsel_kecamatan.geojson", "kode_kec"),
        ("sumsel_desa.geojson.gz", "kode_desa"),
    ):
        for feature in read_geojson(SUMSEL, name)["features"]:
            code = feature["properties"][key]
            if _in_scope(code, regencies):
                boundaries[code] = feature["geometry"]
    return boundaries


def tps_numbers_by_desa(regencies: set[str] | None) -> dict[str, list[int]]:
    """The TPS numbers of each desa in Pemilu 2024 (regular 1..n, then the 9xx special ones)."""
    numbers: dict[str, list[int]] = {}
    for row in read_csv(SUMSEL, "tps_pemilu2024_sumsel_desa.csv"):
        if not _in_scope(row["kode_desa"], regencies):
            continue
        special = [int(n) for n in row["tps_khusus_nomor"].split(";") if n.strip()]
        numbers[row["kode_desa"]] = list(range(1, int(row["n_tps_reguler"]) + 1)) + special
    return numbers


def make_tps(
    numbers: dict[str, list[int]],
    areas: dict[str, Area],
    boundaries: dict[str, dict[str, Any]],
    voters: dict[str, tuple[int, Precision]],
) -> list[Tps]:
    """TPS with locations spread inside their desa; every location is marked estimated."""
    result = []
    for desa_code, desa_numbers in sorted(numbers.items()):
        desa = areas[desa_code]
        geometry = boundaries.get(desa_code)
        if geometry is not None:
            points = spread_points(geometry, len(desa_numbers))
        else:
            points = [(desa.lat or 0.0, desa.lng or 0.0)] * len(desa_numbers)
        for number, (lat, lng) in zip(desa_numbers, points):
            code = tps_code(desa_code, number)
            count, precision = voters.get(code, (None, Precision.ESTIMATED))
            result.append(
                Tps(
                    code=code,
                    number=number,
                    desa_code=desa_code,
                    kind=TpsKind.KHUSUS if number >= TPS_KHUSUS_FROM else TpsKind.REGULER,
                    voters=count,
                    voters_precision=precision,
                    lat=lat,
                    lng=lng,
                    location_precision=Precision.ESTIMATED,
                )
            )
    return result


def spread_voters(
    total: int, tps_codes: Iterable[str], known: dict[str, int], cap: int
) -> dict[str, tuple[int, Precision]]:
    """Known counts as they are; the rest of ``total`` shared evenly over the others, capped."""
    codes = list(tps_codes)
    result: dict[str, tuple[int, Precision]] = {
        code: (known[code], Precision.SURVEYED) for code in codes if code in known
    }
    unknown = [code for code in codes if code not in known]
    if unknown:
        remaining = max(total - sum(known.get(code, 0) for code in codes), 0)
        share, extra = divmod(remaining, len(unknown))
        for i, code in enumerate(unknown):
            result[code] = (min(share + (1 if i < extra else 0), cap), Precision.ESTIMATED)
    return result


def busiest_desa(kecamatan_code: str, numbers: dict[str, list[int]]) -> str:
    """The desa of a kecamatan with the most TPS (ties: the lowest code)."""
    counts = Counter(
        {code: len(n) for code, n in numbers.items() if code.startswith(kecamatan_code + ".")}
    )
    return min(counts, key=lambda code: (-counts[code], code))


def polres_name(kabupaten: Area) -> str:
    short = kabupaten.name.removeprefix("Kabupaten ").removeprefix("Kota ")
    return "Polrestabes Palembang" if kabupaten.code == "16.71" else f"Polres {short}"


def estimated_units(
    areas: list[Area],
    numbers: dict[str, list[int]],
    by_code: dict[str, Area],
    seats: Mapping[str, Seat] | None = None,
) -> list[Unit]:
    """Where no Polsek table is known: a Polres per kabupaten and one sector per kecamatan.

    The Polres stands in its regency's seat where ``seats`` knows it (the desa estimated: the
    seat kecamatan's busiest), else in the busiest desa of the regency's busiest kecamatan.
    """
    units = []
    for kab in (a for a in areas if a.level is AreaLevel.KABUPATEN):
        kecamatan = kecamatan_of(kab.code, areas)
        hq, note = polres_base(kab.code, kecamatan, numbers, by_code, seats)
        polres_code = f"polres.{kab.code}"
        units.append(unit_at(polres_code, polres_name(kab), UnitType.POLRES, None, (), hq, note))
        for kec_code in kecamatan:
            base = by_code[busiest_desa(kec_code, numbers)]
            units.append(
                unit_at(f"polsek.{kec_code}", f"Polsek {by_code[kec_code].name}", UnitType.POLSEK,
                        polres_code, (kec_code,), base,
                        "sector estimated: one per kecamatan; base: its busiest desa")
            )
    return units


def kecamatan_of(regency: str, areas: Iterable[Area]) -> list[str]:
    """The codes of the regency's kecamatan that hold TPS, sorted."""
    return sorted(a.code for a in areas
                  if a.level is AreaLevel.KECAMATAN and a.code.startswith(regency + "."))


def polres_base(
    regency: str,
    kecamatan: list[str],
    numbers: dict[str, list[int]],
    by_code: dict[str, Area],
    seats: Mapping[str, Seat] | None,
) -> tuple[Area, str]:
    """Where the Polres (and the KPU office) of a regency stands, and a note saying how known."""
    seat = (seats or {}).get(regency)
    if seat is not None and seat.kecamatan_code in kecamatan:
        desa = by_code[busiest_desa(seat.kecamatan_code, numbers)]
        return desa, (f"base: the regency seat {seat.town} (Kec. {seat.kecamatan_name}); "
                      "desa estimated: the busiest of that kecamatan")
    busiest = max(kecamatan, key=lambda k: (sum(len(n) for d, n in numbers.items()
                                               if d.startswith(k + ".")), k))
    return (by_code[busiest_desa(busiest, numbers)],
            "base estimated: regency seat unknown, busiest desa of the busiest kecamatan")


def regency_objects(
    regency: Area, hq: Area, kecamatan: list[str], numbers: dict[str, list[int]],
    by_code: dict[str, Area],
) -> list[GuardedObject]:
    """The KPU kabupaten office and its logistics warehouse at the seat, one PPK per kecamatan.

    Their addresses are not in the data: the KPU office and warehouse stand where the Polres
    does (the seat), each PPK at its kecamatan's busiest desa (all estimated). Guard sizes are
    the 2019 practice (KPU kabupaten 30, PPK 15); the operation file decides.
    """
    short = regency.name.removeprefix("Kabupaten ")
    hq_kec = hq.code.rsplit(".", 1)[0]
    objects = [
        GuardedObject(f"kpu.{regency.code}", f"Kantor KPU {regency.name}",
                      GuardedObjectKind.KPU_KABUPATEN, hq_kec, hq.lat or 0.0, hq.lng or 0.0, 30),
        GuardedObject(f"gudang.{regency.code}", f"Gudang Logistik KPU {short}",
                      GuardedObjectKind.GUDANG_LOGISTIK, hq_kec, hq.lat or 0.0, hq.lng or 0.0,
                      10),
    ]
    for kec in kecamatan:
        desa = by_code[busiest_desa(kec, numbers)]
        objects.append(GuardedObject(f"ppk.{kec}", f"Sekretariat PPK {by_code[kec].name}",
                                     GuardedObjectKind.PPK, kec, desa.lat or 0.0,
                                     desa.lng or 0.0, 15))
    return objects


def estimated_objects(
    areas: list[Area], units: list[Unit], numbers: dict[str, list[int]],
    by_code: dict[str, Area],
) -> list[GuardedObject]:
    """``regency_objects`` of every kabupaten in ``areas``, at its Polres' base."""
    polres = {u.code.removeprefix("polres."): u for u in units if u.type is UnitType.POLRES}
    objects = []
    for kab in (a for a in areas if a.level is AreaLevel.KABUPATEN):
        base = polres[kab.code].base_desa_code
        hq = by_code[base] if base else by_code[busiest_desa(kecamatan_of(kab.code, areas)[0],
                                                             numbers)]
        objects += regency_objects(kab, hq, kecamatan_of(kab.code, areas), numbers, by_code)
    return objects


def unit_at(
    code: str,
    name: str,
    unit_type: UnitType,
    parent: str | None,
    kecamatan: tuple[str, ...],
    base: Area,
    note: str,
    precision: Precision = Precision.ESTIMATED,
) -> Unit:
    return Unit(code, name, unit_type, parent, kecamatan, base.code, base.lat or 0.0,
                base.lng or 0.0, precision, note)

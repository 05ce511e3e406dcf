"""A toy regency for the classification and post tests, laid out so outcomes follow by hand.

Kabupaten Mainan (16.98) has two kecamatan, each a Polsek sector (0.01 degree is about 1.1 km):

    Hulu (Polsek Hulu at Kota Hulu, -4.002 104.002)
      Kota Hulu    1 km2, 6 TPS close together: urban (6 TPS/km2); TPS 006 has Bawaslu's
                   indicator riwayat_kekerasan
      Talang Jauh  80 km2, 3 TPS 22-27 km east of the base: remote; 003 is the farthest
    Hilir (Polsek Hilir at Pasar Hilir, -4.102 104.002)
      Pasar Hilir  3 km2, 5 TPS and TPS khusus 901: rural
      Ujung Hilir  40 km2, 2 TPS about 20 km south: remote

With the toy operation (2 pre-screened rawan TPS, kurang rawan 2 officers per up to 4 TPS, every
other class 2 per TPS): Talang Jauh 003 and 002 and Kota Hulu 006 are rawan, Pasar Hilir 901 is
khusus; Hulu keeps 6 kurang rawan TPS, Hilir 7. The other classes need 4 posts (8 officers).
"""

from __future__ import annotations

from typing import Any

from pamtps.domain import Area, AreaLevel, Dataset, Precision, Tps, TpsKind, Unit, UnitType
from pamtps.domain.plan import Scenario
from pamtps.domain.tps import tps_code
from pamtps.io.operation_file import parse_operation

KABUPATEN = "16.98"
HULU, HILIR = "16.98.01", "16.98.02"
KOTA_HULU, TALANG_JAUH = "16.98.01.1001", "16.98.01.2002"
PASAR_HILIR, UJUNG_HILIR = "16.98.02.2001", "16.98.02.2002"
SECTOR_HULU, SECTOR_HILIR = "polsek.16.98.01", "polsek.16.98.02"

AREAS = [
    Area(KABUPATEN, "Kabupaten Mainan", AreaLevel.KABUPATEN, -4.1, 104.1, 900.0),
    Area(HULU, "Hulu", AreaLevel.KECAMATAN, -4.01, 104.1, 400.0),
    Area(KOTA_HULU, "Kota Hulu", AreaLevel.DESA, -4.002, 104.002, 1.0, "kelurahan"),
    Area(TALANG_JAUH, "Talang Jauh", AreaLevel.DESA, -4.01, 104.22, 80.0, "desa"),
    Area(HILIR, "Hilir", AreaLevel.KECAMATAN, -4.2, 104.0, 500.0),
    Area(PASAR_HILIR, "Pasar Hilir", AreaLevel.DESA, -4.102, 104.002, 3.0, "desa"),
    Area(UJUNG_HILIR, "Ujung Hilir", AreaLevel.DESA, -4.285, 104.005, 40.0, "desa"),
]

PLACES = {
    KOTA_HULU: [(-4.000, 104.000), (-4.002, 104.001), (-4.001, 104.003), (-4.003, 104.002),
                (-4.004, 104.004), (-4.002, 104.005)],
    TALANG_JAUH: [(-4.00, 104.20), (-4.01, 104.22), (-4.02, 104.24)],
    PASAR_HILIR: [(-4.100, 104.000), (-4.102, 104.002), (-4.104, 104.001), (-4.101, 104.004),
                  (-4.103, 104.005)],
    UJUNG_HILIR: [(-4.28, 104.00), (-4.29, 104.01)],
}


def _tps(desa: str, number: int, lat: float, lng: float, **details: Any) -> Tps:
    kind = TpsKind.KHUSUS if number >= 900 else TpsKind.REGULER
    return Tps(tps_code(desa, number), number, desa, kind, 250, Precision.ESTIMATED, lat, lng,
               Precision.ESTIMATED, **details)


def _all_tps() -> list[Tps]:
    result = [
        _tps(desa, n, lat, lng)
        for desa, places in PLACES.items()
        for n, (lat, lng) in enumerate(places, start=1)
    ]
    violent = frozenset({"riwayat_kekerasan"})
    result[5] = _tps(KOTA_HULU, 6, *PLACES[KOTA_HULU][5], indicators=violent)
    result.append(_tps(PASAR_HILIR, 901, -4.105, 103.998))
    return sorted(result, key=lambda t: t.code)


TPS = _all_tps()
CODE = {(t.desa_code, t.number): t.code for t in TPS}
VIOLENT = CODE[(KOTA_HULU, 6)]
TALANG_1, TALANG_2, TALANG_3 = (CODE[(TALANG_JAUH, n)] for n in (1, 2, 3))
UJUNG_1, UJUNG_2 = CODE[(UJUNG_HILIR, 1)], CODE[(UJUNG_HILIR, 2)]
KHUSUS = CODE[(PASAR_HILIR, 901)]


def _unit(code: str, name: str, kind: UnitType, sector: tuple[str, ...], desa: str) -> Unit:
    area = next(a for a in AREAS if a.code == desa)
    assert area.lat is not None and area.lng is not None
    parent = "polres.16.98" if kind is UnitType.POLSEK else None
    return Unit(code, name, kind, parent, sector, desa, area.lat, area.lng, Precision.ESTIMATED)


UNITS = [
    _unit("polres.16.98", "Polres Mainan", UnitType.POLRES, (), KOTA_HULU),
    _unit(SECTOR_HULU, "Polsek Hulu", UnitType.POLSEK, (HULU,), KOTA_HULU),
    _unit(SECTOR_HILIR, "Polsek Hilir", UnitType.POLSEK, (HILIR,), PASAR_HILIR),
]

OPERATION: dict[str, Any] = {
    "name": "Operasi Mainan",
    "dataset": "toy",
    "regency": KABUPATEN,
    "election_type": "pemilu",
    "voting_day": "2024-02-14",
    "pattern": {
        "kurang_rawan": {"officers_per_post": 2, "max_tps_per_post": 4},
        "rawan": {"officers_per_post": 2, "max_tps_per_post": 1},
        "sangat_rawan": {"officers_per_post": 2, "max_tps_per_post": 1},
        "khusus": {"officers_per_post": 2, "max_tps_per_post": 1},
    },
    "classification": {"prescreen_rawan": 2, "rawan_indicators": ["riwayat_kekerasan"]},
}


def toy_scenario(*, units: list[Unit] | None = None, **changes: Any) -> Scenario:
    """The toy scenario; ``changes`` replace top-level fields of the operation (dicts merge)."""
    data = dict(OPERATION)
    for key, value in changes.items():
        data[key] = {**data[key], **value} if isinstance(value, dict) and key in data else value
    dataset = Dataset("toy", (KABUPATEN,), list(AREAS), list(TPS), list(UNITS if units is None
                                                                          else units))
    return Scenario(dataset, parse_operation(data))

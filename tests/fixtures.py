"""A toy regency small enough to follow by hand.

Kabupaten Contoh (16.99) has two kecamatan: Hulu (two desa) and Hilir (a kelurahan and a desa).
Its six TPS include one rawan TPS (Sukamaju 002) and one special TPS (Pasar 901). Polres Contoh
has one Polsek per kecamatan; a Brimob platoon and a Samapta detachment are lent by the Polda,
and the Kodim sends one soldier. Lists are ordered by code, as the store returns them.
"""

from __future__ import annotations

from typing import Any

from pamtps.domain import (
    Area,
    AreaLevel,
    Availability,
    Dataset,
    GuardedObject,
    GuardedObjectKind,
    Officer,
    Origin,
    Precision,
    Tps,
    TpsKind,
    Unit,
    UnitType,
    VulnerabilityClass,
    rank_by_name,
)
from pamtps.domain.tps import tps_code

KABUPATEN = "16.99"
HULU, HILIR = "16.99.01", "16.99.02"
SUKAMAJU, SUKADAMAI = "16.99.01.2001", "16.99.01.2002"
PASAR, TALANG_JAYA = "16.99.02.1001", "16.99.02.2001"

AREAS = [
    Area(KABUPATEN, "Kabupaten Contoh", AreaLevel.KABUPATEN, -4.10, 104.10, 820.5),
    Area(HULU, "Hulu", AreaLevel.KECAMATAN, -4.05, 104.05, 410.0),
    Area(SUKAMAJU, "Sukamaju", AreaLevel.DESA, -4.04, 104.04, 12.5, "desa"),
    Area(SUKADAMAI, "Sukadamai", AreaLevel.DESA, -4.06, 104.06, 30.25, "desa"),
    Area(HILIR, "Hilir", AreaLevel.KECAMATAN, -4.15, 104.15, 410.5),
    Area(PASAR, "Pasar", AreaLevel.DESA, -4.14, 104.14, 2.0, "kelurahan"),
    Area(TALANG_JAYA, "Talang Jaya", AreaLevel.DESA, -4.16, 104.16, None, "desa"),
]

BOUNDARIES = {
    SUKAMAJU: {
        "type": "Polygon",
        "coordinates": [[[104.03, -4.03], [104.05, -4.03], [104.05, -4.05], [104.03, -4.03]]],
    },
}


def _tps(desa: str, number: int, voters: int | None, **details: Any) -> Tps:
    kind = TpsKind.KHUSUS if number >= 900 else TpsKind.REGULER
    return Tps(
        tps_code(desa, number),
        number,
        desa,
        kind,
        voters,
        Precision.SURVEYED if voters else Precision.ESTIMATED,
        -4.0 - number / 1000,
        104.0 + number / 1000,
        Precision.ESTIMATED,
        **details,
    )


RAWAN_TPS = _tps(
    SUKAMAJU,
    2,
    180,
    indicators=frozenset({"sulit_dijangkau", "rawan_bencana"}),
    vulnerability=VulnerabilityClass.RAWAN,
    class_reasons=("hard to reach", "flood-prone"),
)
KHUSUS_TPS = _tps(PASAR, 901, None, vulnerability=VulnerabilityClass.KHUSUS)

TPS = [
    _tps(SUKAMAJU, 1, 250),
    RAWAN_TPS,
    _tps(SUKADAMAI, 1, 290),
    _tps(PASAR, 1, 300),
    KHUSUS_TPS,
    _tps(TALANG_JAYA, 1, 120),
]


def _unit(code: str, name: str, kind: UnitType, sector: tuple[str, ...], base: Area) -> Unit:
    parent = "polres_contoh" if kind is UnitType.POLSEK else "polda_sumsel"
    assert base.lat is not None and base.lng is not None
    return Unit(
        code, name, kind, parent, sector, base.code, base.lat, base.lng, Precision.ESTIMATED
    )


_AREA = {area.code: area for area in AREAS}
UNITS = [
    _unit("bko_ditsamapta", "BKO Ditsamapta Polda", UnitType.BKO_POLRI, (), _AREA[PASAR]),
    _unit("brimob_pleton_1", "Pleton 1 Brimob", UnitType.BRIMOB, (), _AREA[PASAR]),
    _unit("kodim_contoh", "Kodim Contoh", UnitType.TNI, (), _AREA[PASAR]),
    _unit("polres_contoh", "Polres Contoh", UnitType.POLRES, (), _AREA[PASAR]),
    _unit("polsek_hilir", "Polsek Hilir", UnitType.POLSEK, (HILIR,), _AREA[PASAR]),
    _unit("polsek_hulu", "Polsek Hulu", UnitType.POLSEK, (HULU,), _AREA[SUKAMAJU]),
]


def _officer(
    nrp: str, rank: str, name: str, unit: str, origin: Origin, function: str, **details: Any
) -> Officer:
    return Officer(
        nrp,
        name,
        rank_by_name(rank),
        unit,
        origin,
        function,
        -4.1,
        104.1,
        synthetic=True,
        **details,
    )


OFFICERS = [
    _officer("31070007", "Serka", "Gunawan", "kodim_contoh", Origin.TNI, "Babinsa"),
    _officer("76010001", "AKBP", "Bambang", "polres_contoh", Origin.POLRES, "Kapolres"),
    _officer("85020002", "Iptu", "Sari", "polsek_hulu", Origin.POLSEK, "Kapolsek"),
    _officer(
        "90030003",
        "Bripka",
        "Andi",
        "polsek_hulu",
        Origin.POLSEK,
        "Bhabinkamtibmas",
        barred_desa=frozenset({SUKADAMAI}),
    ),
    _officer(
        "95040004",
        "Brigpol",
        "Dewi",
        "polsek_hilir",
        Origin.POLSEK,
        "Samapta",
        availability=Availability.SICK,
    ),
    _officer("97060006", "Briptu", "Fajar", "bko_ditsamapta", Origin.BKO_POLRI, "Ditsamapta"),
    _officer("98050005", "Bripda", "Eko", "brimob_pleton_1", Origin.BKO_POLRI, "Brimob"),
]

OBJECTS = [
    GuardedObject(
        "kpu_contoh",
        "KPU Kabupaten Contoh",
        GuardedObjectKind.KPU_KABUPATEN,
        HILIR,
        -4.14,
        104.14,
        4,
    ),
]


def toy_dataset() -> Dataset:
    """A fresh Dataset of the toy regency (Datasets are mutable, so each caller gets its own)."""
    return Dataset(
        "toy",
        (KABUPATEN,),
        list(AREAS),
        list(TPS),
        list(UNITS),
        list(OFFICERS),
        list(OBJECTS),
        dict(BOUNDARIES),
    )

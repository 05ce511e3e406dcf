"""A tiny regency on a line, small enough to staff by hand.

Kabupaten Contoh (16.99, with the area codes of ``tests/fixtures.py``) lies along one road: a
point's ``lng - 104`` is its place on the road, and ``LineTravel`` takes 100 minutes per degree.
Two kecamatan: Hulu (Sukamaju, Sukadamai; Polsek Hulu at 0.00) and Hilir (Pasar, Talang Jaya;
Polsek Hilir at 0.70). Polres Contoh and the KPU office stand at 0.50. Four posts hold the six TPS:

    P1 rawan   Sukamaju 002                 at 0.02
    P2 kurang  Sukamaju 001, Sukadamai 001  at 0.10
    P3 khusus  Pasar 901                    at 0.52
    P4 kurang  Pasar 001, Talang Jaya 001   at 0.70

13 own officers (share 1/2: 6 on TPS), 2 BKO, a Brimob platoon of 2 stationed at the KPU office
(which guards it with 3: one own officer tops it up) and 1 TNI soldier in reserve at the Polres.
``EXPECTED`` is the plan worked out by hand (total travel 26 minutes).
"""

from __future__ import annotations

from datetime import date

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
from pamtps.domain.plan import Assignment, Duty, Plan, Post, Quality, Scenario
from pamtps.domain.tps import tps_code
from pamtps.io.operation_file import parse_operation
from tests.fixtures import HILIR, HULU, PASAR, SUKADAMAI, SUKAMAJU, TALANG_JAYA

V = VulnerabilityClass
LAT = -4.0
PLACE = {SUKAMAJU: 0.0, SUKADAMAI: 0.10, PASAR: 0.50, TALANG_JAYA: 0.70, HULU: 0.05, HILIR: 0.6}


def _area(code: str, name: str, level: AreaLevel) -> Area:
    return Area(code, name, level, LAT, 104 + PLACE.get(code, 0.3), 10.0)


def _tps(desa: str, number: int, at: float) -> Tps:
    kind = TpsKind.KHUSUS if number >= 900 else TpsKind.REGULER
    return Tps(
        tps_code(desa, number),
        number,
        desa,
        kind,
        200,
        Precision.SURVEYED,
        LAT,
        104 + at,
        Precision.ESTIMATED,
    )


TPS = [
    _tps(SUKAMAJU, 1, 0.0),
    _tps(SUKAMAJU, 2, 0.02),
    _tps(SUKADAMAI, 1, 0.10),
    _tps(PASAR, 1, 0.50),
    _tps(PASAR, 901, 0.52),
    _tps(TALANG_JAYA, 1, 0.70),
]
T_SUKAMAJU_1, T_RAWAN, T_SUKADAMAI, T_PASAR, T_KHUSUS, T_TALANG = (t.code for t in TPS)
CLASSES = {t.code: V.KURANG_RAWAN for t in TPS} | {T_RAWAN: V.RAWAN, T_KHUSUS: V.KHUSUS}


def _unit(code: str, kind: UnitType, sector: tuple[str, ...], at: float) -> Unit:
    parent = "polres" if kind is UnitType.POLSEK else None
    return Unit(
        code,
        code.replace("_", " ").title(),
        kind,
        parent,
        sector,
        None,
        LAT,
        104 + at,
        Precision.ESTIMATED,
    )


UNITS = [
    _unit("polres", UnitType.POLRES, (), 0.50),
    _unit("polsek_hulu", UnitType.POLSEK, (HULU,), 0.0),
    _unit("polsek_hilir", UnitType.POLSEK, (HILIR,), 0.70),
    _unit("bko", UnitType.BKO_POLRI, (), 0.50),
    _unit("brimob", UnitType.BRIMOB, (), 0.50),
    _unit("kodim", UnitType.TNI, (), 0.50),
]
_BASE = {u.code: u.base_lng for u in UNITS}


def officer(
    nrp: str,
    rank: str,
    name: str,
    unit: str,
    function: str = "",
    at: float | None = None,
    **details: object,
) -> Officer:
    """An officer of ``unit``, based at the unit unless ``at`` places him on the road."""
    origin = {
        "polres": Origin.POLRES,
        "bko": Origin.BKO_POLRI,
        "brimob": Origin.BKO_POLRI,
        "kodim": Origin.TNI,
    }.get(unit, Origin.POLSEK)
    lng = _BASE[unit] if at is None else 104 + at
    return Officer(
        nrp,
        name,
        rank_by_name(rank),
        unit,
        origin,
        function or unit,
        LAT,
        lng,
        synthetic=True,
        **details,
    )  # type: ignore[arg-type]


OFFICERS = [
    officer("70010001", "AKBP", "Bambang", "polres", "Kapolres"),
    officer("72010002", "Kompol", "Wira", "polres", "Wakapolres"),
    officer("80020003", "Iptu", "Sari", "polsek_hulu", "Kapolsek"),
    officer("81020004", "Iptu", "Hadi", "polsek_hilir", "Kapolsek"),
    officer("88030005", "Bripka", "Andi", "polsek_hulu", barred_desa=frozenset({SUKADAMAI})),
    officer("90030006", "Brigpol", "Budi", "polsek_hulu"),
    officer("92030007", "Briptu", "Citra", "polsek_hulu", at=0.10),
    officer("89040008", "Bripka", "Joko", "polsek_hilir"),
    officer("93040009", "Briptu", "Lina", "polsek_hilir"),
    officer("91040010", "Brigpol", "Dewi", "polsek_hilir", availability=Availability.SICK),
    officer("87050011", "Bripka", "Rudi", "polres", "Sat Samapta"),
    officer("84050012", "Aiptu", "Tono", "polres", "Sat Lantas", at=0.52),
    officer("85050013", "Aipda", "Wati", "polres", "Si Humas", at=0.40),
    officer("93060014", "Briptu", "Fajar", "bko", "BKO Polda"),
    officer("96060015", "Bripda", "Gita", "bko", "BKO Polda", at=0.30),
    officer("97070016", "Bripda", "Eko", "brimob", "Brimob"),
    officer("99070017", "Bharada", "Hana", "brimob", "Brimob"),
    officer("31080018", "Serka", "Gunawan", "kodim", "TNI"),
]
NRP = {o.name: o.nrp for o in OFFICERS}

OPERATION = {
    "name": "Operasi Contoh",
    "dataset": "tiny",
    "regency": "16.99",
    "election_type": "pemilu",
    "voting_day": date(2024, 2, 14),
    "tps_share": "1/2",
    "padal_per_kecamatan": 1,
    "pattern": {
        "kurang_rawan": {"officers_per_post": 2, "max_tps_per_post": 2},
        "rawan": {"officers_per_post": 2, "max_tps_per_post": 1},
        "sangat_rawan": {"officers_per_post": 2, "max_tps_per_post": 1},
        "khusus": {"officers_per_post": 2, "max_tps_per_post": 1},
    },
    "guards": [{"object": "kpu_contoh", "guard_size": 3, "from_reserve": True}],
    "reserve": {"unit_types": ["brimob", "tni"], "floor": 1, "stations": {"brimob": "kpu_contoh"}},
    "classification": {"overrides": {T_RAWAN: "rawan"}},
}


def tiny_dataset(personnel: list[Officer] | None = None) -> Dataset:
    areas = [Area("16.99", "Kabupaten Contoh", AreaLevel.KABUPATEN)]
    areas += [
        _area(HULU, "Hulu", AreaLevel.KECAMATAN),
        _area(SUKAMAJU, "Sukamaju", AreaLevel.DESA),
        _area(SUKADAMAI, "Sukadamai", AreaLevel.DESA),
        _area(HILIR, "Hilir", AreaLevel.KECAMATAN),
        _area(PASAR, "Pasar", AreaLevel.DESA),
        _area(TALANG_JAYA, "Talang Jaya", AreaLevel.DESA),
    ]
    kpu = GuardedObject(
        "kpu_contoh", "KPU Kabupaten Contoh", GuardedObjectKind.KPU_KABUPATEN, HILIR, LAT, 104.5, 30
    )
    return Dataset(
        "tiny",
        ("16.99",),
        areas,
        list(TPS),
        list(UNITS),
        list(OFFICERS if personnel is None else personnel),
        [kpu],
    )


def tiny_scenario(personnel: list[Officer] | None = None, **operation: object) -> Scenario:
    """The tiny scenario; keyword arguments replace fields of the operation."""
    return Scenario(tiny_dataset(personnel), parse_operation(OPERATION | operation))


def _post(pid: str, kec: str, cls: V, tps: list[str], at: float) -> Post:
    return Post(
        pid, f"polsek_{kec}", {"hulu": HULU, "hilir": HILIR}[kec], cls, tps, 2, 0, LAT, 104 + at
    )


def tiny_posts() -> list[Post]:
    return [
        _post("P1", "hulu", V.RAWAN, [T_RAWAN], 0.02),
        _post("P2", "hulu", V.KURANG_RAWAN, [T_SUKAMAJU_1, T_SUKADAMAI], 0.10),
        _post("P3", "hilir", V.KHUSUS, [T_KHUSUS], 0.52),
        _post("P4", "hilir", V.KURANG_RAWAN, [T_PASAR, T_TALANG], 0.70),
    ]


# name -> (duty, target, leader, travel minutes): the plan worked out by hand.
EXPECTED = {
    "Bambang": (Duty.HQ, "polres", False, 0.0),
    "Wira": (Duty.HQ, "polres", False, 0.0),
    "Sari": (Duty.PADAL, HULU, False, 5.0),
    "Hadi": (Duty.PADAL, HILIR, False, 10.0),
    "Andi": (Duty.POST, "P1", True, 2.0),
    "Budi": (Duty.POST, "P1", False, 2.0),
    "Citra": (Duty.POST, "P2", True, 0.0),
    "Joko": (Duty.POST, "P4", True, 0.0),
    "Lina": (Duty.POST, "P4", False, 0.0),
    "Dewi": (Duty.UNAVAILABLE, "", False, 0.0),
    "Rudi": (Duty.GUARD, "kpu_contoh", False, 0.0),
    "Tono": (Duty.POST, "P3", True, 0.0),
    "Wati": (Duty.HQ, "polres", False, 0.0),
    "Fajar": (Duty.POST, "P3", False, 2.0),
    "Gita": (Duty.POST, "P2", False, 20.0),
    "Eko": (Duty.RESERVE, "kpu_contoh", False, 0.0),
    "Hana": (Duty.RESERVE, "kpu_contoh", False, 0.0),
    "Gunawan": (Duty.RESERVE, "polres", False, 0.0),
}


def expected_assignments() -> list[Assignment]:
    return [Assignment(NRP[name], *EXPECTED[name]) for name in NRP]


def tiny_plan() -> Plan:
    """The hand-made plan: it meets every rule."""
    return Plan(
        dataset="tiny",
        operation="Operasi Contoh",
        regency="16.99",
        mode="allocation",
        seed=7,
        classes=dict(CLASSES),
        reasons={code: ["test class"] for code in CLASSES},
        posts=tiny_posts(),
        assignments=expected_assignments(),
        reserve_minutes={t.code: round(100 * abs(t.lng - 104.5), 2) for t in TPS},
        quality=Quality(26.0, 26.0, "optimal", 0.0, 7),
    )

"""The geographic pre-screen: every TPS ranked by how hard it is to reach.

Bawaslu OKU's 20 rawan TPS of Pemilu 2024 were rawan *because of geography* (remote farm
hamlets), and no per-TPS list is public. The pre-screen puts the data we have in its place: the
travel time from the TPS's sector base (the main factor), how sparse its desa is and, when the
optional PODES village indicators are given, the distance to a road, the disaster indices, the
natural forest, the internet signal and the electrification of its desa.

Each component is turned into a percentile rank (0 = easiest, 1 = hardest among the regency's
TPS; ties share their mean rank; a missing value counts 0.5), so that no unit or outlier
dominates. The score is the weighted mean over the components present; ties are broken by TPS
code, so the ranking is deterministic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy.stats import rankdata

from pamtps.datasets.files import read_csv
from pamtps.domain import Tps
from pamtps.domain.plan import Scenario
from pamtps.planner.sectors import sector_of_tps, sectors
from pamtps.planner.travel import TravelModel, haversine_matrix, tps_density, travel_for

TRAVEL_WEIGHT = 0.50  # minutes from the sector base: the main factor
SPARSENESS_WEIGHT = 0.20  # km2 of desa per TPS: big, thinly settled desa
ROAD_WEIGHT = 0.10  # PODES jarak_jalan: median distance to a road
DISASTER_WEIGHT = 0.08  # BNPB flood + landslide hazard indices
SIGNAL_WEIGHT = 0.05  # PODES internet signal category (4 = none)
FOREST_WEIGHT = 0.04  # share of natural forest
ELECTRICITY_WEIGHT = 0.03  # share of households without electricity

INDICATORS_FILE = ("indicators", "podes_sumsel_desa_indikator.csv")
INDICATOR_COLUMNS = (
    "jarak_jalan",
    "indeks_bahaya_banjir",
    "indeks_bahaya_longsor",
    "persentase_hutan_alami",
    "jenis_sinyal_internet",
    "persentase_elektrifikasi",
)
# PODES 2021 signal codes: 1 4G/LTE, 2 3G, 3 2.5G/EDGE/GPRS, 4 no internet signal; 0 unknown.
SIGNAL_CODES = {1.0, 2.0, 3.0, 4.0}

WEIGHTS = {
    "travel": TRAVEL_WEIGHT,
    "sparseness": SPARSENESS_WEIGHT,
    "road": ROAD_WEIGHT,
    "disaster": DISASTER_WEIGHT,
    "signal": SIGNAL_WEIGHT,
    "forest": FOREST_WEIGHT,
    "electricity": ELECTRICITY_WEIGHT,
}


Indicators = Mapping[str, Mapping[str, float | None]]


@dataclass(frozen=True)
class PrescreenScore:
    """One TPS's place in the pre-screen, with the figures behind it.

    ``rank`` 1 is the hardest to reach of ``of`` TPS; ``components`` are the percentile ranks
    (0 to 1) that make up ``score``.
    """

    tps: str
    rank: int
    of: int
    score: float
    sector: str
    base_name: str
    km_from_base: float
    minutes_from_base: float
    tps_per_km2: float | None
    components: dict[str, float] = field(default_factory=dict)

    def describe(self) -> str:
        """'rank 3 of 1225 hardest to reach (34.2 km from Polsek Ulu Ogan, desa 0.04 TPS/km2)'."""
        density = ""
        if self.tps_per_km2 is not None:
            digits = 2 if self.tps_per_km2 < 1 else 1
            density = f", desa {self.tps_per_km2:.{digits}f} TPS/km2"
        return (
            f"rank {self.rank} of {self.of} hardest to reach "
            f"({self.km_from_base:.1f} km from {self.base_name}{density})"
        )


def load_bundled_indicators(regency_code: str) -> dict[str, dict[str, float | None]]:
    """The bundled PODES desa indicators of one regency, by dotted kode_desa.

    The file is GPL-3.0 data from CIFOR-ICRAF (a draft, by its authors' word), kept optional:
    nothing in the planner needs it. Unmatched rows (no kode_desa) are skipped; an empty cell
    is None; a desa listed twice keeps its first row.
    """
    result: dict[str, dict[str, float | None]] = {}
    for row in read_csv(*INDICATORS_FILE):
        code = row["kode_desa"].strip()
        if not code.startswith(regency_code + ".") or code in result:
            continue
        result[code] = {c: float(row[c]) if row[c].strip() else None for c in INDICATOR_COLUMNS}
    return result


def percentile_ranks(values: list[float | None]) -> list[float]:
    """Each value's rank scaled to 0..1 (ties share their mean rank; None is 0.5)."""
    known = [i for i, v in enumerate(values) if v is not None]
    result = [0.5] * len(values)
    if len(known) > 1:
        ranks = rankdata([values[i] for i in known], method="average")
        for i, r in zip(known, ranks):
            result[i] = float((r - 1) / (len(known) - 1))
    return result


def indicator_components(tps: list[Tps], indicators: Indicators) -> dict[str, list[float | None]]:
    """The raw indicator components of each TPS from its desa (higher is harder to reach)."""

    def column(name: str, t: Tps) -> float | None:
        return indicators.get(t.desa_code, {}).get(name)

    def disaster(t: Tps) -> float | None:
        parts = [column("indeks_bahaya_banjir", t), column("indeks_bahaya_longsor", t)]
        known = [p for p in parts if p is not None]
        return sum(known) if known else None

    def signal(t: Tps) -> float | None:
        code = column("jenis_sinyal_internet", t)
        return code if code in SIGNAL_CODES else None

    def no_electricity(t: Tps) -> float | None:
        share = column("persentase_elektrifikasi", t)
        return None if share is None else 100.0 - share

    return {
        "road": [column("jarak_jalan", t) for t in tps],
        "disaster": [disaster(t) for t in tps],
        "signal": [signal(t) for t in tps],
        "forest": [column("persentase_hutan_alami", t) for t in tps],
        "electricity": [no_electricity(t) for t in tps],
    }


def prescreen(
    scenario: Scenario,
    indicators: Indicators | None = None,
    travel: TravelModel | None = None,
) -> list[PrescreenScore]:
    """Every TPS of the scenario ranked hardest-to-reach first (see the module docstring)."""
    dataset = scenario.dataset
    tps = dataset.tps
    travel = travel or travel_for(scenario)
    by_sector = sectors(dataset)
    sector_of = sector_of_tps(dataset)
    minutes, km = np.zeros(len(tps)), np.zeros(len(tps))
    for code, sector in by_sector.items():
        index = [i for i, t in enumerate(tps) if sector_of[t.code] == code]
        if not index:
            continue
        base = [(sector.base_lat, sector.base_lng)]
        points = [(tps[i].lat, tps[i].lng) for i in index]
        minutes[index] = travel.matrix(base, points)[0]
        km[index] = haversine_matrix(base, points)[0]
    by_desa = tps_density(dataset)
    density = [by_desa[t.desa_code] for t in tps]
    raw: dict[str, list[float | None]] = {
        "travel": [float(m) for m in minutes],
        "sparseness": [None if d is None else 1.0 / d for d in density],
    }
    if indicators:
        raw |= indicator_components(tps, indicators)
    components = {
        name: percentile_ranks(values)
        for name, values in raw.items()
        if any(v is not None for v in values)
    }
    total_weight = sum(WEIGHTS[name] for name in components)
    scores = [
        sum(WEIGHTS[name] * ranks[i] for name, ranks in components.items()) / total_weight
        for i in range(len(tps))
    ]
    order = sorted(range(len(tps)), key=lambda i: (-round(scores[i], 12), tps[i].code))
    return [
        PrescreenScore(
            tps=tps[i].code,
            rank=rank,
            of=len(tps),
            score=scores[i],
            sector=sector_of[tps[i].code],
            base_name=by_sector[sector_of[tps[i].code]].name,
            km_from_base=float(km[i]),
            minutes_from_base=float(minutes[i]),
            tps_per_km2=density[i],
            components={name: ranks[i] for name, ranks in components.items()},
        )
        for rank, i in enumerate(order, start=1)
    ]


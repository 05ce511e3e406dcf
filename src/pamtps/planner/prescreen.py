"""The geographic pre-screen: every TPS ranked by how hard it is to reach.

Bawaslu OKU's 20 rawan TPS of Pemilu 2024 were rawan *because of geography* (remote farm
hamlets), and no per-TPS list is public. The pre-screen puts in its place what Bawaslu's TPS
rawan mapping and a Polres planning officer judge a TPS by: how long the Polsek needs to get
there, how far its desa lies from a road, whether the ground floods or slides, whether a phone
can reach the command post, forest, electricity and the nearest hospital. The village indicators
are those the scenario's dataset carries (``Dataset.indicators``: the bundled PODES file, with
any the Polres imported laid over it); without them the ranking falls back on travel time and
the desa's sparseness alone, in the same proportion as before (0.30 : 0.12 = 0.50 : 0.20).

Each component is turned into a percentile rank (0 = easiest, 1 = hardest among the regency's
TPS; ties share their mean rank; a missing value counts 0.5), so that no unit or outlier
dominates. A village indicator often sits at its floor for most desa (no forest, no landslide
hazard, every house lit, 4G): such ties take the lowest rank, so "none" counts as easy rather
than as middling. The score is the weighted mean over the components present; ties are broken by TPS
code, so the ranking is deterministic. The weights (they sum to 1), and why:

- ``travel_minutes`` 0.30: minutes from the sector's Polsek base by the travel model. Still the
  largest single part (a reinforcement or a relief comes from there), but no longer the half:
  the base is estimated and the road network coarse.
- ``jarak_jalan`` 0.17: metres from the desa's land to a road (PODES). What "sulit dijangkau"
  means on the ground: the last stretch on foot or by boat.
- ``sparseness`` 0.12: km2 of desa per TPS; a big, thinly settled desa spreads its TPS apart.
- ``jenis_sinyal_internet`` 0.10: no signal (PODES code 4) means no report from the TPS and no
  call for help; Bawaslu counts "kendala jaringan internet" as a rawan variable.
- ``indeks_bahaya_longsor`` 0.08 and ``indeks_bahaya_banjir`` 0.06: BNPB hazard indices. Hilly
  land that slides cuts the only road (the terrain of OKU's southern kecamatan); floods are
  more common but cut roads for a shorter time. Bawaslu: "TPS di wilayah rawan bencana".
- ``persentase_hutan_alami`` 0.06: forest land means tracks, not roads, and no one around.
- ``persentase_elektrifikasi`` 0.06 (less is harder): no light for the count into the night;
  Bawaslu's "kendala aliran listrik".
- ``jarak_rs_terdekat`` 0.05: the PODES class of the distance to a hospital, for an injured
  officer or KPPS member; small because the class barely varies within a regency.

Each score names its ``drivers``: the components on which the TPS is harder than the regency's
middle (percentile above 0.5), most decisive (largest weighted component) first, each with the
desa's own value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy.stats import rankdata

from pamtps.domain import Tps
from pamtps.domain.plan import Scenario
from pamtps.planner.sectors import sector_of_tps, sectors
from pamtps.planner.travel import TravelModel, haversine_matrix, tps_density, travel_for

WEIGHTS = {
    "travel_minutes": 0.30,
    "jarak_jalan": 0.17,
    "sparseness": 0.12,
    "jenis_sinyal_internet": 0.10,
    "indeks_bahaya_longsor": 0.08,
    "indeks_bahaya_banjir": 0.06,
    "persentase_hutan_alami": 0.06,
    "persentase_elektrifikasi": 0.06,
    "jarak_rs_terdekat": 0.05,
}
INDICATOR_KEYS = tuple(key for key in WEIGHTS if key not in ("travel_minutes", "sparseness"))
LESS_IS_HARDER = frozenset({"persentase_elektrifikasi"})
# PODES 2021 signal codes: 1 4G/LTE, 2 3G, 3 2.5G/EDGE/GPRS, 4 no internet signal; 0 unknown.
SIGNAL_CODES = {1.0, 2.0, 3.0, 4.0}
DRIVER_ABOVE = 0.5  # a component drives the rank where the TPS is harder than the middle


Indicators = Mapping[str, Mapping[str, float | None]]


@dataclass(frozen=True)
class PrescreenScore:
    """One TPS's place in the pre-screen, with the figures behind it.

    ``rank`` 1 is the hardest to reach of ``of`` TPS; ``components`` are the percentile ranks
    (0 to 1) that make up ``score``, by key (see WEIGHTS); ``drivers`` are the keys that pushed
    the TPS up with the desa's value (minutes, km2 per TPS, or the indicator's own unit), most
    decisive first.
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
    drivers: list[tuple[str, float]] = field(default_factory=list)

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


def percentile_ranks(values: list[float | None], ties: str = "average") -> list[float]:
    """Each value's rank scaled to 0..1 (ties share their mean rank, or with ``ties="min"``
    the lowest; None is 0.5)."""
    known = [i for i, v in enumerate(values) if v is not None]
    result = [0.5] * len(values)
    if len(known) > 1:
        ranks = rankdata([values[i] for i in known], method=ties)
        for i, r in zip(known, ranks):
            result[i] = float((r - 1) / (len(known) - 1))
    return result


def indicator_values(tps: list[Tps], indicators: Indicators) -> dict[str, list[float | None]]:
    """Each weighed indicator of each TPS's desa, as given (None where unknown or invalid)."""

    def value(key: str, t: Tps) -> float | None:
        found = indicators.get(t.desa_code, {}).get(key)
        if found is None or found != found:  # None or NaN
            return None
        if key == "jenis_sinyal_internet" and found not in SIGNAL_CODES:
            return None
        return float(found)

    return {key: [value(key, t) for t in tps] for key in INDICATOR_KEYS}


def drivers_of(
    components: Mapping[str, float], values: Mapping[str, float | None]
) -> list[tuple[str, float]]:
    """The components above the middle, largest weighted component first, with their values."""
    above = [
        (WEIGHTS[key] * rank, key)
        for key, rank in components.items()
        if rank > DRIVER_ABOVE and values.get(key) is not None
    ]
    above.sort(key=lambda item: (-item[0], item[1]))
    return [(key, float(values[key] or 0.0)) for _, key in above]


def prescreen(
    scenario: Scenario,
    indicators: Indicators | None = None,
    travel: TravelModel | None = None,
) -> list[PrescreenScore]:
    """Every TPS of the scenario ranked hardest-to-reach first (see the module docstring).

    ``indicators`` default to those the scenario's dataset carries; ``{}`` switches them off.
    """
    dataset = scenario.dataset
    tps = dataset.tps
    if indicators is None:
        indicators = dataset.indicators
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
        "travel_minutes": [float(m) for m in minutes],
        "sparseness": [None if d is None else 1.0 / d for d in density],
    }
    if indicators:
        raw |= indicator_values(tps, indicators)
    components = {
        name: percentile_ranks(
            [None if v is None else -v for v in values] if name in LESS_IS_HARDER else values,
            "min" if name in INDICATOR_KEYS else "average",
        )
        for name, values in raw.items()
        if any(v is not None for v in values)
    }
    total_weight = sum(WEIGHTS[name] for name in components)
    scores = [
        sum(WEIGHTS[name] * ranks[i] for name, ranks in components.items()) / total_weight
        for i in range(len(tps))
    ]
    order = sorted(range(len(tps)), key=lambda i: (-round(scores[i], 12), tps[i].code))
    result = []
    for rank, i in enumerate(order, start=1):
        own = {name: ranks[i] for name, ranks in components.items()}
        result.append(PrescreenScore(
            tps=tps[i].code,
            rank=rank,
            of=len(tps),
            score=scores[i],
            sector=sector_of[tps[i].code],
            base_name=by_sector[sector_of[tps[i].code]].name,
            km_from_base=float(km[i]),
            minutes_from_base=float(minutes[i]),
            tps_per_km2=density[i],
            components=own,
            drivers=drivers_of(own, {name: raw[name][i] for name in components}),
        ))
    return result

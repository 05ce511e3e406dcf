"""Small OKU-like instances: a seeded sample of OKU's TPS, a roster to match, a light operation.

Each keeps about one TPS in ``every`` (about 150: every sector stays, with a handful of TPS), a
generated roster of 130 own officers (86 of them on TPS duty, a pair per 3.5 TPS or so) and a
few BKO, and OKU's operation without guards and with a Polres reserve of 4, what such a small
roster can give. The sectors are small enough for the exact MIP.
"""

from __future__ import annotations

import random
from dataclasses import replace

from pamtps.datasets import load_dataset
from pamtps.datasets.roster import RosterFigures, generate_roster
from pamtps.domain import VulnerabilityClass
from pamtps.domain.plan import Scenario
from pamtps.io.operation_file import bundled_operation, load_operation


def generated(seed: int, every: int = 8, rawan_tps: int = 1) -> Scenario:
    """The instance of ``seed``: OKU's TPS sampled one in ``every``, its roster and operation,
    with rawan posts of at most ``rawan_tps`` TPS (OKU's 1; with 2, a rawan post of one rawan
    TPS may hold a kurang rawan TPS besides)."""
    dataset = load_dataset("oku-2024")
    rng = random.Random(seed)
    tps = [t for t in dataset.tps if rng.randrange(every) == 0]
    small = replace(dataset, tps=tps)
    figures = RosterFigures(polres=130, bko_polri=len(tps) // 20, brimob=30, tni=0)
    officers, units = generate_roster(small, figures, seed=seed)
    operation = load_operation(bundled_operation("oku-2024"))
    operation = operation.replace(
        guards=[],
        reserve=replace(operation.reserve, polres_reserve=4, floor=1, stations={}),
        classification=replace(operation.classification, prescreen_rawan=3),
        pattern={**operation.pattern, VulnerabilityClass.RAWAN: replace(
            operation.pattern[VulnerabilityClass.RAWAN], max_tps_per_post=rawan_tps)},
    )
    return Scenario(small.with_personnel(officers, units), operation)

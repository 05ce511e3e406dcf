"""The forces a plan was made with, read from its scenario: the figures a Kabag Ops checks first.

The plan summary (terminal and JSON) and the Sprint attachment all show these same numbers, so
they are counted once, here: what the roster holds and what the operation sets.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from pamtps.domain.personnel import Origin
from pamtps.domain.plan import Scenario
from pamtps.domain.units import UnitType


@dataclass(frozen=True)
class ForceSettings:
    """The operation's strength and settings as planned."""

    mode: str  # allocation or requirement
    strength: int  # own Polres officers (HQ and Polsek)
    polsek: int  # of them, serving in the Polsek
    tps_share: str  # share of the own strength due on TPS duty, as the operation states it
    tps_quota: int  # own officers due on TPS duty
    bko_polri: int  # BKO Polri officers set for TPS duty
    bko_polri_on_roster: int
    brimob: int
    brimob_platoons: int
    tni: int
    prescreen_rawan: int  # TPS made rawan by the geographic pre-screen

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def roster_forces(scenario: Scenario) -> Counter[str]:
    """Officers on the roster by summary group (polres, bko_polri, brimob, tni)."""
    return Counter(officer.summary_group for officer in scenario.dataset.personnel)


def force_settings(scenario: Scenario) -> ForceSettings:
    """What the scenario plans with: the roster's forces under the operation's settings."""
    operation, dataset = scenario.operation, scenario.dataset
    groups = roster_forces(scenario)
    share = operation.share
    with_brimob = {o.unit_code for o in dataset.personnel if o.summary_group == "brimob"}
    platoons = [u for u in dataset.units if u.type is UnitType.BRIMOB and u.code in with_brimob]
    bko = operation.forces.bko_polri
    return ForceSettings(
        mode=operation.mode,
        strength=groups["polres"],
        polsek=sum(1 for o in dataset.personnel if o.origin is Origin.POLSEK),
        tps_share=operation.tps_share,
        tps_quota=groups["polres"] * share.numerator // share.denominator,
        bko_polri=groups["bko_polri"] if bko is None else min(bko, groups["bko_polri"]),
        bko_polri_on_roster=groups["bko_polri"],
        brimob=groups["brimob"],
        brimob_platoons=len(platoons),
        tni=groups["tni"],
        prescreen_rawan=operation.classification.prescreen_rawan,
    )

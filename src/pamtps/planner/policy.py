"""What the operation file means for officers: quantities the planner and the validator share.

Both the solver stages and the rules (which must run without any solver) read the operation
through these functions, so a rule can never disagree with the planner about, say, the TPS
quota or where a reserve unit is stationed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pamtps.domain import (
    Dataset,
    GuardedObject,
    GuardedObjectKind,
    Officer,
    Origin,
    Unit,
    UnitType,
    VulnerabilityClass,
)
from pamtps.domain.operation import GuardRule, PatternRule
from pamtps.domain.plan import Post, Scenario

# Strictest first: a post holding TPS of several classes follows the strictest one.
CLASS_ORDER = (
    VulnerabilityClass.SANGAT_RAWAN,
    VulnerabilityClass.KHUSUS,
    VulnerabilityClass.RAWAN,
    VulnerabilityClass.KURANG_RAWAN,
)
NEVER_PADAL = frozenset({"Kapolres", "Wakapolres"})
Point = tuple[float, float]


def strictest(classes: Iterable[VulnerabilityClass]) -> VulnerabilityClass:
    """The strictest of some classes (kurang rawan when there are none)."""
    present = set(classes)
    return next((c for c in CLASS_ORDER if c in present), VulnerabilityClass.KURANG_RAWAN)


def pattern_of(scenario: Scenario, post: Post) -> PatternRule:
    return scenario.operation.pattern[post.vulnerability]


def is_hq_leader(officer: Officer) -> bool:
    """Kapolres, Wakapolres and the heads of HQ functions: they lead the operation, not a TPS."""
    return officer.function in NEVER_PADAL or officer.function.endswith("(Kepala)")


def seniority_key(officer: Officer) -> tuple[bool, int, str]:
    """Sorts the most senior first: Polri before TNI, higher rank, then the lower NRP."""
    return officer.rank.service != "polri", -officer.rank.seniority, officer.nrp


def leader_of(officers: Sequence[Officer]) -> Officer:
    """The team leader: the most senior rank, ties broken by NRP."""
    return min(officers, key=seniority_key)


def hq_unit(dataset: Dataset) -> Unit:
    """The Polres (the operation's headquarters)."""
    for unit in dataset.units:
        if unit.type is UnitType.POLRES:
            return unit
    raise ValueError("the dataset has no Polres unit")


def own_strength(dataset: Dataset) -> int:
    """The Polres' own strength: every own officer on the roster, available or not.

    The reported rule is "two thirds of the Polres' strength" (Polres OKU: 418 of 627), a share
    of the nominal strength, so officers who fall sick do not lower the quota: others replace them.
    """
    return sum(1 for officer in dataset.personnel if officer.origin.is_local)


def tps_quota(scenario: Scenario) -> int:
    """Own officers due on TPS duty: floor(tps_share x own strength)."""
    share = scenario.operation.share
    return own_strength(scenario.dataset) * share.numerator // share.denominator


def own_target(scenario: Scenario, posts: Sequence[Post]) -> int:
    """Own officers for TPS seats: the quota (allocation), at most the seats (requirement)."""
    quota = tps_quota(scenario)
    if scenario.operation.mode == "allocation":
        return quota
    return min(quota, sum(post.required for post in posts))


def is_reserve_unit(scenario: Scenario, unit: Unit | None) -> bool:
    return unit is not None and unit.type.value in scenario.operation.reserve.unit_types


def lent_for_tps(scenario: Scenario, officer: Officer) -> bool:
    """Lent Polri officers (BKO) whose unit is not held in reserve: they serve on TPS."""
    unit = scenario.dataset.unit_by_code.get(officer.unit_code)
    return officer.origin is Origin.BKO_POLRI and not is_reserve_unit(scenario, unit)


def lent_on_tps(scenario: Scenario, free: Iterable[Officer]) -> list[Officer]:
    """The lent officers who serve on TPS: every one, or, when the operation sets how many BKO
    Polri (``forces.bko_polri``), that many of them in roster order (unit, NRP); the others
    stay at their unit's base."""
    lent = [officer for officer in free if lent_for_tps(scenario, officer)]
    limit = scenario.operation.forces.bko_polri
    if limit is None:
        return lent
    bko = sorted((o for o in lent if o.summary_group == "bko_polri"),
                 key=lambda o: (o.unit_code, o.nrp))
    chosen = {officer.nrp for officer in bko[:limit]}
    return [o for o in lent if o.summary_group != "bko_polri" or o.nrp in chosen]


def station_of(scenario: Scenario, unit: Unit) -> str:
    """Where a reserve unit stands by: its configured station, else the Polres HQ."""
    return scenario.operation.reserve.stations.get(unit.code, hq_unit(scenario.dataset).code)


def place_of(dataset: Dataset, code: str) -> Point:
    """The location of a unit's base, a guarded object or an area (by code)."""
    if code in dataset.unit_by_code:
        unit = dataset.unit_by_code[code]
        return unit.base_lat, unit.base_lng
    for obj in dataset.objects:
        if obj.code == code:
            return obj.lat, obj.lng
    area = dataset.area_by_code.get(code)
    if area is not None and area.lat is not None and area.lng is not None:
        return area.lat, area.lng
    raise KeyError(f"no known place with code {code!r}")


@dataclass(frozen=True)
class Guard:
    """One guarded object and the guard the operation gives it."""

    object: GuardedObject
    size: int
    from_reserve: bool


def guards(scenario: Scenario) -> list[Guard]:
    """Every guarded object with its guard; a rule naming the object beats one naming its kind."""
    by_code: dict[str, GuardRule] = {}
    by_kind: dict[str, GuardRule] = {}
    kinds = {kind.value for kind in GuardedObjectKind}
    for given in scenario.operation.guards:
        (by_kind if given.object in kinds else by_code)[given.object] = given
    result = []
    for obj in scenario.dataset.objects:
        rule: GuardRule | None = by_code.get(obj.code) or by_kind.get(obj.kind.value)
        if rule is not None and rule.guard_size > 0:
            result.append(Guard(obj, rule.guard_size, rule.from_reserve))
    return result


def kecamatan_with_tps(dataset: Dataset) -> list[str]:
    """The kecamatan that hold at least one TPS, in code order: each gets its Padal."""
    return sorted({tps.kecamatan_code for tps in dataset.tps})


def home_sector(dataset: Dataset, officer: Officer) -> str | None:
    """The sector a Polsek officer belongs to (his Polsek's code); None for everyone else.

    Polres staff, BKO and TNI have no home sector: they fill whatever seats the Polsek leave.
    """
    unit = dataset.unit_by_code.get(officer.unit_code)
    if officer.origin is not Origin.POLSEK or unit is None or unit.type is not UnitType.POLSEK:
        return None
    return unit.code

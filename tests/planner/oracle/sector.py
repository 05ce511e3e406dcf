"""A sector of a finished plan as an oracle instance, and the plan with that sector re-solved.

The sector keeps the officers the plan seats on its posts (so every rule about who is on TPS
duty, the quota, the reserve, Padal and guards holds as before) and is re-planned exactly: its
posts, their bases and who sits where. ``improved`` puts the exact answer back into the plan,
so that the validator and ``check_objective`` judge it like any other plan.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace

import numpy as np

from pamtps.domain import Officer, Origin, UnitType, VulnerabilityClass
from pamtps.domain.plan import Assignment, Duty, Plan, Post, Scenario
from pamtps.planner import TravelModel
from tests.planner.oracle.mip import Kind, OracleSolution, SectorInstance


def home_of(scenario: Scenario, officer: Officer) -> str | None:
    """A Polsek officer's sector (his Polsek); None for Polres staff, BKO and TNI."""
    unit = scenario.dataset.unit_by_code.get(officer.unit_code)
    if officer.origin is Origin.POLSEK and unit is not None and unit.type is UnitType.POLSEK:
        return unit.code
    return None


def seat_price(scenario: Scenario, officer: Officer, sector: str) -> float:
    """The home-sector price of a seat in ``sector``: the seat given away by its Polsek, and
    the officer outside his own sector, ``outside_sector_minutes`` each."""
    home = home_of(scenario, officer)
    polsek = {u.code for u in scenario.dataset.polsek}
    parts = (sector in polsek and home != sector) + (home is not None and home != sector)
    return float(scenario.operation.staffing.outside_sector_minutes) * parts


@dataclass(frozen=True)
class PlannedSector:
    """A sector of a plan: the oracle's instance and what the plan spends there (minutes)."""

    code: str
    instance: SectorInstance
    planner: float  # ground + seats + price of the plan's posts in this sector
    posts: tuple[str, ...]


def sector_of_plan(
    scenario: Scenario, plan: Plan, sector: str, travel: TravelModel
) -> PlannedSector:
    """The sector's TPS, classes and seated officers, and the plan's cost there."""
    posts = [p for p in plan.posts if p.sector == sector]
    codes = sorted(c for p in posts for c in p.tps)
    by_code = {t.code: t for t in scenario.dataset.tps}
    points = [(by_code[c].lat, by_code[c].lng) for c in codes]
    minutes = np.asarray(travel.matrix(points, points), dtype=float)
    post_ids = {p.id for p in posts}
    officers = {o.nrp: o for o in scenario.dataset.personnel}
    seated = [a for a in plan.assignments if a.duty is Duty.POST and a.target in post_ids]
    if any(officers[a.nrp].origin is Origin.TNI for a in seated):
        raise ValueError(f"{sector}: TNI seats are not modelled")
    bases = sorted({(officers[a.nrp].base_lat, officers[a.nrp].base_lng) for a in seated})
    from_base = np.asarray(travel.matrix(bases, points), dtype=float) if bases else None
    index = {c: i for i, c in enumerate(codes)}
    desa = [by_code[c].desa_code for c in codes]
    groups: dict[tuple, list[str]] = {}
    for a in seated:
        o = officers[a.nrp]
        barred = frozenset(i for i, d in enumerate(desa) if d in o.barred_desa)
        key = ((o.base_lat, o.base_lng), o.origin.is_local, seat_price(scenario, o, sector), barred)
        groups.setdefault(key, []).append(a.nrp)
    kinds = tuple(
        Kind(len(nrps), local, tuple(from_base[bases.index(base)]), price, barred, tuple(nrps))
        for (base, local, price, barred), nrps in sorted(groups.items(), key=lambda g: g[1][0])
    ) if from_base is not None else ()
    pattern = {
        c.value: (rule.officers_per_post, rule.max_tps_per_post)
        for c, rule in scenario.operation.pattern.items()
    }
    instance = SectorInstance(
        sector, tuple(codes), tuple(plan.classes[c].value for c in codes), pattern, minutes, kinds,
        spare_of(scenario, plan, sector),
    )
    cost = 0.0
    for post in posts:
        base = (post.lat, post.lng)
        cost += float(travel.matrix([base], [points[index[c]] for c in post.tps]).sum())
    for a in seated:
        o, post = officers[a.nrp], plan.post_by_id()[a.target]
        cost += travel.minutes(o.base_lat, o.base_lng, post.lat, post.lng)
        cost += seat_price(scenario, o, sector)
    return PlannedSector(sector, instance, cost, tuple(sorted(post_ids)))


def spare_of(scenario: Scenario, plan: Plan, sector: str) -> int | None:
    """The officers the sector may seat beyond its posts' patterns once the plan's other
    sectors have theirs (``strength_in_more_posts``); None (any) when every kurang rawan post
    of the plan holds a single TPS."""
    pattern = scenario.operation.pattern
    team = pattern[VulnerabilityClass.KURANG_RAWAN].officers_per_post
    kurang = [p for p in plan.posts if p.vulnerability is VulnerabilityClass.KURANG_RAWAN]
    if all(len(p.tps) == 1 for p in kurang):
        return None
    seated: dict[str, int] = {}
    for a in plan.assignments:
        if a.duty is Duty.POST:
            seated[a.target] = seated.get(a.target, 0) + 1
    beyond_elsewhere = sum(
        max(seated.get(p.id, 0) - pattern[p.vulnerability].officers_per_post, 0)
        for p in plan.posts if p.sector != sector
    )
    return max(team - 1 - beyond_elsewhere, 0)


def _senior(officers: list[Officer]) -> Officer:
    """The most senior: Polri before TNI, higher rank, then the lower NRP (the rule's leader)."""
    return min(officers, key=lambda o: (o.rank.service != "polri", -o.rank.seniority, o.nrp))


def improved(
    scenario: Scenario, plan: Plan, sectors: list[tuple[PlannedSector, OracleSolution]]
) -> Plan:
    """The plan with each sector's posts and seats replaced by the oracle's, and its objective
    lowered by what each sector saves."""
    better = copy.deepcopy(plan)
    by_code = {t.code: t for t in scenario.dataset.tps}
    officers = {o.nrp: o for o in scenario.dataset.personnel}
    duty = {a.nrp: a for a in better.assignments}
    saved = 0.0
    for planned, solution in sectors:
        gone = set(planned.posts)
        better.posts = [p for p in better.posts if p.id not in gone]
        codes = planned.instance.codes
        pools = [list(kind.nrps) for kind in planned.instance.kinds]
        for number, post in enumerate(solution.posts, start=1):
            head = by_code[codes[post.base]]
            post_id = f"{planned.code}-X{number:03d}"
            team = [(k, pools[k].pop()) for k, count in post.seated.items() for _ in range(count)]
            better.posts.append(Post(
                post_id, planned.code, head.kecamatan_code, VulnerabilityClass(post.cls),
                [codes[i] for i in post.members], len(team), 0, head.lat, head.lng,
            ))
            leader = _senior([officers[nrp] for _, nrp in team]).nrp
            for k, nrp in team:
                minutes = round(planned.instance.kinds[k].minutes[post.base], 2)
                duty[nrp] = Assignment(nrp, Duty.POST, post_id, nrp == leader, minutes)
        saved += planned.planner - solution.objective
    better.assignments = [duty[a.nrp] for a in better.assignments]
    better.quality = replace(better.quality, objective=plan.quality.objective - saved)
    return better

"""A Polda's run: every Polres in requirement mode, the pool allocated, every Polres planned
with its share.

1. *Requirement*: each Polres is planned by the planner in requirement mode on its own strength
   alone (no BKO, Brimob or TNI): the posts its pattern asks for, and how many of their seats its
   own officers on TPS duty (the operation's share, two thirds) cannot fill, rawan posts first.
2. *Allocation*: the Polda's pool across the Polres (``allocate``).
3. *Allocation mode*: each Polres planned again with its own strength and its share of the
   pool; the plan's coverage (rawan TPS with two officers, officers still short) is measured on
   the plan itself, not taken from the allocation.

Each Polres is one call of a top-level function, mapped by ``map_fn`` (the built-in ``map`` by
default: serial), so a distributed engine can run the same code. Each Polres's record is written
as soon as it is planned (``<out>/polres/<code>.json``).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from pamtps.datasets.geo import haversine_km
from pamtps.datasets.national import regencies
from pamtps.datasets.regency import load_regency
from pamtps.documents.polda_view import MAP_FILE
from pamtps.domain import Dataset, UnitType, VulnerabilityClass
from pamtps.domain.operation import OperationConfig
from pamtps.domain.plan import Duty, Plan, Scenario
from pamtps.domain.scale import PolresResult
from pamtps.domain.tps import Precision
from pamtps.scale.allocate import PLATOON, Allocation, Need, Pool, Share, allocate
from pamtps.scenarios import ScenarioSource, build_scenario, scaled_figures, write_plan_file

T = TypeVar("T")
R = TypeVar("R")
MapFn = Callable[[Callable[[T], R], Iterable[T]], Iterable[R]]
RAWAN_TEAM = 2  # officers a rawan TPS must have (two officers together, DOMAIN 5)


@dataclass(frozen=True)
class Base:
    """Where the pool stands before it is lent (the Polda headquarters, a Brimob base)."""

    name: str
    lat: float
    lng: float


@dataclass(frozen=True)
class PoldaSetup:
    """A Polda's run: its code, the operation every Polres plans by, the pool and its bases."""

    code: str
    operation: OperationConfig
    pool: Pool
    bases: tuple[Base, ...] = ()  # none: the Polres headquarters in the province capital
    regencies: tuple[str, ...] = ()  # none: every kabupaten/kota of the province
    time_limit: float | None = None
    seed: int | None = None

    def polres(self) -> list[str]:
        return list(self.regencies) or polda_regencies(self.code)


@dataclass(frozen=True)
class Requirement:
    """One Polres in requirement mode: its need, and the plan's numbers it comes from."""

    code: str
    name: str
    tps: int
    rawan: int
    own_strength: int
    own_on_tps: int  # own officers the plan seats on TPS posts
    seats: int  # TPS seats the pattern asks for
    rawan_seats: int
    contingency: int
    hq: tuple[float, float]
    seconds: float

    def need(self, bases: tuple[Base, ...]) -> Need:
        """What the Polres lacks, and its distance from the nearest base."""
        km = min(haversine_km(b.lat, b.lng, *self.hq) for b in bases)
        rawan = max(self.rawan_seats - self.own_on_tps, 0)
        total = max(self.seats - self.own_on_tps, 0)
        return Need(self.code, rawan, total - rawan, self.contingency, round(km, 1))


@dataclass
class PoldaReport:
    """The whole run: requirements, the allocation, every Polres's result, and the times."""

    setup: PoldaSetup
    requirements: list[Requirement]
    needs: list[Need]
    allocation: Allocation
    results: list[PolresResult]
    seconds: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The report as plain JSON data (what ``pamtps plan --polda --json`` prints)."""
        pool = self.setup.pool
        kept, lendable = pool.kept(), pool.lendable()
        shares = {s.code: s for s in self.allocation.shares}
        needs = {n.code: n for n in self.needs}
        lent = [sum(s.bko_polri for s in shares.values()),
                sum(s.brimob for s in shares.values()), sum(s.tni for s in shares.values())]
        return {
            "polda": self.setup.code,
            "operation": self.setup.operation.name,
            "pool": {"bko_polri": pool.bko_polri, "brimob": pool.brimob, "tni": pool.tni,
                     "reserve_share": str(pool.reserve_share)},
            "kept_in_reserve": {"bko_polri": kept[0], "brimob": kept[1] * PLATOON,
                                "brimob_platoons": kept[1], "tni": kept[2]},
            "lendable": {"bko_polri": lendable[0], "brimob": lendable[1] * PLATOON,
                         "tni": lendable[2]},
            "lent": dict(zip(("bko_polri", "brimob", "tni"), lent)),
            "not_lent": {"bko_polri": lendable[0] - lent[0],
                         "brimob": pool.brimob - kept[1] * PLATOON - lent[1],
                         "tni": lendable[2] - lent[2]},
            "allocation": {"rawan_seats_short": self.allocation.rawan_short,
                           "officers_short": self.allocation.short,
                           "distance": self.allocation.distance},
            "polres": [
                {**r.to_json(),
                 "need": vars(needs[r.polres_code]),
                 "brimob_platoons": shares[r.polres_code].brimob_platoons,
                 "rawan_covered": r.rawan - r.rawan_short,
                 "shortfall_expected": shares[r.polres_code].tps_short}
                for r in self.results
            ],
            "totals": totals(self.results),
            "seconds": self.seconds,
        }


def totals(results: Iterable[PolresResult]) -> dict[str, int]:
    """The province's (or nation's) sums of the countable fields."""
    keys = ("tps", "rawan", "officers_own", "bko_polri", "brimob", "tni", "rawan_short",
            "shortfall")
    found = dict.fromkeys(keys, 0)
    count = 0
    for result in results:
        count += 1
        for key in keys:
            found[key] += getattr(result, key)
    return {"polres": count, **found}


def polda_regencies(code: str) -> list[str]:
    """The kabupaten/kota of a province (one Polres each), from the national TPS network."""
    found = sorted(c for c in regencies() if c.startswith(code + "."))
    if not found:
        raise ValueError(f"unknown Polda (province) code {code!r}: no kabupaten/kota has it")
    return found


def default_bases(code: str) -> tuple[Base, ...]:
    """The Polda headquarters, in the province capital: taken as the headquarters of the
    capital's Polres (the first kota, e.g. 16.71 Palembang), else the first Polres."""
    codes = polda_regencies(code)
    capital = next((c for c in codes if c.split(".")[1] == "71"), codes[0])
    dataset = load_regency(capital)
    hq = polres_hq(dataset)
    return (Base(f"Mapolda ({hq.name})", hq.base_lat, hq.base_lng),)


def polres_hq(dataset: Dataset) -> Any:
    for unit in dataset.units:
        if unit.type is UnitType.POLRES:
            return unit
    raise ValueError(f"{dataset.name}: no Polres unit")


def contingency_of(dataset: Dataset, config: OperationConfig) -> int:
    """Persons the operation asks of a reserve unit: the guards it gives the reserve (a KPU
    office guarded by a reserve unit stationed there)."""
    total = 0
    for rule in config.guards:
        if rule.from_reserve:
            total += rule.guard_size * sum(
                1 for o in dataset.objects if rule.object in (o.code, o.kind.value))
    return total


def _source(regency: str, lent: Share | None) -> ScenarioSource:
    """The bundled scenario: the Polres's own strength, plus its share of the pool if any."""
    figures = replace(scaled_figures(load_regency(regency), None), bko_polri=0, brimob=0, tni=0)
    if lent is not None:
        figures = replace(figures, bko_polri=lent.bko_polri, brimob=lent.brimob, tni=lent.tni)
    return ScenarioSource("bundled", regency, figures=vars(figures))


def _config(setup: PoldaSetup, regency: str, mode: str) -> OperationConfig:
    forces = replace(setup.operation.forces, bko_polri=None, brimob=None, tni=None)
    return setup.operation.replace(regency=regency, mode=mode, forces=forces)


def _plan(setup: PoldaSetup, scenario: Scenario) -> Plan:
    from pamtps.planner import plan

    return plan(scenario, time_limit=setup.time_limit, seed=setup.seed)


def requirement_of(setup: PoldaSetup, regency: str) -> Requirement:
    """Plan one Polres in requirement mode on its own strength; its numbers."""
    start = time.perf_counter()
    config = _config(setup, regency, "requirement")
    scenario = build_scenario(_source(regency, None), config, None)
    result = _plan(setup, scenario)
    dataset = scenario.dataset
    own = {o.nrp for o in dataset.personnel if o.origin.is_local}
    posts = {p.id: p for p in result.posts}
    hq = polres_hq(dataset)
    return Requirement(
        code=regency,
        name=_name(dataset, regency),
        tps=len(dataset.tps),
        rawan=_rawan(result),
        own_strength=len(own),
        own_on_tps=sum(1 for a in result.assignments if a.duty is Duty.POST and a.nrp in own
                       and a.target in posts),
        seats=sum(p.required for p in result.posts),
        rawan_seats=sum(p.required for p in result.posts
                        if p.vulnerability is not VulnerabilityClass.KURANG_RAWAN),
        contingency=contingency_of(dataset, config),
        hq=(hq.base_lat, hq.base_lng),
        seconds=round(time.perf_counter() - start, 3),
    )


def _name(dataset: Dataset, regency: str) -> str:
    area = dataset.area_by_code.get(regency)
    return area.name if area is not None else regency


def _rawan(plan: Plan) -> int:
    return sum(1 for c in plan.classes.values() if c is not VulnerabilityClass.KURANG_RAWAN)


def vacant_seats(plan: Plan) -> int:
    """Officers still lacking on TPS posts: each post's seats by the pattern, minus its team.

    Measured on the plan itself (the summary's ``missing_officers`` adds up the shortages the
    posts stage and the staffing each report, which name the same empty seats twice).
    """
    team = Counter(a.target for a in plan.assignments if a.duty is Duty.POST)
    return sum(max(p.required + p.tni_required - team[p.id], 0) for p in plan.posts)


def rawan_short(plan: Plan) -> int:
    """Rawan TPS (any rawan class) whose post has fewer than two officers."""
    team = Counter(a.target for a in plan.assignments if a.duty is Duty.POST)
    post_of = {code: post.id for post in plan.posts for code in post.tps}
    return sum(1 for code, cls in plan.classes.items()
               if cls is not VulnerabilityClass.KURANG_RAWAN
               and team[post_of.get(code, "")] < RAWAN_TEAM)


@dataclass(frozen=True)
class Writing:
    """Where a Polres's plan goes: its folder under ``out``, and whether with its documents."""

    out: Path
    documents: bool = True


def write_documents(plan: Plan, scenario: Scenario, folder: Path) -> list[Path]:
    """A Polres's plan documents: the Sprint attachment (PDF, XLSX), the map and its GeoJSON.

    The personal order sheets (a page per officer, the slowest document by far) are left to the
    Polres: ``pamtps plan --regency CODE`` on its plan writes them.
    """
    from pamtps.documents.geojson import write_plan_geojson
    from pamtps.documents.plan_map import write_plan_png
    from pamtps.documents.sprint_pdf import write_sprint_pdf
    from pamtps.documents.sprint_xlsx import write_sprint_xlsx

    folder.mkdir(parents=True, exist_ok=True)
    return [
        write_sprint_pdf(plan, scenario, folder / "sprint.pdf"),
        write_sprint_xlsx(plan, scenario, folder / "sprint.xlsx"),
        write_plan_geojson(plan, scenario, folder / "plan.geojson"),
        write_plan_png(plan, scenario, folder / MAP_FILE),
    ]


def planned_with_share(setup: PoldaSetup, writing: Writing, share: Share) -> PolresResult:
    """Plan one Polres in allocation mode with its share; write its plan and its record."""
    from pamtps.planner import summary

    regency = share.code
    source = _source(regency, share)
    config = _config(setup, regency, "allocation")
    scenario = build_scenario(source, config, None)
    result = _plan(setup, scenario)
    numbers = summary(result, scenario)
    dataset = scenario.dataset
    folder = writing.out / regency
    write_plan_file(folder / "plan.json", result, source, config)
    if writing.documents:
        write_documents(result, scenario, folder)
    record = PolresResult(
        polres_code=regency,
        polres_name=_name(dataset, regency),
        polda_code=setup.code,
        tps=len(dataset.tps),
        rawan=_rawan(result),
        officers_own=numbers["officers_on_tps_by_origin"]["polres"],
        bko_polri=share.bko_polri,
        brimob=share.brimob,
        tni=share.tni,
        rawan_short=rawan_short(result),
        shortfall=vacant_seats(result),
        objective=result.quality.objective,
        synthetic_roster=any(o.synthetic for o in dataset.personnel),
        estimated_positions=any(t.location_precision is Precision.ESTIMATED
                                for t in dataset.tps),
    )
    write_record(writing.out, record)
    return record


def write_record(out: Path, record: PolresResult) -> Path:
    """``<out>/polres/<code>.json``: one Polres's record."""
    path = out / "polres" / f"{record.polres_code}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record.to_json(), indent=1, ensure_ascii=False), encoding="utf-8")
    return path


def run_polda(
    setup: PoldaSetup, writing: Writing, *, map_fn: MapFn[Any, Any] = map
) -> PoldaReport:
    """Requirement, allocation, then every Polres planned with its share (see the module)."""
    start = time.perf_counter()
    bases = setup.bases or default_bases(setup.code)
    requirements = list(map_fn(partial(requirement_of, setup), setup.polres()))
    needed = time.perf_counter()
    needs = [r.need(bases) for r in requirements]
    allocation = allocate(needs, setup.pool)
    allocated = time.perf_counter()
    results = list(map_fn(partial(planned_with_share, setup, writing), allocation.shares))
    done = time.perf_counter()
    seconds = {"requirement": round(needed - start, 2), "allocation": round(allocated - needed, 2),
               "plans": round(done - allocated, 2), "total": round(done - start, 2)}
    return PoldaReport(replace(setup, bases=bases), requirements, needs, allocation, results,
                       seconds)

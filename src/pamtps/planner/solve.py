"""The planner's one entry point: ``plan(scenario) -> Plan``; and ``summary`` of a plan.

Stages: classify the TPS -> build the posts (how many TPS each team guards) -> staff them (who
goes where: exact) -> the lower bound (``bound``), whose relaxation proposes posts of its own
(``relaxed``), staffed, improved for their teams (``refine``) and taken if cheaper or if they
keep the home-sector rule the first posts broke (``relaxed_plan``); else the first posts are
improved -> where the gap stays above ``StopCriteria.lp_above_gap``, the bound finished by its
LP (``bound.finished``), whose own posts (its ``y``) are tried the same way -> milder TPS into
stricter posts with room (``with_guests``) -> reserve reach (minutes from the nearest reserve
to each TPS). The plan carries
its quality: the objective (ground, seats, home-sector price) and a lower bound valid for every
plan the rules allow, so the gap is honest.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from dataclasses import replace
from typing import Any

from pamtps.domain import VulnerabilityClass
from pamtps.domain.forces import force_settings
from pamtps.domain.operation import SolverConfig
from pamtps.domain.plan import (
    Assignment,
    ClassReason,
    Duty,
    Plan,
    Post,
    Quality,
    Scenario,
    Shortage,
)
from pamtps.planner.bound import Bound, JointLagrangian, Opening, finished, lower_bound
from pamtps.planner.classify import classify
from pamtps.planner.home_sector import HomeSectorView
from pamtps.planner.improve import improve_posts, seat_prices, take_guests
from pamtps.planner.policy import CLASS_ORDER, hq_unit, own_strength, own_target, tps_quota
from pamtps.planner.posts import PostStage, build_posts, reinforce
from pamtps.planner.relaxed import posts_from_relaxation
from pamtps.planner.rules import rule_polsek_officers_in_own_sector
from pamtps.planner.staffing import (
    Staffing,
    reserve_reach,
    seat_pools,
    staff,
    tps_strength,
)
from pamtps.planner.stop import Clock, StopCriteria
from pamtps.planner.travel import TravelModel, travel_for
from pamtps.planner.validation import validate

GAP_TOLERANCE = 1e-6  # relative gap under which a plan counts as optimal
STEER = 4.0  # the home-sector price's weight when posts from the relaxation break its rule


def with_solver(scenario: Scenario, time_limit: float | None, seed: int | None) -> Scenario:
    """The scenario with its solver settings replaced where given (validated)."""
    solver = scenario.operation.solver
    settings = SolverConfig(
        time_limit_s=solver.time_limit_s if time_limit is None else time_limit,
        seed=solver.seed if seed is None else seed,
    )
    return Scenario(scenario.dataset, scenario.operation.replace(solver=settings))


def status_of(objective: float, lower_bound: float | None, short: bool) -> str:
    """'short' when officers are missing, 'heuristic' without a bound, else optimal/feasible."""
    if short:
        return "short"
    if lower_bound is None:
        return "heuristic"
    gap = max(objective - lower_bound, 0.0) / max(abs(objective), 1.0)
    return "optimal" if gap <= GAP_TOLERANCE else "feasible"


def requirement_report(scenario: Scenario, posts: list[Post], staffing: Staffing) -> dict[str, Any]:
    """Requirement mode: per sector, officers needed, own officers placed, shortfall, BKO."""
    local = {o.nrp for o in scenario.dataset.personnel if o.origin.is_local}
    sector_of = {post.id: post.sector for post in posts}
    sectors: dict[str, dict[str, int]] = {}
    for post in posts:
        row = sectors.setdefault(post.sector, {"needed": 0, "own": 0, "bko": 0})
        row["needed"] += post.required
    for a in staffing.assignments:
        if a.duty is Duty.POST and a.target in sector_of:
            sectors[sector_of[a.target]]["own" if a.nrp in local else "bko"] += 1
    for row in sectors.values():
        row["shortfall"] = max(row["needed"] - row["own"], 0)  # what own strength cannot cover
        row["bko_to_request"] = max(row["shortfall"] - row["bko"], 0)  # beyond BKO already lent
    total = {
        key: sum(row[key] for row in sectors.values())
        for key in ("needed", "own", "bko", "shortfall", "bko_to_request")
    }
    return {
        "own_strength": own_strength(scenario.dataset),
        "own_share": tps_quota(scenario),
        **total,
        "sectors": dict(sorted(sectors.items())),
    }


def make_plan(
    scenario: Scenario,
    classes: dict[str, VulnerabilityClass],
    reasons: dict[str, list[ClassReason]],
    posts: list[Post],
    assignments: list[Assignment],
    reserve_minutes: dict[str, float],
    quality: Quality,
    **rest: Any,
) -> Plan:
    """A Plan for the scenario: names and mode from it, the seed from ``quality``."""
    return Plan(
        dataset=scenario.dataset.name,
        operation=scenario.operation.name,
        regency=scenario.operation.regency,
        mode=scenario.operation.mode,
        seed=quality.seed,
        classes=dict(classes),
        reasons={code: list(why) for code, why in reasons.items()},
        posts=posts,
        assignments=assignments,
        reserve_minutes=reserve_minutes,
        quality=quality,
        **rest,
    )


def valid_bound(
    scenario: Scenario,
    classes: dict[str, VulnerabilityClass],
    travel: TravelModel,
    posts: list[Post],
    staffing: Staffing,
    own_on_tps: int,
    objective: float,
    clock: Clock,
) -> Bound | None:
    """The lower bound on the objective for every plan the rules allow (``bound``), or None
    when seats stay vacant (their cost is not in the objective, so no bound holds). The plan's
    ``posts``, staffed as ``staffing`` at ``objective``, start the search."""
    if staffing.numbers.get("vacant_seats"):
        return None
    best = (objective, known_posts(scenario, posts))
    pools = seat_pools(scenario, travel, own_on_tps)
    seats = sum(p.required for p in posts)
    return lower_bound(scenario, classes, travel, pools, seats, own_on_tps, best, clock)


def known_posts(scenario: Scenario, posts: list[Post]) -> list[tuple[int, int, list[int]]]:
    """The posts as the bound reads them: base, seats and TPS, as indices into the TPS sorted
    by code."""
    tps = sorted(scenario.dataset.tps, key=lambda t: t.code)
    index = {t.code: i for i, t in enumerate(tps)}
    at = {(t.lat, t.lng, t.code): i for i, t in enumerate(tps)}
    known = []
    for post in posts:
        members = [index[c] for c in post.tps]
        base = next((at[(post.lat, post.lng, c)] for c in post.tps
                     if (post.lat, post.lng, c) in at), members[0])
        known.append((base, post.required, members))
    return known


def _home_rule_holds(scenario: Scenario, posts: list[Post], staffing: Staffing) -> bool:
    """Whether the posts so staffed keep the home-sector rule (a cheaper plan that breaks a
    rule the plan kept is no improvement: the seats' price alone does not guarantee it)."""
    quality = Quality(0.0, None, "", 0.0, 0)
    draft = make_plan(scenario, {}, {}, posts, staffing.assignments, {}, quality)
    return rule_polsek_officers_in_own_sector(draft, scenario).ok


def _improves(
    scenario: Scenario,
    posts: list[Post],
    ground: float,
    again: Staffing,
    best: float,
    staffing: Staffing,
    home_rule_held: bool,
) -> bool:
    """Whether ``posts`` (their ground in all), staffed as ``again``, beat the plan of
    objective ``best`` staffed as ``staffing``: cheaper, the same shortages, and the
    home-sector rule kept where that plan kept it."""
    return (
        ground + again.objective < best - 1e-6
        and again.shortages == staffing.shortages
        and (not home_rule_held or _home_rule_holds(scenario, posts, again))
    )


def refine(
    scenario: Scenario,
    stage: PostStage,
    staffing: Staffing,
    travel: TravelModel,
    own_on_tps: int | None,
    clock: Clock,
    steer: float = 1.0,
) -> tuple[PostStage, Staffing]:
    """Posts improved (``improve``) and staffed again while the objective falls, at most
    ``restaff_rounds`` times: each round first for the teams staffed on them, then, if that
    does not pay, for the seat prices of the staffing's duals (``seat_prices``), which let other
    officers take the seats; staffed with the home-sector price weighed ``steer`` times, as
    ``staffing`` was. The stage's numbers follow."""
    started = time.perf_counter()
    best = stage.objective + staffing.objective
    own = own_target(scenario, stage.posts) if own_on_tps is None else own_on_tps
    seats = sum(p.required for p in stage.posts)
    classes = {code: post.vulnerability for post in stage.posts for code in post.tps}
    relaxation = JointLagrangian(
        scenario, classes, travel, seat_pools(scenario, travel, own), seats, own, priced=True
    )
    home_rule_held = _home_rule_holds(scenario, stage.posts, staffing)
    for _ in range(clock.criteria.restaff_rounds):
        better = False
        for priced in (False, True):
            if clock.out_of_time():
                break
            pull = seat_prices(relaxation, stage.posts) if priced else None
            if priced and pull is None:
                break
            posts, ground = improve_posts(
                scenario, stage.posts, staffing.assignments, travel, clock, pull
            )
            again = staff(scenario, posts, travel, own_on_tps=own_on_tps, steer=steer)
            ground_total = float(sum(ground.values()))
            if _improves(scenario, posts, ground_total, again, best, staffing, home_rule_held):
                best, staffing, better = ground_total + again.objective, again, True
                stage = replace(stage, posts=posts, objective=ground_total)
                break
        if not better:
            break
    else:
        clock.ran_out()
    seconds = stage.seconds + time.perf_counter() - started
    return replace(stage, seconds=seconds, stopped_by=clock.stopped_by), staffing


def with_guests(
    scenario: Scenario,
    stage: PostStage,
    staffing: Staffing,
    travel: TravelModel,
    own_on_tps: int | None,
    classes: dict[str, VulnerabilityClass],
) -> tuple[PostStage, Staffing]:
    """The posts with milder TPS taken into stricter posts with room (``take_guests``),
    staffed again, if that plan is cheaper, keeps the shortages and keeps the home-sector
    rule where it held; else the plan as it was."""
    mixed = take_guests(scenario, stage.posts, staffing.assignments, travel, classes)
    if mixed is None:
        return stage, staffing
    posts, ground = mixed
    ground_total = float(sum(ground.values()))
    held = _home_rule_holds(scenario, stage.posts, staffing)
    before = stage.objective + staffing.objective
    for steer in (1.0, STEER):
        again = staff(scenario, posts, travel, own_on_tps=own_on_tps, steer=steer)
        if _improves(scenario, posts, ground_total, again, before, staffing, held):
            return replace(stage, posts=posts, objective=ground_total), again
    return stage, staffing


def relaxed_plan(
    scenario: Scenario,
    stage: PostStage,
    staffing: Staffing,
    travel: TravelModel,
    own_on_tps: int | None,
    classes: dict[str, VulnerabilityClass],
    worths: tuple[Opening, ...],
    clock: Clock,
) -> tuple[PostStage, Staffing, bool]:
    """The posts the bound's relaxation opens (``relaxed.posts_from_relaxation``, from each of
    ``worths``), staffed; the best refined as the first ones were, and taken if that plan keeps
    the shortages and keeps the home-sector rule where the first one kept it, and is cheaper or
    keeps the rule that the first one broke; else the plan as it was. The flag says which."""
    home_rule_held = _home_rule_holds(scenario, stage.posts, staffing)
    seats = sum(p.required for p in stage.posts)
    # (rule broken, cost) ranks the candidates: a plan keeping every rule beats a cheaper one
    best: tuple[tuple[bool, float], PostStage, Staffing, float] | None = None
    for worth in worths:
        made = posts_from_relaxation(scenario, stage.posts, worth, travel, classes)
        if made is None:
            continue
        posts, ground = made
        reinforce(posts, ground, seats - sum(p.required for p in posts))
        steer = 1.0
        again = staff(scenario, posts, travel, own_on_tps=own_on_tps)
        holds = _home_rule_holds(scenario, posts, again)
        if not holds:
            # the formation may move seats between sectors: weigh the price more in choosing
            # the officers, so that Polsek officers stay home first, as the rule asks
            steered = staff(scenario, posts, travel, own_on_tps=own_on_tps, steer=STEER)
            if _home_rule_holds(scenario, posts, steered):
                steer, again, holds = STEER, steered, True
            elif home_rule_held:
                continue
        rank = (not holds, sum(ground.values()) + again.objective)
        if again.shortages == staffing.shortages and (best is None or rank < best[0]):
            other = replace(stage, posts=posts, objective=float(sum(ground.values())))
            best = (rank, other, again, steer)
    if best is None:
        return stage, staffing, False
    other, again = refine(scenario, best[1], best[2], travel, own_on_tps, clock, best[3])
    cheaper = other.objective + again.objective < stage.objective + staffing.objective - 1e-6
    mends = not home_rule_held and _home_rule_holds(scenario, other.posts, again)
    if cheaper or mends:
        return replace(other, seconds=stage.seconds + other.seconds), again, True
    return stage, staffing, False


def plan(
    scenario: Scenario,
    *,
    time_limit: float | None = None,
    seed: int | None = None,
    stop: StopCriteria | None = None,
) -> Plan:
    """Plan the operation; ``time_limit`` (s) and ``seed`` default to the operation's solver.

    The searches stop on ``stop``'s counted criteria (default ``StopCriteria()``), so the same
    seed gives the same plan on any machine; the time limit is only their wall-clock safety
    net (it replaces ``stop.wall_clock_s``). What a plan cannot do without (each cell's first
    grouping, the exact staffing) runs to the end, so a plan always comes out; the plan records
    which criterion stopped it (``stopped_by``), and "wall_clock" means it depends on the
    machine's speed; and whose posts it keeps (``formed_from``: "grouping", "relaxation" or
    "lp").
    """
    start = time.perf_counter()
    scenario = with_solver(scenario, time_limit, seed)
    seed = scenario.operation.solver.seed
    criteria = replace(stop or StopCriteria(), wall_clock_s=scenario.operation.solver.time_limit_s)
    clock = criteria.clock()
    travel = travel_for(scenario)
    classes, reasons = classify(scenario, travel=travel)
    classified = time.perf_counter()
    allocation = scenario.operation.mode == "allocation"
    own, lent = tps_strength(scenario, travel)
    officers_for_tps = own + lent if allocation else None
    stage = build_posts(scenario, classes, travel, officers_for_tps, seed=seed, clock=clock)
    staffing = staff(scenario, stage.posts, travel, own_on_tps=own if allocation else None)
    own_on_tps = own if allocation else own_target(scenario, stage.posts)
    objective = round(stage.objective + staffing.objective, 2)
    found: Bound | None = None
    formed_from = "grouping"  # whose posts the plan keeps: see ``Quality.stages["posts"]``
    if criteria.relaxed_rounds:  # the bound first: its relaxation proposes posts of its own
        found = valid_bound(
            scenario, classes, travel, stage.posts, staffing, own_on_tps, objective, clock
        )
    for round_ in range(criteria.relaxed_rounds):
        if found is None or not found.worth:
            break
        stage, staffing, taken = relaxed_plan(
            scenario, stage, staffing, travel, own if allocation else None, classes, found.worth,
            clock
        )
        if not taken:
            break
        formed_from, objective = "relaxation", round(stage.objective + staffing.objective, 2)
        if round_ + 1 == criteria.relaxed_rounds:
            break
        again = valid_bound(
            scenario, classes, travel, stage.posts, staffing, own_on_tps, objective, clock
        )
        if again is not None and again.value < found.value:
            again = replace(again, value=found.value, price=found.price, joint=found.joint)
        found = again
    if formed_from == "grouping":  # the first posts, improved for their teams
        stage, staffing = refine(
            scenario, stage, staffing, travel, own if allocation else None, clock
        )
        objective = round(stage.objective + staffing.objective, 2)
        if found is None:
            found = valid_bound(
                scenario, classes, travel, stage.posts, staffing, own_on_tps, objective, clock
            )
    if found is not None:  # where the plan's gap is wide, the bound's LP says how much is real
        found = finished(found, objective, known_posts(scenario, stage.posts), clock)
        if found.lp_opening is not None:  # and where it opens posts is worth a try
            stage, staffing, taken = relaxed_plan(
                scenario, stage, staffing, travel, own if allocation else None, classes,
                (found.lp_opening,), clock
            )
            formed_from = "lp" if taken else formed_from
    stage, staffing = with_guests(
        scenario, stage, staffing, travel, own if allocation else None, classes
    )
    objective = round(stage.objective + staffing.objective, 2)
    reach = reserve_reach(scenario, staffing.assignments, travel)
    shortages: list[Shortage] = list(stage.shortages) + staffing.shortages
    if allocation and own < tps_quota(scenario):  # too few own officers left for the quota
        shortages.append(Shortage(hq_unit(scenario.dataset).code, tps_quota(scenario), own))
    bound = None if found is None else math.floor(min(found.value, objective) * 100) / 100
    stages: dict[str, dict[str, Any]] = {
        "classify": {
            "seconds": round(classified - start, 3),
            "desa_with_indicators": len(  # the pre-screen's village indicators, if any
                {t.desa_code for t in scenario.dataset.tps} & scenario.dataset.indicators.keys()
            ),
            **{c.value: sum(1 for v in classes.values() if v is c) for c in CLASS_ORDER},
        },
        "posts": {**stage.summary(), "officers_for_tps": officers_for_tps},
        "staffing": staffing.numbers,
        "bound": {"lower_bound": None, "problem": "none: seats left vacant"}
        if found is None else found.summary(),
    }
    stages["posts"]["stopped_by"] = clock.stopped_by
    stages["posts"]["formed_from"] = formed_from
    quality = Quality(
        objective,
        bound,
        status_of(objective, bound, bool(shortages)),
        round(time.perf_counter() - start, 3),
        seed,
        stages,
    )
    requirement = {} if allocation else requirement_report(scenario, stage.posts, staffing)
    return make_plan(
        scenario,
        classes,
        reasons,
        stage.posts,
        staffing.assignments,
        reach,
        quality,
        shortages=shortages,
        requirement=requirement,
    )


def _by_group(plan: Plan, scenario: Scenario, duty: Duty) -> dict[str, int]:
    group = {o.nrp: o.summary_group for o in scenario.dataset.personnel}
    counts = {"polres": 0, "bko_polri": 0, "brimob": 0, "tni": 0}
    for a in plan.assignments:
        if a.duty is duty and a.nrp in group:
            counts[group[a.nrp]] += 1
    return counts


def summary(plan: Plan, scenario: Scenario) -> dict[str, Any]:
    """The plan's headline numbers (stable keys), with its quality and how many rules hold."""
    team = Counter(a.target for a in plan.assignments if a.duty is Duty.POST)
    post_of = {code: post.id for post in plan.posts for code in post.tps}
    rawan = [c for c, cls in plan.classes.items() if cls.value == "rawan"]
    results = validate(plan, scenario)
    quality = plan.quality
    return {
        "tps": len(scenario.dataset.tps),
        "tps_covered": sum(1 for t in scenario.dataset.tps if team[post_of.get(t.code, "")] > 0),
        "tps_by_class": {
            c.value: sum(1 for v in plan.classes.values() if v is c) for c in CLASS_ORDER
        },
        "posts": len(plan.posts),
        "officers_on_tps": sum(team.values()),
        "officers_on_tps_by_origin": _by_group(plan, scenario, Duty.POST),
        "reserve": _by_group(plan, scenario, Duty.RESERVE),
        "duties": {d.value: sum(1 for a in plan.assignments if a.duty is d) for d in Duty},
        "rawan_tps": len(rawan),
        "min_officers_at_rawan_tps": min((team[post_of.get(c, "")] for c in rawan), default=None),
        "max_tps_per_post": max((len(p.tps) for p in plan.posts), default=0),
        "missing_officers": sum(s.missing for s in plan.shortages),
        "objective": quality.objective,
        "lower_bound": quality.lower_bound,
        "gap": quality.gap,
        "status": quality.status,
        "seconds": quality.seconds,
        "seed": quality.seed,
        "stopped_by": quality.stages.get("posts", {}).get("stopped_by"),
        "bound_problem": quality.stages.get("bound", {}).get("problem"),
        "rules_passed": sum(r.ok for r in results),
        "rules_total": len(results),
        "settings": force_settings(scenario).to_dict(),
        "polsek_outside_sector": _outside_sector(plan, scenario),
    }


def _outside_sector(plan: Plan, scenario: Scenario) -> dict[str, int]:
    """Polsek officers on TPS posts, how many serve outside their sector, and of those how many
    the home-sector rule does not justify (their own sector still needed them)."""
    cases = [c for c in HomeSectorView(plan, scenario).cases() if c.sector is not None]
    outside = [c for c in cases if c.outside]
    return {
        "on_tps": len(cases),
        "outside": len(outside),
        "unjustified": sum(not c.justified for c in outside),
    }

"""The manual method, as a baseline the planner must beat, measured in the same units.

How a Polres plans by hand: the same officers are sent (the TPS quota, BKO for TPS duty), the
reserve, Padal and Polres reserve are decided as the planner does, and guards go to the nearest
officers. Then every sector gets pairs in proportion to its TPS; each Polsek pairs its own
officers in roster order, HQ officers and then BKO fill what is left, and each sector's TPS, in
code order, are cut into consecutive runs, one per pair. The result is a ``Plan`` like any
other, so that ``validate`` and ``compare`` can judge it; its objective is the planner's: the
travel to posts and guards plus the ground the posts cover (post point to each of its TPS).
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from pamtps.domain import Officer, Origin, VulnerabilityClass
from pamtps.domain.plan import ClassReason, Duty, Plan, Post, Quality, Scenario
from pamtps.planner.classify import classify
from pamtps.planner.policy import is_hq_leader, lent_on_tps, own_target, strictest
from pamtps.planner.sectors import sector_of_tps
from pamtps.planner.solve import make_plan
from pamtps.planner.staffing import (
    DutyBook,
    choose_padal,
    guard_slots,
    hold_polres_reserve,
    mark_unavailable,
    place_reserve_units,
    reserve_reach,
    send_rest_to_units,
)
from pamtps.planner.travel import TravelModel, travel_for
from pamtps.planner.validation import validate


def _shares(total: int, weights: list[int]) -> list[int]:
    """Integers proportional to ``weights`` adding up to ``total`` (largest remainder)."""
    raw = [total * w / sum(weights) for w in weights]
    parts = [int(x) for x in raw]
    for i in sorted(range(len(raw)), key=lambda i: (parts[i] - raw[i], i))[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _runs(items: list[str], count: int) -> list[list[str]]:
    """``items`` cut into ``count`` consecutive runs whose sizes differ by at most one."""
    size, extra = divmod(len(items), count)
    runs, start = [], 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        runs.append(items[start:end])
        start = end
    return runs


def _teams(book: DutyBook, tps_by_sector: dict[str, list[str]]) -> dict[str, list[Officer]]:
    """Each sector's officers for TPS: its Polsek's own first, then HQ's, then BKO."""
    scenario = book.scenario
    own = [o for o in book.free() if o.origin.is_local and not is_hq_leader(o)]
    own.sort(key=lambda o: o.origin is not Origin.POLSEK)  # stable: roster order within
    own = own[: own_target(scenario, [])] if scenario.operation.mode == "allocation" else own
    lent = lent_on_tps(scenario, book.free())
    codes = sorted(tps_by_sector)
    strength = len(own) + len(lent)
    targets = [
        2 * pairs for pairs in _shares(strength // 2, [len(tps_by_sector[c]) for c in codes])
    ]
    if strength % 2 and codes:  # the odd officer goes to the sector with the most TPS
        targets[max(range(len(codes)), key=lambda i: len(tps_by_sector[codes[i]]))] += 1
    teams: dict[str, list[Officer]] = {c: [o for o in own if o.unit_code == c] for c in codes}
    spare = [o for o in own if o.unit_code not in teams]
    for code, target in zip(codes, targets):
        spare += teams[code][target:]
        del teams[code][target:]
    spare += lent
    for code, target in zip(codes, targets):
        while len(teams[code]) < target and spare:
            teams[code].append(spare.pop(0))
    return teams


def manual_posts(book: DutyBook, classes: dict[str, VulnerabilityClass]) -> list[Post]:
    """Pairs in roster order per sector, each taking a consecutive run of TPS in code order."""
    dataset = book.scenario.dataset
    sector_of = sector_of_tps(dataset)
    by_code = {t.code: t for t in dataset.tps}
    tps_by_sector: dict[str, list[str]] = {}
    for code in sorted(by_code):
        tps_by_sector.setdefault(sector_of[code], []).append(code)
    posts = []
    for sector, team in _teams(book, tps_by_sector).items():
        pairs = [team[i : i + 2] for i in range(0, len(team) - len(team) % 2, 2)]
        if len(team) % 2 and pairs:
            pairs[-1].append(team[-1])  # the odd officer joins the last pair
        if not pairs:
            continue
        for number, (pair, run) in enumerate(
            zip(pairs, _runs(tps_by_sector[sector], len(pairs))), start=1
        ):
            if not run:
                continue
            cls = strictest(classes[c] for c in run)
            # the pair stands at the first TPS of the run's strictest class
            first = by_code[next(c for c in run if classes[c] is cls)]
            post_id = f"manual.{sector}.{number:03d}"
            required = book.scenario.operation.pattern[cls].officers_per_post
            posts.append(
                Post(
                    post_id,
                    sector,
                    first.kecamatan_code,
                    cls,
                    run,
                    required,
                    0,
                    first.lat,
                    first.lng,
                )
            )
            for officer in pair:
                book.give(
                    officer, Duty.POST, post_id, book.minutes(officer, (first.lat, first.lng))
                )
    return posts


def _guard_nearest(book: DutyBook) -> None:
    """Each guard seat, in order, to the nearest free own officer (roster order breaks ties)."""
    for slot in guard_slots(book):
        pool = [o for o in book.free() if o.origin.is_local and not is_hq_leader(o)]
        if pool:
            nearest = min(pool, key=lambda o: book.minutes(o, slot.point))
            book.give(nearest, Duty.GUARD, slot.target, book.minutes(nearest, slot.point))


def baseline(
    scenario: Scenario,
    *,
    classes: dict[str, VulnerabilityClass] | None = None,
    reasons: dict[str, list[ClassReason]] | None = None,
    travel: TravelModel | None = None,
    seed: int | None = None,
) -> Plan:
    """The manual method's plan, in the planner's own types.

    Pass the planner's ``classes`` (and ``reasons``) to compare both on the same TPS classes;
    without them the TPS are classed here.
    """
    start = time.perf_counter()
    travel = travel or travel_for(scenario)
    if classes is None:
        classes, reasons = classify(scenario, travel=travel)
    reasons = reasons or {}
    book = DutyBook(scenario, travel)
    mark_unavailable(book)
    place_reserve_units(book)
    choose_padal(book)
    hold_polres_reserve(book, own_target(scenario, []) + len(guard_slots(book)))
    _guard_nearest(book)
    posts = manual_posts(book, classes)
    send_rest_to_units(book)
    assignments = book.assignments()
    travel_min = round(
        sum(a.travel_min for a in assignments if a.duty in (Duty.POST, Duty.GUARD)), 2
    )
    seed = scenario.operation.solver.seed if seed is None else seed
    reach = reserve_reach(scenario, assignments, travel)
    draft = make_plan(scenario, classes, reasons, posts, assignments, reach,
                      Quality(travel_min, None, "heuristic", 0.0, seed))
    # The planner's objective is its officers' travel plus the ground its posts cover (post
    # point to each TPS): the baseline's counts both too, or it would look better than it is.
    ground = round(_ground(draft, scenario, travel), 2)
    draft.quality = Quality(
        round(travel_min + ground, 2),
        None,
        "heuristic",
        round(time.perf_counter() - start, 3),
        seed,
        {
            "baseline": {
                "method": "manual: pairs in roster order, TPS in code order",
                "objective": round(travel_min + ground, 2),
                "travel_min": travel_min,
                "ground_min": ground,
            }
        },
    )
    return draft


def _ground(plan: Plan, scenario: Scenario, travel: TravelModel) -> float:
    """Minutes from each post's point to each of its TPS, summed: the ground teams cover."""
    where = {t.code: (t.lat, t.lng) for t in scenario.dataset.tps}
    return float(
        sum(
            travel.matrix([(p.lat, p.lng)], [where[c] for c in p.tps if c in where]).sum()
            for p in plan.posts
            if any(c in where for c in p.tps)
        )
    )


def _measures(plan: Plan, scenario: Scenario, travel: TravelModel) -> dict[str, Any]:
    on_post = [a for a in plan.assignments if a.duty is Duty.POST]
    size = Counter(a.target for a in on_post)
    per_pair = [2 * len(p.tps) / max(size[p.id], 1) for p in plan.posts]
    results = validate(plan, scenario)
    rawan = next(r for r in results if r.rule == "min_officers_at_rawan_tps")
    to_posts = sum(a.travel_min for a in on_post)
    ground = _ground(plan, scenario, travel)
    return {
        "posts": len(plan.posts),
        "travel_to_posts_min": round(to_posts, 1),
        "mean_travel_to_post_min": round(to_posts / max(len(on_post), 1), 1),
        "ground_min": round(ground, 1),
        "total_travel_min": round(to_posts + ground, 1),
        "max_tps_per_post": max((len(p.tps) for p in plan.posts), default=0),
        "max_tps_per_pair": round(max(per_pair, default=0.0), 2),
        "rawan_covered": f"{rawan.satisfied} of {rawan.total}",
        "rules_passed": sum(r.ok for r in results),
        "rules_total": len(results),
        "rules": {r.rule: str(r) + ("" if r.ok else " (broken)") for r in results},
    }


def compare(
    plan: Plan, baseline: Plan, scenario: Scenario, travel: TravelModel | None = None
) -> dict[str, Any]:
    """The planner's plan next to the manual baseline: travel, TPS per pair, rawan, rules.

    ``total_travel_min`` adds the officers' travel to their posts and the ground their posts
    cover (post point to each TPS); ``saved`` compares those totals.
    """
    travel = travel or travel_for(scenario)
    mine, manual = _measures(plan, scenario, travel), _measures(baseline, scenario, travel)
    saved = manual["total_travel_min"] - mine["total_travel_min"]
    total = manual["total_travel_min"]
    return {
        "plan": mine,
        "baseline": manual,
        "travel_saved_min": round(saved, 1),
        "travel_saved_pct": round(100 * saved / total, 1) if total else 0.0,
    }

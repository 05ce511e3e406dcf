"""Posts: the TPS each team guards, by the pattern of their class, never across a sector.

Rawan, sangat rawan and khusus TPS get the posts their pattern asks for (one per TPS when
``max_tps_per_post`` is 1, else compact groups of that many nearby TPS of the class). Kurang
rawan TPS are then grouped by one of two modes:

- *requirement* (``officers_for_tps`` None): the fewest posts the pattern allows,
  ceil(n / max_tps_per_post) in each sector; the caller turns the posts into a requirement.
- *allocation* (``officers_for_tps`` given): the officers left after the other classes form
  teams of the pattern's size, spread over the sectors by their kurang rawan TPS (largest
  remainder, never below a sector's minimum); officers left over join the posts with the
  most ground to cover, one each. Too few officers for the minimums anywhere: the posts stay at
  the minimum and each short sector gets a Shortage instead of a failure.

Inside a sector and class, the TPS are first split into compact groups of equal size (see
``grouping``); ``improve`` then moves bases and TPS for the teams staffed on the posts (sizes may
differ within the class's cap). The stage's objective is the sum over posts of the travel
minutes from the post's base to each of its TPS. Its Lagrangian bound (``lagrangian``) bounds
only the first grouping's restricted problem (``RESTRICTED``), and says so: the plan's valid
bound is ``bound``'s.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np

from pamtps.domain import Tps, VulnerabilityClass
from pamtps.domain.operation import PatternRule
from pamtps.domain.plan import Post, Quality, Scenario, Shortage
from pamtps.planner.grouping import Groups, solve
from pamtps.planner.sectors import sector_of_tps
from pamtps.planner.stop import Clock, StopCriteria
from pamtps.planner.travel import TravelModel, projected_km

V = VulnerabilityClass
CLASS_SHORT = {V.KURANG_RAWAN: "KR", V.RAWAN: "R", V.SANGAT_RAWAN: "SR", V.KHUSUS: "K"}
BOUND = "Lagrangian relaxation of the balanced p-median per sector and class (its LP bound at best)"
RESTRICTED = (
    "the first grouping's problem only: equal-size groups, the number of posts per sector and "
    "class fixed beforehand, no team travel; not a bound on the plan (see the plan's bound)"
)


@dataclass
class PostStage:
    """What the post stage gives the planner: posts, shortages and the stage's quality.

    ``officers`` is what the posts require in all (allocation mode: at most the officers given).
    ``objective`` is in travel minutes (medoid to each TPS of its post); ``lower_bound`` no
    grouping can beat; ``bound_method`` says how it was found.
    """

    posts: list[Post]
    shortages: list[Shortage]
    objective: float
    lower_bound: float | None
    bound_method: str
    seconds: float
    officers: int
    stopped_by: str = ""

    @property
    def gap(self) -> float | None:
        """The relative gap, reckoned as a plan's Quality reckons it."""
        return Quality(self.objective, self.lower_bound, "", self.seconds, 0).gap

    def summary(self) -> dict[str, Any]:
        """The stage's entry for ``Quality.stages``."""
        return {
            "posts": len(self.posts),
            "officers": self.officers,
            "objective": self.objective,
            "restricted_lower_bound": self.lower_bound,
            "restricted_gap": self.gap,
            "restricted_bound_method": self.bound_method,
            "restricted_problem": RESTRICTED,
            "seconds": self.seconds,
            "shortages": len(self.shortages),
            "stopped_by": self.stopped_by,
        }


def minimum_posts(tps_count: int, rule: PatternRule) -> int:
    """The fewest posts the pattern allows for ``tps_count`` TPS: ceil(n / max_tps_per_post)."""
    return math.ceil(tps_count / rule.max_tps_per_post)


def spread_posts(
    posts: int, tps_counts: dict[str, int], rule: PatternRule
) -> dict[str, int] | None:
    """Share ``posts`` over the sectors by their TPS (largest remainder), minimums first.

    Every sector gets at least its minimum and at most one post per TPS; a sector whose share
    falls outside those limits is held at the limit and the rest shared again. Ties go to the
    lower sector code. None when ``posts`` cannot meet every minimum.
    """
    counts = {s: n for s, n in sorted(tps_counts.items()) if n}
    least = {s: minimum_posts(n, rule) for s, n in counts.items()}
    if posts < sum(least.values()):
        return None
    posts = min(posts, sum(counts.values()))
    held: dict[str, int] = {}
    while True:
        free = [s for s in counts if s not in held]
        budget = posts - sum(held.values())
        total = sum(counts[s] for s in free)
        quota = {s: budget * counts[s] / total for s in free}
        low = [s for s in free if quota[s] < least[s]]
        high = [s for s in free if quota[s] > counts[s]]
        if not low and not high:
            break
        for s in low or high:
            held[s] = least[s] if low else counts[s]
    return held | largest_remainder(budget, {s: counts[s] for s in free})


def largest_remainder(total: int, weights: dict[str, int]) -> dict[str, int]:
    """``total`` shared in proportion to ``weights``: floors, then the largest remainders.

    Ties go to the lower key. All weights zero: everyone gets 0.
    """
    whole = sum(weights.values())
    if not whole:
        return dict.fromkeys(weights, 0)
    quota = {key: total * weight / whole for key, weight in sorted(weights.items())}
    result = {key: int(q) for key, q in quota.items()}
    spare = total - sum(result.values())
    for key in sorted(quota, key=lambda key: (-(quota[key] - result[key]), key))[:spare]:
        result[key] += 1
    return result


def shortages(posts: list[Post], officers: int) -> list[Shortage]:
    """Where ``officers`` fall short of the posts' minimum, each sector's Shortage."""
    needs: dict[str, int] = defaultdict(int)
    for post in posts:
        needs[post.sector] += post.required
    available = largest_remainder(max(officers, 0), needs)
    return [Shortage(s, n, available[s]) for s, n in sorted(needs.items()) if available[s] < n]


def reinforce(posts: list[Post], ground: dict[str, float], officers: int) -> None:
    """Officers left over join kurang rawan posts one each, the most ground first (in place)."""
    order = sorted(
        (p for p in posts if p.vulnerability is V.KURANG_RAWAN),
        key=lambda p: (-ground[p.id], p.id),
    )
    for i in range(officers if order else 0):
        order[i % len(order)].required += 1


def build_posts(
    scenario: Scenario,
    classes: dict[str, VulnerabilityClass],
    travel: TravelModel,
    officers_for_tps: int | None,
    *,
    seed: int | None = None,
    clock: Clock | None = None,
) -> PostStage:
    """The posts of every TPS (see the module docstring), as a PostStage.

    ``classes`` maps TPS codes to their class (a TPS missing from it is kurang rawan);
    ``officers_for_tps`` None is requirement mode. The stage holds the posts, the shortages
    (allocation mode only), the officers the posts require, the objective with its lower bound,
    and the seconds it took. ``seed`` defaults to the operation's solver seed; the searches stop
    on ``clock``'s counted criteria (default: ``StopCriteria`` with the operation's time limit
    as its wall-clock safety net).
    """
    started = time.perf_counter()
    operation = scenario.operation
    seed = operation.solver.seed if seed is None else seed
    clock = clock or StopCriteria(wall_clock_s=operation.solver.time_limit_s).clock()
    sector_of = sector_of_tps(scenario.dataset)
    cells: dict[tuple[str, VulnerabilityClass], list[Tps]] = defaultdict(list)
    for tps in sorted(scenario.dataset.tps, key=lambda t: t.code):
        cells[(sector_of[tps.code], classes.get(tps.code, V.KURANG_RAWAN))].append(tps)
    counts = {
        cell: minimum_posts(len(members), operation.pattern[cell[1]])
        for cell, members in cells.items()
    }
    kr_rule = operation.pattern[V.KURANG_RAWAN]
    higher = sum(operation.pattern[c].officers_per_post * k for (_, c), k in counts.items()
                 if c is not V.KURANG_RAWAN)
    if officers_for_tps is not None:
        teams = max(officers_for_tps - higher, 0) // kr_rule.officers_per_post
        kr_tps = {s: len(m) for (s, c), m in cells.items() if c is V.KURANG_RAWAN}
        for sector, k in (spread_posts(teams, kr_tps, kr_rule) or {}).items():
            counts[(sector, V.KURANG_RAWAN)] = k
    posts: list[Post] = []
    ground: dict[str, float] = {}
    bounds: list[float] = []
    notes: list[str] = []
    for (sector, cls), members in sorted(cells.items()):
        made, cost, bound, note = _cell_posts(
            sector, cls, members, counts[(sector, cls)], operation.pattern[cls], travel, seed,
            clock,
        )
        posts += made
        ground |= cost
        bounds.append(bound)
        notes += [note] if note else []
    found: list[Shortage] = []
    officers = sum(p.required for p in posts)
    if officers_for_tps is not None and officers_for_tps < officers:
        found = shortages(posts, officers_for_tps)
    elif officers_for_tps is not None:
        reinforce(posts, ground, officers_for_tps - officers)
        officers = sum(p.required for p in posts)
    method = BOUND + ("; " + "; ".join(notes) if notes else "")
    return PostStage(
        posts=posts,
        shortages=found,
        objective=float(sum(ground.values())),
        lower_bound=float(sum(bounds)),
        bound_method=method,
        seconds=time.perf_counter() - started,
        officers=officers,
        stopped_by=clock.stopped_by,
    )


def _cell_posts(
    sector: str,
    cls: VulnerabilityClass,
    members: list[Tps],
    k: int,
    rule: PatternRule,
    travel: TravelModel,
    seed: int,
    clock: Clock,
) -> tuple[list[Post], dict[str, float], float, str]:
    """The posts of one sector and class, each post's ground, the cell's bound and its note."""
    points = [(t.lat, t.lng) for t in members]
    minutes = travel.matrix(points, points) if k < len(members) else np.zeros((len(members),) * 2)
    solution = solve(minutes, projected_km(points), k, seed, clock)
    posts, ground = [], {}
    for number, (group, centre) in enumerate(_ordered(solution.groups), start=1):
        tps = [members[i] for i in group]
        head = members[centre]
        post_id = f"{sector}-{CLASS_SHORT[cls]}-{number:03d}"
        posts.append(Post(post_id, sector, head.kecamatan_code, cls, [t.code for t in tps],
                          rule.officers_per_post, rule.tni_per_post, head.lat, head.lng))
        ground[post_id] = float(sum(minutes[centre, i] for i in group))
    note = f"{sector} {CLASS_SHORT[cls]}: {solution.note}" if solution.note else ""
    return posts, ground, solution.bound, note


def _ordered(groups: Groups) -> list[tuple[list[int], int]]:
    """Groups in a stable, readable order: by their first TPS (members are sorted by code)."""
    pairs = [(sorted(m), c) for m, c in zip(groups.members, groups.medoids)]
    return sorted(pairs, key=lambda pair: pair[0][0])

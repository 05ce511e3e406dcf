"""Posts read off the lower bound's relaxation (a Lagrangian heuristic).

At its best multipliers the joint relaxation of ``bound`` says what opening a post at each
TPS is worth: the post's ground to the TPS it would take, less those TPS's coverage prices,
plus the seats it needs at their reduced prices (officers near it are cheap, far ones dear).
Where that relaxation is tight (its LP is nearly integral on the real regencies), the bases it
opens are close to an optimal post formation, which may look nothing like the first grouping:
posts of one TPS beside the stations the officers come from, posts of many TPS far from them.

``posts_from_relaxation`` keeps each class's number of posts and every post of a single-TPS
class; in every cell of one sector and class it opens the bases ranked first (each cell at
least the posts its caps need, at most one per TPS; where the opening says how often the steps
opened each base, each cell as many posts as those shares give it) and gives every other TPS to
an open base by an assignment problem over the minutes (each base takes itself and at most
``max_tps_per_post - 1`` others: that many places at each base; ``linear_sum_assignment``).
The planner then staffs those posts exactly and improves them as it does its first ones
(``solve.relaxed_plan``).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

from pamtps.domain import Tps, VulnerabilityClass
from pamtps.domain.plan import Post, Scenario
from pamtps.planner.bound import Opening
from pamtps.planner.posts import CLASS_SHORT, minimum_posts
from pamtps.planner.sectors import sector_of_tps
from pamtps.planner.travel import TravelModel

Matrix = NDArray[np.float64]
Cell = tuple[str, VulnerabilityClass]


def _assign(ground: Matrix, bases: list[int], cap: int) -> list[list[int]] | None:
    """Every TPS of a cell to one of its open ``bases`` (indices into ``ground``), each base
    itself and at most ``cap - 1`` others, least minutes in all: an assignment of the other
    TPS to ``cap - 1`` places at each base (``linear_sum_assignment``); None if there are too
    few places."""
    n = len(ground)
    opened = set(bases)
    rest = [i for i in range(n) if i not in opened]
    groups = [[b] for b in bases]
    if not rest:
        return groups
    places = cap - 1
    if places * len(bases) < len(rest):
        return None
    cost = np.repeat(ground[np.ix_(rest, bases)], places, axis=1)  # rest x places
    rows, cols = linear_sum_assignment(cost)
    for i, place in zip(rows, cols):
        groups[int(place) // places].append(rest[int(i)])
    return groups


def _apportion(
    total: int, weights: dict[Cell, float], least: dict[Cell, int], most: dict[Cell, int]
) -> dict[Cell, int] | None:
    """``total`` posts shared over the cells by ``weights`` (largest remainder), each at least
    ``least`` and at most ``most``; None if that cannot be."""
    if not sum(least.values()) <= total <= sum(most.values()):
        return None
    scale = total / max(sum(weights.values()), 1e-12)
    sizes = {c: min(max(int(w * scale), least[c]), most[c]) for c, w in weights.items()}
    order = sorted(weights, key=lambda c: (-(weights[c] * scale - int(weights[c] * scale)), c))
    while sum(sizes.values()) != total:
        step = 1 if sum(sizes.values()) < total else -1
        for c in order if step > 0 else reversed(order):
            if least[c] <= sizes[c] + step <= most[c]:
                sizes[c] += step
                if sum(sizes.values()) == total:
                    break
    return sizes


def posts_from_relaxation(
    scenario: Scenario,
    posts: list[Post],
    opening: Opening,
    travel: TravelModel,
    classes: dict[str, VulnerabilityClass],
) -> tuple[list[Post], dict[str, float]] | None:
    """Posts for the TPS of ``posts`` (the plan so far) opened where the relaxation's
    ``opening`` says (its rank; each cell as many posts as its shares give it, when known,
    else the best ranked over the cells), with each post's ground; teams at the pattern (the
    caller adds the officers beyond it). A post's milder TPS (its guests, by ``classes``) stay
    in its cell but are never opened: a post stands at a TPS of its class. None if a cell
    cannot be formed."""
    pattern = scenario.operation.pattern
    tps = sorted(scenario.dataset.tps, key=lambda t: t.code)
    index = {t.code: j for j, t in enumerate(tps)}
    sector_of = sector_of_tps(scenario.dataset)
    cells: dict[tuple[str, VulnerabilityClass], list[int]] = defaultdict(list)
    wanted: dict[VulnerabilityClass, int] = defaultdict(int)
    kept: list[Post] = []
    for post in posts:
        if pattern[post.vulnerability].max_tps_per_post == 1:
            kept.append(post)
            continue
        wanted[post.vulnerability] += 1
        cells[(post.sector, post.vulnerability)] += sorted(index[c] for c in post.tps)
    worth, shares = opening.rank, opening.shares
    opened: dict[tuple[str, VulnerabilityClass], list[int]] = {}
    for cls, count in wanted.items():
        # the bases each cell may open, best first: its TPS of its own class
        mine = {cell: sorted((j for j in m if classes.get(tps[j].code, cls) is cls),
                             key=lambda j: (worth[j], j))
                for cell, m in cells.items() if cell[1] is cls}
        least = {cell: minimum_posts(len(cells[cell]), pattern[cls]) for cell in mine}
        if sum(least.values()) > count or any(least[c] > len(m) for c, m in mine.items()):
            return None
        if shares is not None:  # each cell as many posts as the relaxation gave it
            sizes = _apportion(count, {c: float(shares[m].sum()) for c, m in mine.items()},
                               least, {c: len(m) for c, m in mine.items()})
            if sizes is None:
                return None
            for cell, ranked in mine.items():
                opened[cell] = ranked[: sizes[cell]]
            continue
        for cell, ranked in mine.items():
            opened[cell] = ranked[: least[cell]]
        others = sorted((worth[j], j, cell) for cell, ranked in mine.items()
                        for j in ranked[least[cell]:])
        for _, j, cell in others[: count - sum(least.values())]:
            opened[cell].append(j)
        if any(len(opened[cell]) > len(m) for cell, m in mine.items()):
            return None
    made: list[Post] = list(kept)
    ground: dict[str, float] = {}
    where = {p.id: (p.lat, p.lng) for p in kept}
    for post in kept:
        ground[post.id] = float(travel.matrix([where[post.id]],
                                              [_point(tps[index[c]]) for c in post.tps]).sum())
    for (sector, cls), members in sorted(cells.items()):
        points = [_point(tps[j]) for j in members]
        minutes = np.asarray(travel.matrix(points, points), dtype=float)
        local = {j: i for i, j in enumerate(members)}
        groups = _assign(minutes, [local[j] for j in opened[(sector, cls)]],
                         pattern[cls].max_tps_per_post)
        if groups is None:
            return None
        rule = pattern[cls]
        ordered = sorted(groups, key=lambda g: min(members[i] for i in g))
        for number, group in enumerate(ordered, start=1):
            head: Tps = tps[members[group[0]]]
            post_id = f"{sector}-{CLASS_SHORT[cls]}-{number:03d}"
            made.append(Post(post_id, sector, head.kecamatan_code, cls,
                             sorted(tps[members[i]].code for i in group), rule.officers_per_post,
                             rule.tni_per_post, head.lat, head.lng))
            ground[post_id] = float(minutes[group[0], group].sum())
    if any(sector_of[c] != p.sector for p in made for c in p.tps):
        return None
    return made, ground


def _point(t: Tps) -> tuple[float, float]:
    return (t.lat, t.lng)

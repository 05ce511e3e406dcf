"""Compact groups of equal size, and a lower bound on how compact they can be.

The problem (a balanced p-median): split n TPS into k groups whose sizes differ by at most one
(each holds floor(n/k) or ceil(n/k) TPS), each group based at one of its own TPS (the medoid),
minimising the sum of travel minutes from each medoid to the TPS of its group.

The heuristic (``balanced_groups``): k-means++ seeds on projected coordinates; rounds of a
capacity-respecting assignment (``linear_sum_assignment`` on the medoids' slots) and a medoid
update until nothing changes (``settle``); then the best re-split of neighbouring pairs of groups
(``exchange``), repeated while it helps (``polish``); the cheapest of a few seeded starts wins.
The bound: the problem's Lagrangian relaxation (``lagrangian``), whose best value is the LP
relaxation's; the medoids it picks seed one more start, often the best (``solve``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

from pamtps.planner.lagrangian import ascent
from pamtps.planner.stop import Clock, StopCriteria

Matrix = NDArray[np.float64]

MAX_ROUNDS = 50  # assignment/medoid rounds per start (they settle in about ten)
NEAR_GROUPS = 4  # groups whose medoids are nearest, tried for an exchange
BATCH_CELLS = 2_000_000  # numbers in one batch of splits (about 16 MB)
_FORBIDDEN = 1e9  # cost that keeps a filler row out of a real slot


@dataclass(frozen=True)
class Groups:
    """Members (indices into the points) and the medoid of each group, and their total cost."""

    members: list[list[int]]
    medoids: list[int]
    cost: float


def group_sizes(n: int, k: int) -> tuple[int, int]:
    """(q, r): k groups of n points are r groups of q + 1 and k - r groups of q."""
    return divmod(n, k)


def kmeans_pp(xy: Matrix, k: int, rng: np.random.Generator) -> list[int]:
    """k distinct seed indices by k-means++ (each next seed drawn with probability ~ d^2)."""
    seeds = [int(rng.integers(len(xy)))]
    nearest = np.sum((xy - xy[seeds[0]]) ** 2, axis=1)
    while len(seeds) < k:
        total = nearest.sum()
        if total <= 0:  # every remaining point sits on a seed: take the first free ones
            free = [i for i in range(len(xy)) if i not in seeds]
            seeds.extend(free[: k - len(seeds)])
            break
        seed = int(rng.choice(len(xy), p=nearest / total))
        seeds.append(seed)
        nearest = np.minimum(nearest, np.sum((xy - xy[seed]) ** 2, axis=1))
    return seeds


def assign_to_slots(minutes: Matrix, medoids: list[int]) -> NDArray[np.intp]:
    """The cheapest assignment of every point to a medoid with group sizes as equal as possible.

    Each medoid gets q + 1 slots; k - r filler rows may only take a last slot, so that exactly r
    groups end with q + 1 points and the others with q. Returns the group of each point.
    """
    n, k = minutes.shape[1], len(medoids)
    q, r = group_sizes(n, k)
    cost = np.repeat(minutes[medoids, :].T, q + 1, axis=1)  # point x (medoid, slot)
    filler = np.full((k - r, k * (q + 1)), _FORBIDDEN)
    filler[:, q :: q + 1] = 0.0
    rows, cols = linear_sum_assignment(np.vstack((cost, filler)))
    groups = np.zeros(n, dtype=np.intp)
    groups[rows[rows < n]] = cols[rows < n] // (q + 1)
    return groups


def medoids_of(
    minutes: Matrix, labels: NDArray[np.intp], k: int
) -> tuple[list[list[int]], list[int]]:
    """The members of each group (ascending) and its medoid: the member from which the others
    are cheapest to reach (ties: the lowest index).

    All groups at once, as a k x (largest group) table padded with -1: one numpy pass instead
    of a small one per group, which cost more in calls than in arithmetic.
    """
    order = np.argsort(labels, kind="stable")
    sizes = np.bincount(labels, minlength=k)
    table = np.full((k, int(sizes.max())), -1)
    place = np.arange(len(labels)) - np.repeat(np.cumsum(sizes) - sizes, sizes)  # within group
    table[labels[order], place] = order
    present = table >= 0
    index = np.where(present, table, 0)
    sums = np.where(present[:, None, :], minutes[index[:, :, None], index[:, None, :]], 0.0)
    totals = np.where(present, sums.sum(axis=2), np.inf)
    best = index[np.arange(k), np.argmin(totals, axis=1)]
    return [row[row >= 0].tolist() for row in table], best.tolist()


def settle(minutes: Matrix, medoids: list[int]) -> Groups:
    """Alternate the slot assignment and the medoid update from ``medoids`` until stable."""
    k = len(medoids)
    members: list[list[int]] = []
    for _ in range(MAX_ROUNDS):
        labels = assign_to_slots(minutes, medoids)
        members, updated = medoids_of(minutes, labels, k)
        if updated == medoids:
            break
        medoids = updated
    cost = float(sum(minutes[medoids[g], i] for g, m in enumerate(members) for i in m))
    return Groups(members, medoids, cost)


def balanced_groups(
    minutes: Matrix, xy: Matrix, k: int, seed: int, clock: Clock | None = None
) -> Groups:
    """k compact groups of as-equal-as-possible size (see the module docstring).

    ``clock.criteria.starts`` seeded starts (default criteria: 2; 4 save 0.2 % for 1.5x the
    time); starts after the first are skipped once the clock's safety net has cut in.
    """
    clock = clock or StopCriteria().clock()
    n = len(minutes)
    if k >= n:
        return Groups([[i] for i in range(n)], list(range(n)), 0.0)
    starts = (
        kmeans_pp(xy, k, np.random.default_rng([seed, s]))
        for s in range(clock.criteria.starts)
        if s == 0 or not clock.out_of_time()
    )
    return cheapest(polish(minutes, settle(minutes, medoids)) for medoids in starts)


def cheapest(candidates: Iterable[Groups]) -> Groups:
    """The cheapest of the candidates (the first of equals, for determinism)."""
    best: Groups | None = None
    for groups in candidates:
        if best is None or groups.cost < best.cost - 1e-9:
            best = groups
    assert best is not None
    return best


def best_splits(
    minutes: Matrix, unions: NDArray[np.intp], size: int
) -> tuple[Matrix, NDArray[np.intp], NDArray[np.intp], list[list[int]]]:
    """The best split of each union (a row of TPS indices) into a group of ``size`` and the rest.

    Exhaustive over the ordered medoid pairs (a, b): with both fixed, the TPS that go to a are
    those for which a is cheapest relative to b. Returns, per union, the cost, a and b (as
    positions in the union) and the positions that form a's group.
    """
    sub = minutes[unions[:, :, None], unions[:, None, :]]
    a, b, rows = _pairs(unions.shape[1])
    diff = sub[:, a, :] - sub[:, b, :]  # per pair: cost of going to a rather than b, per TPS
    diff[:, rows, a] = -np.inf  # a and b serve themselves
    diff[:, rows, b] = np.inf
    ranked = np.sort(diff, axis=2)
    to_b = sub[:, b, :].sum(axis=2) - sub[:, b, a]  # all TPS but a served from b
    cost = to_b + ranked[:, :, 1:size].sum(axis=2) + sub[:, a, a]
    best = np.argmin(cost, axis=1)
    chosen = [
        sorted(np.argsort(diff[p, best[p]], kind="stable")[:size].tolist())
        for p in range(len(unions))
    ]
    return cost[np.arange(len(unions)), best], a[best], b[best], chosen


@cache
def _pairs(m: int) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]]:
    """The ordered pairs (a, b), a != b, of m items, and their row numbers."""
    a, b = np.nonzero(~np.eye(m, dtype=bool))
    return a, b, np.arange(len(a))


def exchange(minutes: Matrix, groups: Groups) -> Groups:
    """Re-split pairs of neighbouring groups optimally (keeping their sizes) until none improves.

    Neighbours are the ``NEAR_GROUPS`` groups whose medoids are nearest. Each round tries every
    pair with a side changed in the round before, all at once (pairs with unions of one size in
    one array: a pair alone is too small for numpy to pay), then applies the improvements, the
    largest first, each group at most once.
    """
    members = [list(m) for m in groups.members]
    medoids = list(groups.medoids)
    k = len(medoids)
    cost = [float(minutes[medoids[g], members[g]].sum()) for g in range(k)]
    changed = set(range(k))  # a pair is worth trying again only if one side changed
    for _ in range(MAX_ROUNDS):
        near = np.argsort(minutes[np.ix_(medoids, medoids)], axis=1, kind="stable")
        pairs = sorted({
            (min(g, h), max(g, h))
            for g in range(k)
            for h in (int(x) for x in near[g, : NEAR_GROUPS + 1])
            if h != g and (g in changed or h in changed)
        })
        moves = []
        for (g, h), (found, a, b, chosen) in _splits(minutes, members, pairs):
            gain = cost[g] + cost[h] - found
            if gain > 1e-9:
                moves.append((-gain, g, h, a, b, chosen))
        changed = set()
        for _, g, h, a, b, chosen in sorted(moves):
            if g in changed or h in changed:
                continue  # this pair's split was found before the other move: try next round
            union = members[g] + members[h]
            mine = [union[i] for i in chosen]
            members[h] = sorted(set(union) - set(mine))
            members[g] = mine
            medoids[g], medoids[h] = union[a], union[b]
            cost[g] = float(minutes[medoids[g], members[g]].sum())
            cost[h] = float(minutes[medoids[h], members[h]].sum())
            changed |= {g, h}
        if not changed:
            break
    return Groups(members, medoids, float(sum(cost)))


def _splits(
    minutes: Matrix, members: list[list[int]], pairs: list[tuple[int, int]]
) -> Iterable[tuple[tuple[int, int], tuple[float, int, int, list[int]]]]:
    """``best_splits`` of each pair's union, batched by union and group size."""
    batches: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for g, h in pairs:
        batches.setdefault((len(members[g]) + len(members[h]), len(members[g])), []).append((g, h))
    for (m, size), batch in sorted(batches.items()):
        # Bounded arrays: the pairs of one call hold at most ``BATCH_CELLS`` numbers.
        step = max(1, BATCH_CELLS // (m * m * m))
        for i in range(0, len(batch), step):
            part = batch[i : i + step]
            unions = np.array([members[g] + members[h] for g, h in part], dtype=np.intp)
            found, a, b, chosen = best_splits(minutes, unions, size)
            for p, pair in enumerate(part):
                yield pair, (float(found[p]), int(a[p]), int(b[p]), chosen[p])


def polish(minutes: Matrix, groups: Groups) -> Groups:
    """Exchange between neighbouring groups, then settle again, while the cost falls."""
    while len(groups.medoids) > 1:
        better = settle(minutes, exchange(minutes, groups).medoids)
        if better.cost >= groups.cost - 1e-9:
            break
        groups = better
    return groups


def nearest_neighbour_bound(minutes: Matrix, k: int) -> float:
    """A cheap bound: n - k TPS are not medoids, and each pays at least its nearest neighbour."""
    n = len(minutes)
    if k >= n:
        return 0.0
    others = minutes + np.diag(np.full(n, np.inf))
    nearest = np.sort(others.min(axis=0))
    return float(nearest[: n - k].sum())


@dataclass(frozen=True)
class Solution:
    """The groups of one cell (a sector's TPS of one class), a lower bound and how it was found."""

    groups: Groups
    bound: float
    note: str  # "" when the Lagrangian bound was searched


def solve(
    minutes: Matrix, xy: Matrix, k: int, seed: int, clock: Clock | None = None
) -> Solution:
    """Groups from the seeded starts and from the relaxation's medoids, and the best bound.

    The searches stop on ``clock``'s counted criteria (default: ``StopCriteria()``); its wall
    clock is a safety net that ends the extra starts and the search for the bound; the first
    start always runs, so groups always come out. The bound is never below the
    nearest-neighbour one, which stands alone (``note`` says so) when the safety net cut in
    before the search began.
    """
    clock = clock or StopCriteria().clock()
    groups = balanced_groups(minutes, xy, k, seed, clock)
    if k >= len(minutes):
        return Solution(groups, 0.0, "")
    found = ascent(minutes, k, groups.cost, clock)
    if found.medoids:  # the relaxation's medoids often start the cheapest grouping
        groups = cheapest((groups, polish(minutes, settle(minutes, found.medoids))))
    floor = nearest_neighbour_bound(minutes, k)
    note = "" if found.steps else "time limit reached: nearest-neighbour bound"
    return Solution(groups, max(found.bound, floor), note)

"""Compact groups of equal size, and a lower bound on how compact they can be.

The problem (a balanced p-median): split n TPS into k groups whose sizes differ by at most one
(each holds floor(n/k) or ceil(n/k) TPS), each group based at one of its own TPS (the medoid),
minimising the sum of travel minutes from each medoid to the TPS of its group.

The heuristic (``balanced_groups``): k-means++ seeds on projected coordinates; rounds of a
capacity-respecting assignment (``linear_sum_assignment`` on the medoids' slots) and a medoid
update until nothing changes (``settle``); then the best re-split of neighbouring pairs of groups
(``exchange``), repeated while it helps (``polish``); the cheapest of a few seeded starts wins.
The bound (``lp_relaxation``): the problem's LP relaxation, by HiGHS; its heaviest medoids seed
one more start (``solve``). Above ``LP_MAX_TPS`` TPS a cheap, weaker bound stands in.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.optimize import linear_sum_assignment, linprog

Matrix = NDArray[np.float64]

STARTS = 4  # seeded k-means++ starts; the cheapest result wins
MAX_ROUNDS = 50  # assignment/medoid rounds per start (they settle in about ten)
LP_MAX_TPS = 400  # larger groups get the nearest-neighbour bound (the LP grows as n squared)
LP_TIME_LIMIT_S = 60.0
NEIGHBOURS = 16  # pairs per TPS in the first round of column generation
CERTIFIED = 2e-3  # stop once the Lagrangian bound is this close (relative) to the LP
NEAR_GROUPS = 4  # groups whose medoids are nearest, tried for an exchange
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


def assign_to_slots(minutes: Matrix, medoids: list[int]) -> list[int]:
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
    groups = [0] * n
    for row, col in zip(rows, cols):
        if row < n:
            groups[row] = int(col) // (q + 1)
    return groups


def medoid(minutes: Matrix, members: list[int]) -> int:
    """The member from which the others are cheapest to reach (ties: the lowest index)."""
    sub = minutes[np.ix_(members, members)]
    return members[int(np.argmin(sub.sum(axis=1)))]


def settle(minutes: Matrix, medoids: list[int]) -> Groups:
    """Alternate the slot assignment and the medoid update from ``medoids`` until stable."""
    k = len(medoids)
    members: list[list[int]] = []
    for _ in range(MAX_ROUNDS):
        labels = np.asarray(assign_to_slots(minutes, medoids))
        members = [np.flatnonzero(labels == g).tolist() for g in range(k)]
        updated = [medoid(minutes, m) for m in members]
        if updated == medoids:
            break
        medoids = updated
    cost = float(sum(minutes[medoids[g], i] for g, m in enumerate(members) for i in m))
    return Groups(members, medoids, cost)


def balanced_groups(minutes: Matrix, xy: Matrix, k: int, seed: int) -> Groups:
    """k compact groups of as-equal-as-possible size (see the module docstring)."""
    n = len(minutes)
    if k >= n:
        return Groups([[i] for i in range(n)], list(range(n)), 0.0)
    starts = (kmeans_pp(xy, k, np.random.default_rng([seed, s])) for s in range(STARTS))
    return cheapest(polish(minutes, settle(minutes, medoids)) for medoids in starts)


def cheapest(candidates: Iterable[Groups]) -> Groups:
    """The cheapest of the candidates (the first of equals, for determinism)."""
    best: Groups | None = None
    for groups in candidates:
        if best is None or groups.cost < best.cost - 1e-9:
            best = groups
    assert best is not None
    return best


def best_split(minutes: Matrix, union: list[int], size: int) -> tuple[float, int, int, list[int]]:
    """The best split of ``union`` into a group of ``size`` and the rest, each with its medoid.

    Exhaustive over the ordered medoid pairs (a, b): with both fixed, the TPS that go to a are
    those for which a is cheapest relative to b. Returns (cost, a, b, members of a's group).
    """
    sub = minutes[np.ix_(union, union)]
    m = len(union)
    a, b = np.nonzero(~np.eye(m, dtype=bool))
    diff = sub[a, :] - sub[b, :]  # per pair: cost of going to a rather than b, for each TPS
    diff[np.arange(len(a)), a] = -np.inf  # a and b serve themselves
    diff[np.arange(len(a)), b] = np.inf
    order = np.argsort(diff, axis=1, kind="stable")
    ranked = np.take_along_axis(diff, order, axis=1)
    to_b = sub[b, :].sum(axis=1) - sub[b, a]  # all TPS but a served from b
    cost = to_b + ranked[:, 1:size].sum(axis=1) + sub[a, a]
    best = int(np.argmin(cost))
    return float(cost[best]), int(a[best]), int(b[best]), sorted(order[best, :size].tolist())


def exchange(minutes: Matrix, groups: Groups) -> Groups:
    """Re-split pairs of neighbouring groups optimally (keeping their sizes) until none improves.

    Neighbours are the ``NEAR_GROUPS`` groups whose medoids are nearest.
    """
    members = [list(m) for m in groups.members]
    medoids = list(groups.medoids)
    k = len(medoids)
    cost = [float(minutes[medoids[g], members[g]].sum()) for g in range(k)]
    changed = set(range(k))  # a pair is worth trying again only if one side changed
    for _ in range(MAX_ROUNDS):
        before, changed = changed, set()
        near = np.argsort(minutes[np.ix_(medoids, medoids)], axis=1, kind="stable")
        for g in range(k):
            for h in (int(x) for x in near[g, 1 : NEAR_GROUPS + 1]):
                if g not in before and h not in before and g not in changed and h not in changed:
                    continue
                union = members[g] + members[h]
                found, a, b, chosen = best_split(minutes, union, len(members[g]))
                if found < cost[g] + cost[h] - 1e-9:
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
class Relaxation:
    """A lower bound (None: none found) and the LP's medoid weights y_j (to seed a start)."""

    bound: float | None
    weights: Matrix | None


def lp_relaxation(
    minutes: Matrix, k: int, start: Groups | None = None, time_limit_s: float = LP_TIME_LIMIT_S
) -> Relaxation:
    """A lower bound from the LP relaxation of the balanced p-median, by HiGHS.

    Variables: y_j (TPS j is a medoid, serving itself) and x_ij for i != j (TPS i served from
    medoid j). Each TPS is served once; k medoids; x_ij <= y_j; a medoid's group holds q to
    q + 1 TPS (q = n // k; exactly q when k divides n). The n^2 pairs make a large LP, so it is
    solved by column generation: first each TPS's ``NEIGHBOURS`` nearest medoids (and the
    pairs of ``start``, which keep it feasible), then the pairs whose reduced cost is negative.
    The duals of every round give a Lagrangian bound valid for the whole problem; the rounds
    stop once it comes within ``CERTIFIED`` of the LP (or when no pair prices out: then the LP
    value itself is the bound).
    """
    n = len(minutes)
    if k >= n:
        return Relaxation(0.0, None)
    offdiag = ~np.eye(n, dtype=bool)
    cost = minutes.T  # cost[i, j]: serving TPS i from medoid j
    active = np.zeros((n, n), dtype=bool)
    nearest = np.argsort(np.where(offdiag, cost, np.inf), axis=1, kind="stable")
    np.put_along_axis(active, nearest[:, :NEIGHBOURS], True, axis=1)
    if start is not None:
        for members, centre in zip(start.members, start.medoids):
            active[members, centre] = True
    active &= offdiag
    deadline = time.monotonic() + time_limit_s
    best: float | None = None
    weights = None
    while time.monotonic() < deadline:
        lp = _balanced_p_median_lp(cost, k, active)
        result = linprog(
            lp.c, A_ub=lp.a_ub, b_ub=lp.b_ub, A_eq=lp.a_eq, b_eq=lp.b_eq, bounds=(0.0, 1.0),
            method="highs-ipm", options={"time_limit": max(deadline - time.monotonic(), 1.0)},
        )
        if result.status != 0:
            break
        u = np.asarray(result.eqlin.marginals)[:n]
        weights = np.asarray(result.x)[lp.m :]
        bound = lagrangian(cost, k, u)
        best = bound if best is None else max(best, bound)
        if best >= result.fun - CERTIFIED * abs(result.fun):
            break
        # Reduced costs of the missing pairs (their own x_ij <= y_j row is absent: dual 0).
        w = np.asarray(result.ineqlin.marginals)
        load, least = w[lp.m : lp.m + n], w[lp.m + n :]
        entering = offdiag & ~active & (cost - u[:, None] - load[None, :] + least[None, :] < -1e-9)
        if not entering.any():  # the restricted LP is the whole LP
            best = max(best, float(result.fun))
            break
        active |= entering
    return Relaxation(best, weights)


@dataclass(frozen=True)
class _Lp:
    c: Matrix
    a_eq: sparse.csr_matrix
    b_eq: Matrix
    a_ub: sparse.csr_matrix
    b_ub: Matrix
    m: int  # x columns (and x_ij <= y_j rows) come first


def _balanced_p_median_lp(cost: Matrix, k: int, active: NDArray[np.bool_]) -> _Lp:
    """The LP over the active pairs (rows: served once, k medoids; link, load, least)."""
    n = len(cost)
    q, r = group_sizes(n, k)
    cap = q + 1 if r else q
    i_of, j_of = np.nonzero(active)
    m = len(i_of)
    x_col, y_col, rows = np.arange(m), m + np.arange(n), np.arange(n)
    ones = np.ones(m)

    def block(values: Matrix, row: Matrix, col: Matrix, height: int) -> sparse.csr_matrix:
        return sparse.csr_matrix((values, (row, col)), shape=(height, m + n))

    a_eq = block(
        np.ones(m + 2 * n),
        np.concatenate((i_of, rows, np.full(n, n))),
        np.concatenate((x_col, y_col, y_col)),
        n + 1,
    )
    link = block(np.concatenate((ones, -ones)), np.concatenate((x_col, x_col)),
                 np.concatenate((x_col, m + j_of)), m)
    load = block(np.concatenate((ones, np.full(n, 1.0 - cap))), np.concatenate((j_of, rows)),
                 np.concatenate((x_col, y_col)), n)
    least = block(np.concatenate((-ones, np.full(n, q - 1.0))), np.concatenate((j_of, rows)),
                  np.concatenate((x_col, y_col)), n)
    return _Lp(
        c=np.concatenate((cost[i_of, j_of], np.zeros(n))),
        a_eq=a_eq,
        b_eq=np.concatenate((np.ones(n), [float(k)])),
        a_ub=sparse.vstack((link, load, least)).tocsr(),
        b_ub=np.zeros(m + 2 * n),
        m=m,
    )


def lagrangian(cost: Matrix, k: int, lam: Matrix) -> float:
    """The Lagrangian bound for multipliers ``lam`` on the rows "every TPS served once".

    With those rows priced out, each medoid j independently takes the q - 1 TPS i of least
    reduced cost cost[i, j] - lam[i], plus up to one more TPS (when k does not divide n) if its
    reduced cost is negative; the k medoids of least total win. Valid for any ``lam``.
    """
    n = len(cost)
    q, r = group_sizes(n, k)
    reduced = cost - lam[:, None]
    np.fill_diagonal(reduced, np.inf)
    order = np.argsort(reduced, axis=0, kind="stable")
    ranked = np.take_along_axis(reduced, order, axis=0)
    takes = np.full(n, q - 1)
    if r and q < n:
        takes += ranked[q - 1] < 0
    rows = np.arange(n)[:, None] < takes[None, :]
    value = -lam + np.where(rows, ranked, 0.0).sum(axis=0)
    chosen = np.argsort(value, kind="stable")[:k]
    return float(lam.sum() + value[chosen].sum())


@dataclass(frozen=True)
class Solution:
    """The groups of one cell (a sector's TPS of one class), a lower bound and how it was found."""

    groups: Groups
    bound: float
    note: str  # "" when the LP bound was found


def solve(minutes: Matrix, xy: Matrix, k: int, seed: int) -> Solution:
    """Groups from the seeded starts and from the LP's heaviest medoids, and the best bound.

    Above ``LP_MAX_TPS`` TPS, or when the LP does not finish, the bound is the nearest-neighbour
    one and ``note`` says why.
    """
    groups = balanced_groups(minutes, xy, k, seed)
    n = len(minutes)
    if n > LP_MAX_TPS:
        note = f"{n} TPS, above {LP_MAX_TPS}: nearest-neighbour bound"
        return Solution(groups, nearest_neighbour_bound(minutes, k), note)
    relaxation = lp_relaxation(minutes, k, groups)
    if relaxation.weights is not None:
        heaviest = np.argsort(-relaxation.weights, kind="stable")[:k]
        seeded = polish(minutes, settle(minutes, [int(j) for j in heaviest]))
        groups = cheapest((groups, seeded))
    if relaxation.bound is None:
        return Solution(groups, nearest_neighbour_bound(minutes, k),
                        "LP did not finish: nearest-neighbour bound")
    return Solution(groups, relaxation.bound, "")

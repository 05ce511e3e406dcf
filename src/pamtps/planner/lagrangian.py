"""A lower bound on the balanced p-median by Lagrangian relaxation, and medoids to start from.

The problem is ``grouping``'s: n TPS into k groups of q or q + 1 (q = n // k), each served from
one of its own TPS (the medoid), at least total minutes. Pricing out "every TPS is served once"
with multipliers ``lam`` leaves, for each candidate medoid j, a choice it makes alone: take the
q - 1 TPS of least reduced cost ``minutes[j, i] - lam[i]``, plus one more when groups may hold
q + 1 and that one is negative; the k candidates of least value win. Its value is a lower bound
for any ``lam``, and the best over all ``lam`` equals the LP relaxation (each candidate's choice
is integral), so this is the LP bound reached without an LP solver.

``ascent`` improves ``lam`` by subgradient steps (Polyak's step towards the best plan known).
Every value it meets is a valid bound, so it may stop after any step and keeps the best;
the medoids it picks most often seed one more grouping.

An evaluation looks at each candidate's nearest TPS only, plus the TPS of largest multiplier, and
checks that nothing it skipped could have been taken; where that check fails the whole row is
read, so the value is always exact.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from pamtps.planner.stop import Clock

Matrix = NDArray[np.float64]
Indices = NDArray[np.intp]

PATIENCE = 15  # steps without a better bound before the step size halves
SMALLEST_STEP = 1e-3  # step scale below which nothing more is to be gained
CERTIFIED = 1e-4  # stop once the bound is this close (relative) to the best plan known
HEAVY = 8  # TPS of largest multiplier looked at by every candidate


@dataclass(frozen=True)
class Evaluation:
    """The Lagrangian value at some multipliers, its subgradient and the medoids it chose."""

    value: float
    subgradient: Matrix
    medoids: Indices


class Lagrangian:
    """Evaluations of the relaxation for one cell (``minutes[j, i]``: medoid j to TPS i)."""

    def __init__(self, minutes: Matrix, k: int) -> None:
        self.n, self.k = len(minutes), k
        self.q, self.r = divmod(self.n, k)
        self.far = minutes + np.diag(np.full(self.n, np.inf))  # a medoid does not take itself
        self.width = min(self.n - 1, 4 * (self.q + 1))  # nearest TPS each candidate looks at
        order = np.argsort(self.far, axis=1, kind="stable")
        self.near = order[:, : self.width]
        self.near_minutes = np.take_along_axis(self.far, self.near, axis=1)
        # Minutes to the nearest TPS left out (itself, inf, when none is): none skipped is closer.
        self.beyond = self.far[np.arange(self.n), order[:, self.width]]
        self.is_near = np.zeros((self.n, self.n), dtype=bool)
        np.put_along_axis(self.is_near, self.near, True, axis=1)

    def start(self) -> Matrix:
        """Multipliers to start from: each TPS's minutes from its nearest other TPS."""
        return np.asarray(self.far.min(axis=0))

    def evaluate(self, lam: Matrix) -> Evaluation:
        """The value at ``lam`` (a lower bound), its subgradient and the medoids chosen."""
        n, q = self.n, self.q
        heavy = np.argsort(-lam, kind="stable")[: min(HEAVY, n)]
        rest = np.delete(lam, heavy).max(initial=-np.inf)  # the largest multiplier not in heavy
        cand = np.hstack((self.near, np.broadcast_to(heavy, (n, len(heavy)))))
        reduced = np.hstack((self.near_minutes, self.far[:, heavy])) - lam[cand]
        reduced[:, self.width :][self.is_near[:, heavy]] = np.inf  # already among the nearest
        taken, values = _smallest(reduced, cand, q)
        # A skipped TPS costs at least beyond - rest; rows where that could beat a taken one
        # are read in full.
        unsure = np.flatnonzero(self.beyond - rest < values[:, -1])
        if len(unsure):
            full = self.far[unsure] - lam[None, :]
            everyone = np.broadcast_to(np.arange(n), full.shape)
            taken[unsure], values[unsure] = _smallest(full, everyone, q)
        keep = np.ones_like(values, dtype=bool)
        keep[:, q - 1 :] = False
        if self.r:  # a group of q + 1 takes its q-th TPS only if that lowers the value
            keep[:, q - 1] = values[:, q - 1] < 0
        per_medoid = -lam + np.where(keep, values, 0.0).sum(axis=1)
        chosen = np.argsort(per_medoid, kind="stable")[: self.k]
        covered = np.bincount(chosen, minlength=n).astype(float)
        covered += np.bincount(taken[chosen][keep[chosen]], minlength=n)
        return Evaluation(float(lam.sum() + per_medoid[chosen].sum()), 1.0 - covered, chosen)


def _smallest(values: Matrix, index: Indices, q: int) -> tuple[Indices, Matrix]:
    """Per row, the ``q`` smallest values in ascending order and the indices they belong to."""
    if q < values.shape[1]:
        cut = np.argpartition(values, q - 1, axis=1)[:, :q]
    else:  # one group: every TPS is taken
        cut = np.broadcast_to(np.arange(values.shape[1]), values.shape)
    part = np.take_along_axis(values, cut, axis=1)
    order = np.argsort(part, axis=1, kind="stable")
    cut = np.take_along_axis(cut, order, axis=1)
    return np.take_along_axis(index, cut, axis=1), np.take_along_axis(part, order, axis=1)


@dataclass(frozen=True)
class Ascent:
    """The best bound found, the medoids the relaxation chose most often, and the steps taken."""

    bound: float
    medoids: list[int]
    steps: int


def ascent(minutes: Matrix, k: int, best_cost: float, clock: Clock) -> Ascent:
    """The best Lagrangian bound that ``clock.criteria.bound_iterations`` subgradient steps
    reach (200 by default; 300 add about 0.1 %), unless the clock's safety net cuts in first.

    ``best_cost`` is the cheapest grouping known (the target of Polyak's step): the ascent
    stops early once the bound comes within ``CERTIFIED`` of it.
    """
    relaxation = Lagrangian(minutes, k)
    lam = relaxation.start()
    picked = np.zeros(len(minutes))  # how often each TPS was a medoid, later steps weighing more
    best, scale, stalled, steps = -np.inf, 2.0, 0, 0
    while not clock.out_of_time():
        if steps >= clock.criteria.bound_iterations:
            clock.ran_out()
            break
        found = relaxation.evaluate(lam)
        steps += 1
        picked[found.medoids] += steps
        if found.value > best + 1e-9:
            best, stalled = found.value, 0
        else:
            stalled += 1
            if stalled >= PATIENCE:
                scale, stalled = scale / 2, 0
        norm = float(found.subgradient @ found.subgradient)
        if norm == 0 or scale < SMALLEST_STEP or best >= best_cost - CERTIFIED * abs(best_cost):
            break  # the relaxation's choice is a grouping, or no step will help any more
        lam = lam + scale * max(best_cost - found.value, 0.0) / norm * found.subgradient
    # The medoids picked most often estimate the LP's medoid weights: on the Sumsel cells they
    # start better groupings than those of the best bound alone (about 1 % cheaper).
    medoids = np.argsort(-picked, kind="stable")[:k].tolist() if steps else []
    return Ascent(float(best), medoids, steps)

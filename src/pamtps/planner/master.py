"""The joint bound finished by its LP: column generation over the relaxation's model (HiGHS).

The joint relaxation of ``bound`` (each base alone decides whether opening pays) has the
integrality property, so the best its multipliers can reach is the optimum of the model's LP.
Its counted subgradient steps approach that optimum slowly on the large kabupaten; an LP
solver reaches it, but the whole LP (every base with every TPS it may take, and a row
``x[b, i] <= y[b]`` for each) takes minutes of HiGHS there. Most of its columns are never
used: a base takes only TPS whose coverage price exceeds their minutes from it.

``finish`` solves a restricted master instead. It holds ``y[b]`` for every base, the guards,
and, at first, of the seats ``z[kind, b]`` only each base's ``SEAT_KINDS`` cheapest kinds (and
own kinds) at the steps' best seat prices, of the ``x[b, i]`` only each base's ``cap - 1`` TPS
of least reduced cost at their coverage prices (where below zero), and all of both at the
known plan's posts (so the master has a solution). Each round solves it with HiGHS (the dual
simplex first; then the primal, warm from the last basis, which adding columns keeps
feasible), reads its row duals and adds the columns that price out: for each base its
``cap - 1`` TPS of least reduced cost (``minutes - pi[i] + sigma[b]``, sigma the price of
b's cap) where below zero, each with its link row, and its ``SEAT_KINDS`` seats of least
reduced cost where below zero. When none is left the master's optimum is the LP's. At every
round the duals are multipliers like any others: the relaxation evaluated at them
(``JointLagrangian.evaluate``) is a valid bound whether or not the master is optimal yet, and
the best counts. The rounds and the simplex iterations of them all are counted
(``StopCriteria.lp_rounds``, ``lp_iterations``), and HiGHS runs on one thread, so the same
plan gives the same bound on any machine. The last master solved also says where the LP opens
posts (its ``y``, ``Finished.opened``): the planner forms posts from it (``solve.plan``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import highspy
import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from pamtps.planner.stop import Clock

if TYPE_CHECKING:  # ``bound`` finishes its steps here: no import back at run time
    from pamtps.planner.bound import JointLagrangian, Multipliers

Vector = NDArray[np.float64]
INF = highspy.kHighsInf
PRICED_OUT = -1e-6  # a column's reduced cost below which it enters the master
SEAT_KINDS = 3  # kinds of officer whose seats at a base enter the master at once
# once solved, the master only gains columns (and their link rows, which hold at x = 0): its
# basis stays primal feasible, so the primal simplex goes on from it (the dual would start over)
RESOLVE = 4  # HiGHS simplex_strategy: primal


@cache
def _first_instance_quietly() -> None:
    """HiGHS prints a banner on the process's own stdout (not Python's ``sys.stdout``, so no
    option stops it) when its first instance is made, and never again: that instance is made
    here, once, before the first master, with the descriptor pointed at /dev/null, so
    ``pamtps plan --json`` prints JSON alone (and a process that never solves an LP
    never touches its stdout)."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no stdout at all: nothing to keep clean
        highspy.Highs()
        return
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


@dataclass(frozen=True)
class Finished:
    """The best relaxation value at the master's duals (a valid bound), the rounds solved,
    and whether the LP's optimum was reached (no column priced out)."""

    value: float
    rounds: int
    optimal: bool
    opened: Vector | None = None  # y of every TPS as a base at the last master solved


class _Rows:
    """Triplets of a sparse matrix built block by block, with each row's bounds."""

    def __init__(self) -> None:
        self.rows: list[NDArray[np.intp]] = []
        self.cols: list[NDArray[np.intp]] = []
        self.values: list[Vector] = []
        self.lower: list[Vector] = []
        self.upper: list[Vector] = []
        self.height = 0

    def block(self, height: int, lower: float | Vector, upper: float | Vector) -> int:
        """``height`` new rows between these bounds; the first one's index."""
        first, self.height = self.height, self.height + height
        self.lower.append(np.broadcast_to(np.asarray(lower, dtype=float), (height,)))
        self.upper.append(np.broadcast_to(np.asarray(upper, dtype=float), (height,)))
        return first

    def add(self, rows: NDArray[np.intp], cols: NDArray[np.intp], value: float | Vector) -> None:
        self.rows.append(np.asarray(rows))
        self.cols.append(np.asarray(cols))
        self.values.append(np.broadcast_to(np.asarray(value, dtype=float), np.shape(rows)))

    def matrix(self, width: int) -> sparse.csc_matrix:
        data = (np.concatenate(self.values), (np.concatenate(self.rows), np.concatenate(self.cols)))
        return sparse.csc_matrix(data, shape=(self.height, width))


class _Master:
    """The restricted LP in HiGHS: its rows, which ``x[b, i]`` it holds, and its duals."""

    def __init__(self, relaxation: JointLagrangian) -> None:
        """The rows, the ``y`` and the guards' columns; the seats and the ``x`` come with
        ``seat`` and ``take``."""
        rel = self.rel = relaxation
        n, kinds = len(rel.need), len(rel.count)
        flexible = rel.flexible
        flex = self.flex = np.flatnonzero(flexible)
        nf = self.nf = len(flex)
        self.y_of = np.full(n, -1)
        self.y_of[flex] = np.arange(nf)
        own_kinds = np.flatnonzero(rel.own)
        guards = self.guards = rel.guard.shape[1]
        hk, hg = np.repeat(own_kinds, guards), np.tile(np.arange(guards), len(own_kinds))
        h_cols = nf + np.arange(len(hk))
        width = nf + len(hk)
        rows = _Rows()
        # pi: every TPS guarded once, by its own post or from a base
        self.cover = rows.block(nf, 1.0, 1.0)
        rows.add(self.cover + np.arange(nf), np.arange(nf), 1.0)
        self.own_row = rows.block(1, rel.own_on_tps, rel.own_on_tps)  # alpha
        self.seat_row = rows.block(1, rel.seats, rel.seats)  # beta
        self.guard_row = rows.block(guards, 1.0, 1.0)  # gamma
        rows.add(self.guard_row + hg, h_cols, 1.0)
        cap = np.ones(n)
        for cell in rel.cells:
            cap[cell.members] = cell.cap
        self.cap = rows.block(nf, -INF, 0.0)  # sigma: sum_i x[b, i] <= (cap - 1) y[b]
        rows.add(self.cap + np.arange(nf), np.arange(nf), -(cap[flex] - 1))
        # the seats at a base: its pattern, one of them own, at most ``spare`` beyond; a base
        # that is not flexible (a post of one TPS) is always open
        self.least = rows.block(n, -INF, np.where(flexible, 0.0, -rel.need))
        rows.add(self.least + flex, np.arange(nf), rel.need[flex])
        self.one_own = rows.block(n, -INF, np.where(flexible, 0.0, -1.0))
        rows.add(self.one_own + flex, np.arange(nf), 1.0)
        self.most = rows.block(n, -INF, np.where(flexible, 0.0, rel.need + rel.spare))
        rows.add(self.most + flex, np.arange(nf), -(rel.need[flex] + rel.spare))
        self.heads = rows.block(kinds, -INF, rel.count)  # mu
        rows.add(self.heads + hk, h_cols, 1.0)
        self.pattern: int | None = None
        if rel.least:  # lam: the open bases' pattern seats
            self.pattern = rows.block(1, -INF, -(rel.least - rel.need[~flexible].sum()))
            rows.add(np.full(nf, self.pattern), np.arange(nf), -rel.need[flex])
        matrix = rows.matrix(width)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = width, rows.height
        lp.col_cost_ = np.concatenate([np.zeros(nf), rel.guard[hk, hg]])
        lp.col_lower_ = np.zeros(width)
        lp.col_upper_ = np.concatenate([np.ones(nf), np.full(width - nf, INF)])
        lp.row_lower_ = np.concatenate(rows.lower)
        lp.row_upper_ = np.concatenate(rows.upper)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = matrix.indptr
        lp.a_matrix_.index_ = matrix.indices
        lp.a_matrix_.value_ = matrix.data
        _first_instance_quietly()
        self.highs = highspy.Highs()
        for option, value in (("output_flag", False), ("threads", 1), ("presolve", "off")):
            self.highs.setOptionValue(option, value)
        self.iterations = 0  # simplex iterations of every solve so far
        self.highs.passModel(lp)
        self.held = [np.zeros(cell.ground.shape, dtype=bool) for cell in rel.cells]
        self.seated = np.zeros((kinds, n), dtype=bool)

    def seat(self, wanted: NDArray[np.bool_]) -> int:
        """The seats ``z[kind, b]`` of this mask (kinds x TPS) not held yet; how many. Each
        counts in the own and total seats, in b's pattern, own first seat and most seats, and
        in its kind's head count."""
        new = wanted & ~self.seated
        self.seated |= new
        k, b = np.nonzero(new)
        count = len(k)
        if not count:
            return 0
        own = self.rel.own[k]
        entries = np.full((count, 6), -1)  # rows in increasing order; -1 where none
        entries[own, 0] = self.own_row
        entries[:, 1] = self.seat_row
        entries[:, 2] = self.least + b
        entries[own, 3] = self.one_own + b[own]
        entries[:, 4] = self.most + b
        entries[:, 5] = self.heads + k
        values = np.tile([1.0, 1.0, -1.0, -1.0, 1.0, 1.0], (count, 1))
        kept = entries >= 0
        starts = np.concatenate(([0], np.cumsum(kept.sum(axis=1))[:-1])).astype(np.int32)
        self.highs.addCols(count, self.rel.seat[k, b], np.zeros(count), np.full(count, INF),
                           int(kept.sum()), starts, entries[kept].astype(np.int32),
                           values[kept])
        return count

    def seat_reduced(self, duals: Vector) -> Vector:
        """Every seat's reduced cost at these row duals (kinds x TPS)."""
        rel = self.rel
        n = len(rel.need)
        at = np.arange(n)
        # cost less each row's dual times the column's entry there (as ``seat`` writes them)
        return (rel.seat - rel.own[:, None] * (duals[self.own_row] - duals[self.one_own + at])
                - duals[self.seat_row] + duals[self.least + at] - duals[self.most + at]
                - duals[self.heads : self.heads + len(rel.count)][:, None])

    def take(self, wanted: Sequence[NDArray[np.bool_]]) -> int:
        """The ``x[b, i]`` of these masks (one per cell) not held yet, each with its link row
        ``x[b, i] - y[b] <= 0``; how many."""
        costs, bases, taken = [], [], []
        for cell, mask, held in zip(self.rel.cells, wanted, self.held):
            new = mask & ~held & np.isfinite(cell.ground)
            if cell.cap == 1 or not new.any():
                continue
            held |= new
            r, c = np.nonzero(new)
            costs.append(cell.ground[r, c])
            bases.append(cell.members[r])
            taken.append(cell.columns[c])
        if not costs:
            return 0
        b, i = self.y_of[np.concatenate(bases)], self.y_of[np.concatenate(taken)]
        count = len(b)
        first = self.highs.getNumCol()
        entries = np.sort(np.stack([self.cover + i, self.cap + b], axis=1), axis=1)
        starts = np.arange(0, 2 * count, 2, dtype=np.int32)
        self.highs.addCols(count, np.concatenate(costs), np.zeros(count), np.full(count, INF),
                           2 * count, starts, entries.ravel().astype(np.int32), np.ones(2 * count))
        cols = first + np.arange(count)  # always after every y column
        link = np.stack([b, cols], axis=1).ravel().astype(np.int32)
        values = np.tile([-1.0, 1.0], count)
        self.highs.addRows(count, np.full(count, -INF), np.zeros(count), 2 * count, starts,
                           link, values)
        return count

    def solve(self, clock: Clock) -> tuple[Multipliers, Vector, Vector] | None:
        """The duals as the relaxation's multipliers, each base's cap price and the row
        duals; None unless HiGHS reached the master's optimum within the simplex iterations
        left of ``StopCriteria.lp_iterations`` (if they ran out: recorded)."""
        left = clock.criteria.lp_iterations - self.iterations
        self.highs.setOptionValue("simplex_iteration_limit", max(left, 0))
        self.highs.run()
        self.highs.setOptionValue("simplex_strategy", RESOLVE)  # from the next solve on
        self.iterations += self.highs.getInfo().simplex_iteration_count
        status = self.highs.getModelStatus()
        if status == highspy.HighsModelStatus.kIterationLimit:
            clock.ran_out()
        if status != highspy.HighsModelStatus.kOptimal:
            return None
        solution = self.highs.getSolution()
        duals = np.asarray(solution.row_dual)
        n = len(self.rel.need)
        pi = np.zeros(n)
        pi[self.flex] = duals[self.cover : self.cover + self.nf]
        mu = np.maximum(-duals[self.heads : self.heads + len(self.rel.count)], 0.0)
        lam = 0.0 if self.pattern is None else max(-float(duals[self.pattern]), 0.0)
        gamma = duals[self.guard_row : self.guard_row + self.guards]
        found = (pi, mu, float(duals[self.own_row]), float(duals[self.seat_row]), gamma, lam)
        sigma = np.zeros(n)
        sigma[self.flex] = np.maximum(-duals[self.cap : self.cap + self.nf], 0.0)
        return found, sigma, duals

    def opened(self) -> Vector:
        """Each TPS's ``y`` in the master's solution (1 where it is always a post)."""
        y = np.ones(len(self.rel.need))
        y[self.flex] = np.asarray(self.highs.getSolution().col_value[: self.nf])
        return y


def _cheapest(reduced: Vector, most: int, priced_out: bool = True) -> NDArray[np.bool_]:
    """Each base's (row's) ``most`` columns of least reduced cost, only where below zero when
    ``priced_out``: what the base would take in the relaxation at these prices (more at once
    only make the LP larger)."""
    mask = np.zeros(reduced.shape, dtype=bool)
    if most > 0 and reduced.size:
        order = np.argsort(reduced, axis=1, kind="stable")[:, :most]
        np.put_along_axis(mask, order, True, axis=1)
        if priced_out:
            mask &= reduced < PRICED_OUT
    return mask


def finish(
    relaxation: JointLagrangian,
    at: Multipliers,
    posts: Sequence[tuple[int, int, list[int]]],
    clock: Clock,
) -> Finished | None:
    """The relaxation's best value at the duals of the restricted master (see the module),
    started from the multipliers ``at`` (the steps' best) and the known plan's ``posts`` (base,
    seats, TPS as indices); None if no round reached the master's optimum."""
    criteria = clock.criteria
    master = _Master(relaxation)
    pi, mu, alpha, beta, _, _ = at
    reduced = relaxation.seat + mu[:, None] - alpha * relaxation.own[:, None] - beta
    seats = _cheapest(reduced.T, SEAT_KINDS, priced_out=False).T  # each base's cheapest kinds
    own = np.where(relaxation.own[:, None], reduced, np.inf)
    seats |= _cheapest(own.T, SEAT_KINDS, priced_out=False).T & relaxation.own[:, None]
    where = {int(b): (c, r) for c, cell in enumerate(relaxation.cells)
             for r, b in enumerate(cell.members)}
    start = [_cheapest(cell.ground - pi[cell.columns][None, :], cell.cap - 1)
             for cell in relaxation.cells]
    for base, _, members in posts:  # the plan's own posts and any seats there: a solution
        seats[:, base] = True
        if base in where:
            c, r = where[base]
            start[c][r] |= np.isin(relaxation.cells[c].columns, members)
    master.seat(seats)
    master.take(start)
    best, rounds, optimal = -np.inf, 0, False
    opened: Vector | None = None
    while rounds < criteria.lp_rounds and not clock.out_of_time():
        solved = master.solve(clock)
        rounds += 1
        if solved is None:
            break
        found, sigma, duals = solved
        best = max(best, relaxation.evaluate(*found)[0])
        opened = master.opened()
        priced = [_cheapest(cell.ground - found[0][cell.columns][None, :]
                            + sigma[cell.members][:, None], cell.cap - 1)
                  for cell in relaxation.cells]
        more = master.seat(_cheapest(master.seat_reduced(duals).T, SEAT_KINDS).T)
        if not master.take(priced) + more:
            optimal = True
            break
    else:
        clock.ran_out()
    if rounds == 0 or not np.isfinite(best):
        return None
    return Finished(best, rounds, optimal, opened)

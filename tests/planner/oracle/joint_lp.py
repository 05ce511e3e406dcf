"""The LP relaxation of the planner's joint bound, solved to the end by HiGHS.

The plan's lower bound (``pamtps.planner.bound``) is a Lagrangian of posts and seats together,
maximised by counted subgradient steps. Its subproblem (each base alone: open or not, its
cheapest TPS within the cap, its seats) has the integrality property, so the best any
multipliers can reach is the optimum of the model's LP relaxation. This module writes that LP
with every column (``x[b, i]`` for each base and each TPS it may take, ``x <= y``, the cap, the
seats tied to the open bases, head counts, own and total seats, guards, the pattern seats) and
solves it, which says how much of the plan's gap the counted steps leave and how much lies
between the LP and the plan. It is the bound's own model, so it checks the steps, not the
model: the exact MIPs of ``mip`` check the model against the rules.

The LP's duals are multipliers like any others: ``JointLagrangian.evaluate`` at them is a lower
bound on every plan the rules allow (``JointLp.dual_bound``), as the planner's is, and close to
the LP where the duals are optimal. Minutes of CPU on the large kabupaten: bench only
(``bench/planner.py --lp``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.optimize import linprog

from pamtps.domain.plan import Plan, Scenario
from pamtps.planner.bound import JointLagrangian
from pamtps.planner.policy import own_target
from pamtps.planner.staffing import seat_pools, tps_strength
from pamtps.planner.travel import travel_for

Vector = NDArray[np.float64]


@dataclass(frozen=True)
class JointLp:
    """The LP's optimum (``value``, of the unrounded minutes: a plan's recorded seat minutes may
    lie up to ``slack`` below them in all), the relaxation at its duals less that slack
    (``dual_bound``, a valid lower bound), its columns and the seconds HiGHS took."""

    value: float
    dual_bound: float
    slack: float
    columns: int
    seconds: float


class _Rows:
    """A sparse matrix built row block by row block: (rows, columns, values) triplets."""

    def __init__(self) -> None:
        self.parts: list[tuple[NDArray[np.intp], NDArray[np.intp], Vector]] = []
        self.right: list[Vector] = []
        self.height = 0

    def block(self, height: int, right: Vector) -> int:
        """A new block of ``height`` rows with these right-hand sides; its first row."""
        first, self.height = self.height, self.height + height
        self.right.append(np.asarray(right, dtype=float))
        return first

    def add(self, rows: NDArray[np.intp], cols: NDArray[np.intp], value: float | Vector) -> None:
        values = np.broadcast_to(np.asarray(value, dtype=float), rows.shape)
        self.parts.append((rows, cols, np.asarray(values)))

    def matrix(self, width: int) -> tuple[sparse.csr_matrix, Vector]:
        rows, cols, values = (np.concatenate(x) for x in zip(*self.parts))
        shape = (self.height, width)
        return sparse.csr_matrix((values, (rows, cols)), shape=shape), np.concatenate(self.right)


def relaxation_of(scenario: Scenario, plan: Plan) -> JointLagrangian:
    """The joint relaxation as the planner builds its bound for this plan's seats."""
    travel = travel_for(scenario)
    if scenario.operation.mode == "allocation":
        own_on_tps = tps_strength(scenario, travel)[0]
    else:
        own_on_tps = own_target(scenario, plan.posts)
    seats = sum(p.required for p in plan.posts)
    pools = seat_pools(scenario, travel, own_on_tps)
    return JointLagrangian(scenario, plan.classes, travel, pools, seats, own_on_tps, priced=True)


def joint_lp(relaxation: JointLagrangian) -> JointLp | None:
    """The relaxation's LP solved by HiGHS (dual simplex), or None if HiGHS finds no optimum."""
    rel = relaxation
    n, kinds = len(rel.need), len(rel.count)
    flexible = rel.flexible
    flex = np.flatnonzero(flexible)
    nf = len(flex)
    y_of = np.full(n, -1)
    y_of[flex] = np.arange(nf)
    bases, taken, ground = [], [], []
    for cell in rel.cells:
        if cell.cap > 1:
            r, c = np.nonzero(np.isfinite(cell.ground))
            bases.append(cell.members[r])
            taken.append(cell.columns[c])
            ground.append(cell.ground[r, c])
    xb = np.concatenate(bases) if bases else np.zeros(0, dtype=np.intp)
    xi = np.concatenate(taken) if taken else np.zeros(0, dtype=np.intp)
    nx = len(xb)
    zk, zb = np.repeat(np.arange(kinds), n), np.tile(np.arange(n), kinds)
    nz = len(zk)
    own_kinds = np.flatnonzero(rel.own)
    guards = rel.guard.shape[1]
    hk, hg = np.repeat(own_kinds, guards), np.tile(np.arange(guards), len(own_kinds))
    x0, z0, h0 = nf, nf + nx, nf + nx + nz
    width = h0 + len(hk)
    x_cols, z_cols, h_cols = x0 + np.arange(nx), z0 + np.arange(nz), h0 + np.arange(len(hk))
    cost = np.concatenate([np.zeros(nf), *ground, rel.seat[zk, zb], rel.guard[hk, hg]])
    own_z = rel.own[zk]

    eq = _Rows()
    cover = eq.block(nf, np.ones(nf))  # pi: every TPS guarded once (a base guards itself)
    eq.add(cover + np.arange(nf), np.arange(nf), 1.0)
    eq.add(cover + y_of[xi], x_cols, 1.0)
    own_row = eq.block(1, np.array([rel.own_on_tps]))  # alpha
    eq.add(np.full(int(own_z.sum()), own_row), z_cols[own_z], 1.0)
    seat_row = eq.block(1, np.array([rel.seats]))  # beta
    eq.add(np.full(nz, seat_row), z_cols, 1.0)
    guard_row = eq.block(guards, np.ones(guards))  # gamma
    eq.add(guard_row + hg, h_cols, 1.0)

    ub = _Rows()  # rows <= right-hand side
    link = ub.block(nx, np.zeros(nx))  # x[b, i] <= y[b]
    ub.add(link + np.arange(nx), x_cols, 1.0)
    ub.add(link + np.arange(nx), y_of[xb], -1.0)
    cap_of = np.ones(n)
    for cell in rel.cells:
        cap_of[cell.members] = cell.cap
    cap = ub.block(nf, np.zeros(nf))  # sum_i x[b, i] <= (cap - 1) y[b]
    ub.add(cap + y_of[xb], x_cols, 1.0)
    ub.add(cap + np.arange(nf), np.arange(nf), -(cap_of[flex] - 1))
    # seats at a base: at least its pattern, one of them own, at most ``spare`` beyond; a base
    # that is not flexible (a post of one TPS) is always open
    least = ub.block(n, np.where(flexible, 0.0, -rel.need))
    ub.add(least + zb, z_cols, -1.0)
    ub.add(least + flex, np.arange(nf), rel.need[flex])
    one_own = ub.block(n, np.where(flexible, 0.0, -1.0))
    ub.add(one_own + zb[own_z], z_cols[own_z], -1.0)
    ub.add(one_own + flex, np.arange(nf), 1.0)
    most = ub.block(n, np.where(flexible, 0.0, rel.need + rel.spare))
    ub.add(most + zb, z_cols, 1.0)
    ub.add(most + flex, np.arange(nf), -(rel.need[flex] + rel.spare))
    heads = ub.block(kinds, rel.count)  # mu
    ub.add(heads + zk, z_cols, 1.0)
    ub.add(heads + hk, h_cols, 1.0)
    pattern = None
    if rel.least:  # lam: the open bases' pattern seats
        pattern = ub.block(1, np.array([-(rel.least - rel.need[~flexible].sum())]))
        ub.add(np.full(nf, pattern), np.arange(nf), -rel.need[flex])

    a_eq, b_eq = eq.matrix(width)
    a_ub, b_ub = ub.matrix(width)
    bounds = np.zeros((width, 2))
    bounds[:, 1] = np.inf
    bounds[:nf, 1] = 1.0
    started = time.perf_counter()
    result = linprog(cost, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds,
                     method="highs-ds")
    seconds = time.perf_counter() - started
    if result.status != 0:
        return None
    prices, limits = np.asarray(result.eqlin.marginals), np.asarray(result.ineqlin.marginals)
    pi = np.zeros(n)
    pi[flex] = prices[cover : cover + nf]
    mu = np.maximum(-limits[heads : heads + kinds], 0.0)
    lam = max(-float(limits[pattern]), 0.0) if pattern is not None else 0.0
    multipliers = (pi, mu, float(prices[own_row]), float(prices[seat_row]),
                   prices[guard_row : guard_row + guards], lam)
    dual_bound = rel.evaluate(*multipliers)[0] - rel.slack
    return JointLp(float(result.fun), float(dual_bound), rel.slack, width, seconds)

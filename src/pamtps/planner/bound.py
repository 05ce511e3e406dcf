"""A lower bound on the whole objective, valid for every plan the rules allow.

The objective is the ground of every post (minutes from its base to each of its TPS) plus the
seats (each officer's minutes from his base to his post or guard) plus the home-sector price.
The bound is the higher of two bounds:

- **the price** (``price_bound``): an LP (HiGHS) of kinds of officer to sectors, each seat at its
  home-sector price only, every sector with at least the seats and own first seats its fewest
  posts need; exact for the price, since seats per sector are otherwise free, but blind to travel;
- **the joint bound** (``JointLagrangian``, each seat at its travel plus its home-sector price,
  as the objective counts it): a Lagrangian of posts and seats together, over every post
  formation the rules allow. ``y[b]``: a post of b's class based at TPS b (a post stands at one
  of its TPS of its class, ``rule_post_at_its_class_tps``); ``x[b, i]``: TPS i guarded from
  base b (same sector, i of b's class or, where b's class allows more than one TPS per post, of
  a milder one); every TPS guarded once, ``x[b, i] <= y[b]``, at most ``max_tps_per_post - 1``
  TPS besides the base (any number of posts, any sizes within the cap; a TPS whose class allows
  one TPS per post and that no stricter post of its sector may take has ``y[b] = 1``).
  ``z[kind, b]``:
  officers of a kind (same base, own or lent) seated at b, at their travel and price, only at
  an open base: at least its pattern's ``officers_per_post``, one of them own, and (by
  ``rule_strength_in_more_posts``) at most ``spare`` more, where the seats beyond the pattern in
  all are at most ``spare`` (fewer than a kurang rawan team), so the open bases' pattern seats
  add up to at least ``least``; ``h[kind, seat]`` own officers on guards; each kind at most its
  head count; ``seats`` TPS seats in all, ``own_on_tps`` own. Pricing out "every TPS guarded
  once" (``pi``), the head counts (``mu``), the own and total seat counts (``alpha``,
  ``beta``), the guard seats (``gamma``) and the pattern seats (``lam``) leaves a choice each
  base makes alone: open if its cheapest TPS and seats at the reduced costs pay. Its value is
  a lower bound for any multipliers. The steps (``joint_bound``) start from the prices of the
  plan's own seats (HiGHS duals) and are counted: every multiplier at once, and, apart, first
  the coverage and post prices under the seat prices held, then every multiplier from there;
  last, the coverage prices are polished sector by sector under the best seat prices
  (``polish``: with those held the relaxation is a sum over sectors, each stepping with a
  length of its own). On OKU and the kota they reach the LP relaxation of the model (solved
  apart by HiGHS) within about 1 %; on the large kabupaten the steps alone stop 1 to 3 % short
  of it, and the polish takes most of that back on several. Where the finished plan
  still shows a gap above ``StopCriteria.lp_above_gap`` (2 % by default; never with
  ``pamtps plan --no-lp-bound``), ``finished`` solves that LP by
  column generation (``master``) and evaluates the relaxation at its duals: then the bound is
  the LP's value. Each step reads the ground in single precision and takes off the value what
  that rounding may cost (``SINGLE_ERROR``). Relaxed besides: barred desa, TNI seats, the
  rounding of recorded minutes.

It bounds the problem the plan solves, with the seats as the operation sets them (``PROBLEM``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.optimize import linprog

from pamtps.domain import Officer, VulnerabilityClass
from pamtps.domain.plan import Scenario
from pamtps.planner.master import finish
from pamtps.planner.policy import CLASS_ORDER, home_sector
from pamtps.planner.reduced import Sorted, cheapest_kinds, taken
from pamtps.planner.sectors import sector_of_tps
from pamtps.planner.slots import Slot
from pamtps.planner.stop import Clock
from pamtps.planner.travel import TravelModel

Matrix = NDArray[np.float64]
# pi (coverage), mu (head counts), alpha (own seats), beta (seats), gamma (guards), lam (the
# pattern seats of the open bases)
Multipliers = tuple[Matrix, Matrix, float, float, Matrix, float]
ROUNDING = 0.005  # minutes a recorded seat travel may round down (kept to 2 decimals)
SINGLE_ERROR = 3 * 2.0**-24 * 2  # relative error of a single-precision reduced cost, x2 margin
SMALLEST_SCALE = 1e-4  # step scale below which nothing more is to be gained
FREED_SCALE = 0.5  # first step scale once the seat prices are freed (they start near the best)


@dataclass(frozen=True)
class Steps:
    """How a subgradient search steps: ``per_iteration`` steps per
    ``StopCriteria.bound_iterations``; the scale of Polyak's length at first (``first_scale``),
    halved after ``patience`` steps without a better bound; the step aims ``target`` of the way
    from the best bound to the plan's objective; each direction adds ``momentum`` times the
    previous one (a deflected subgradient: it zigzags less); a run ends after ``give_up`` steps
    without a better bound (its scale has been halved four times: it has stalled)."""

    per_iteration: int
    patience: int
    first_scale: float
    target: float
    momentum: float
    give_up: int


# The joint bound: deflected, aiming short (the plan's objective may lie far above the bound).
JOINT_STEPS = Steps(
    per_iteration=5, patience=60, first_scale=2.0, target=0.3, momentum=0.8, give_up=240
)


@dataclass(frozen=True)
class Polish:
    """How the coverage prices are polished after the steps (``polish``), sector by sector with
    the seat prices held: at most ``steps`` deflected steps in each (``momentum``), each aiming
    ``aim`` of the sector's best value (and a minute) above it; the scale halves after
    ``patience`` steps without a better value, and the sector ends below ``smallest``."""

    steps: int = 300
    momentum: float = 0.5
    aim: float = 0.002
    patience: int = 10
    smallest: float = 1e-3


POLISH = Polish()
PROBLEM = (
    "posts and seats together: any post formation the rules allow (sizes up to the class's "
    "max_tps_per_post, any number of posts, each post at one of its TPS of its class, a "
    "stricter post holding milder TPS of its sector), every TPS seat and "
    "guard filled from the officers free after unavailable, reserve units, Padal and the Polres "
    "reserve, own officers on TPS as the quota sets; barred desa and TNI seats relaxed"
)


@dataclass(frozen=True)
class Bound:
    """The bound's value (the higher of its two: the price alone, the joint Lagrangian), the
    steps taken, the problem it bounds, and what opening each base is worth at the joint
    bound's best multipliers (``relaxed`` forms posts from it)."""

    value: float
    price: float
    joint: float
    steps: int
    problem: str = PROBLEM
    worth: tuple[Opening, ...] = ()  # from each joint run (``JointResult``)
    lp_rounds: int = 0  # solves of the LP that finished the steps (``master.finish``), if any
    lp_optimal: bool = False  # whether they reached the LP's optimum
    lp_opening: Opening | None = None  # where the LP opens posts (its y), if it was solved
    relaxation: JointLagrangian | None = field(default=None, compare=False, repr=False)
    at: Multipliers | None = field(default=None, compare=False, repr=False)  # steps' best

    def valued(self) -> Bound:
        """The bound with its value: the higher of the joint bound (less its rounding slack)
        and the price bound, less a millionth for the float noise."""
        slack = 0.0 if self.relaxation is None else self.relaxation.slack
        found = max(self.joint - slack, self.price)
        return replace(self, value=float(found - 1e-6 * abs(found)))

    def summary(self) -> dict[str, object]:
        """The bound's entry for ``Quality.stages``."""
        return {
            "lower_bound": round(self.value, 2),
            "price_bound": round(self.price, 2),
            "joint_bound": round(self.joint, 2),
            "steps": self.steps,
            "lp_rounds": self.lp_rounds,
            "lp_optimal": self.lp_optimal,
            "problem": self.problem,
            "method": "the higher of: a Lagrangian of posts and seats together, each seat at "
            "its travel and home-sector price (deflected subgradient, counted steps; where the "
            "plan's gap stays wide, finished at the duals of its LP, solved by column "
            "generation with HiGHS); the home-sector price alone (LP over sectors, HiGHS)",
        }


@dataclass
class _Cell:
    members: NDArray[np.intp]  # TPS indices: the bases, TPS of the cell's class
    ground: Matrix  # base x column, each base's own column infinite
    cap: int
    columns: NDArray[np.intp]  # TPS indices a base may take: the members, then milder TPS

    # ``evaluate`` reads the ground in single precision, each column's bases by minutes
    # (``reduced``: only the pairs below their price are read); ``SINGLE_ERROR`` bounds what
    # that rounding may cost the value.
    @cached_property
    def by_column(self) -> Sorted:
        return Sorted.of(self.ground)


@dataclass(frozen=True)
class Teams:
    """The seats of an open base where every kind can fill a whole team: what they cost, the
    kind of its own officer, its cheapest kind, and how many of that kind (its pattern less
    the own officer, and the spare where the cheapest pays)."""

    cost: Matrix
    mine: NDArray[np.int64]
    cheapest: NDArray[np.int64]
    more: Matrix

    def by_kind(self, opened: NDArray[np.bool_], kinds: int) -> Matrix:
        """The seats each kind takes at the ``opened`` bases."""
        return (np.bincount(self.mine[opened], minlength=kinds).astype(float)
                + np.bincount(self.cheapest[opened], weights=self.more[opened], minlength=kinds))


class JointLagrangian:
    """The relaxation's data: cells of TPS, kinds of officer, seat and guard costs."""

    def __init__(
        self,
        scenario: Scenario,
        classes: dict[str, VulnerabilityClass],
        travel: TravelModel,
        pools: tuple[Sequence[Officer], Sequence[Officer], Sequence[Slot]],
        seats: int,
        own_on_tps: int,
        priced: bool = False,
    ) -> None:
        """``priced``: seat costs include the home-sector price (``improve`` prices seats so);
        the bound keeps it apart (``price_bound``)."""
        dataset = scenario.dataset
        tps = sorted(dataset.tps, key=lambda t: t.code)
        sector_of = sector_of_tps(dataset)
        points = [(t.lat, t.lng) for t in tps]
        sectors = [sector_of[t.code] for t in tps]
        pattern = scenario.operation.pattern
        own, lent, guard_seats = pools
        kinds: dict[tuple[tuple[float, float], str | None, bool], int] = {}
        for officers, is_own in ((own, True), (lent, False)):
            for o in officers:
                key = ((o.base_lat, o.base_lng), home_sector(dataset, o), is_own)
                kinds[key] = kinds.get(key, 0) + 1
        keys = sorted(kinds, key=lambda k: (k[0], k[1] or "", k[2]))
        self.count = np.array([kinds[k] for k in keys], dtype=float)
        self.own = np.array([k[2] for k in keys], dtype=bool)
        bases = [k[0] for k in keys]
        self.seat = np.asarray(travel.matrix(bases, points), dtype=float) if keys else (
            np.zeros((0, len(tps))))
        if priced:
            price = float(scenario.operation.staffing.outside_sector_minutes)
            polsek = {u.code for u in dataset.polsek}
            for r, (_, home, _) in enumerate(keys):
                for j, s in enumerate(sectors):
                    paid = (s in polsek and home != s) + (home not in (None, s))
                    self.seat[r, j] += price * paid
        self.index = {t.code: j for j, t in enumerate(tps)}
        self.points = {t.code: (t.lat, t.lng) for t in tps}
        self.guard = (
            np.asarray(travel.matrix(bases, [s.point for s in guard_seats]), dtype=float)
            if keys and guard_seats else np.zeros((len(keys), len(guard_seats)))
        )
        self.guard[~self.own, :] = np.inf  # guards are own officers' duty
        self.need = np.zeros(len(tps))
        self.flexible = np.zeros(len(tps), dtype=bool)
        members: dict[tuple[str, VulnerabilityClass], list[int]] = {}
        for j, t in enumerate(tps):
            cls = classes.get(t.code, VulnerabilityClass.KURANG_RAWAN)
            members.setdefault((sectors[j], cls), []).append(j)
            self.need[j] = pattern[cls].officers_per_post
        self.cells: list[_Cell] = []
        for (sector, cls), found in sorted(members.items()):
            cap = pattern[cls].max_tps_per_post
            # a post of this class may hold the sector's TPS of milder classes (its guests)
            guests = [j for (s, c), more in sorted(members.items())
                      if s == sector and CLASS_ORDER.index(c) > CLASS_ORDER.index(cls)
                      for j in more] if cap > 1 else []
            hosted = any(  # a stricter post of the sector may take these TPS
                s == sector and CLASS_ORDER.index(c) < CLASS_ORDER.index(cls)
                and pattern[c].max_tps_per_post > 1 for s, c in members)
            if (cap > 1 and (len(found) > 1 or guests)) or hosted:
                columns = found + guests
                ground = np.asarray(travel.matrix([points[j] for j in found],
                                                  [points[j] for j in columns]), dtype=float)
                ground[np.arange(len(found)), np.arange(len(found))] = np.inf
                self.cells.append(_Cell(np.asarray(found), ground, cap, np.asarray(columns)))
                self.flexible[found] = True
        self.seats, self.own_on_tps = float(seats), float(own_on_tps)
        self.slack = ROUNDING * (seats + len(guard_seats))
        # Strength goes into more posts, not bigger teams (``rule_strength_in_more_posts``):
        # unless every kurang rawan TPS could be a post of its own, the seats beyond the
        # pattern are fewer than a kurang rawan team, so the open bases' pattern seats reach
        # ``seats - spare`` and no base seats more than its pattern plus ``spare``.
        team = pattern[VulnerabilityClass.KURANG_RAWAN].officers_per_post
        singles = sum(pattern[cls].officers_per_post * (
            len(found) if cls is VulnerabilityClass.KURANG_RAWAN
            else -(-len(found) // pattern[cls].max_tps_per_post)
        ) for (_, cls), found in members.items())
        self.spare = team - 1 if seats < singles else seats
        self.least = seats - self.spare if seats < singles else 0.0

    @cached_property
    def sectors(self) -> list[list[int]]:
        """The cells that share TPS, together: a sector's classes (a stricter post may take a
        milder TPS of its sector). With the seat prices held, the relaxation is a sum over
        these, each of its own coverage prices."""
        owner: dict[int, int] = {}
        parent = list(range(len(self.cells)))

        def root(c: int) -> int:
            while parent[c] != c:
                parent[c] = parent[parent[c]]
                c = parent[c]
            return c

        for c, cell in enumerate(self.cells):
            for j in cell.columns.tolist():
                if j in owner:
                    parent[root(c)] = root(owner[j])
                else:
                    owner[j] = c
        found: dict[int, list[int]] = {}
        for c in range(len(self.cells)):
            found.setdefault(root(c), []).append(c)
        return list(found.values())

    def sector_value(
        self, cells: Sequence[int], pi: Matrix, extra: Matrix
    ) -> tuple[float, NDArray[np.intp], Matrix]:
        """One sector's part of the relaxation at coverage prices ``pi`` and the seat costs
        ``extra`` (``seat_costs``) held: its value, its TPS and its subgradient there."""
        tps = np.unique(np.concatenate([self.cells[c].columns for c in cells]))
        covered = np.zeros(len(pi))
        value = float(pi[tps].sum())
        for c in cells:
            cell = self.cells[c]
            k = cell.cap - 1
            open_value = -pi[cell.members] + extra[cell.members]
            found = None
            if k:
                found = taken(cell.by_column, pi[cell.columns].astype(np.float32), k,
                              len(cell.members))
                open_value = open_value + found.gain
            is_open = open_value < 0
            value += float(open_value[is_open].sum())
            covered[cell.members] += is_open
            if found is not None and is_open.any():
                columns = np.zeros(len(cell.columns))
                found.cover(is_open, columns)
                covered[cell.columns] += columns
        return value, tps, 1.0 - covered[tps]

    def point(self, code: str) -> tuple[float, float]:
        """Where a TPS lies."""
        return self.points[code]

    def seat_costs(
        self, mu: Matrix, alpha: float, beta: float, lam: float = 0.0
    ) -> tuple[Matrix, Matrix]:
        """At the seat multipliers: what an open base costs in seats (one own officer, the rest
        of its pattern from the cheapest kinds, then up to ``spare`` more where their reduced
        cost is negative, each kind at most its head count; less ``lam`` per pattern seat), and
        the seats it takes (kinds x bases)."""
        found = self.seat_choice(mu, alpha, beta, lam)
        if isinstance(found, Teams):
            z = np.zeros_like(self.seat)
            cols = np.arange(len(found.cost))
            z[found.mine, cols] += 1
            z[found.cheapest, cols] += found.more
            return found.cost, z
        return found

    def seat_choice(
        self, mu: Matrix, alpha: float, beta: float, lam: float = 0.0
    ) -> Teams | tuple[Matrix, Matrix]:
        """``seat_costs``, as ``Teams`` where every kind can fill a whole team (without the
        kinds x bases matrix of seats, which ``evaluate`` does not need then)."""
        cost = -lam * self.need
        units = int(self.need.max(initial=0)) + int(min(self.spare, self.count.sum()))
        if len(self.seat) and self.own.any() and self.count.min() >= units:
            # every kind can fill a whole team: one own officer, the rest of the pattern from
            # the cheapest kind, as many more of it as the spare allows where it pays
            mine, cheapest, own_low, low = cheapest_kinds(self.seat, mu, self.own, alpha, beta)
            more = (self.need - 1) + np.where(low < 0, self.spare, 0)
            return Teams(cost + own_low + more * low, mine, cheapest, more)
        r = self.seat + mu[:, None] - alpha * self.own[:, None] - beta
        n = r.shape[1]
        cols = np.arange(n)
        z = np.zeros_like(r)
        left = np.repeat(self.count[:, None], n, axis=1)

        def take(allowed: NDArray[np.bool_], wanted: NDArray[np.bool_]) -> None:
            nonlocal cost
            price = np.where(allowed & (left > 0), r, np.inf)
            kind = np.argmin(price, axis=0) if len(r) else np.zeros(n, dtype=np.intp)
            found = price[kind, cols] if len(r) else np.full(n, np.inf)
            chosen = wanted & np.isfinite(found)
            z[kind[chosen], cols[chosen]] += 1
            left[kind[chosen], cols[chosen]] -= 1
            cost = cost + np.where(chosen, found, 0.0)

        everyone = np.ones_like(r, dtype=bool)
        take(np.repeat(self.own[:, None], n, axis=1), self.need >= 1)
        for seat in range(1, int(self.need.max(initial=0))):
            take(everyone, self.need > seat)
        for _ in range(int(min(self.spare, self.count.sum()))):
            before = z.sum()
            price = np.where(left > 0, r, np.inf)
            take(everyone, price.min(axis=0, initial=np.inf) < 0)
            if z.sum() == before:
                break
        return cost, z

    def start(
        self, posts: Sequence[tuple[int, int, list[int]]]
    ) -> Multipliers:
        """Multipliers to start from, read off a known plan (any values are valid; these start
        near the best).

        ``posts`` are (base TPS index, police seats, TPS indices) of the plan's posts. The
        transportation problem of its seats and guards is solved with HiGHS: its head-count,
        own-seat and guard prices become ``mu``, ``alpha``, ``gamma``; ``beta`` is the most a
        seat can be priced without any reduced cost below zero; each TPS's ``pi`` is the least,
        over the bases, of its minutes from the base plus a full post's share of the base's seat
        cost, so that no base gains by opening (the relaxation's value is then the sum of the
        ``pi`` and the seat prices, and the steps go on from there).
        """
        n, kinds, guards = len(self.need), len(self.count), self.guard.shape[1]
        pi, mu, gamma = np.zeros(n), np.zeros(kinds), np.zeros(guards)
        alpha = 0.0
        for cell in self.cells:  # without a plan: each TPS's minutes from its nearest other
            nearest = cell.ground[:, : len(cell.members)].min(axis=0)
            pi[cell.members] = np.where(np.isfinite(nearest), nearest, 0.0)
        if posts and kinds:
            found = self.seat_duals(posts)
            if found is not None:
                mu, alpha, gamma = found
        reduced = self.seat + mu[:, None] - alpha * self.own[:, None]
        beta = float(reduced.min()) if reduced.size else 0.0
        extra = self.seat_costs(mu, alpha, beta)[0]
        for cell in self.cells:  # no base pays to open: each TPS its cheapest share of a post
            share = extra[cell.members] / cell.cap
            square = cell.ground[:, : len(cell.members)]
            pi[cell.members] = np.minimum(share, (square + share[:, None]).min(axis=0))
        return pi, mu, alpha, beta, gamma, 0.0

    def seat_duals(
        self, posts: Sequence[tuple[int, int, list[int]]]
    ) -> tuple[Matrix, float, Matrix] | None:
        """Head-count, own-seat and guard prices of the plan's seats (HiGHS duals)."""
        kinds, guards, k = len(self.count), self.guard.shape[1], len(posts)
        base = np.array([b for b, _, _ in posts])
        own_kinds = np.flatnonzero(self.own)
        cost = np.concatenate((self.seat[:, base].ravel(), self.guard[own_kinds].ravel()))
        n_seat, n_guard = kinds * k, len(own_kinds) * guards
        cols = np.arange(n_seat)
        post_of, kind_of = np.tile(np.arange(k), kinds), np.repeat(np.arange(kinds), k)
        gcols = n_seat + np.arange(n_guard)
        guard_of = np.tile(np.arange(guards), len(own_kinds))
        gkind = np.repeat(own_kinds, guards)
        own_col = np.repeat(self.own, k).astype(float)
        width = n_seat + n_guard

        def rows(r: NDArray[np.intp], c: NDArray[np.intp], v: Matrix, h: int) -> sparse.csr_matrix:
            return sparse.csr_matrix((v, (r, c)), shape=(h, width))

        a_eq = sparse.vstack([
            rows(post_of, cols, np.ones(n_seat), k),
            rows(np.zeros(n_seat, dtype=np.intp), cols, own_col, 1),
            rows(guard_of, gcols, np.ones(n_guard), guards),
        ])
        a_ub = sparse.vstack([
            rows(post_of, cols, -own_col, k),
            rows(np.concatenate((kind_of, gkind)), np.concatenate((cols, gcols)),
                 np.ones(width), kinds),
        ])
        b_eq = np.concatenate(([float(s) for _, s, _ in posts], [self.own_on_tps],
                               np.ones(guards)))
        b_ub = np.concatenate((-np.ones(k), self.count))
        result = linprog(cost, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, method="highs-ds")
        if result.status != 0:
            return None
        eq, ub = np.asarray(result.eqlin.marginals), np.asarray(result.ineqlin.marginals)
        return np.maximum(-ub[k:], 0.0), float(eq[k]), eq[k + 1 :]

    def evaluate(
        self, pi: Matrix, mu: Matrix, alpha: float, beta: float, gamma: Matrix, lam: float
    ) -> tuple[float, Multipliers, Matrix]:
        """The relaxation's value at the multipliers, its subgradient (same shapes) and the
        worth of opening each base: its reduced cost when open, below 0 where it opens (-inf
        for the bases of posts of one TPS, always open)."""
        seated = self.seat_choice(mu, alpha, beta, lam)
        extra = seated.cost if isinstance(seated, Teams) else seated[0]
        extra = np.where(np.isfinite(extra), extra, 0.0)
        value = float(pi[self.flexible].sum())
        covered = np.zeros(len(pi))
        opened = ~self.flexible  # posts of one TPS are always open
        worth = np.full(len(pi), -np.inf)
        error = 0.0
        for cell in self.cells:
            bases = len(cell.members)
            # each base's reduced cost of taking each TPS: a base takes its cap - 1 cheapest
            # that are below 0, all of them where it has no more
            k = cell.cap - 1
            open_value = -pi[cell.members] + extra[cell.members]
            found = None
            if k:
                prices = pi[cell.columns]
                found = taken(cell.by_column, prices.astype(np.float32), k, bases)
                open_value = open_value + found.gain
                # each term rounded twice (the ground and the price to single precision) and
                # once more in the difference, each term below 0 only where its price exceeds
                # its ground
                error += SINGLE_ERROR * k * float(np.abs(prices).max(initial=0.0)) * bases
            worth[cell.members] = open_value
            is_open = open_value < 0
            value += float(open_value[is_open].sum())
            opened[cell.members] = is_open
            covered[cell.members] += is_open
            if found is not None and is_open.any():
                columns = np.zeros(len(cell.columns))
                found.cover(is_open, columns)
                covered[cell.columns] += columns
        value += float(extra[~self.flexible].sum())
        if isinstance(seated, Teams):  # the seats of each kind at the open bases
            by_kind = seated.by_kind(opened, len(self.count))
        else:
            by_kind = (seated[1] * opened[None, :]).sum(axis=1)
        rg = self.guard + mu[:, None] - gamma[None, :]
        h = (rg < 0).astype(float)
        value += float(np.where(rg < 0, rg, 0.0).sum())
        value += -float(mu @ self.count) + alpha * self.own_on_tps + beta * self.seats
        value += float(gamma.sum()) + lam * self.least - error
        g_pi = np.where(self.flexible, 1.0 - covered, 0.0)
        g_mu = by_kind + h.sum(axis=1) - self.count
        g_alpha = self.own_on_tps - float(by_kind[self.own].sum())
        g_beta = self.seats - float(by_kind.sum())
        g_gamma = 1.0 - h.sum(axis=0)
        g_lam = self.least - float(self.need[opened].sum()) if self.least else 0.0
        return value, (g_pi, g_mu, g_alpha, g_beta, g_gamma, g_lam), worth


@dataclass(frozen=True)
class Opening:
    """Where the relaxation would open posts: ``rank`` (lower first) over the TPS sorted by
    code, and, when known, ``shares``: how often each base opened, whose sum over a cell says
    how many posts the relaxation gives it."""

    rank: Matrix
    shares: Matrix | None = None


@dataclass(frozen=True)
class JointResult:
    """The best value the steps reached, how many they took, and where each run would open
    posts (how often each base opened in its later steps, its worth at the run's best
    multipliers breaking ties); they seed ``relaxed.posts_from_relaxation``."""

    value: float
    steps: int
    worth: tuple[Opening, ...]
    at: Multipliers | None = None  # where the best value was reached


def _steps(
    relaxation: JointLagrangian,
    now: Multipliers,
    best_cost: float,
    limit: int,
    how: Steps,
    clock: Clock,
    frozen: bool = False,
) -> tuple[JointResult, Multipliers]:
    """``limit`` deflected subgradient steps from ``now`` (``frozen``: the seat prices held,
    only the coverage and post-count multipliers move); the best value with its worth, and
    where the steps ended."""
    best, scale, stalled, since_best, steps = -np.inf, how.first_scale, 0, 0, 0
    worth = np.zeros(len(relaxation.need))
    at = now
    opened: list[NDArray[np.bool_]] = []  # which bases each step opens
    direction: Multipliers | None = None
    while steps == 0 or not clock.out_of_time():  # the start is always evaluated: a bound
        if steps >= limit:
            clock.ran_out()
            break
        if since_best >= how.give_up:
            break
        value, gradient, found = relaxation.evaluate(*now)
        steps += 1
        opened.append(found < 0)
        if value > best + 1e-9:
            best, stalled, since_best, worth, at = value, 0, 0, found, now
        else:
            stalled += 1
            since_best += 1
            if stalled >= how.patience:
                scale, stalled = scale / 2, 0
        if frozen:
            gradient = (gradient[0], 0.0 * gradient[1], 0.0, 0.0, 0.0 * gradient[4], gradient[5])
        if direction is not None:
            gradient = (
                gradient[0] + how.momentum * direction[0],
                gradient[1] + how.momentum * direction[1],
                gradient[2] + how.momentum * direction[2],
                gradient[3] + how.momentum * direction[3],
                gradient[4] + how.momentum * direction[4],
                gradient[5] + how.momentum * direction[5],
            )
        direction = gradient
        g_pi, g_mu, g_alpha, g_beta, g_gamma, g_lam = gradient
        norm = float(g_pi @ g_pi + g_mu @ g_mu + g_alpha**2 + g_beta**2 + g_gamma @ g_gamma
                     + g_lam**2)
        if norm == 0 or scale < SMALLEST_SCALE:
            break
        target = best + how.target * max(best_cost - best, 0.0)
        step = scale * max(target - value, 0.0) / norm
        pi, mu, alpha, beta, gamma, lam = now
        now = (
            pi + step * g_pi,
            np.maximum(mu + step * g_mu, 0.0),
            alpha + step * g_alpha,
            beta + step * g_beta,
            gamma + step * g_gamma,
            max(lam + step * g_lam, 0.0),
        )
    # how often each base opened in the later half of the steps (the average of the steps'
    # choices approaches the LP's own posts): the more often, the earlier it ranks, its worth
    # at the best multipliers breaking ties
    shares = np.mean(opened[len(opened) // 2 :], axis=0)
    often = Opening(-shares + 1e-9 * np.tanh(worth), shares)
    return JointResult(best, steps, (Opening(worth), often), at), now


def joint_bound(
    relaxation: JointLagrangian,
    best_cost: float,
    clock: Clock,
    posts: Sequence[tuple[int, int, list[int]]] = (),
    how: Steps = JOINT_STEPS,
) -> JointResult:
    """The best value of the relaxation that the counted subgradient steps reach, from the
    prices of the plan whose ``posts`` are given (``JointLagrangian.start``), stepping as
    ``how`` says: every multiplier at once; and first with the seat prices held (the coverage
    and the number of posts settle under them, in half as many steps), then every multiplier
    from there. Each run takes at most ``how.per_iteration * bound_iterations`` steps, except
    that the run at once, while it still climbs, goes on with the steps of the other two in
    their place (on the large kabupaten it reaches more than they do and is still climbing at
    its count; where it stalls within its count, the others run). The best value counts."""
    now = relaxation.start(posts)
    # The same start without seat prices is a bound too, sometimes the better one: begin from
    # whichever is higher.
    plain = relaxation.start(())
    if relaxation.evaluate(*plain)[0] > relaxation.evaluate(*now)[0]:
        now = plain
    limit = how.per_iteration * clock.criteria.bound_iterations
    at_once, _ = _steps(relaxation, now, best_cost, limit + limit // 2 + limit, how, clock)
    if at_once.steps > limit:  # still climbing at its own count: it had the others' steps
        return _polished(relaxation, at_once, clock)
    held, settled = _steps(relaxation, now, best_cost, limit // 2, how, clock, frozen=True)
    freed, _ = _steps(relaxation, settled, best_cost, limit, replace(how, first_scale=FREED_SCALE),
                      clock)
    steps = at_once.steps + held.steps + freed.steps
    best = max((at_once, held, freed), key=lambda r: r.value)
    # not the run at once ranked by worth: of the 17 regencies, only one plan changed without
    # it, for the better
    return _polished(relaxation, JointResult(best.value, steps, at_once.worth[1:] + freed.worth,
                                             best.at), clock)


def _polished(relaxation: JointLagrangian, found: JointResult, clock: Clock) -> JointResult:
    """The steps' best, with its coverage prices polished (``polish``) where that is higher."""
    if found.at is None:
        return found
    at, steps = polish(relaxation, found.at, clock)
    value = relaxation.evaluate(*at)[0]
    if value <= found.value:
        return replace(found, steps=found.steps + steps)
    return replace(found, value=value, steps=found.steps + steps, at=at)


def polish(
    relaxation: JointLagrangian, at: Multipliers, clock: Clock, how: Polish = POLISH
) -> tuple[Multipliers, int]:
    """The coverage prices raised sector by sector with the seat prices of ``at`` held, and the
    steps taken.

    The steps move every multiplier at once, so one step length serves thousands of coverage
    prices; with the seat prices held, the relaxation is a sum over sectors
    (``JointLagrangian.sectors``), and each sector steps with a length of its own. Measured on
    the bound's relaxations at the steps' best: Banyuasin 101,561 to 103,515 minutes (the LP of
    those seat prices: 104,149), Ogan Komering Ilir 103,446 to 104,711 (104,788). Counted: at
    most ``how.steps`` in each sector; the best prices of each sector are kept, so the
    relaxation's value never falls."""
    pi, mu, alpha, beta, gamma, lam = at
    extra = relaxation.seat_costs(mu, alpha, beta, lam)[0]
    extra = np.where(np.isfinite(extra), extra, 0.0)
    pi = pi.copy()
    taken_steps = 0
    for cells in relaxation.sectors:
        value, tps, gradient = relaxation.sector_value(cells, pi, extra)
        best, kept = value, pi[tps].copy()
        scale, stalled = 1.0, 0
        direction = np.zeros(len(tps))
        for _ in range(how.steps):
            if not gradient.any() or scale < how.smallest or clock.out_of_time():
                break
            target = best + how.aim * abs(best) + 1.0
            direction = gradient + how.momentum * direction
            norm = float(direction @ direction)
            if norm == 0:
                break
            pi[tps] += scale * (target - value) / norm * direction
            value, _, gradient = relaxation.sector_value(cells, pi, extra)
            taken_steps += 1
            if value > best + 1e-9:
                best, kept, stalled = value, pi[tps].copy(), 0
            else:
                stalled += 1
                if stalled >= how.patience:
                    scale, stalled = scale / 2, 0
        pi[tps] = kept
    return (pi, mu, alpha, beta, gamma, lam), taken_steps


def price_bound(
    scenario: Scenario,
    classes: dict[str, VulnerabilityClass],
    pools: tuple[Sequence[Officer], Sequence[Officer], Sequence[Slot]],
    seats: int,
    own_on_tps: int,
) -> float:
    """The least home-sector price any staffing of the rules' posts pays (see the module)."""
    dataset = scenario.dataset
    price = float(scenario.operation.staffing.outside_sector_minutes)
    own, lent, guard_seats = pools
    sector_of = sector_of_tps(dataset)
    cells: dict[tuple[str, VulnerabilityClass], int] = {}
    for t in dataset.tps:
        cell = (sector_of[t.code], classes.get(t.code, VulnerabilityClass.KURANG_RAWAN))
        cells[cell] = cells.get(cell, 0) + 1
    sectors = sorted({s for s, _ in cells})
    least_posts = dict.fromkeys(sectors, 0)
    least_seats = dict.fromkeys(sectors, 0)
    for (s, cls), n in cells.items():
        rule = scenario.operation.pattern[cls]
        posts = -(-n // rule.max_tps_per_post)
        least_posts[s] += posts
        least_seats[s] += posts * rule.officers_per_post
    kinds: dict[tuple[str | None, bool], int] = {}
    for officers, is_own in ((own, True), (lent, False)):
        for o in officers:
            key = (home_sector(dataset, o), is_own)
            kinds[key] = kinds.get(key, 0) + 1
    keys = sorted(kinds, key=lambda k: (k[0] or "", k[1]))
    if not keys or not price:
        return 0.0
    polsek = {u.code for u in dataset.polsek}
    n_k, n_s = len(keys), len(sectors)
    cost = np.array([
        price * ((s in polsek and home != s) + (home not in (None, s)))
        for home, _ in keys for s in sectors
    ] + [0.0] * n_k)  # then each kind's guard seats
    own_mask = np.array([is_own for _, is_own in keys], dtype=float)
    width = n_k * n_s + n_k
    seat_cols = np.arange(n_k * n_s)
    kind_of, sector_col = np.repeat(np.arange(n_k), n_s), np.tile(np.arange(n_s), n_k)
    guard_cols = n_k * n_s + np.arange(n_k)
    a_ub = sparse.vstack([
        sparse.csr_matrix((np.ones(width), (np.concatenate((kind_of, np.arange(n_k))),
                                            np.concatenate((seat_cols, guard_cols)))),
                          shape=(n_k, width)),
        sparse.csr_matrix((-np.ones(len(seat_cols)), (sector_col, seat_cols)), shape=(n_s, width)),
        sparse.csr_matrix((-own_mask[kind_of], (sector_col, seat_cols)), shape=(n_s, width)),
    ])
    b_ub = np.concatenate(([kinds[k] for k in keys], [-least_seats[s] for s in sectors],
                           [-least_posts[s] for s in sectors]))
    a_eq = sparse.csr_matrix(np.vstack([
        np.concatenate((own_mask[kind_of], np.zeros(n_k))),
        np.concatenate((np.ones(len(seat_cols)), np.zeros(n_k))),
        np.concatenate((np.zeros(len(seat_cols)), own_mask)),
    ]))
    b_eq = np.array([own_on_tps, seats, len(guard_seats)], dtype=float)
    result = linprog(cost, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, method="highs")
    return float(result.fun) if result.status == 0 else 0.0


def lower_bound(
    scenario: Scenario,
    classes: dict[str, VulnerabilityClass],
    travel: TravelModel,
    pools: tuple[Sequence[Officer], Sequence[Officer], Sequence[Slot]],
    seats: int,
    own_on_tps: int,
    best: tuple[float, Sequence[tuple[int, int, list[int]]]],
    clock: Clock,
) -> Bound:
    """The bound on the objective (see the module docstring) for ``seats`` police seats on TPS
    posts, ``own_on_tps`` of them own, filled from ``pools`` (own officers, lent officers, guard
    seats). ``best`` is the plan known: its objective and its posts (base, seats, TPS as
    indices into the TPS sorted by code), from which the search starts and steps."""
    objective, posts = best
    relaxation = JointLagrangian(scenario, classes, travel, pools, seats, own_on_tps, priced=True)
    joint = joint_bound(relaxation, objective, clock, posts)
    price = price_bound(scenario, classes, pools, seats, own_on_tps)
    return Bound(0.0, price, float(joint.value), joint.steps, worth=joint.worth,
                 relaxation=relaxation, at=joint.at).valued()


def finished(
    found: Bound, objective: float, posts: Sequence[tuple[int, int, list[int]]], clock: Clock
) -> Bound:
    """The bound finished by its LP (``master.finish``, column generation from the steps' best
    coverage prices and these ``posts`` of the plan) where the plan of ``objective`` leaves a
    gap above ``StopCriteria.lp_above_gap`` against it; else as it was. Never lower. Where the
    LP was solved, ``lp_opening`` says where it opens posts (its ``y``, highest first)."""
    gap = (objective - found.value) / max(abs(objective), 1.0)
    if found.relaxation is None or found.at is None or gap <= clock.criteria.lp_above_gap:
        return found
    lp = finish(found.relaxation, found.at, posts, clock)
    if lp is None:
        return found
    opening = None if lp.opened is None else Opening(-lp.opened, lp.opened)
    return replace(found, joint=max(found.joint, lp.value), lp_rounds=lp.rounds,
                   lp_optimal=lp.optimal, lp_opening=opening).valued()

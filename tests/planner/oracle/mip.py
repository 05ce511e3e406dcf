"""An exact MIP of one sector under the planning rules, written from the rules, not the planner.

The instance (``SectorInstance``) is one sector: its TPS with their classes, the patterns, the
officers to seat there (grouped into kinds: same base, own or lent, home sector, barred desa)
and the minutes between every pair of points. The model chooses the posts, each post's base
(one of its own TPS of the post's class: ``post_at_its_class_tps``) and who sits where:

- every TPS lies in exactly one post (``every_tps_covered``); a post of class c holds TPS of
  class c or milder, at most c's ``max_tps_per_post``, and stands at one of its class c TPS
  (``max_tps_per_post``, ``posts_meet_pattern``, ``min_officers_at_rawan_tps``,
  ``post_at_its_class_tps``);
- every officer given is seated; a post has at least c's ``officers_per_post``
  (``posts_meet_pattern``), at least one own officer (``no_outsider_only_post``) and nobody
  barred from a desa of its TPS (``conflicts_respected``);
- the officers beyond the posts' patterns are at most ``SectorInstance.allowed_beyond``
  (``strength_in_more_posts``: fewer than a kurang rawan team in the whole Polres, unless
  every kurang rawan TPS could be a post of its own);
- the objective is the planner's, counted for this sector: minutes from each base to each TPS
  of its post (the ground), from each officer's base to his post's base, and the home-sector
  price of each seat.

The number of posts is free (within what the officers allow), or fixed with ``posts`` for the
post stage's own problem (ground only, no officers). Solved by HiGHS through
``scipy.optimize.milp``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

# Strictness: a post of a class holds TPS of that class or of a milder one (larger number).
STRICTNESS = {"sangat_rawan": 0, "khusus": 1, "rawan": 2, "kurang_rawan": 3}


@dataclass(frozen=True)
class Kind:
    """Officers to seat who are interchangeable: same base, same standing, same bars."""

    count: int
    local: bool  # an own officer of the Polres (Polres HQ or Polsek)
    minutes: tuple[float, ...]  # from their base to each TPS of the instance
    price: float  # the home-sector price of a seat in this sector
    barred: frozenset[int] = frozenset()  # TPS (indices) in desa they are barred from
    nrps: tuple[str, ...] = ()


@dataclass(frozen=True)
class SectorInstance:
    """One sector: TPS classes, patterns (class -> (officers, max TPS)), minutes, officers."""

    name: str
    codes: tuple[str, ...]
    classes: tuple[str, ...]
    pattern: dict[str, tuple[int, int]]
    minutes: np.ndarray  # TPS x TPS, from a base (row) to a TPS (column)
    kinds: tuple[Kind, ...] = ()
    # officers beyond the posts' patterns allowed here; None: as the rule reads for a sector
    # alone (fewer than a kurang rawan team, unless there are officers enough for every
    # kurang rawan TPS to be a post of its own); a sector of a plan gets what the rule leaves
    # it after the other sectors' (``sector.sector_of_plan``)
    spare: int | None = None

    def allowed_beyond(self) -> int | None:
        """How many officers may sit beyond the posts' patterns (None: any)."""
        if self.spare is not None or not self.kinds or "kurang_rawan" not in self.pattern:
            return self.spare
        officers = sum(kind.count for kind in self.kinds)
        alone = 0
        for cls in set(self.classes):
            count = self.classes.count(cls)
            posts = count if cls == "kurang_rawan" else -(-count // self.pattern[cls][1])
            alone += self.pattern[cls][0] * posts
        return self.pattern["kurang_rawan"][0] - 1 if officers < alone else None


@dataclass
class OraclePost:
    base: int
    cls: str
    members: list[int]
    seated: dict[int, int] = field(default_factory=dict)  # kind index -> officers


@dataclass
class OracleSolution:
    """The best plan found, its value, and whether HiGHS proved it optimal."""

    objective: float
    bound: float
    optimal: bool
    seconds: float
    posts: list[OraclePost]


def solve_sector(
    instance: SectorInstance, *, posts: int | None = None, time_limit: float = 60.0
) -> OracleSolution:
    """The exact optimum of the sector (or the best found within ``time_limit`` seconds)."""
    start = time.perf_counter()
    n = len(instance.codes)
    rank = [STRICTNESS[c] for c in instance.classes]
    present = sorted({STRICTNESS[c] for c in instance.classes})
    by_rank = {r: c for c, r in STRICTNESS.items()}
    # Candidate posts: a base j of the post's class (``post_at_its_class_tps``); the post may
    # hold TPS of that class or milder.
    cands = [(j, rank[j]) for j in range(n)]
    arcs = [(i, p) for p, (j, r) in enumerate(cands) for i in range(n) if rank[i] >= r]
    if instance.pattern and any(instance.pattern[by_rank[r]][1] < 1 for r in present):
        raise ValueError("a class allows no TPS per post")
    n_post, n_arc, kinds = len(cands), len(arcs), instance.kinds
    n_z = len(kinds) * n_post
    y0, x0, z0 = 0, n_post, n_post + n_arc
    size = z0 + n_z
    cost = np.zeros(size)
    arc_i = np.array([i for i, _ in arcs])
    arc_p = np.array([p for _, p in arcs])
    base_of = np.array([j for j, _ in cands])
    cost[x0:z0] = instance.minutes[base_of[arc_p], arc_i]
    for k, kind in enumerate(kinds):
        cost[z0 + k * n_post : z0 + (k + 1) * n_post] = (
            np.asarray(kind.minutes)[base_of] + kind.price
        )
    rows: list[tuple[list[int], list[float], float, float]] = []

    def row(cols: list[int], vals: list[float], lo: float, hi: float) -> None:
        rows.append((cols, vals, lo, hi))

    arcs_of_tps: dict[int, list[int]] = {}
    arcs_of_post: dict[int, list[int]] = {}
    for a, (i, p) in enumerate(arcs):
        arcs_of_tps.setdefault(i, []).append(x0 + a)
        arcs_of_post.setdefault(p, []).append(a)
        row([x0 + a, y0 + p], [1.0, -1.0], -np.inf, 0.0)  # only into an open post
        if i == cands[p][0]:
            row([x0 + a, y0 + p], [1.0, -1.0], 0.0, 0.0)  # an open post holds its base
    for i in range(n):
        row(arcs_of_tps[i], [1.0] * len(arcs_of_tps[i]), 1.0, 1.0)  # each TPS in one post
    for p, (_, r) in enumerate(cands):
        need, most = instance.pattern[by_rank[r]]
        mine = arcs_of_post[p]
        row([x0 + a for a in mine] + [y0 + p], [1.0] * len(mine) + [-float(most)], -np.inf, 0.0)
        if kinds:
            seats = [z0 + k * n_post + p for k in range(len(kinds))]
            row([*seats, y0 + p], [1.0] * len(seats) + [-float(need)], 0.0, np.inf)
            local = [z0 + k * n_post + p for k, kind in enumerate(kinds) if kind.local]
            row([*local, y0 + p], [1.0] * len(local) + [-1.0], 0.0, np.inf)
            for k, kind in enumerate(kinds):
                row([z0 + k * n_post + p, y0 + p], [1.0, -float(kind.count)], -np.inf, 0.0)
                for a in mine:
                    if arcs[a][0] in kind.barred:
                        row([z0 + k * n_post + p, x0 + a], [1.0, float(kind.count)],
                            -np.inf, float(kind.count))
    for k, kind in enumerate(kinds):
        cols = list(range(z0 + k * n_post, z0 + (k + 1) * n_post))
        row(cols, [1.0] * n_post, kind.count, kind.count)  # every officer seated
    spare = instance.allowed_beyond()
    if kinds and spare is not None:  # the posts' pattern seats leave at most ``spare`` over
        officers = sum(kind.count for kind in kinds)
        needs = [float(instance.pattern[by_rank[r]][0]) for _, r in cands]
        row(list(range(y0, x0)), needs, officers - spare, np.inf)
    if posts is not None:
        row(list(range(y0, x0)), [1.0] * n_post, posts, posts)
    data, ri, ci = [], [], []
    for number, (cols, vals, _, _) in enumerate(rows):
        ri += [number] * len(cols)
        ci += cols
        data += vals
    matrix = sparse.csr_matrix((data, (ri, ci)), shape=(len(rows), size))
    upper = np.ones(size)
    for k, kind in enumerate(kinds):
        upper[z0 + k * n_post : z0 + (k + 1) * n_post] = kind.count
    result = milp(
        cost,
        constraints=LinearConstraint(
            matrix, np.array([r[2] for r in rows]), np.array([r[3] for r in rows])
        ),
        integrality=np.ones(size),
        bounds=Bounds(np.zeros(size), upper),
        options={"time_limit": time_limit, "mip_rel_gap": 1e-6, "disp": False},
    )
    if result.x is None:
        raise RuntimeError(f"{instance.name}: no solution within {time_limit} s ({result.message})")
    x = np.round(result.x)
    found = []
    for p in np.flatnonzero(x[y0:x0] > 0.5):
        j, r = cands[p]
        members = sorted(arc_i[a] for a in arcs_of_post[p] if x[x0 + a] > 0.5)
        seated = {k: int(x[z0 + k * n_post + p]) for k in range(len(kinds))
                  if x[z0 + k * n_post + p] > 0.5}
        found.append(OraclePost(int(j), by_rank[r], [int(m) for m in members], seated))
    bound = float(getattr(result, "mip_dual_bound", result.fun) or result.fun)
    return OracleSolution(
        float(cost @ x), bound, result.status == 0, time.perf_counter() - start, found
    )

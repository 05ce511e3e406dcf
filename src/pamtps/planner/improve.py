"""Better posts for the staffed teams: each base a 1-median, TPS moved and swapped between posts.

The objective counts, for each post, the minutes from its base to each of its TPS (the ground)
and the minutes of each officer of its team from his own base to the post's base (the seats).
Once the teams are known, both depend only on the post: its base should be the member TPS
minimising ground plus team travel (the post's 1-median, ``best_base``), and a TPS belongs in
the post where it costs least. ``improve_posts`` does, cell by cell (one sector, one class):

- every post's base set to its 1-median, exactly as the objective counts it;
- a local search: move one TPS to another post of the cell, or swap two TPS of two posts,
  whenever that lowers the cell's cost (ground plus team travel, each post at its 1-median),
  keeping every post within its class's ``max_tps_per_post`` and at least one TPS; sizes may
  differ, as the rules allow. Moves go to the ``NEAR`` posts whose bases are nearest; where
  neither a move nor a swap pays for two posts, their TPS are shared anew, exactly for the two
  (``_best_split``), which regroups several TPS at once.

``take_guests`` is the last step of a plan: a stricter post with room takes a milder TPS of its
sector (a rawan post of one TPS where the pattern allows two), still standing at a TPS of its
own class.

Each step lowers the cost with the teams held fixed, so after the exact re-staffing the
planner runs next the objective is never higher (``solve.plan`` keeps the better plan).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from pamtps.domain import Tps, VulnerabilityClass
from pamtps.domain.plan import Assignment, Duty, Post, Scenario
from pamtps.planner.bound import JointLagrangian
from pamtps.planner.policy import CLASS_ORDER
from pamtps.planner.stop import Clock
from pamtps.planner.travel import TravelModel

Matrix = NDArray[np.float64]
Pull = Callable[[list[Post], list[str]], NDArray[np.float64]]
NEAR = 3  # posts, by base, to which a TPS may move or with which it may swap
GAIN = 1e-7  # minutes a step must save to count (float noise is not a gain)
EXACT_TPS = 16  # cells of at most this many TPS are solved exactly (HiGHS MIP) when priced
NEAR_GUESTS = 8  # milder TPS, nearest first, a post with room considers taking
EXACT_NODES = 5_000  # branch-and-bound nodes at most: a count, so the result never depends on time


@dataclass
class Cell:
    """One sector's posts of one class: TPS minutes, each post's members and its team's pull.

    ``ground[b, i]``: minutes from TPS b (as base) to TPS i; ``pull[p, b]``: minutes of post
    p's team from their own bases to TPS b.
    """

    ground: Matrix
    pull: Matrix
    members: list[list[int]]
    cap: int

    def cost(self, p: int, members: list[int]) -> tuple[float, int]:
        """The post's cost with these members at its 1-median, and that base (an index)."""
        sub = self.ground[np.ix_(members, members)].sum(axis=1) + self.pull[p, members]
        best = int(np.argmin(sub))
        return float(sub[best]), members[best]


def best_base(ground: Matrix, pull: Matrix, members: list[int]) -> int:
    """The member minimising the minutes to every member plus the team's own travel to it."""
    sub = ground[np.ix_(members, members)].sum(axis=1) + pull[members]
    return members[int(np.argmin(sub))]


def _search(cell: Cell, rounds: int, clock: Clock) -> None:
    """Moves and swaps between the cell's posts while one lowers its cost (in place).

    A round tries each post with its ``NEAR`` nearest, but only pairs of which one side changed
    in the round before (nothing else can have become better).
    """
    members = cell.members
    k = len(members)
    cost = [cell.cost(p, m) for p, m in enumerate(members)]
    active = set(range(k))
    for _ in range(rounds):
        if not active or clock.out_of_time():
            return
        bases = [c[1] for c in cost]
        near = np.argsort(cell.ground[np.ix_(bases, bases)], axis=1, kind="stable")
        changed: set[int] = set()
        for p in range(k):
            for q in (int(x) for x in near[p, 1 : NEAR + 1]):
                if p not in active and q not in active:
                    continue
                now = cost[p][0] + cost[q][0]
                step = _best_step(cell, p, q, now) or _best_split(cell, p, q, now)
                if step is not None:
                    members[p], members[q] = step
                    cost[p], cost[q] = cell.cost(p, step[0]), cell.cost(q, step[1])
                    changed |= {p, q}
        active = changed
    if active:
        clock.ran_out()


def _best_step(cell: Cell, p: int, q: int, now: float) -> tuple[list[int], list[int]] | None:
    """The best move of one TPS between posts p and q, or swap of two, if it lowers their cost.

    All at once: with ``union`` = p's members then q's, ``at[c]`` is the cost of a post based
    at union[c] holding its present members; a move or swap changes it by the minutes to the
    TPS that arrives less those to the one that leaves, and each side takes its best base.
    """
    a, b = cell.members[p], cell.members[q]
    ma, mb = len(a), len(b)
    union = a + b
    d = cell.ground[np.ix_(union, union)]  # base c x TPS x
    at_a = d[:, :ma].sum(axis=1) + cell.pull[p, union]
    at_b = d[:, ma:].sum(axis=1) + cell.pull[q, union]
    c = np.arange(ma + mb)[:, None]
    i = np.arange(ma)[None, :]  # TPS of p, as positions in union
    j = ma + np.arange(mb)[None, :]  # TPS of q
    inf = np.inf
    options: list[tuple[float, tuple[int, int]]] = []
    # Swap i <-> j: side p loses i and gains j; side q the reverse.
    side_a = at_a[:, None, None] - d[:, :ma, None] + d[:, None, ma:]
    valid_a = ((c < ma) & (c != i))[:, :, None] | (c[:, :, None] == j[:, None, :])
    side_b = at_b[:, None, None] - d[:, None, ma:] + d[:, :ma, None]
    valid_b = ((c >= ma)[:, :, None] & (c[:, :, None] != j[:, None, :])) | (c == i)[:, :, None]
    swap = np.where(valid_a, side_a, inf).min(axis=0) + np.where(valid_b, side_b, inf).min(axis=0)
    best = np.unravel_index(int(np.argmin(swap)), swap.shape)
    options.append((float(swap[best]), (int(best[0]), ma + int(best[1]))))
    if ma > 1 and mb < cell.cap:  # i moves from p to q
        out = np.where((c < ma) & (c != i), at_a[:, None] - d[:, :ma], inf).min(axis=0)
        into = np.where((c >= ma) | (c == i), at_b[:, None] + d[:, :ma], inf).min(axis=0)
        x = int(np.argmin(out + into))
        options.append((float(out[x] + into[x]), (x, -1)))
    if mb > 1 and ma < cell.cap:  # j moves from q to p
        into = np.where((c < ma) | (c == j), at_a[:, None] + d[:, ma:], inf).min(axis=0)
        out = np.where((c >= ma) & (c != j), at_b[:, None] - d[:, ma:], inf).min(axis=0)
        y = int(np.argmin(out + into))
        options.append((float(out[y] + into[y]), (-1, ma + y)))
    value, (x, y) = min(options, key=lambda option: option[0])
    if value >= now - GAIN:
        return None
    new_a = [union[t] for t in range(ma) if t != x] + ([union[y]] if y >= 0 else [])
    new_b = [union[t] for t in range(ma, ma + mb) if t != y] + ([union[x]] if x >= 0 else [])
    return sorted(new_a), sorted(new_b)


def _best_split(cell: Cell, p: int, q: int, now: float) -> tuple[list[int], list[int]] | None:
    """The TPS of posts p and q shared between them anew, if that lowers their cost: for every
    pair of bases (p's team at one, q's at the other), the other TPS sorted by how much nearer
    they are to p's base, the first ones to p, as many as makes the least cost within the cap.
    Exact for the two posts; it regroups several TPS at once where single moves and swaps
    cannot."""
    union = cell.members[p] + cell.members[q]
    u = len(union)
    if u < 3:
        return None
    d = cell.ground[np.ix_(union, union)]
    a, b = np.meshgrid(np.arange(u), np.arange(u), indexing="ij")
    pairs = a != b
    a, b = a[pairs], b[pairs]
    others = np.ones((len(a), u), dtype=bool)
    others[np.arange(len(a)), a] = others[np.arange(len(a)), b] = False
    diff = np.where(others, d[a] - d[b], np.inf)  # to p's base rather than q's
    order = np.sort(diff, axis=1)[:, : u - 2]
    prefix = np.concatenate((np.zeros((len(a), 1)), np.cumsum(order, axis=1)), axis=1)
    least, most = max(0, u - 1 - cell.cap), min(cell.cap - 1, u - 2)
    if least > most:
        return None
    at = np.asarray(union)
    fixed = cell.pull[p, at[a]] + cell.pull[q, at[b]] + np.where(others, d[b], 0.0).sum(axis=1)
    window = prefix[:, least : most + 1]
    m = np.argmin(window, axis=1)
    total = fixed + window[np.arange(len(a)), m]
    best = int(np.argmin(total))
    if total[best] >= now - GAIN:
        return None
    taken = least + int(m[best])
    row = np.where(others[best], d[a[best]] - d[b[best]], np.inf)
    ranked = np.argsort(row, kind="stable")[:taken]
    to_p = {int(a[best]), *(int(i) for i in ranked)}
    new_p = sorted(union[i] for i in to_p)
    new_q = sorted(union[i] for i in range(u) if i not in to_p)
    return new_p, new_q


def _exact(cell: Cell, clock: Clock) -> None:
    """The cell's posts by a MIP (HiGHS), in place, when it beats them: the same number of
    posts, each at most ``cap`` TPS and based at one of them, at least ground plus each post's
    seat price at its base (the posts' prices are equal but for reinforced seats: the MIP
    prices every base as the cell's cheapest post, and the groups go to the posts in order)."""
    n, k = len(cell.ground), len(cell.members)
    pull = cell.pull.min(axis=0)
    ground = np.where(np.isfinite(cell.ground), cell.ground, 0.0)
    # Columns: x[b, i] (b, i in the cell; x[b, b] is y[b]).
    cost = ground.ravel() + np.diag(pull).ravel()
    rows_b, rows_i = np.divmod(np.arange(n * n), n)
    diagonal = rows_b == rows_i
    cover = sparse.csr_matrix((np.ones(n * n), (rows_i, np.arange(n * n))), shape=(n, n * n))
    link = sparse.csr_matrix(  # x[b, i] - y[b] <= 0 for b != i
        (np.concatenate((np.ones((~diagonal).sum()), -np.ones((~diagonal).sum()))),
         (np.tile(np.arange((~diagonal).sum()), 2),
          np.concatenate((np.flatnonzero(~diagonal), rows_b[~diagonal] * (n + 1))))),
        shape=(int((~diagonal).sum()), n * n))
    size = sparse.csr_matrix(  # sum_i x[b, i] <= cap y[b]
        (np.where(diagonal, 1.0 - cell.cap, 1.0), (rows_b, np.arange(n * n))), shape=(n, n * n))
    count = sparse.csr_matrix(diagonal.astype(float)[None, :])
    constraints = [
        LinearConstraint(cover, 1.0, 1.0),
        LinearConstraint(link, -np.inf, 0.0),
        LinearConstraint(size, -np.inf, 0.0),
        LinearConstraint(count, k, k),
    ]
    if clock.out_of_time():
        return
    result = milp(cost, constraints=constraints, integrality=np.ones(n * n),
                  bounds=Bounds(0.0, 1.0), options={"node_limit": EXACT_NODES})
    if result.x is None:
        return
    x = np.round(result.x).reshape(n, n) > 0.5
    groups = sorted(sorted(np.flatnonzero(x[b]).tolist()) for b in np.flatnonzero(np.diag(x)))
    if len(groups) != k or any(len(g) > cell.cap for g in groups):
        return
    before = sum(cell.cost(p, m)[0] for p, m in enumerate(cell.members))
    after = sum(cell.cost(p, m)[0] for p, m in enumerate(groups))
    if after < before - GAIN:
        cell.members[:] = groups
    if result.status != 0:
        clock.ran_out()


def improve_posts(
    scenario: Scenario,
    posts: list[Post],
    assignments: list[Assignment],
    travel: TravelModel,
    clock: Clock,
    priced: Pull | None = None,
) -> tuple[list[Post], dict[str, float]]:
    """The posts with bases at their 1-medians and TPS moved where they cost least (see the
    module docstring), and each post's ground (minutes from its base to its TPS).

    ``priced`` replaces the team's travel by a price of the seats at each TPS (``Pull``): the
    move that lets other officers take the seats, which a fixed team cannot see."""
    by_code = {t.code: t for t in scenario.dataset.tps}
    base_of, teams = _teams(scenario, assignments)
    cells: dict[tuple[str, str], list[Post]] = {}
    for post in posts:
        cells.setdefault((post.sector, post.vulnerability.value), []).append(post)
    improved: dict[str, Post] = {}
    ground: dict[str, float] = {}
    for _, cell_posts in sorted(cells.items()):
        cap = scenario.operation.pattern[cell_posts[0].vulnerability].max_tps_per_post
        tps = sorted({c for p in cell_posts for c in p.tps})
        index = {c: i for i, c in enumerate(tps)}
        points = [(by_code[c].lat, by_code[c].lng) for c in tps]
        minutes = np.asarray(travel.matrix(points, points), dtype=float)
        pull = (
            _pull(cell_posts, teams, base_of, points, travel)
            if priced is None
            else priced(cell_posts, tps)
        )
        cell = Cell(minutes, pull, [sorted(index[c] for c in p.tps) for p in cell_posts], cap)
        if cap > 1 and len(cell_posts) > 1:
            if priced is not None and len(tps) <= EXACT_TPS:
                _exact(cell, clock)
            _search(cell, clock.criteria.search_rounds, clock)
        for p, post in enumerate(cell_posts):
            members = cell.members[p]
            head = by_code[tps[best_base(minutes, pull[p], members)]]
            improved[post.id] = _moved(post, [by_code[tps[i]] for i in members], head)
            base = index[head.code]
            ground[post.id] = float(minutes[base, members].sum())
    return [improved[p.id] for p in posts], ground


def _teams(
    scenario: Scenario, assignments: list[Assignment]
) -> tuple[dict[str, tuple[float, float]], dict[str, list[str]]]:
    """Each officer's own base, and each post's team (NRPs)."""
    base_of = {o.nrp: (o.base_lat, o.base_lng) for o in scenario.dataset.personnel}
    teams: dict[str, list[str]] = {}
    for a in assignments:
        if a.duty is Duty.POST:
            teams.setdefault(a.target, []).append(a.nrp)
    return base_of, teams


def _pull(
    posts: list[Post],
    teams: dict[str, list[str]],
    base_of: dict[str, tuple[float, float]],
    points: list[tuple[float, float]],
    travel: TravelModel,
) -> Matrix:
    """Posts x TPS of the cell: the minutes of each post's team from their bases to each TPS."""
    bases = sorted({base_of[n] for p in posts for n in teams.get(p.id, []) if n in base_of})
    pull = np.zeros((len(posts), len(points)))
    if not bases:
        return pull
    table = np.asarray(travel.matrix(bases, points), dtype=float)
    row = {b: i for i, b in enumerate(bases)}
    for p, post in enumerate(posts):
        for nrp in teams.get(post.id, []):
            if nrp in base_of:
                pull[p] += table[row[base_of[nrp]]]
    return pull


def _moved(post: Post, members: list[Tps], head: Tps) -> Post:
    """The post with these TPS, based at ``head`` (its kecamatan follows the base)."""
    return replace(
        post,
        tps=[t.code for t in members],
        kecamatan=head.kecamatan_code,
        lat=head.lat,
        lng=head.lng,
    )


def seat_prices(relaxation: JointLagrangian, posts: list[Post]) -> Pull | None:
    """Prices of the seats at every TPS, from the duals of the posts' own seats: at TPS b, a
    post's seats cost its officers' cheapest reduced costs there (one own, the rest any kind),
    each kind's travel and home-sector price plus its head-count price less the own-seat price.
    None when the seats' problem has no solution."""
    index = relaxation.index
    known = []
    for post in posts:
        members = [index[c] for c in post.tps]
        at = [j for j, c in zip(members, post.tps) if (post.lat, post.lng) == relaxation.point(c)]
        known.append((at[0] if at else members[0], post.required, members))
    found = relaxation.seat_duals(known)
    if found is None:
        return None
    mu, alpha, _ = found
    reduced = relaxation.seat + mu[:, None] - alpha * relaxation.own[:, None]
    own_best = np.where(relaxation.own[:, None], reduced, np.inf).min(axis=0)
    any_best = reduced.min(axis=0)

    def pull(cell_posts: list[Post], codes: list[str]) -> Matrix:
        cols = [index[c] for c in codes]
        return np.array([
            own_best[cols] + (post.required - 1) * any_best[cols] for post in cell_posts
        ])

    return pull


@dataclass
class _Guests:
    """One sector's posts for ``take_guests``: minutes between its TPS, each post's team pull,
    each TPS's class and each post's class (as ranks, strictest 0) and cap."""

    minutes: Matrix
    pull: Matrix
    kind: list[int]
    level: list[int]
    cap: list[int]

    def base(self, p: int, group: list[int]) -> int:
        """Post p's base for these TPS: its own class's TPS of least ground plus team travel."""
        at = [i for i in group if self.kind[i] == self.level[p]]
        return at[int(np.argmin(self.minutes[np.ix_(at, group)].sum(axis=1) + self.pull[p, at]))]

    def cost(self, p: int, group: list[int]) -> float:
        """Post p's ground plus team travel with these TPS, at its base (inf: nowhere to stand)."""
        if not any(self.kind[i] == self.level[p] for i in group):
            return float(np.inf)
        b = self.base(p, group)
        return float(self.minutes[b, group].sum() + self.pull[p, b])

    def take(self, members: list[list[int]]) -> bool:
        """Milder TPS into the posts with room, best first while one saves (in place); whether
        any moved. Each post with room looks at the ``NEAR_GUESTS`` milder TPS nearest it."""
        now = [self.cost(p, m) for p, m in enumerate(members)]
        moved = False
        while True:
            best: tuple[float, int, int, int] | None = None
            for p, group in enumerate(members):
                if len(group) >= self.cap[p]:
                    continue
                owner = {i: q for q, m in enumerate(members) for i in m
                         if self.level[q] > self.level[p] and len(m) > 1}
                near = sorted(owner, key=lambda i: (self.minutes[group, i].min(), i))
                for i in near[:NEAR_GUESTS]:
                    q = owner[i]
                    rest = [j for j in members[q] if j != i]
                    delta = self.cost(p, [*group, i]) - now[p] + self.cost(q, rest) - now[q]
                    if delta < -GAIN and (best is None or delta < best[0]):
                        best = (delta, p, q, i)
            if best is None:
                return moved
            _, p, q, i = best
            members[p] = [*members[p], i]
            members[q] = [j for j in members[q] if j != i]
            now[p], now[q] = self.cost(p, members[p]), self.cost(q, members[q])
            moved = True


def take_guests(
    scenario: Scenario,
    posts: list[Post],
    assignments: list[Assignment],
    travel: TravelModel,
    classes: dict[str, VulnerabilityClass],
) -> tuple[list[Post], dict[str, float]] | None:
    """The posts with milder TPS taken into stricter posts that have room, where that lowers
    ground plus team travel, and each post's ground; None when nothing moves.

    A post of a class whose pattern allows more TPS than it holds (a rawan post of one TPS
    where the pattern allows two) may hold a TPS of a milder class of its sector: the rules
    count a post by its strictest TPS, and it still stands at one of its own class
    (``rule_post_at_its_class_tps``). Moves go best first while one saves; the post giving
    the TPS keeps one of its own class to stand at. The teams are held, so the caller staffs
    the posts again."""
    pattern = scenario.operation.pattern
    by_code = {t.code: t for t in scenario.dataset.tps}
    base_of, teams = _teams(scenario, assignments)
    rank = {c: CLASS_ORDER.index(c) for c in CLASS_ORDER}
    moved = False
    result = {p.id: p for p in posts}
    for sector in sorted({p.sector for p in posts}):
        mine = [p for p in posts if p.sector == sector]
        mildest = max(rank[p.vulnerability] for p in mine)
        if not any(len(p.tps) < pattern[p.vulnerability].max_tps_per_post
                   and rank[p.vulnerability] < mildest for p in mine):
            continue
        codes = sorted({c for p in mine for c in p.tps})
        index = {c: i for i, c in enumerate(codes)}
        points = [(by_code[c].lat, by_code[c].lng) for c in codes]
        minutes = np.asarray(travel.matrix(points, points), dtype=float)
        pull = _pull(mine, teams, base_of, points, travel)
        kind = [rank[classes.get(c, VulnerabilityClass.KURANG_RAWAN)] for c in codes]
        members = [[index[c] for c in p.tps] for p in mine]
        guests = _Guests(minutes, pull, kind, [rank[p.vulnerability] for p in mine],
                         [pattern[p.vulnerability].max_tps_per_post for p in mine])
        if not guests.take(members):
            continue
        moved = True
        for p, post in enumerate(mine):
            group = sorted(members[p])
            head = guests.base(p, group)
            result[post.id] = _moved(post, [by_code[codes[i]] for i in group], by_code[codes[head]])
    if not moved:
        return None
    where = {t.code: (t.lat, t.lng) for t in scenario.dataset.tps}
    ground = {
        post.id: float(travel.matrix([(post.lat, post.lng)], [where[c] for c in post.tps]).sum())
        for post in result.values()
    }
    return [result[p.id] for p in posts], ground

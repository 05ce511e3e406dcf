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
  differ, as the rules allow. Moves go to the ``NEAR`` posts whose bases are nearest.

The number of posts of a cell may change too (``_recount``, asked for with ``recount``), within
the cell's seats: a post is closed when its TPS fit into the other posts of the cell (each to
the nearest base with room) and the cost falls with its seats joining the post where they cost
least; a post is split in two when there are seats beyond the pattern's to staff the new one
(its own team's, or priced, any post's of the cell); and a seat beyond the pattern moves to the
post where it costs less. The
seats are those of the staffed teams (``Teams``: each officer's own travel, so the change is
exact for them) or priced by the staffing's duals (``Seats``, from ``SeatPrices``: each TPS's
cheapest reduced seat cost, which sees other officers take the seats but only estimates). The
cell's seats stay as many, so the plan's officers on TPS do too; the exact re-staffing says
what a change really costs, and ``solve.refine`` keeps it only if the objective falls and the
rules still hold.

Each step lowers the cost with the teams held fixed, so after the exact re-staffing the
planner runs next the objective is never higher (``solve.plan`` keeps the better plan).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from pamtps.domain import Officer, Tps
from pamtps.domain.plan import Assignment, Duty, Post, Scenario
from pamtps.planner.bound import JointLagrangian
from pamtps.planner.posts import CLASS_SHORT
from pamtps.planner.stop import Clock
from pamtps.planner.travel import TravelModel

Matrix = NDArray[np.float64]
NEAR = 3  # posts, by base, to which a TPS may move or with which it may swap
GAIN = 1e-7  # minutes a step must save to count (float noise is not a gain)
EXACT_TPS = 16  # cells of at most this many TPS are solved exactly (HiGHS MIP) when priced
EXACT_NODES = 5_000  # branch-and-bound nodes at most: a count, so the result never depends on time


Seat = int | tuple[int, ...]  # a post's seats: how many (priced), or which officers (teams)


@dataclass
class Seats:
    """A cell's seats priced by the staffing's duals: the pattern's least seats (``need``), and
    at each TPS of the cell as base what a post's first seat (an own officer) and each further
    seat cost (``first``, ``further``: reduced costs). A post's seats are a number."""

    need: int
    first: Matrix
    further: Matrix

    def pull(self, seats: Seat) -> Matrix:
        """What a post of ``seats`` seats pays for them at each TPS of the cell as its base."""
        assert isinstance(seats, int)
        return self.first + (seats - 1) * self.further

    def size(self, seats: Seat) -> int:
        assert isinstance(seats, int)
        return seats

    def added(self, seats: Seat) -> Matrix:
        """What these seats add to a post's pull, joining it."""
        return self.size(seats) * self.further

    def joined(self, a: Seat, b: Seat) -> Seat:
        return self.size(a) + self.size(b)

    def singles(self, seats: Seat) -> list[tuple[Seat, Seat]]:
        """Each way to take one seat beyond the pattern off a post: (what stays, what goes)."""
        return [(self.size(seats) - 1, 1)] if self.size(seats) > self.need else []


@dataclass
class Teams:
    """A cell's seats as its teams hold them: ``travel[o]``, officer o's minutes to each TPS of
    the cell, ``own[o]`` whether he is the Polres' own. A post's seats are its officers; the
    cost of a change is exact for these teams, so the exact re-staffing can only lower it."""

    need: int
    travel: Matrix
    own: NDArray[np.bool_]

    def pull(self, seats: Seat) -> Matrix:
        assert isinstance(seats, tuple)
        return self.travel[list(seats)].sum(axis=0)

    def size(self, seats: Seat) -> int:
        assert isinstance(seats, tuple)
        return len(seats)

    def added(self, seats: Seat) -> Matrix:
        """What these officers add to a post's pull, joining it."""
        return self.pull(seats)

    def joined(self, a: Seat, b: Seat) -> Seat:
        assert isinstance(a, tuple) and isinstance(b, tuple)
        return tuple(sorted(a + b))

    def singles(self, seats: Seat) -> list[tuple[Seat, Seat]]:
        """Each officer beyond the pattern who can leave a post keeping an own officer on it."""
        assert isinstance(seats, tuple)
        if len(seats) <= self.need:
            return []
        return [
            (seats[:i] + seats[i + 1 :], (o,)) for i, o in enumerate(seats)
            if self.own[[x for x in seats if x != o]].any()
        ]


@dataclass
class Cell:
    """One sector's posts of one class: TPS minutes, each post's members and its team's pull.

    ``ground[b, i]``: minutes from TPS b (as base) to TPS i; ``pull[p, b]``: minutes of post
    p's team from their own bases to TPS b (priced: what its seats cost there, ``Seats``).
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
                step = _best_step(cell, p, q, cost[p][0] + cost[q][0])
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


class _Recount:
    """The state of ``_recount``: each post's members, seats, cost and base, and a key of its
    own (``key``: its place among the cell's posts on entry; posts opened here count on from
    there). ``sub[q]``: post q's cost at each of its members as base."""

    def __init__(self, cell: Cell, model: Seats | Teams, seats: list[Seat]) -> None:
        self.cell, self.model, self.seats = cell, model, seats
        self.key, self.entered = list(range(len(seats))), len(seats)
        self.sub = [self.costs(m, s) for m, s in zip(cell.members, seats)]
        self.value = [float(sub.min()) for sub in self.sub]
        self.base = [m[int(np.argmin(sub))] for m, sub in zip(cell.members, self.sub)]
        self.flat: tuple[NDArray[np.intp], Matrix, NDArray[np.intp]] | None = None

    def costs(self, members: list[int], seats: Seat) -> Matrix:
        """A post's cost with these members and seats at each member as its base."""
        ground = self.cell.ground[members][:, members].sum(axis=1)
        return ground + self.model.pull(seats)[members]

    def priced(self, members: list[int], seats: Seat) -> tuple[float, int]:
        """A post's cost with these members and seats at its 1-median, and that base."""
        sub = self.costs(members, seats)
        best = int(np.argmin(sub))
        return float(sub[best]), members[best]

    def change(self, q: int, seats: Seat) -> float:
        """What post q's cost changes by with these seats instead of its own."""
        return self.priced(self.cell.members[q], seats)[0] - self.value[q]

    def receive(self, seats: Seat) -> Matrix:
        """For every post as it stands, what its cost changes by with these seats added."""
        if self.flat is None:
            members = np.concatenate([np.asarray(m, dtype=np.intp) for m in self.cell.members])
            starts = np.cumsum([0] + [len(m) for m in self.cell.members[:-1]])
            self.flat = members, np.concatenate(self.sub), starts.astype(np.intp)
        members, sub, starts = self.flat
        return np.minimum.reduceat(sub + self.model.added(seats)[members], starts) - self.value

    def set(self, q: int, members: list[int], seats: Seat) -> None:
        self.cell.members[q], self.seats[q] = members, seats
        self.sub[q] = self.costs(members, seats)
        self.value[q] = float(self.sub[q].min())
        self.base[q] = members[int(np.argmin(self.sub[q]))]
        self.flat = None

    def append(self, members: list[int], seats: Seat) -> None:
        """A post opened with these members and seats, at the end."""
        self.cell.members.append(members)
        self.seats.append(seats)
        self.key.append(max(self.key, default=-1) + 1)
        self.sub.append(self.costs(members, seats))
        self.value.append(float(self.sub[-1].min()))
        self.base.append(members[int(np.argmin(self.sub[-1]))])
        self.flat = None

    def remove(self, p: int) -> None:
        """Post p closed."""
        del self.cell.members[p], self.seats[p], self.key[p]
        del self.sub[p], self.value[p], self.base[p]
        self.flat = None

    @property
    def origin(self) -> list[int]:
        """Each post's place among the cell's posts on entry, -1 for a post opened here."""
        return [k if k < self.entered else -1 for k in self.key]

    def close(self, p: int, apply: bool = True) -> float:
        """What closing post p changes the cost by, and (``apply``) if that pays, p closed:
        each of its TPS to the post (with room) whose base is nearest, cheapest first, and its
        seats to the post where they cost least. Infinite where its TPS do not fit."""
        cell, seats = self.cell, self.seats
        others = [q for q in range(len(cell.members)) if q != p]
        moving = cell.members[p]
        room = np.array([cell.cap - len(cell.members[q]) for q in others])
        if not others or room.sum() < len(moving):
            return np.inf
        minutes = cell.ground[np.ix_([self.base[q] for q in others], moving)].copy()
        gets: dict[int, list[int]] = {}
        for _ in moving:
            masked = np.where(room[:, None] > 0, minutes, np.inf)
            a, i = np.unravel_index(int(np.argmin(masked)), masked.shape)
            if not np.isfinite(masked[a, i]):
                return np.inf
            gets.setdefault(others[int(a)], []).append(moving[int(i)])
            room[a] -= 1
            minutes[:, i] = np.inf
        new = {q: sorted(cell.members[q] + add) for q, add in gets.items()}
        change = {q: self.priced(m, seats[q])[0] - self.value[q] for q, m in new.items()}
        extra = self.receive(seats[p])
        extra[p] = np.inf
        for q, m in new.items():
            now = self.value[q] + change[q]
            extra[q] = self.priced(m, self.model.joined(seats[q], seats[p]))[0] - now
        receiver = int(np.argmin(extra))
        delta = float(extra[receiver]) + sum(change.values()) - self.value[p]
        if apply and delta < -GAIN:
            for q in sorted(set(new) | {receiver}):
                held = self.model.joined(seats[q], seats[p]) if q == receiver else seats[q]
                self.set(q, new.get(q, cell.members[q]), held)
            self.remove(p)
        return delta

    def halves(
        self, p: int, seats: list[tuple[Seat, Seat]]
    ) -> tuple[float, list[int], list[int], int]:
        """Post p's TPS in two posts, one with the first seats of a pair in ``seats``, one with
        the second: the cheapest over every pair and every pair of bases, each member to the
        nearer base; its cost (each side at its 1-median), the two posts' members, the pair."""
        members = self.cell.members[p]
        g = self.cell.ground[np.ix_(members, members)]
        to_a = g[:, None, :] <= g[None, :, :]  # [a, b, i]: member i nearer to a than to b
        ground = np.where(to_a, g[:, None, :], g[None, :, :]).sum(axis=2)
        keep = np.array([self.model.pull(k)[members] for k, _ in seats])
        new = np.array([self.model.pull(n)[members] for _, n in seats])
        total = ground[None, :, :] + keep[:, :, None] + new[:, None, :]
        total[:, np.eye(len(members), dtype=bool)] = np.inf
        c, a, b = np.unravel_index(int(np.argmin(total)), total.shape)
        first = [m for m, near in zip(members, to_a[a, b]) if near]
        second = [m for m, near in zip(members, to_a[a, b]) if not near]
        if not first or not second:
            return np.inf, first, second, int(c)
        value = self.priced(first, seats[c][0])[0] + self.priced(second, seats[c][1])[0]
        return value, first, second, int(c)

    def split(self, p: int) -> bool:
        """Split post p in two if that pays, the new post staffed with the pattern's seats.
        Priced: from p's own seats beyond the pattern first, then from the posts whose seats
        beyond it save most. Teams: ``need`` of p's officers, an own one on each side (every
        such choice tried)."""
        cell, model = self.cell, self.model
        members = cell.members[p]
        if len(members) < 2:
            return False
        if isinstance(model, Teams):
            team = self.seats[p]
            assert isinstance(team, tuple)
            if len(team) < 2 * model.need:
                return False
            pairs: list[tuple[Seat, Seat]] = []
            for opened in itertools.combinations(team, model.need):
                rest = tuple(o for o in team if o not in opened)
                if model.own[list(opened)].any() and model.own[list(rest)].any():
                    pairs.append((rest, opened))
            if not pairs:
                return False
            value, first, second, c = self.halves(p, pairs)
            if value - self.value[p] >= -GAIN:
                return False
            self.set(p, first, pairs[c][0])
            self.append(second, pairs[c][1])
            return True
        need, count = model.need, [model.size(s) for s in self.seats]
        spare = sum(c - need for q, c in enumerate(count) if q != p)
        own = min(count[p] - need, need)
        if own + spare < need:
            return False
        taken: dict[int, int] = {}
        saved = 0.0
        for _ in range(need - own):  # one seat at a time from the post it saves most at
            donors = [
                (self.change(q, c - taken.get(q, 0) - 1) - self.change(q, c - taken.get(q, 0)), q)
                for q, c in enumerate(count) if q != p and c - taken.get(q, 0) > need
            ]
            step, q = min(donors)
            saved += step
            taken[q] = taken.get(q, 0) + 1
        stays = count[p] - own
        value, first, second, _ = self.halves(p, [(stays, need)])
        if value - self.value[p] + saved >= -GAIN:
            return False
        for q, fewer in sorted(taken.items()):
            self.set(q, cell.members[q], count[q] - fewer)
        self.set(p, first, stays)
        self.append(second, need)
        return True

    def shift(self) -> bool:
        """Move one seat beyond the pattern to the post where it costs least, if that pays."""
        k, seats = len(self.seats), self.seats
        best: tuple[float, int, int, Seat, Seat] | None = None
        for t in range(k if k > 1 else 0):
            for stay, go in self.model.singles(seats[t]):
                into = self.receive(go)
                into[t] = np.inf
                u = int(np.argmin(into))
                total = self.change(t, stay) + float(into[u])
                if best is None or total < best[0]:
                    best = (total, t, u, stay, go)
        if best is None or best[0] >= -GAIN:
            return False
        _, t, u, stay, go = best
        self.set(t, self.cell.members[t], stay)
        self.set(u, self.cell.members[u], self.model.joined(seats[u], go))
        return True


def _recount(
    cell: Cell, model: Seats | Teams, seats: list[Seat], rounds: int, clock: Clock
) -> tuple[list[int], list[Seat]] | None:
    """Close, split and re-seat posts while one lowers the cell's cost (in place: its members
    and pull); each post's place on entry (-1: opened) and seats, or None if nothing changed.
    Each round closes the posts whose closing pays, the most paying first (each tried again as
    the cell then stands), splits every post where that pays, then moves seats beyond the
    pattern one at a time; the cell's seats stay as many."""
    state = _Recount(cell, model, list(seats))
    changed = False
    for _ in range(rounds):
        if clock.out_of_time():
            break
        moved = False
        paying = sorted((state.close(p, apply=False), state.key[p])
                        for p in range(len(cell.members)))
        for delta, key in paying:
            if delta < -GAIN and key in state.key:
                moved |= state.close(state.key.index(key)) < -GAIN
        for p in range(len(cell.members)):
            moved |= state.split(p)
        for _ in range(sum(model.size(s) for s in state.seats)):
            if not state.shift():
                break
            moved = True
        changed |= moved
        if not moved:
            break
    else:
        clock.ran_out()
    if not changed:
        return None
    cell.pull = np.array([model.pull(s) for s in state.seats])
    return state.origin, state.seats


def improve_posts(
    scenario: Scenario,
    posts: list[Post],
    assignments: list[Assignment],
    travel: TravelModel,
    clock: Clock,
    priced: SeatPrices | None = None,
    recount: bool = False,
) -> tuple[list[Post], dict[str, float]]:
    """The posts with bases at their 1-medians and TPS moved where they cost least (see the
    module docstring), and each post's ground (minutes from its base to its TPS).

    ``priced`` replaces the team's travel by a price of the seats at each TPS (``SeatPrices``):
    the move that lets other officers take the seats, which a fixed team cannot see. With it and
    ``recount``, a cell's posts may also be closed, split and re-seated (``_recount``) where the
    pattern seats no TNI (their seats are not priced): posts closed are left out, posts opened
    follow their cell's with new numbers."""
    by_code = {t.code: t for t in scenario.dataset.tps}
    officers = {o.nrp: o for o in scenario.dataset.personnel}
    base_of = {o.nrp: (o.base_lat, o.base_lng) for o in scenario.dataset.personnel}
    teams: dict[str, list[str]] = {}
    for a in assignments:
        if a.duty is Duty.POST:
            teams.setdefault(a.target, []).append(a.nrp)
    cells: dict[tuple[str, str], list[Post]] = {}
    for post in posts:
        cells.setdefault((post.sector, post.vulnerability.value), []).append(post)
    improved: dict[str, list[Post]] = {}
    ground: dict[str, float] = {}
    for _, cell_posts in sorted(cells.items()):
        rule = scenario.operation.pattern[cell_posts[0].vulnerability]
        tps = sorted({c for p in cell_posts for c in p.tps})
        index = {c: i for i, c in enumerate(tps)}
        points = [(by_code[c].lat, by_code[c].lng) for c in tps]
        minutes = np.asarray(travel.matrix(points, points), dtype=float)
        members = [sorted(index[c] for c in p.tps) for p in cell_posts]
        cap = rule.max_tps_per_post
        model: Seats | Teams | None = None
        seats: list[Seat] = []
        if priced is None:
            pull = _pull(cell_posts, teams, base_of, points, travel)
            if recount:
                found = _teams(cell_posts, teams, officers, points, travel, rule.officers_per_post)
                if found is not None:
                    model, seats = found
        else:
            first, further = priced.at(tps)
            model = Seats(rule.officers_per_post, first, further)
            seats = [p.required for p in cell_posts]
            pull = np.array([model.pull(s) for s in seats])
        cell = Cell(minutes, pull, members, cap)
        if cap > 1 and len(cell_posts) > 1 and priced is not None and len(tps) <= EXACT_TPS:
            _exact(cell, clock)
        recounted = None
        if recount and model is not None and cap > 1 and not rule.tni_per_post:
            recounted = _recount(cell, model, seats, clock.criteria.search_rounds, clock)
        if cap > 1 and len(cell.members) > 1:
            _search(cell, clock.criteria.search_rounds, clock)
        origin = list(range(len(members))) if recounted is None else recounted[0]
        numbers = [_number(p.id) for p in cell_posts]
        made = []
        for p, at in enumerate(origin):
            if at >= 0:
                post = cell_posts[at]
            else:  # a post opened here: the cell's next number, the pattern's TNI seats
                numbers.append(max(numbers) + 1)
                post = replace(cell_posts[0], id=_numbered(cell_posts[0], numbers[-1]),
                               tni_required=rule.tni_per_post)
            if recounted is not None and model is not None:
                post = replace(post, required=model.size(recounted[1][p]))
            chosen = cell.members[p]
            head = by_code[tps[best_base(minutes, cell.pull[p], chosen)]]
            post = _moved(post, [by_code[tps[i]] for i in chosen], head)
            made.append(post)
            ground[post.id] = float(minutes[index[head.code], chosen].sum())
        if recounted is not None:  # the cell's posts where its first post was
            improved |= {post.id: [] for post in cell_posts} | {cell_posts[0].id: made}
        else:
            improved |= {post.id: [post_now] for post, post_now in zip(cell_posts, made)}
    return [post for before in posts for post in improved[before.id]], ground


def _number(post_id: str) -> int:
    """The number at the end of a post's id (its place in its cell), 0 if none."""
    tail = post_id.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def _numbered(post: Post, number: int) -> str:
    """The id of a post opened in ``post``'s cell with this number."""
    return f"{post.sector}-{CLASS_SHORT[post.vulnerability]}-{number:03d}"


def _teams(
    posts: list[Post],
    teams: dict[str, list[str]],
    officers: dict[str, Officer],
    points: list[tuple[float, float]],
    travel: TravelModel,
    need: int,
) -> tuple[Teams, list[Seat]] | None:
    """The cell's teams as ``Teams`` and each post's officers in it, or None where a team is
    not its post's seats (a seat left vacant, an officer not on the roster)."""
    found = [[officers.get(n) for n in teams.get(p.id, [])] for p in posts]
    if any(len(team) != p.required or None in team for p, team in zip(posts, found)):
        return None
    people = [o for team in found for o in team if o is not None]
    bases = sorted({(o.base_lat, o.base_lng) for o in people})
    table = np.asarray(travel.matrix(bases, points), dtype=float)
    row = {b: i for i, b in enumerate(bases)}
    rows = np.array([table[row[(o.base_lat, o.base_lng)]] for o in people])
    own = np.array([o.origin.is_local for o in people], dtype=bool)
    seats: list[Seat] = []
    for team in found:
        start = sum(len(t) for t in seats if isinstance(t, tuple))
        seats.append(tuple(range(start, start + len(team))))
    return Teams(need, rows, own), seats


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


@dataclass(frozen=True)
class SeatPrices:
    """Reduced costs of the seats at every TPS as a post's base, from the staffing's duals:
    ``first[j]`` a post's first seat (its own officer), ``further[j]`` each further seat (any
    kind), at TPS j (``index``: TPS code to j)."""

    index: dict[str, int]
    first: Matrix
    further: Matrix

    def at(self, codes: list[str]) -> tuple[Matrix, Matrix]:
        """The first and further seats' prices at these TPS."""
        cols = [self.index[c] for c in codes]
        return self.first[cols], self.further[cols]

    def pull(self, cell_posts: list[Post], codes: list[str]) -> Matrix:
        """Posts x TPS: what each post's seats cost at each of these TPS as its base."""
        first, further = self.at(codes)
        return np.array([first + (post.required - 1) * further for post in cell_posts])


def seat_prices(relaxation: JointLagrangian, posts: list[Post]) -> SeatPrices | None:
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
    return SeatPrices(index, own_best, reduced.min(axis=0))

"""Officers to post and guard slots: an exact assignment problem (minimum total travel).

Each slot takes one officer or stays vacant, at a high cost that says how much the slot matters;
exactly ``own target`` own officers sit (the TPS quota), lent officers as many as help. Officers
with equal costs everywhere (a unit at one base) are one *kind*, so the problem is solved as a
transportation problem over kinds by HiGHS, whose optimum is integral and so exact. A square
assignment (officers and vacancies x slots and idle places, ``linear_sum_assignment``) solves
the same problem one officer at a time: it stands in should the LP ever not come out integral.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import linear_sum_assignment, linprog

from pamtps.domain import Officer, Origin, VulnerabilityClass
from pamtps.domain.plan import Duty, Post
from pamtps.planner.policy import Point
from pamtps.planner.travel import TravelModel

FORBIDDEN = 1e12  # a cell no solution may use; any that slips through is verified away
VACANT = 1e6  # leaving a slot empty, times its weight below: far above any travel time
SHORT_QUOTA = 100  # own officers left off TPS although the quota wants them (times VACANT)
MAX_KIND_SHARE = 0.25  # kinds per officer above which the square assignment is solved instead


@dataclass(frozen=True)
class Slot:
    """One place for one officer: a seat on a TPS post or in a guard."""

    target: str  # post id or object code
    duty: Duty
    point: Point
    local_only: bool = False  # the first seat of a post: own officers only
    tni: bool = False  # a seat for a TNI soldier (pattern tni_per_post)
    weight: int = 1  # how much an empty seat hurts
    desa: frozenset[str] = frozenset()  # desa of the post's TPS (declared conflicts)


def post_slots(posts: Sequence[Post], desa_of: dict[str, str]) -> list[Slot]:
    """Seats of every post: ``required`` police seats (the first local) and its TNI seats."""
    slots = []
    for post in posts:
        desa = frozenset(desa_of[code] for code in post.tps if code in desa_of)
        point = (post.lat, post.lng)
        strict = post.vulnerability is not VulnerabilityClass.KURANG_RAWAN
        for seat in range(post.required):
            # Empty seats fall first on a kurang rawan post's second seat, last on a rawan one.
            weight = (4 if strict else 2) + (2 if seat == 0 else 0)
            slots.append(Slot(post.id, Duty.POST, point, seat == 0, False, weight, desa))
        slots.extend(
            Slot(post.id, Duty.POST, point, False, True, 1, desa) for _ in range(post.tni_required)
        )
    return slots


@dataclass
class Filled:
    """Who sits where: officer NRP -> slot index, the empty slots, and travel minutes."""

    placed: dict[str, int] = field(default_factory=dict)
    minutes: dict[str, float] = field(default_factory=dict)
    vacant: list[int] = field(default_factory=list)

    @property
    def travel(self) -> float:
        return sum(self.minutes.values())


def allowed(officers: Sequence[Officer], slots: Sequence[Slot]) -> np.ndarray:
    """Officers x slots: who may take which seat.

    TNI seats take soldiers only and police seats police only; lent officers never take a
    post's first seat nor a guard; nobody sits where a TPS lies in a desa he is barred from.
    """
    soldier = np.array([o.origin is Origin.TNI for o in officers], dtype=bool)
    local = np.array([o.origin.is_local for o in officers], dtype=bool)
    tni_seat = np.array([s.tni for s in slots], dtype=bool)
    open_seat = np.array([s.duty is Duty.POST and not s.local_only for s in slots], dtype=bool)
    mask = (soldier[:, None] == tni_seat[None, :]) & (local[:, None] | open_seat[None, :])
    for i, officer in enumerate(officers):
        if officer.barred_desa:
            mask[i] &= np.array([not (officer.barred_desa & s.desa) for s in slots], dtype=bool)
    return mask


def travel_minutes(
    travel: TravelModel, officers: Sequence[Officer], slots: Sequence[Slot]
) -> np.ndarray:
    """Officers x slots: minutes from each officer's base to each seat (bases are few)."""
    if not officers or not slots:
        return np.zeros((len(officers), len(slots)))
    bases = sorted({(o.base_lat, o.base_lng) for o in officers})
    points = sorted({s.point for s in slots})
    table = np.asarray(travel.matrix(bases, points), dtype=float)
    row_of = {base: i for i, base in enumerate(bases)}
    col_of = {point: j for j, point in enumerate(points)}
    rows = [row_of[(o.base_lat, o.base_lng)] for o in officers]
    cols = [col_of[s.point] for s in slots]
    return table[np.ix_(rows, cols)]


def fill_slots(
    slots: Sequence[Slot],
    own: Sequence[Officer],
    lent: Sequence[Officer],
    own_target: int,
    travel: TravelModel,
    bonus: Callable[[Officer, Slot], float] | np.ndarray | None = None,
) -> Filled:
    """Seat exactly ``own_target`` own officers and as many lent ones as needed, at least travel.

    ``bonus`` (minutes; a function or an officers x slots array) lowers the cost of a seat for an
    officer: a re-plan uses it to keep officers where they were; below zero it is a price.
    """
    officers = [*own, *lent]
    own_target = min(own_target, len(own), len(slots))
    may = allowed(officers, slots)
    minutes = travel_minutes(travel, officers, slots)
    keep: np.ndarray | float = 0.0
    if isinstance(bonus, np.ndarray):
        keep = bonus
    elif bonus is not None:
        keep = np.array([[bonus(o, s) for s in slots] for o in officers])
    cost = np.where(may, minutes - keep, np.inf)
    vacant = np.array([VACANT * slot.weight for slot in slots])
    seats = _transport(cost, len(own), own_target, vacant)
    if seats is None:  # the square assignment is exact too, only slower on a large roster
        seats = _assign_each(cost, len(own), own_target, vacant)
    filled = Filled()
    for i, j in seats:
        if may[i, j]:  # a forbidden cell never counts
            filled.placed[officers[i].nrp] = j
            filled.minutes[officers[i].nrp] = round(float(minutes[i, j]), 2)
    taken = set(filled.placed.values())
    filled.vacant = [j for j in range(len(slots)) if j not in taken]
    return filled


def _transport(
    cost: np.ndarray, n_own: int, own_target: int, vacant: np.ndarray
) -> list[tuple[int, int]] | None:
    """(officer, slot) seats of least total cost, solved over kinds of officer.

    None when the officers are too varied for it to pay, or (not expected) when the simplex
    answer is not integral: the caller then solves the square assignment.

    Officers whose cost rows are equal (most of a unit: same base, same seats allowed) are
    interchangeable, so the assignment is a transportation problem from a few kinds of officer
    to the slots: a few thousand variables where the assignment matrix has millions of cells
    (Palembang: 4,300 x 4,300, about 10 s). Its matrix is totally unimodular (two laminar
    families of rows), so the simplex optimum is integral and equals the assignment's. Within a
    kind the seats go in roster order.
    """
    n_officers, n_slots = cost.shape
    rows: dict[bytes, list[int]] = {}
    for i in range(n_officers):
        rows.setdefault(bytes([i < n_own]) + cost[i].tobytes(), []).append(i)
    kinds = list(rows.values())
    if len(kinds) > n_officers * MAX_KIND_SHARE:
        return None  # a re-plan's bonus makes most officers unique: the LP would only be slower
    head = [members[0] for members in kinds]
    kind_of, slot_of = np.nonzero(np.isfinite(cost[head]))
    m = len(kind_of)
    own_arc = np.array([head[t] < n_own for t in kind_of], dtype=float)
    # Rows: each slot once (seated or vacant), the own officers seated = own_target (a slack at a
    # prohibitive cost keeps it feasible), then each kind at most its head count.
    columns = np.arange(m)
    a_eq = sparse.csr_matrix(
        (np.concatenate((np.ones(m), np.ones(n_slots), own_arc, [1.0])),
         (np.concatenate((slot_of, np.arange(n_slots), np.full(m, n_slots), [n_slots])),
          np.concatenate((columns, m + np.arange(n_slots), columns, [m + n_slots])))),
        shape=(n_slots + 1, m + n_slots + 1),
    )
    a_ub = sparse.csr_matrix((np.ones(m), (kind_of, columns)), shape=(len(kinds), m + n_slots + 1))
    result = linprog(
        np.concatenate((cost[head][kind_of, slot_of], vacant, [VACANT * SHORT_QUOTA])),
        A_ub=a_ub, b_ub=[len(members) for members in kinds], A_eq=a_eq,
        b_eq=np.concatenate((np.ones(n_slots), [own_target])), bounds=(0.0, 1.0 * n_officers),
        method="highs-ds",
    )
    if result.status != 0:
        return None
    x = np.asarray(result.x[:m])
    if np.abs(x - np.round(x)).max(initial=0.0) > 1e-6:
        return None
    queue = [iter(members) for members in kinds]
    return [(next(queue[kind_of[p]]), int(slot_of[p])) for p in np.flatnonzero(np.round(x) > 0)]


def _assign_each(
    cost: np.ndarray, n_own: int, own_target: int, vacant: np.ndarray
) -> list[tuple[int, int]]:
    """The same seats by a square assignment (officers and vacancies x slots and idle places)."""
    n_officers, n_slots = cost.shape
    idle_own = n_slots + n_own - own_target  # first column past the own officers' idle places
    size = n_officers + n_slots - own_target  # officers + vacancies = seats + idle places
    square = np.full((size, size), FORBIDDEN)
    square[:n_officers, :n_slots] = np.where(np.isfinite(cost), cost, FORBIDDEN)
    square[:n_own, n_slots:idle_own] = 0.0  # own officers not needed
    square[n_own:, idle_own:] = 0.0  # lent officers not needed (or a vacancy they fill)
    square[n_officers:, :n_slots] = vacant  # an empty seat
    rows, cols = linear_sum_assignment(square)
    return [(i, j) for i, j in zip(rows.tolist(), cols.tolist()) if i < n_officers and j < n_slots]

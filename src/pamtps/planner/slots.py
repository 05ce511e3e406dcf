"""Officers to post and guard slots: an exact assignment problem (minimum total travel).

Rows are officers (own, lent) and *vacancies*; columns are slots and *idle* places. Idle places
take the own officers who are not needed (exactly ``own pool - own target`` of them, so the TPS
quota is met exactly) and any lent officer; a vacancy row sitting on a slot leaves it empty at a
high cost that says how much the slot matters. The square matrix is solved by
``scipy.optimize.linear_sum_assignment``, whose optimum is exact.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

from pamtps.domain import Officer, Origin, VulnerabilityClass
from pamtps.planner.model import Duty, Post
from pamtps.planner.policy import Point
from pamtps.planner.travel import TravelModel

FORBIDDEN = 1e12  # a cell no solution may use; any that slips through is verified away
VACANT = 1e6  # leaving a slot empty, times its weight below: far above any travel time


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
    bonus: Callable[[Officer, Slot], float] | None = None,
) -> Filled:
    """Seat exactly ``own_target`` own officers and as many lent ones as needed, at least travel.

    ``bonus`` (minutes) lowers the cost of a seat for an officer: a re-plan uses it to keep
    officers where they were.
    """
    officers = [*own, *lent]
    n_officers, n_slots = len(officers), len(slots)
    own_target = min(own_target, len(own), n_slots)
    idle_own = n_slots + len(own) - own_target  # first column past the own officers' idle places
    size = n_officers + n_slots - own_target  # officers + vacancies = seats + idle places
    may = allowed(officers, slots)
    minutes = travel_minutes(travel, officers, slots)
    keep = np.array([[bonus(o, s) for s in slots] for o in officers]) if bonus else 0.0
    cost = np.full((size, size), FORBIDDEN)
    cost[:n_officers, :n_slots] = np.where(may, minutes - keep, FORBIDDEN)
    cost[: len(own), n_slots:idle_own] = 0.0  # own officers not needed
    cost[len(own) :, idle_own:] = 0.0  # lent officers not needed (or a vacancy they fill)
    cost[n_officers:, :n_slots] = [VACANT * slot.weight for slot in slots]  # an empty seat
    rows, cols = linear_sum_assignment(cost)
    filled = Filled()
    for i, j in zip(rows.tolist(), cols.tolist()):
        if i < n_officers and j < n_slots and may[i, j]:  # a forbidden cell never counts
            filled.placed[officers[i].nrp] = j
            filled.minutes[officers[i].nrp] = round(float(minutes[i, j]), 2)
    taken = set(filled.placed.values())
    filled.vacant = [j for j in range(n_slots) if j not in taken]
    return filled

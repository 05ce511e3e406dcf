"""Staffing: every officer's duty, decided step by step; who sits on which TPS post is exact.

The steps, in order: unavailable officers; reserve units, whole, at their stations; the Padal of
each kecamatan; the Polres reserve ("power on hand"); TPS posts and guards together, as one
assignment problem of minimum total travel that meets the TPS quota exactly (``slots``);
everyone else on duty at his own unit. The senior HQ leaders never sit on a TPS.

A Kapolsek commands his own sector: a Polsek officer seated on a TPS post outside his sector
costs ``[staffing] outside_sector_minutes`` (P, default 120) on top of his travel, and so does
each TPS seat of a Polsek's sector held by someone not of that Polsek (else a sector's own
officers could sit at their desk while Polres staff a few minutes nearer guard its TPS). A
price, not a prohibition: a hard rule "never outside while his sector can cover its posts" needs
a notion of "can cover" that the TPS quota, sick officers, barred desa and the own-officer first
seat all move, and where it misjudges, seats stay empty or the quota is missed, which is worse
than an officer crossing a boundary. A price keeps the seats one transportation problem (same
kinds of officer, still integral, still exact), so the objective and its lower bound both
include it and stay consistent; and it says plainly what the Polres accepts: an officer leaves
his sector only where that saves more than the price in travel (his own sector has more officers
than its posts need, or no one nearer can take the seat). The rule
``polsek_officers_in_own_sector`` and ``explain_officer`` report every officer who does.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from pamtps.domain import Officer, Origin
from pamtps.domain.plan import Assignment, Duty, Plan, Post, Scenario, Shortage
from pamtps.planner.policy import (
    NEVER_PADAL,
    Point,
    guards,
    home_sector,
    hq_unit,
    is_hq_leader,
    is_reserve_unit,
    kecamatan_with_tps,
    leader_of,
    lent_on_tps,
    own_target,
    place_of,
    station_of,
    tps_quota,
)
from pamtps.planner.sectors import sector_by_kecamatan
from pamtps.planner.slots import Filled, Slot, fill_slots, post_slots
from pamtps.planner.travel import TravelModel

KEEP_BONUS = 10_000.0  # minutes: more than any travel saving, so a re-plan keeps what holds


@dataclass
class Continuity:
    """A previous plan's duties and posts: a re-plan keeps them wherever they still hold."""

    assignments: dict[str, Assignment]
    posts: dict[str, Post]

    @classmethod
    def of(cls, plan: Plan) -> Continuity:
        return cls({a.nrp: a for a in plan.assignments}, plan.post_by_id())

    def had(self, nrp: str, duty: Duty, target: str) -> bool:
        before = self.assignments.get(nrp)
        return before is not None and before.duty is duty and before.target == target

    def bonus(self, officer: Officer, slot: Slot, tps_of: dict[str, frozenset[str]]) -> float:
        """KEEP_BONUS for the same guard; for a post, scaled by how much its TPS overlap."""
        before = self.assignments.get(officer.nrp)
        if before is None or before.duty is not slot.duty:
            return 0.0
        if slot.duty is Duty.GUARD:
            return KEEP_BONUS if before.target == slot.target else 0.0
        old = self.posts.get(before.target)
        new = tps_of.get(slot.target, frozenset())
        if old is None or not new:
            return 0.0
        return KEEP_BONUS * len(new & set(old.tps)) / len(new | set(old.tps))


@dataclass
class Staffing:
    """The staffing stage's result: one assignment per officer and its numbers."""

    assignments: list[Assignment]
    objective: float  # travel minutes of the seats chosen (TPS and guards) + home-sector price
    lower_bound: float | None
    status: str
    seconds: float
    shortages: list[Shortage] = field(default_factory=list)
    numbers: dict[str, Any] = field(default_factory=dict)


class DutyBook:
    """Duties given so far, in roster order; each step takes the officers still free."""

    def __init__(self, scenario: Scenario, travel: TravelModel) -> None:
        self.scenario = scenario
        self.travel = travel
        self.duties: dict[str, Assignment] = {}
        self.shortages: list[Shortage] = []
        self._minutes: dict[tuple[float, float, float, float], float] = {}

    def free(self) -> list[Officer]:
        """Available officers without a duty yet, in roster order."""
        return [
            o for o in self.scenario.dataset.personnel if o.available and o.nrp not in self.duties
        ]

    def minutes(self, officer: Officer, point: Point) -> float:
        """Minutes from the officer's base to a point (bases are few: each pair is kept)."""
        key = (officer.base_lat, officer.base_lng, *point)
        if key not in self._minutes:
            self._minutes[key] = round(self.travel.minutes(*key), 2)
        return self._minutes[key]

    def give(self, officer: Officer, duty: Duty, target: str, minutes: float = 0.0) -> None:
        self.duties[officer.nrp] = Assignment(officer.nrp, duty, target, False, minutes)

    def count(self, duty: Duty, target: str) -> int:
        return sum(1 for a in self.duties.values() if a.duty is duty and a.target == target)

    def assignments(self) -> list[Assignment]:
        """Every officer's assignment in roster order, each post's most senior member leading."""
        teams: dict[str, list[Officer]] = {}
        for officer in self.scenario.dataset.personnel:
            duty = self.duties[officer.nrp]
            if duty.duty is Duty.POST:
                teams.setdefault(duty.target, []).append(officer)
        for team in teams.values():
            self.duties[leader_of(team).nrp].leader = True
        return [self.duties[o.nrp] for o in self.scenario.dataset.personnel]


def mark_unavailable(book: DutyBook) -> None:
    """Sick, on leave, in training or on another assignment: no duty in this plan."""
    for officer in book.scenario.dataset.personnel:
        if not officer.available:
            book.give(officer, Duty.UNAVAILABLE, "")


def place_reserve_units(book: DutyBook) -> None:
    """Units of the reserve types stay whole, on standby at their station."""
    units = book.scenario.dataset.unit_by_code
    for officer in book.free():
        unit = units.get(officer.unit_code)
        if unit is not None and is_reserve_unit(book.scenario, unit):
            station = station_of(book.scenario, unit)
            place = place_of(book.scenario.dataset, station)
            book.give(officer, Duty.RESERVE, station, book.minutes(officer, place))


def choose_padal(book: DutyBook, previous: Continuity | None = None) -> None:
    """``padal_per_kecamatan`` perwira per kecamatan: its own sector's first, then HQ's.

    Among the sector's perwira the most senior comes first (the Kapolsek leads his ground); at
    HQ the heads of functions come last, and the Kapolres and Wakapolres never.
    """
    scenario = book.scenario
    need = scenario.operation.padal_per_kecamatan
    hq = hq_unit(scenario.dataset).code
    sector_of = sector_by_kecamatan(scenario.dataset)
    for kec in kecamatan_with_tps(scenario.dataset):
        place = place_of(scenario.dataset, kec)
        candidates = [
            o
            for o in book.free()
            if o.origin.is_local and o.rank.group.is_officer and o.function not in NEVER_PADAL
        ]

        def preference(o: Officer, kec: str = kec, place: Point = place) -> tuple[Any, ...]:
            kept = previous is not None and previous.had(o.nrp, Duty.PADAL, kec)
            tier = 0 if o.unit_code == sector_of.get(kec) else 1 if o.unit_code == hq else 2
            return (
                not kept,
                tier,
                is_hq_leader(o),
                book.minutes(o, place),
                -o.rank.seniority,
                o.nrp,
            )

        chosen = sorted(candidates, key=preference)[:need]
        for officer in chosen:
            book.give(officer, Duty.PADAL, kec, book.minutes(officer, place))
        if len(chosen) < need:
            book.shortages.append(Shortage(kec, need, len(chosen)))


def hold_polres_reserve(
    book: DutyBook, own_needed: int, previous: Continuity | None = None
) -> None:
    """``polres_reserve`` own officers on standby at Mapolres, Sat Samapta first.

    The reserve never takes the officers that TPS and guards need (``own_needed``).
    """
    hq = hq_unit(book.scenario.dataset)
    place = (hq.base_lat, hq.base_lng)
    pool = _own_pool(book)
    room = max(len(pool) - own_needed, 0)
    order = {o.nrp: i for i, o in enumerate(pool)}

    def preference(o: Officer) -> tuple[Any, ...]:
        kept = previous is not None and previous.had(o.nrp, Duty.RESERVE, hq.code)
        return (
            not kept,
            o.origin is not Origin.POLRES,
            o.function != "Sat Samapta",
            book.minutes(o, place),
            order[o.nrp],
        )

    for officer in sorted(pool, key=preference)[
        : min(book.scenario.operation.reserve.polres_reserve, room)
    ]:
        book.give(officer, Duty.RESERVE, hq.code, book.minutes(officer, place))


def guard_slots(book: DutyBook) -> list[Slot]:
    """Seats of every guard; a guard from the reserve needs seats only where its unit is short."""
    slots = []
    for guard in guards(book.scenario):
        seats = guard.size
        if guard.from_reserve:
            seats = max(guard.size - book.count(Duty.RESERVE, guard.object.code), 0)
        point = (guard.object.lat, guard.object.lng)
        slots += [Slot(guard.object.code, Duty.GUARD, point, weight=3) for _ in range(seats)]
    return slots


def _own_pool(book: DutyBook) -> list[Officer]:
    return [o for o in book.free() if o.origin.is_local and not is_hq_leader(o)]


def _lent_pool(book: DutyBook, posts: list[Post]) -> list[Officer]:
    """Lent officers who may take TPS seats (TNI only where posts have TNI seats).

    All of them are candidates: the assignment seats exactly as many as the own officers leave
    empty, so requirement mode uses BKO only where its own strength falls short.
    """
    lent = lent_on_tps(book.scenario, book.free())
    if any(p.tni_required for p in posts):
        lent += [o for o in book.free() if o.origin is Origin.TNI]
    return lent


class HomeSector:
    """The home-sector price of TPS seats (``[staffing] outside_sector_minutes``, P).

    Two parts, P each: a TPS seat of a Polsek's sector held by someone not of that Polsek (his
    people guard his TPS first), and a Polsek officer seated outside his sector (BKO and Polres
    staff fill the rest before a neighbour's officers do). Guards are not sector duty: no price.
    """

    def __init__(self, book: DutyBook, posts: list[Post]) -> None:
        dataset = book.scenario.dataset
        self.minutes = float(book.scenario.operation.staffing.outside_sector_minutes)
        self.sector_of = {p.id: p.sector for p in posts}
        self.home = {o.nrp: home_sector(dataset, o) for o in dataset.personnel}
        self.polsek = {u.code for u in dataset.polsek}

    def sector(self, slot: Slot) -> str | None:
        return self.sector_of.get(slot.target) if slot.duty is Duty.POST else None

    def parts(self, officer: Officer, slot: Slot) -> tuple[bool, bool]:
        """(the seat is given away by its Polsek, the officer serves outside his sector)."""
        sector, home = self.sector(slot), self.home.get(officer.nrp)
        if sector is None:
            return False, False
        return sector in self.polsek and home != sector, home is not None and home != sector

    def prices(self, officers: list[Officer], slots: list[Slot]) -> np.ndarray:
        """Officers x slots: the price of each seat for each officer (minutes)."""
        names = sorted({s for s in self.sector_of.values()} | self.polsek)
        index = {name: i for i, name in enumerate(names)}
        home = np.array([index.get(self.home.get(o.nrp) or "", -1) for o in officers])
        seat = np.array([index.get(self.sector(s) or "", -2) for s in slots])
        on_post = seat[None, :] >= 0
        others = home[:, None] != seat[None, :]
        own_seat = np.isin(seat, [index[c] for c in self.polsek])[None, :]
        given_away = on_post & own_seat & others
        outside = on_post & (home[:, None] >= 0) & others
        return self.minutes * (given_away.astype(float) + outside.astype(float))

    def paid(self, filled: Filled, slots: list[Slot], by_nrp: dict[str, Officer]) -> float:
        """The price of the seats in ``filled``."""
        return self.minutes * sum(
            sum(self.parts(by_nrp[nrp], slots[j])) for nrp, j in filled.placed.items()
        )

    def counts(self, filled: Filled, slots: list[Slot], by_nrp: dict[str, Officer]) -> Counter[str]:
        """Seats given away by their Polsek, and Polsek officers outside, in ``filled``."""
        found: Counter[str] = Counter()
        for nrp, j in filled.placed.items():
            given_away, outside = self.parts(by_nrp[nrp], slots[j])
            found["seats_not_held_by_own_polsek"] += given_away
            found["polsek_outside_sector"] += outside
        return found


@dataclass
class Seating:
    """The seats chosen and their cost (travel + price); the bound is the least such cost."""

    filled: Filled
    slots: list[Slot]
    cost: float
    bound: float
    travel: float
    paid: float  # the home-sector price in ``cost``
    price: Counter[str]


def seat_posts_and_guards(
    book: DutyBook,
    posts: list[Post],
    own_on_tps: int,
    previous: Continuity | None = None,
    steer: float = 1.0,
) -> Seating:
    """Fill every post and guard seat at least total cost (exact), keeping the TPS quota.

    The cost of a seat is the officer's travel plus the home-sector price where it applies
    (``steer`` times that price when choosing, to keep Polsek officers home where travel would
    send them out; the cost reported is always at the price itself). With a previous plan the
    seats are solved twice: with the bonus for keeping officers where they were (the plan), and
    without (the lower bound on the cost).
    """
    desa_of = {t.code: t.desa_code for t in book.scenario.dataset.tps}
    slots = post_slots(posts, desa_of) + guard_slots(book)
    n_guard = sum(1 for s in slots if s.duty is Duty.GUARD)
    own, lent = _own_pool(book), _lent_pool(book, posts)
    target = own_on_tps + n_guard
    home = HomeSector(book, posts)
    price = steer * home.prices([*own, *lent], slots) if home.minutes else None
    best = fill_slots(slots, own, lent, target, book.travel, None if price is None else -price)
    if previous is None:
        chosen = best
    else:
        tps_of = {p.id: frozenset(p.tps) for p in posts}
        chosen = fill_slots(
            slots,
            own,
            lent,
            target,
            book.travel,
            lambda o, s: previous.bonus(o, s, tps_of)
            - steer * home.minutes * sum(home.parts(o, s)),
        )
    by_nrp = {o.nrp: o for o in [*own, *lent]}
    for nrp, index in chosen.placed.items():
        slot = slots[index]
        book.give(by_nrp[nrp], slot.duty, slot.target, chosen.minutes[nrp])
    paid = home.paid(chosen, slots, by_nrp)
    cost = chosen.travel + paid
    bound = best.travel + home.paid(best, slots, by_nrp)
    return Seating(
        chosen, slots, round(cost, 2), round(bound, 2), round(chosen.travel, 2), round(paid, 2),
        home.counts(chosen, slots, by_nrp),
    )


def seat_pools(
    scenario: Scenario, travel: TravelModel, own_on_tps: int
) -> tuple[list[Officer], list[Officer], list[Slot]]:
    """The officers free when the seats are filled (own, lent Polri) and the guards' seats.

    The duties decided before the seats (unavailable, reserve units, Padal, Polres reserve) are
    decided as ``staff`` decides them: they do not depend on the posts.
    """
    book = DutyBook(scenario, travel)
    mark_unavailable(book)
    place_reserve_units(book)
    choose_padal(book)
    hold_polres_reserve(book, own_on_tps + len(guard_slots(book)))
    lent = [o for o in lent_on_tps(scenario, book.free())]
    return _own_pool(book), lent, guard_slots(book)


def send_rest_to_units(book: DutyBook) -> None:
    """Everyone still free serves at his own unit (HQ, Polsek or lent unit's base)."""
    for officer in book.free():
        book.give(officer, Duty.HQ, officer.unit_code)


def tps_strength(scenario: Scenario, travel: TravelModel) -> tuple[int, int]:
    """Own and lent officers the TPS seats can have (allocation mode).

    Own: the quota, as far as the officers left after the reserve units, the Padal and the
    guards allow. Lent: every available BKO officer for TPS duty.
    """
    book = DutyBook(scenario, travel)
    mark_unavailable(book)
    place_reserve_units(book)
    choose_padal(book)
    own = min(tps_quota(scenario), max(len(_own_pool(book)) - len(guard_slots(book)), 0))
    return own, sum(1 for o in _lent_pool(book, []) if o.origin is not Origin.TNI)


def reserve_reach(
    scenario: Scenario, assignments: list[Assignment], travel: TravelModel
) -> dict[str, float]:
    """Per TPS, the travel minutes from the nearest station holding reserve officers."""
    stations = sorted({a.target for a in assignments if a.duty is Duty.RESERVE})
    tps = scenario.dataset.tps
    if not stations or not tps:
        return {}
    places = [place_of(scenario.dataset, code) for code in stations]
    minutes = travel.matrix(places, [(t.lat, t.lng) for t in tps]).min(axis=0)
    return {t.code: round(float(m), 1) for t, m in zip(tps, minutes)}


def _vacancy_shortages(posts: list[Post], slots: list[Slot], filled: Filled) -> list[Shortage]:
    sector_of = {p.id: p.sector for p in posts}
    need: dict[str, int] = {}
    have: dict[str, int] = {}
    vacant = set(filled.vacant)
    for index, slot in enumerate(slots):
        key = sector_of.get(slot.target, slot.target)
        need[key] = need.get(key, 0) + 1
        have[key] = have.get(key, 0) + (index not in vacant)
    return [Shortage(k, need[k], have[k]) for k in sorted(need) if have[k] < need[k]]


def staff(
    scenario: Scenario,
    posts: list[Post],
    travel: TravelModel,
    *,
    own_on_tps: int | None = None,
    previous: Continuity | None = None,
    steer: float = 1.0,
) -> Staffing:
    """Decide every officer's duty for the posts; ``own_on_tps`` defaults to ``own_target``;
    ``steer`` weighs the home-sector price when choosing (``seat_posts_and_guards``)."""
    start = time.perf_counter()
    own_on_tps = own_target(scenario, posts) if own_on_tps is None else own_on_tps
    book = DutyBook(scenario, travel)
    mark_unavailable(book)
    place_reserve_units(book)
    choose_padal(book, previous)
    hold_polres_reserve(book, own_on_tps + len(guard_slots(book)), previous)
    seating = seat_posts_and_guards(book, posts, own_on_tps, previous, steer)
    filled = seating.filled
    send_rest_to_units(book)
    assignments = book.assignments()
    shortages = book.shortages + _vacancy_shortages(posts, seating.slots, filled)
    on_tps = [a for a in assignments if a.duty is Duty.POST]
    local = {o.nrp for o in scenario.dataset.personnel if o.origin.is_local}
    polsek = {o.nrp for o in scenario.dataset.personnel if home_sector(scenario.dataset, o)}
    objective = seating.cost
    lower_bound = seating.bound
    status = "short" if shortages else "optimal" if lower_bound == objective else "feasible"
    seconds = round(time.perf_counter() - start, 3)
    numbers = {
        "objective": objective,
        "lower_bound": lower_bound,
        "status": status,
        "seconds": seconds,
        "method": "transportation over kinds of officer, HiGHS (exact)",
        "officers_on_tps": len(on_tps),
        "own_on_tps": sum(1 for a in on_tps if a.nrp in local),
        "lent_on_tps": sum(1 for a in on_tps if a.nrp not in local),
        "guards": sum(1 for a in assignments if a.duty is Duty.GUARD),
        "tps_travel_min": round(sum(a.travel_min for a in on_tps), 2),
        "vacant_seats": len(filled.vacant),
        "seat_travel_min": seating.travel,
        "home_sector_price_min": seating.paid,
        "outside_sector_minutes": scenario.operation.staffing.outside_sector_minutes,
        "polsek_on_tps": sum(1 for a in on_tps if a.nrp in polsek),
        "polsek_outside_sector": seating.price["polsek_outside_sector"],
        "seats_not_held_by_own_polsek": seating.price["seats_not_held_by_own_polsek"],
    }
    return Staffing(assignments, objective, lower_bound, status, seconds, shortages, numbers)

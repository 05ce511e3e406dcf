"""Which reserve unit to send, and which to move up: pure decisions on units and travel times.

- ``recommend``: the available units by ETA to the incident (ties by code), each with the
  officers its station keeps if it leaves and whether that breaks the floor.
- ``move_up``: for a station left below the floor, the nearest available unit from a station
  that stays at or above the floor without it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pamtps.ops.dispatch.units import AVAILABLE
from pamtps.planner import Point
from pamtps.store.tables.response import ReserveUnitRow

Minutes = Callable[[Point, Point], float]
Place = Callable[[str], Point]


@dataclass(frozen=True)
class Candidate:
    """A unit that could go: its ETA and what its station keeps without it."""

    unit: ReserveUnitRow
    eta_min: float
    left_at_station: int
    below_floor: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "unit_id": self.unit.id,
            "code": self.unit.code,
            "name": self.unit.name,
            "station": self.unit.station,
            "officers": self.unit.officers,
            "eta_min": self.eta_min,
            "left_at_station": self.left_at_station,
            "below_floor": self.below_floor,
        }


def standing(units: Iterable[ReserveUnitRow]) -> dict[str, int]:
    """Officers available at each station."""
    count: dict[str, int] = defaultdict(int)
    for unit in units:
        if unit.status == AVAILABLE:
            count[unit.station] += unit.officers
    return dict(count)


def recommend(
    units: list[ReserveUnitRow], target: Point, floor: int, place: Place, minutes: Minutes
) -> list[Candidate]:
    """The available units by ETA to ``target`` (see the module docstring)."""
    at_station = standing(units)
    candidates = []
    for unit in units:
        if unit.status != AVAILABLE or unit.officers <= 0:
            continue
        left = at_station[unit.station] - unit.officers
        eta = minutes(place(unit.station), target)
        candidates.append(Candidate(unit, eta, left, left < floor))
    return sorted(candidates, key=lambda c: (c.eta_min, c.unit.code))


def move_up(
    units: list[ReserveUnitRow],
    station: str,
    floor: int,
    place: Place,
    minutes: Minutes,
    leaving: ReserveUnitRow | None = None,
) -> dict[str, Any] | None:
    """The unit to move up to ``station`` if it is below the floor (after ``leaving`` goes)."""
    others = [u for u in units if u is not leaving]
    at_station = standing(others)
    if at_station.get(station, 0) >= max(floor, 1):  # a floor of 0 still wants a base manned
        return None
    options = [
        (minutes(place(u.station), place(station)), u.code, u)
        for u in others
        if u.status == AVAILABLE
        and u.station != station
        and u.officers > 0
        and at_station[u.station] - u.officers >= floor
    ]
    if not options:
        return None
    eta, _, unit = min(options, key=lambda o: (o[0], o[1]))
    return {
        "unit_id": unit.id,
        "code": unit.code,
        "name": unit.name,
        "from_station": unit.station,
        "to_station": station,
        "officers": unit.officers,
        "eta_min": eta,
    }

"""Where things are for a dispatch: the stations, the incident, and the plan's travel model.

Loading the dataset and building the travel model costs about a second on a regency, so a
``ReserveMap`` is made once per plan in force (by plan payload) and kept.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

from pamtps.domain import Dataset
from pamtps.domain.plan import Scenario
from pamtps.ops.errors import ServiceError
from pamtps.planner import Point, TravelModel, place_of, travel_for
from pamtps.store import Session, load_dataset
from pamtps.store.plans import StoredPlan, latest_plan
from pamtps.store.tables.incidents import IncidentRow
from pamtps.store.tables.reference import PlanRow, TpsRow


@dataclass(frozen=True)
class Site:
    """An incident as a dispatch sees it: where it is and whose ground it is."""

    id: int
    tps_code: str
    category: str
    sector: str | None
    kecamatan: str | None
    point: Point
    open: bool


@dataclass
class ReserveMap:
    """The plan in force with its dataset, its travel model and the place of each station."""

    stored: StoredPlan
    dataset: Dataset
    travel: TravelModel
    _places: dict[str, Point]

    def place(self, code: str) -> Point:
        if code not in self._places:
            self._places[code] = place_of(self.dataset, code)
        return self._places[code]

    def minutes(self, origin: Point, destination: Point) -> float:
        return round(self.travel.minutes(*origin, *destination), 1)


_MAPS: dict[tuple[str, str], ReserveMap] = {}
_LOCK = threading.Lock()


def reserve_map(session: Session) -> ReserveMap:
    """The ``ReserveMap`` of the plan in force; 409 before a plan is published."""
    stored = latest_plan(session, published=True)
    if stored is None:
        raise ServiceError(409, "dispatch.no_plan")
    row = session.get_one(PlanRow, stored.id)
    key = (str(session.get_bind().engine.url), hashlib.sha256(row.payload.encode()).hexdigest())
    with _LOCK:
        found = _MAPS.get(key)
    if found is None:
        dataset = load_dataset(session)
        found = ReserveMap(stored, dataset, travel_for(Scenario(dataset, stored.operation)), {})
        with _LOCK:
            _MAPS.clear()  # one plan is in force at a time
            _MAPS[key] = found
    return found


def incident_site(session: Session, incident_id: int) -> Site:
    """The incident's site: its own location if reported, else its TPS's; 404 if none."""
    row = session.get(IncidentRow, incident_id)
    if row is None:
        raise ServiceError(404, "dispatch.incident_not_found", id=incident_id)
    if row.lat is not None and row.lng is not None:
        point = (row.lat, row.lng)
    else:
        tps = session.get_one(TpsRow, row.tps_code)
        point = (tps.lat, tps.lng)
    return Site(
        row.id, row.tps_code, row.category, row.sector, row.kecamatan, point, row.closed_at is None
    )

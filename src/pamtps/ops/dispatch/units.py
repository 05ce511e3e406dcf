"""The reserve units of the plan in force, kept in the store with their status.

The plan gives each reserve officer a station (``Duty.RESERVE``, target = station). Officers of a
formed unit (a Brimob platoon, a TNI detachment) at one station move together: one reserve unit.
The Polres reserve (own officers held at Mapolres) is split into squads of ``squad_size``, so that
the command need not send sixty men to one scuffle. Units are made on first use after a plan is
published (``sync_units``); a unit of the new plan keeps the status it had under the old one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from pamtps.domain import Dataset
from pamtps.domain.plan import Duty, Plan
from pamtps.store import Session
from pamtps.store.plans import StoredPlan
from pamtps.store.response import add_units, stored_units
from pamtps.store.tables.response import ReserveUnitRow

AVAILABLE, DISPATCHED, ON_SCENE, RETURNING = "available", "dispatched", "on_scene", "returning"
STATUSES = (AVAILABLE, DISPATCHED, ON_SCENE, RETURNING)
SQUAD = "cadangan"


@dataclass(frozen=True)
class UnitSpec:
    """A reserve unit as the plan makes it."""

    code: str
    name: str
    unit_code: str | None
    station: str
    officers: int


def reserve_units(plan: Plan, dataset: Dataset, squad_size: int = 10) -> list[UnitSpec]:
    """The plan's reserve units, by station then code (see the module docstring)."""
    units = dataset.unit_by_code
    unit_of = {o.nrp: o.unit_code for o in dataset.personnel}
    formed: dict[tuple[str, str], int] = defaultdict(int)
    loose: dict[str, list[str]] = defaultdict(list)
    for a in plan.assignments:
        if a.duty is not Duty.RESERVE:
            continue
        unit = units.get(unit_of.get(a.nrp, ""))
        if unit is not None and unit.is_formed_unit:
            formed[(a.target, unit.code)] += 1
        else:
            loose[a.target].append(a.nrp)
    specs = [
        UnitSpec(f"{station}/{code}", units[code].name, code, station, n)
        for (station, code), n in formed.items()
    ]
    for station, nrps in loose.items():
        for i in range(0, len(nrps), squad_size):
            n = i // squad_size + 1
            size = len(nrps[i : i + squad_size])
            specs.append(
                UnitSpec(f"{station}/{SQUAD}-{n}", f"Regu cadangan {n}", None, station, size)
            )
    return sorted(specs, key=lambda s: (s.station, s.code))


def sync_units(
    session: Session, stored: StoredPlan, dataset: Dataset, now: datetime, squad_size: int = 10
) -> None:
    """Make the stored units those of ``stored`` (the plan in force), unless they already are.

    Inserts skip codes already there (a concurrent sync); a unit no longer in the plan stays
    stored while it is out on a dispatch, else it is removed from the standby count (0 officers).
    """
    current = stored_units(session)
    if current and all(row.plan_id == stored.id for row in current):
        return
    specs = {s.code: s for s in reserve_units(stored.plan, dataset, squad_size)}
    for row in current:
        spec = specs.pop(row.code, None)
        row.plan_id = stored.id
        row.officers = spec.officers if spec else 0
        row.station = spec.station if spec else row.station
    rows = [
        {
            "code": s.code,
            "name": s.name,
            "unit_code": s.unit_code,
            "station": s.station,
            "officers": s.officers,
            "plan_id": stored.id,
            "status": AVAILABLE,
            "dispatch_id": None,
            "updated_at": now,
        }
        for s in specs.values()
    ]
    if rows:
        add_units(session, rows)
    session.flush()


def unit_json(row: ReserveUnitRow) -> dict[str, object]:
    return {
        "id": row.id,
        "code": row.code,
        "name": row.name,
        "unit_code": row.unit_code,
        "station": row.station,
        "officers": row.officers,
        "status": row.status,
        "dispatch_id": row.dispatch_id,
    }

"""Dispatch orders: send a unit to an incident, follow it until it is back.

A dispatch claims its unit with a conditional update (``WHERE status = 'available'``), so two
commanders cannot send one unit twice. Before that the station's units are locked (PostgreSQL:
``FOR UPDATE``; SQLite: its write lock, taken first), so that two dispatches from one station
cannot each leave the floor intact while together they break it. Breaking the floor needs the
commander's reason, kept on the dispatch and in the audit log.

Unit status: available -> dispatched -> on_scene -> returning -> available (the dispatch closes).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pamtps.domain.clock import utc
from pamtps.ops import audit
from pamtps.ops.dispatch.places import ReserveMap, Site, incident_site
from pamtps.ops.dispatch.recommend import move_up, recommend
from pamtps.ops.dispatch.units import (
    AVAILABLE,
    DISPATCHED,
    ON_SCENE,
    RETURNING,
    sync_units,
    unit_json,
)
from pamtps.ops.errors import ServiceError
from pamtps.store import Session
from pamtps.store.response import (
    claim_unit,
    lock_station,
    locked_dispatch,
    move_unit,
    units_by_station,
)
from pamtps.store.tables.response import DispatchRow, ReserveUnitRow

NEXT = {DISPATCHED: (ON_SCENE, RETURNING), ON_SCENE: (RETURNING,), RETURNING: (AVAILABLE,)}
MAX_REASON = 500


def units(
    session: Session, reserve: ReserveMap, now: datetime, squad_size: int
) -> list[ReserveUnitRow]:
    """Every stored reserve unit (synced with the plan in force), by station and code."""
    sync_units(session, reserve.stored, reserve.dataset, now, squad_size)
    return units_by_station(session)


def reserve_json(rows: list[ReserveUnitRow], floor: int) -> dict[str, Any]:
    committed = sum(u.officers for u in rows if u.status != AVAILABLE)
    return {
        "floor": floor,
        "committed_officers": committed,
        "units": [unit_json(u) for u in rows],
    }


def recommendation(
    session: Session,
    reserve: ReserveMap,
    site: Site,
    now: datetime,
    squad_size: int,
    limit: int = 5,
) -> dict[str, Any]:
    """The nearest available units for an incident, the first that keeps the floor marked."""
    rows = units(session, reserve, now, squad_size)
    floor = reserve.stored.operation.reserve.floor
    candidates = recommend(rows, site.point, floor, reserve.place, reserve.minutes)
    best = next((c for c in candidates if not c.below_floor), None)
    listed = []
    for c in candidates[:limit]:
        item = c.to_json() | {"recommended": c is best}
        if c.below_floor:
            item["move_up"] = move_up(
                rows, c.unit.station, floor, reserve.place, reserve.minutes, c.unit
            )
        listed.append(item)
    return {
        "incident_id": site.id,
        "tps_code": site.tps_code,
        "floor": floor,
        "recommended_unit_id": best.unit.id if best else None,
        "candidates": listed,
    }


def _find_unit(rows: list[ReserveUnitRow], unit: int | str) -> ReserveUnitRow:
    for row in rows:
        if row.id == unit or row.code == unit:
            return row
    raise ServiceError(404, "dispatch.unit_not_found", unit=unit)


def dispatch(
    session: Session,
    reserve: ReserveMap,
    *,
    unit: int | str,
    incident_id: int,
    actor: str,
    now: datetime,
    override_reason: str | None = None,
    squad_size: int = 10,
) -> tuple[DispatchRow, dict[str, Any]]:
    """Send ``unit`` to the incident; returns the dispatch and its answer (with a move-up)."""
    site = incident_site(session, incident_id)
    if not site.open:
        raise ServiceError(409, "dispatch.incident_closed", id=incident_id)
    reason = (override_reason or "").strip()
    if len(reason) > MAX_REASON:
        raise ServiceError(422, "dispatch.reason_too_long", limit=MAX_REASON)
    chosen = _find_unit(units(session, reserve, now, squad_size), unit)
    station = lock_station(session, chosen.station)
    chosen = _find_unit(station, chosen.id)
    if chosen.status != AVAILABLE or chosen.officers <= 0:
        raise ServiceError(409, "dispatch.unit_busy", unit=chosen.code, state=chosen.status)
    floor = reserve.stored.operation.reserve.floor
    left = sum(u.officers for u in station if u.status == AVAILABLE) - chosen.officers
    if left < floor and not reason:
        raise ServiceError(
            409,
            "dispatch.below_floor",
            unit=chosen.code,
            station=chosen.station,
            left=left,
            floor=floor,
        )
    eta = reserve.minutes(reserve.place(chosen.station), site.point)
    row = DispatchRow(
        unit_id=chosen.id,
        incident_id=site.id,
        station=chosen.station,
        officers=chosen.officers,
        eta_min=eta,
        status=DISPATCHED,
        override_reason=reason or None,
        left_at_station=left,
        created_by=actor,
        created_at=now,
        updated_at=now,
        closed_at=None,
    )
    session.add(row)
    session.flush()
    claimed = claim_unit(
        session, chosen.id, available=AVAILABLE, dispatched=DISPATCHED, dispatch_id=row.id, now=now
    )
    if not claimed:
        raise ServiceError(409, "dispatch.unit_busy", unit=chosen.code, state="?")
    body = dispatch_json(row, chosen.code, site)
    if left < floor:
        all_units = units(session, reserve, now, squad_size)
        body["move_up"] = move_up(all_units, chosen.station, floor, reserve.place, reserve.minutes)
    payload = {k: body[k] for k in ("unit", "incident_id", "eta_min", "left_at_station")}
    if reason:
        payload |= {"override_reason": reason, "floor": floor}
    action = "dispatch.override" if left < floor else "dispatch.created"
    audit.record(session, actor, action, f"dispatch:{row.id}", payload)
    return row, body


def set_status(
    session: Session, dispatch_id: int, status: str, actor: str, now: datetime
) -> tuple[DispatchRow, dict[str, Any]]:
    """Move a dispatch (and its unit) to its next status; back at 'available' it closes."""
    row = locked_dispatch(session, dispatch_id)
    if row is None:
        raise ServiceError(404, "dispatch.not_found", id=dispatch_id)
    if status not in NEXT.get(row.status, ()):
        raise ServiceError(
            409,
            "dispatch.status_out_of_order",
            step=status,
            current=row.status,
            allowed=", ".join(NEXT.get(row.status, ())) or "-",
        )
    changed = move_unit(
        session, row.unit_id, row.id, status=status, released=status == AVAILABLE, now=now
    )
    if not changed:
        raise ServiceError(
            409, "dispatch.status_out_of_order", step=status, current=row.status, allowed="-"
        )
    row.status, row.updated_at = status, now
    if status == AVAILABLE:
        row.closed_at = now
    unit = session.get_one(ReserveUnitRow, row.unit_id)
    body = dispatch_json(row, unit.code, incident_site(session, row.incident_id))
    audit.record(session, actor, "dispatch.status", f"dispatch:{row.id}", {"status": status})
    return row, body


def dispatch_json(row: DispatchRow, unit_code: str, site: Site) -> dict[str, Any]:
    return {
        "id": row.id,
        "unit_id": row.unit_id,
        "unit": unit_code,
        "incident_id": row.incident_id,
        "tps_code": site.tps_code,
        "sector": site.sector,
        "kecamatan": site.kecamatan,
        "station": row.station,
        "officers": row.officers,
        "eta_min": row.eta_min,
        "status": row.status,
        "override_reason": row.override_reason,
        "left_at_station": row.left_at_station,
        "created_by": row.created_by,
        "created_at": utc(row.created_at).isoformat(),
        "closed_at": utc(row.closed_at).isoformat() if row.closed_at else None,
    }

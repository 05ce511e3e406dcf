"""Reading incidents: as JSON, within a user's scope, and counted for the situation report."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from pamtps.domain.clock import utc
from pamtps.ops.channels import arrival_json
from pamtps.ops.errors import ServiceError
from pamtps.ops.events import Event
from pamtps.ops.incidents import workflow
from pamtps.ops.scope import Scope
from pamtps.store import Session
from pamtps.store.incidents import find_incidents, incident_states, incident_trail
from pamtps.store.tables.incidents import IncidentRow

FILTERS = ("status", "category", "severity", "tps_code", "level", "sector")


def _moment(value: Any) -> str | None:
    return utc(value).isoformat() if value is not None else None


def incident_json(row: IncidentRow) -> dict[str, Any]:
    """An incident as the API and the events show it."""
    return {
        "id": row.id,
        "tps_code": row.tps_code,
        "kecamatan": row.kecamatan,
        "sector": row.sector,
        "category": row.category,
        "severity": row.severity,
        "status": row.status,
        "open": row.closed_at is None,
        "description": row.description,
        "lat": row.lat,
        "lng": row.lng,
        "reports": row.reports,
        "reported_by": row.reported_by,
        "reported_at": _moment(row.reported_at),
        "level": row.level,
        "escalated_at": _moment(row.escalated_at),
        "owner": row.owner,
        "updated_at": _moment(row.updated_at),
        "closed_at": _moment(row.closed_at),
        "refer_to": workflow.CATEGORIES.get(row.category),
        "next": list(workflow.NEXT[row.status]),
    }


def incident_detail(session: Session, row: IncidentRow) -> dict[str, Any]:
    """The incident with its trail: every report, every step, every photo."""
    reports, steps, photos = incident_trail(session, row.id)
    return incident_json(row) | {
        "trail": [
            {"reported_by": r.reported_by, "role": r.role, "severity": r.severity,
             "description": r.description, "lat": r.lat, "lng": r.lng, "at": _moment(r.at),
             **arrival_json(r.channel, r.at, r.received_at)}
            for r in reports
        ],
        "steps": [
            {"from": s.from_status, "to": s.to_status, "actor": s.actor, "owner": s.owner,
             "note": s.note, "at": _moment(s.at)}
            for s in steps
        ],
        "photos": [
            {"n": p.n, "media_type": p.media_type, "size": p.size, "at": _moment(p.at),
             "url": f"/api/v1/incidents/{row.id}/photos/{p.n}"}
            for p in photos
        ],
    }


def incident_event(row: IncidentRow, change: str) -> Event:
    """The live event of a change ('reported', 'merged', a status, 'escalated', 'photo')."""
    return Event(
        "incident", incident_json(row) | {"change": change}, (row.tps_code,), row.sector,
        row.kecamatan,
    )


def visible_incident(session: Session, scope: Scope, incident_id: int) -> IncidentRow:
    """The incident if the scope sees it; 404 otherwise (as if it did not exist)."""
    row = session.get(IncidentRow, incident_id)
    if row is None or not scope.can_see_tps(row.tps_code):
        raise ServiceError(404, "incidents.not_found", id=incident_id)
    return row


def list_incidents(
    session: Session, scope: Scope, *, open_only: bool = False, **filters: str | None
) -> list[IncidentRow]:
    """The incidents the scope sees, newest first, filtered by ``FILTERS`` and ``open_only``."""
    equal = {
        name: value for name, value in filters.items() if value is not None and name in FILTERS
    }
    return find_incidents(
        session, everything=scope.everything, kecamatan_codes=scope.kecamatan_codes,
        tps_codes=scope.tps_codes, equal=equal, open_only=open_only,
    )


def open_incidents(session: Session, scope: Scope) -> list[dict[str, Any]]:
    """The open incidents the scope sees, newest first, as JSON (for the situation report)."""
    return [incident_json(row) for row in list_incidents(session, scope, open_only=True)]


def incident_counts(session: Session) -> dict[str, Any]:
    """Every incident counted by status, and open / closed by category and by sector."""
    rows = incident_states(session)
    by_category: dict[str, Counter[str]] = defaultdict(Counter)
    by_sector: dict[str, Counter[str]] = defaultdict(Counter)
    for _, category, sector, is_open in rows:
        state = "open" if is_open else "closed"
        by_category[category][state] += 1
        by_sector[sector or "-"][state] += 1
    return {
        "total": len(rows),
        "by_status": dict(Counter(status for status, *_ in rows)),
        "by_category": {key: dict(value) for key, value in sorted(by_category.items())},
        "by_sector": {key: dict(value) for key, value in sorted(by_sector.items())},
    }

"""What a situation report says, read from the store at one moment: ``build_sitrep``.

Coverage (TPS guarded / not yet / alert / no post), incidents open and closed by category and by
sector, each incident listed (the open ones, and those closed with their outcome and owner), the
reserve committed, the escorts pending. Codes and numbers, with the names of the sectors and TPS
and the operation's time zone: the writers lay them out in words.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from pamtps.domain.clock import utc
from pamtps.domain.sitrep import CLOSED, LISTED, OPEN, Sitrep
from pamtps.ops.escort.chain import OVERDUE
from pamtps.ops.escort.records import escorts
from pamtps.ops.field.live_state import tps_state
from pamtps.ops.times import zone_of
from pamtps.store import Session
from pamtps.store.plans import latest_plan
from pamtps.store.response import (
    closed_incidents,
    incident_counts,
    open_alert_count,
    open_incidents,
    tps_desa,
    unit_names,
    units_by_code,
)
from pamtps.store.tables.incidents import IncidentRow


def _incidents(session: Session) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    by_category: dict[str, Counter[str]] = {}
    by_sector: dict[str, Counter[str]] = {}
    for category, sector, is_open, n in incident_counts(session):
        key = OPEN if is_open else CLOSED
        by_category.setdefault(category, Counter())[key] += n
        by_sector.setdefault(sector or "-", Counter())[key] += n
    return (
        {k: {OPEN: v[OPEN], CLOSED: v[CLOSED]} for k, v in sorted(by_category.items())},
        {k: {OPEN: v[OPEN], CLOSED: v[CLOSED]} for k, v in sorted(by_sector.items())},
    )


def _listed(row: IncidentRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "tps_code": row.tps_code,
        "category": row.category,
        "severity": row.severity,
        "status": row.status,
        "sector": row.sector or "-",
        "owner": row.owner,
        "reports": row.reports,
        "reported_at": utc(row.reported_at).isoformat(),
        "closed_at": utc(row.closed_at).isoformat() if row.closed_at else None,
    }


def _incident_lists(session: Session) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return (
        [_listed(row) for row in open_incidents(session, LISTED)],
        [_listed(row) for row in closed_incidents(session, LISTED)],
    )


def _names(session: Session, tps_codes: set[str]) -> dict[str, str]:
    """Polsek names by unit code, and 'TPS 037 Kemalaraja' by TPS code for the TPS listed."""
    names = unit_names(session)
    if tps_codes:
        for code, number, desa in tps_desa(session, tps_codes):
            names[code] = f"TPS {number:03d} {desa}"
    return names


def build_sitrep(session: Session, now: datetime) -> Sitrep:
    """The situation as of ``now``."""
    stored = latest_plan(session, published=True)
    coverage = Counter({"guarded": 0, "not_yet": 0, "alert": 0, "no_post": 0})
    coverage.update(tps_state(session, lambda _code: True)["counts"])
    by_category, by_sector = _incidents(session)
    open_incidents, closed_incidents = _incident_lists(session)
    listed_tps = {i["tps_code"] for i in open_incidents + closed_incidents}
    zone = zone_of(stored.operation) if stored else UTC
    offset = zone.utcoffset(None)
    units = units_by_code(session)
    listed = escorts(session, lambda _code: True)
    overdue = open_alert_count(session, kind=OVERDUE)
    escort_counts = {
        "counted": sum(1 for e in listed if e["counting_finished_at"]),
        "pps_complete": sum(1 for e in listed if e["legs"]["pps"]["complete"]),
        "ppk_complete": sum(1 for e in listed if e["legs"]["ppk"]["complete"]),
        "pending": sum(1 for e in listed if e["pending"]),
        "overdue": int(overdue or 0),
    }
    committed = [u for u in units if u.status != "available"]
    totals = {
        "tps": sum(coverage.values()),
        "incidents_open": sum(v[OPEN] for v in by_category.values()),
        "incidents_closed": sum(v[CLOSED] for v in by_category.values()),
        "reserve_officers": sum(u.officers for u in units),
        "reserve_committed": sum(u.officers for u in committed),
        "units_committed": len(committed),
    }
    return Sitrep(
        at=utc(now),
        operation=stored.operation.name if stored else "-",
        coverage=dict(coverage),
        incidents_by_category=by_category,
        incidents_by_sector=by_sector,
        open_incidents=open_incidents,
        closed_incidents=closed_incidents,
        reserve_units=[
            {
                "code": u.code,
                "name": u.name,
                "station": u.station,
                "officers": u.officers,
                "status": u.status,
            }
            for u in units
        ],
        escorts=escort_counts,
        totals=totals,
        names=_names(session, listed_tps),
        zone=zone.tzname(None) or "UTC",
        utc_offset_h=offset.total_seconds() / 3600 if offset else 0.0,
    )

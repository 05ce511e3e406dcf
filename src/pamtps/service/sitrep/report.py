"""What a situation report says, read from the store at one moment: ``build_sitrep``.

Coverage (TPS guarded / not yet / alert / no post), incidents open and closed by category and by
sector, the reserve committed, the escorts pending. Numbers only: the writers lay them out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pamtps.service.escort.chain import OVERDUE
from pamtps.service.escort.records import escorts
from pamtps.service.field.state import tps_state
from pamtps.service.field.times import utc
from pamtps.store.incident_models import IncidentRow
from pamtps.store.operations_models import ReserveUnitRow
from pamtps.store.ops_models import AlertRow
from pamtps.store.plans import latest_plan

OPEN, CLOSED = "open", "closed"


@dataclass
class Sitrep:
    """The numbers of one report (see the module docstring)."""

    at: datetime
    operation: str
    coverage: dict[str, int]
    incidents_by_category: dict[str, dict[str, int]]
    incidents_by_sector: dict[str, dict[str, int]]
    open_incidents: list[dict[str, Any]]
    reserve_units: list[dict[str, Any]]
    escorts: dict[str, int]
    totals: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self) | {"at": utc(self.at).isoformat()}


def _incidents(session: Session) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    by_category: dict[str, Counter[str]] = {}
    by_sector: dict[str, Counter[str]] = {}
    state = (IncidentRow.closed_at.is_(None)).label("open")
    query = select(IncidentRow.category, IncidentRow.sector, state, func.count()).group_by(
        IncidentRow.category, IncidentRow.sector, state
    )
    for category, sector, is_open, n in session.execute(query):
        key = OPEN if is_open else CLOSED
        by_category.setdefault(category, Counter())[key] += n
        by_sector.setdefault(sector or "-", Counter())[key] += n
    return (
        {k: {OPEN: v[OPEN], CLOSED: v[CLOSED]} for k, v in sorted(by_category.items())},
        {k: {OPEN: v[OPEN], CLOSED: v[CLOSED]} for k, v in sorted(by_sector.items())},
    )


def _open_incidents(session: Session, limit: int = 200) -> list[dict[str, Any]]:
    query = (
        select(IncidentRow)
        .where(IncidentRow.closed_at.is_(None))
        .order_by(IncidentRow.reported_at)
        .limit(limit)
    )
    return [
        {
            "id": row.id,
            "tps_code": row.tps_code,
            "category": row.category,
            "severity": row.severity,
            "status": row.status,
            "sector": row.sector or "-",
            "reported_at": utc(row.reported_at).isoformat(),
        }
        for row in session.scalars(query)
    ]


def build_sitrep(session: Session, now: datetime) -> Sitrep:
    """The situation as of ``now``."""
    stored = latest_plan(session, published=True)
    coverage = Counter({"guarded": 0, "not_yet": 0, "alert": 0, "no_post": 0})
    coverage.update(tps_state(session, lambda _code: True)["counts"])
    by_category, by_sector = _incidents(session)
    units = session.scalars(select(ReserveUnitRow).order_by(ReserveUnitRow.code)).all()
    listed = escorts(session, lambda _code: True)
    overdue = session.scalar(
        select(func.count()).where(AlertRow.kind == OVERDUE, AlertRow.resolved_at.is_(None))
    )
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
        open_incidents=_open_incidents(session),
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
    )

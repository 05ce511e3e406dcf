"""What the incident and liaison routes keep while the service runs: their settings, and one
round of the response timer. (Wrong invite codes are counted in the database:
``pamtps.ops.liaison.throttle``.)

The settings are the ``incident`` group of the app's settings (``PAMTPS_INCIDENT_*``).
``escalate_once`` runs ``escalate_incidents`` now and publishes what changed;
``pamtps.ops.rounds`` repeats it every ``escalate_interval_s`` seconds (tests call
``escalate_incidents`` themselves with an explicit time).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pamtps.ops import audit
from pamtps.ops.events import Broker
from pamtps.ops.incidents.escalation import escalate_incidents
from pamtps.ops.incidents.queries import incident_event, incident_json
from pamtps.settings import IncidentSettings
from pamtps.store import Database
from pamtps.store.tables.incidents import IncidentRow


@dataclass
class IncidentRuntime:
    """The state of the incident routes in one process (``app.state.incidents``)."""

    settings: IncidentSettings

    @classmethod
    def of(cls, settings: IncidentSettings) -> IncidentRuntime:
        return cls(settings)


def runtime_of(app: Any) -> IncidentRuntime:
    """The app's incident runtime, made on first use from the app's settings (a test may set one
    of its own before the app starts)."""
    runtime = getattr(app.state, "incidents", None)
    if runtime is None:
        runtime = app.state.incidents = IncidentRuntime.of(app.state.settings.incident)
    assert isinstance(runtime, IncidentRuntime)
    return runtime


def escalate_once(database: Database, broker: Broker, minutes: dict[str, float]) -> list[int]:
    """One round of the response timer, audited in its transaction; publishes what changed."""
    with database.session() as session:
        rows: list[IncidentRow] = escalate_incidents(session, datetime.now(UTC), minutes)
        for row in rows:
            audit.record(session, "watch", "incident.escalated", f"incident:{row.id}",
                         incident_json(row))
    for row in rows:
        broker.publish(incident_event(row, "escalated"))
    return [row.id for row in rows]


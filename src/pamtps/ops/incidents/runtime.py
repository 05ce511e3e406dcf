"""What the incident and liaison routes keep while the service runs: settings, the redemption
throttle and the escalation loop.

``IncidentSettings`` is read from the environment (prefix ``PAMTPS_INCIDENT_``). The loop runs
``escalate_incidents`` every ``escalate_interval_s`` seconds and publishes what changed; 0 turns
it off (tests call ``escalate_incidents`` themselves with an explicit time).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from pamtps.ops import audit
from pamtps.ops.events import Broker
from pamtps.ops.field.runtime import runtime_of as field_runtime_of
from pamtps.ops.incidents.escalation import escalate_incidents
from pamtps.ops.incidents.queries import incident_event, incident_json
from pamtps.ops.liaison.throttle import Throttle
from pamtps.ops.loops import running
from pamtps.store import Database
from pamtps.store.tables.incidents import IncidentRow


class IncidentSettings(BaseSettings):
    """Response times by severity (minutes), the loop's interval, the redemption limits."""

    model_config = SettingsConfigDict(env_prefix="PAMTPS_INCIDENT_", frozen=True, extra="ignore")

    respond_rendah_min: float = Field(default=120, gt=0)
    respond_sedang_min: float = Field(default=60, gt=0)
    respond_tinggi_min: float = Field(default=20, gt=0)
    respond_kritis_min: float = Field(default=5, gt=0)
    escalate_interval_s: float = Field(default=30, ge=0)
    redeem_attempts: int = Field(default=10, ge=1)
    redeem_window_min: float = Field(default=15, gt=0)

    @property
    def response_minutes(self) -> dict[str, float]:
        return {
            "rendah": self.respond_rendah_min,
            "sedang": self.respond_sedang_min,
            "tinggi": self.respond_tinggi_min,
            "kritis": self.respond_kritis_min,
        }


@dataclass
class IncidentRuntime:
    """The state of the incident routes in one process (``app.state.incidents``)."""

    settings: IncidentSettings
    throttle: Throttle = field(default_factory=Throttle)

    @classmethod
    def of(cls, settings: IncidentSettings) -> IncidentRuntime:
        window = timedelta(minutes=settings.redeem_window_min)
        return cls(settings, Throttle(settings.redeem_attempts, window))


def runtime_of(app: Any) -> IncidentRuntime:
    """The app's incident runtime, made on first use."""
    runtime = getattr(app.state, "incidents", None)
    if runtime is None:
        runtime = app.state.incidents = IncidentRuntime.of(IncidentSettings())
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


@contextlib.asynccontextmanager
async def incident_lifespan(app: Any) -> AsyncIterator[None]:
    """Run the escalation round every interval (unless 0) while the app runs."""
    runtime = runtime_of(app)

    def escalate() -> None:
        broker = field_runtime_of(app).broker
        escalate_once(app.state.database, broker, runtime.settings.response_minutes)

    async with running([(runtime.settings.escalate_interval_s, escalate, "incident escalation")]):
        yield

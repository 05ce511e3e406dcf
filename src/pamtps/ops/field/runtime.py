"""What the field API keeps while the service runs: its settings, the event broker, the watch loop.

``FieldSettings`` is read from the environment (prefix ``PAMTPS_FIELD_``). The watch loop runs
``run_watch`` every ``watch_interval_s`` seconds in a worker thread and publishes what changed;
0 turns it off (tests call ``run_watch`` themselves with an explicit time).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.orm import Session

from pamtps.domain.operation import OperationConfig
from pamtps.ops import audit
from pamtps.ops.events import Broker, Event
from pamtps.ops.field.checkin import VotingDay
from pamtps.ops.field.watch import Alert, WatchSettings, run_watch
from pamtps.ops.loops import running
from pamtps.store import Database
from pamtps.store.plans import get_plan
from pamtps.store.tables.field import PublicationRow


class FieldSettings(BaseSettings):
    """The field service's tolerances and timings."""

    model_config = SettingsConfigDict(env_prefix="PAMTPS_FIELD_", frozen=True, extra="ignore")

    checkin_tolerance_m: float = Field(default=300, gt=0, le=50_000)
    escalate_after_min: float = Field(default=30, gt=0)
    silent_after_min: float = Field(default=15, gt=0)
    watch_interval_s: float = Field(default=30, ge=0)

    @property
    def watch(self) -> WatchSettings:
        return WatchSettings(
            timedelta(minutes=self.escalate_after_min), timedelta(minutes=self.silent_after_min)
        )


@dataclass
class FieldRuntime:
    """The field service's state in one process (``app.state.field``)."""

    settings: FieldSettings
    broker: Broker = field(default_factory=Broker)
    _operations: dict[int, OperationConfig] = field(default_factory=dict)
    _days: dict[int, VotingDay] = field(default_factory=dict)

    def operation(self, session: Session, publication: PublicationRow) -> OperationConfig:
        """The operation of a publication; cached, since a publication never changes."""
        if publication.id not in self._operations:
            stored = get_plan(session, publication.plan_id)
            assert stored is not None  # a foreign key holds it
            self._operations[publication.id] = stored.operation
        return self._operations[publication.id]

    def voting_day(self, session: Session, publication: PublicationRow) -> VotingDay:
        """The voting day of a publication's operation (cached likewise)."""
        if publication.id not in self._days:
            self._days[publication.id] = VotingDay.of(self.operation(session, publication))
        return self._days[publication.id]


def runtime_of(app: Any) -> FieldRuntime:
    """The app's field runtime, made on first use (also when the lifespan did not run)."""
    runtime = getattr(app.state, "field", None)
    if runtime is None:
        runtime = app.state.field = FieldRuntime(FieldSettings())
    assert isinstance(runtime, FieldRuntime)
    return runtime


def alert_event(alert: Alert) -> Event:
    return Event(
        "alert",
        alert.to_json(),
        tuple(alert.tps_codes),
        alert.sector,
        alert.kecamatan,
        alert.subject if alert.kind == "silent_device" else None,
    )


def watch_once(database: Database, broker: Broker, settings: WatchSettings) -> list[Alert]:
    """One round of the watch, audited in its transaction; publishes what changed."""
    with database.session() as session:
        changes = run_watch(session, datetime.now(UTC), settings)
        for alert in changes:
            subject = f"alert:{alert.id}"
            audit.record(session, "watch", f"alert.{alert.change}", subject, alert.to_json())
    for alert in changes:
        broker.publish(alert_event(alert))
    return changes


@contextlib.asynccontextmanager
async def field_lifespan(app: Any) -> AsyncIterator[None]:
    """Run the watch every interval (unless 0) while the app runs."""
    runtime = runtime_of(app)

    def watch() -> None:
        watch_once(app.state.database, runtime.broker, runtime.settings.watch)

    async with running([(runtime.settings.watch_interval_s, watch, "unguarded-TPS watch")]):
        yield

"""What the field API keeps while the service runs: its settings, the event broker, and one
round of the unguarded-TPS watch.

The settings are the ``field`` group of the app's settings (``PAMTPS_FIELD_*``). ``watch_once``
runs ``run_watch`` now and publishes what changed; ``pamtps.ops.rounds`` repeats it every
``watch_interval_s`` seconds (tests call ``run_watch`` themselves with an explicit time).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pamtps.domain.operation import OperationConfig
from pamtps.ops import audit
from pamtps.ops.events import Broker, Event
from pamtps.ops.field.checkin import VotingDay
from pamtps.ops.field.watch import Alert, WatchSettings, run_watch
from pamtps.settings import FieldSettings
from pamtps.store import Database, Session
from pamtps.store.plans import get_plan
from pamtps.store.tables.field import PublicationRow


def watch_settings(settings: FieldSettings) -> WatchSettings:
    """The watch's waits, from the settings' minutes."""
    return WatchSettings(
        timedelta(minutes=settings.escalate_after_min), timedelta(minutes=settings.silent_after_min)
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
    """The app's field runtime, made on first use from the app's settings (a test may set one of
    its own before the app starts)."""
    runtime = getattr(app.state, "field", None)
    if runtime is None:
        runtime = app.state.field = FieldRuntime(app.state.settings.field)
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


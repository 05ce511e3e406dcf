"""The rounds of the response, one at a time: the escort watch and the hourly sitrep.

Their settings are the ``ops`` group of the app's settings (``PAMTPS_OPS_*``: the escort
deadlines, the two rounds' periods, the size of a reserve squad). ``pamtps.ops.rounds`` repeats
``escort_once`` every ``escort_watch_interval_s`` and ``sitrep_once`` every ``sitrep_interval_s``
seconds.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pamtps.ops import audit
from pamtps.ops.escort.alerts import Deadlines, escort_alerts
from pamtps.ops.events import Broker
from pamtps.ops.field.runtime import alert_event
from pamtps.ops.sitrep.store import run_hourly
from pamtps.settings import OpsSettings
from pamtps.store import Database


def deadlines(settings: OpsSettings) -> Deadlines:
    """The escort legs' deadlines, from the settings' minutes."""
    return Deadlines(
        timedelta(minutes=settings.escort_pps_deadline_min),
        timedelta(minutes=settings.escort_ppk_deadline_min),
    )


def ops_settings(app: Any) -> OpsSettings:
    """The app's settings of the response: those of its settings, unless a test set its own
    (``app.state.ops``) before the app started."""
    settings = getattr(app.state, "ops", None)
    if settings is None:
        settings = app.state.ops = app.state.settings.ops
    assert isinstance(settings, OpsSettings)
    return settings


def escort_once(database: Database, broker: Broker, settings: OpsSettings) -> None:
    """One escort watch round, audited in its transaction; publishes what changed."""
    with database.session() as session:
        changes = escort_alerts(session, datetime.now(UTC), deadlines(settings))
        for alert in changes:
            subject = f"alert:{alert.id}"
            audit.record(session, "escort", f"alert.{alert.change}", subject, alert.to_json())
    for alert in changes:
        broker.publish(alert_event(alert))


def sitrep_once(database: Database, data_dir: Path, settings: OpsSettings) -> None:
    """The automatic situation report of this period, if not written yet."""
    every = timedelta(seconds=settings.sitrep_interval_s)
    with database.session() as session:
        run_hourly(session, datetime.now(UTC), data_dir, every)

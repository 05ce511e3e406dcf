"""The loops of the response while the service runs: the escort watch and the hourly sitrep.

``OpsSettings`` is read from the environment (prefix ``PAMTPS_OPS_``):

- ``escort_pps_deadline_min`` / ``escort_ppk_deadline_min``: how long after counting ends the
  boxes may take to reach the PPS / the PPK before the leg is overdue (120 / 360 minutes). A
  fast-forwarded ``pamtps simulate`` divides them by its speed (``--speed 120``: 1 and 3);
- ``escort_watch_interval_s``: how often ``escort_alerts`` runs (60 s; 0: never);
- ``sitrep_interval_s``: the period of the automatic situation report (3600 s; 0: never);
- ``squad_size``: the size of a squad of the Polres reserve (10).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from pamtps.ops import audit
from pamtps.ops.escort.alerts import Deadlines, escort_alerts
from pamtps.ops.field.runtime import alert_event, runtime_of
from pamtps.ops.loops import running
from pamtps.ops.sitrep.store import run_hourly
from pamtps.store import Database


class OpsSettings(BaseSettings):
    """Deadlines and periods of dispatch, escort and sitrep (see the module docstring)."""

    model_config = SettingsConfigDict(env_prefix="PAMTPS_OPS_", frozen=True, extra="ignore")

    escort_pps_deadline_min: float = Field(default=120, gt=0)
    escort_ppk_deadline_min: float = Field(default=360, gt=0)
    escort_watch_interval_s: float = Field(default=60, ge=0)
    sitrep_interval_s: float = Field(default=3600, ge=0)
    squad_size: int = Field(default=10, ge=1, le=200)

    @property
    def deadlines(self) -> Deadlines:
        return Deadlines(
            timedelta(minutes=self.escort_pps_deadline_min),
            timedelta(minutes=self.escort_ppk_deadline_min),
        )


def ops_settings(app: Any) -> OpsSettings:
    """The app's settings of the response, read on first use."""
    settings = getattr(app.state, "ops", None)
    if settings is None:
        settings = app.state.ops = OpsSettings()
    assert isinstance(settings, OpsSettings)
    return settings


def escort_round(app: Any) -> None:
    """One escort watch round, audited in its transaction; publishes what changed."""
    database: Database = app.state.database
    with database.session() as session:
        changes = escort_alerts(session, datetime.now(UTC), ops_settings(app).deadlines)
        for alert in changes:
            subject = f"alert:{alert.id}"
            audit.record(session, "escort", f"alert.{alert.change}", subject, alert.to_json())
    for alert in changes:
        runtime_of(app).broker.publish(alert_event(alert))


def sitrep_round(app: Any) -> None:
    """The automatic situation report of this period, if not written yet."""
    database: Database = app.state.database
    every = timedelta(seconds=ops_settings(app).sitrep_interval_s)
    with database.session() as session:
        run_hourly(session, datetime.now(UTC), app.state.settings.data_dir, every)


@contextlib.asynccontextmanager
async def ops_lifespan(app: Any) -> AsyncIterator[None]:
    """Run the escort watch and the hourly report (each unless its interval is 0) with the app."""
    settings = ops_settings(app)
    loops = [
        (settings.escort_watch_interval_s, lambda: escort_round(app), "escort watch"),
        (settings.sitrep_interval_s, lambda: sitrep_round(app), "sitrep"),
    ]
    async with running(loops):
        yield

"""The demo's voting day: ``pamtps demo --simulate`` plays one against the service it serves.

``pace_service(speed)`` shortens the service's own clocks by the same factor as the simulation
(escort deadlines, the escort watch, the hourly situation report), so that an overdue escort or
the next report shows up at the pace the day is played; values already set in the environment
are kept. ``start_day`` waits for the service to answer, then plays the day in a background
thread and hands the outcome to ``done``.
"""

from __future__ import annotations

import os
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable

from pamtps.settings import Settings
from pamtps.simulate.runner import Outcome, simulate
from pamtps.store import Database

# The service's clocks at real pace (the defaults of pamtps.settings.OpsSettings).
REAL_PACE = {
    "PAMTPS_OPS_ESCORT_PPS_DEADLINE_MIN": 120.0,
    "PAMTPS_OPS_ESCORT_PPK_DEADLINE_MIN": 360.0,
    "PAMTPS_OPS_ESCORT_WATCH_INTERVAL_S": 60.0,
    "PAMTPS_OPS_SITREP_INTERVAL_S": 3600.0,
}
MIN_INTERVAL_S = 2.0  # the loops of the service never run more often than this


def paced(speed: float) -> dict[str, str]:
    """The service's clock settings divided by ``speed`` (intervals no shorter than 2 s)."""
    values = {}
    for name, real in REAL_PACE.items():
        value = real / speed
        if name.endswith("_S"):
            value = max(value, MIN_INTERVAL_S)
        values[name] = f"{value:.4g}"
    return values


def pace_service(speed: float) -> dict[str, str]:
    """Set the paced clocks in the environment unless already set; returns what applies."""
    for name, value in paced(speed).items():
        os.environ.setdefault(name, value)
    return {name: os.environ[name] for name in REAL_PACE}


def wait_until_up(base_url: str, timeout_s: float = 120.0) -> None:
    """Return once ``/healthz`` answers 200; RuntimeError after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=5) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"the service at {base_url} did not answer in {timeout_s:.0f} s")
        time.sleep(0.5)


def start_day(
    base_url: str,
    database: Database,
    settings: Settings,
    *,
    password: str,
    speed: float,
    done: Callable[[Outcome | Exception], None],
    seed: int = 1,
) -> threading.Thread:
    """Play the day in a daemon thread once the service is up; ``done`` gets the outcome, or
    the error that stopped the day before it began."""

    def run() -> None:
        try:
            wait_until_up(base_url)
            outcome = simulate(base_url, database, settings, password=password, speed=speed,
                               seed=seed)
        except (RuntimeError, OSError) as error:
            done(error)
            return
        done(outcome)

    thread = threading.Thread(target=run, name="pamtps-demo-day", daemon=True)
    thread.start()
    return thread

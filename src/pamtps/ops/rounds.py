"""The background rounds of election day, by name: what runs, how often, and on what.

Each round does one pass of work on a ``Database`` now and publishes what changed on a
``Broker``; its interval comes from the settings, and 0 turns it off:

- ``watch``: the unguarded-TPS watch (``PAMTPS_FIELD_WATCH_INTERVAL_S``);
- ``escalate``: incidents past their response time go up (``PAMTPS_INCIDENT_ESCALATE_INTERVAL_S``);
- ``escort``: ballot-box escorts past their deadline (``PAMTPS_OPS_ESCORT_WATCH_INTERVAL_S``);
- ``sitrep``: the automatic situation report of each period (``PAMTPS_OPS_SITREP_INTERVAL_S``);
- ``sms``: the replies to SMS reports, posted to the gateway's send API
  (``PAMTPS_SMS_SEND_INTERVAL_S``; off while ``PAMTPS_SMS_SEND_URL`` is empty).

The service runs them in its lifespan (``pamtps serve``, unless ``--no-rounds``), publishing to
the dashboards it serves; ``pamtps worker`` runs them in a process of its own, whose broker has
no listener: the pages then see a worker's changes when they next load them, not live.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pamtps.ops.events import Broker
from pamtps.ops.field.runtime import watch_once, watch_settings
from pamtps.ops.incidents.runtime import escalate_once
from pamtps.ops.loops import Loop
from pamtps.ops.sitrep.runtime import escort_once, sitrep_once
from pamtps.ops.sms.outbound import send_once
from pamtps.settings import Settings
from pamtps.store import Database


@dataclass(frozen=True)
class Round:
    """A background round: its name (``pamtps worker NAME``), its name in the log, its
    interval in seconds (0: off) and one pass of it."""

    name: str
    title: str
    interval: Callable[[Settings], float]
    run: Callable[[Database, Settings, Broker], None]


def _watch(database: Database, settings: Settings, broker: Broker) -> None:
    watch_once(database, broker, watch_settings(settings.field))


def _escalate(database: Database, settings: Settings, broker: Broker) -> None:
    escalate_once(database, broker, settings.incident.response_minutes)


def _escort(database: Database, settings: Settings, broker: Broker) -> None:
    escort_once(database, broker, settings.ops)


def _sitrep(database: Database, settings: Settings, broker: Broker) -> None:
    sitrep_once(database, settings.data_dir, settings.ops)


def _sms(database: Database, settings: Settings, broker: Broker) -> None:
    send_once(database, settings.sms)


def _sms_interval(settings: Settings) -> float:
    return settings.sms.send_interval_s if settings.sms.send_url else 0


ROUNDS = (
    Round("watch", "unguarded-TPS watch", lambda s: s.field.watch_interval_s, _watch),
    Round("escalate", "incident escalation", lambda s: s.incident.escalate_interval_s, _escalate),
    Round("escort", "escort watch", lambda s: s.ops.escort_watch_interval_s, _escort),
    Round("sitrep", "sitrep", lambda s: s.ops.sitrep_interval_s, _sitrep),
    Round("sms", "SMS reply sender", _sms_interval, _sms),
)
"""Every round, in the order they start."""

NAMES = tuple(r.name for r in ROUNDS)


def select(names: Iterable[str] = ()) -> list[Round]:
    """The rounds named (all of them if none is), in their order; ValueError for a stranger."""
    wanted = set(names)
    unknown = wanted.difference(NAMES)
    if unknown:
        raise ValueError(f"unknown round {sorted(unknown)[0]!r}: choose from {', '.join(NAMES)}")
    return [r for r in ROUNDS if not wanted or r.name in wanted]


def loops(
    rounds: Iterable[Round], database: Database, settings: Settings, broker: Broker
) -> list[Loop]:
    """The rounds as loops for ``pamtps.ops.loops.running`` (which leaves out those at 0)."""
    return [
        (r.interval(settings), functools.partial(r.run, database, settings, broker), r.title)
        for r in rounds
    ]

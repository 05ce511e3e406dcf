"""Clock times of the operation: the local voting day, its deadlines, and UTC from the store.

The operation file gives wall-clock times on voting day (``05:00``); the regency's province
gives the zone (WIB, WITA, WIT). Everything stored is UTC.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, time, timedelta, timezone

from pamtps.documents.labels import UTC_OFFSET_HOURS, time_zone
from pamtps.domain.clock import utc
from pamtps.domain.operation import OperationConfig
from pamtps.ops.errors import ServiceError

CLOCK_SKEW = timedelta(minutes=2)
OLDEST_REPORT = timedelta(hours=24)


def reported_time(client: datetime | None, now: datetime) -> datetime:
    """When a field report happened: the phone's time if given (a queued report arrives late),
    else ``now``. A time in the future or more than a day old is refused."""
    if client is None:
        return utc(now)
    if client.tzinfo is None:
        raise ServiceError(422, "field.client_time_without_zone")
    if not utc(now) - OLDEST_REPORT <= utc(client) <= utc(now) + CLOCK_SKEW:
        raise ServiceError(422, "field.client_time_out_of_range", time=client.isoformat())
    return min(utc(client), utc(now))


def zone_of(operation: OperationConfig) -> timezone:
    """The regency's time zone, named WIB, WITA or WIT."""
    name = time_zone(operation.regency)
    return timezone(timedelta(hours=UTC_OFFSET_HOURS[name]), name)


def on_voting_day(operation: OperationConfig, at: time) -> datetime:
    """The moment (UTC) of a local wall-clock time on voting day."""
    return utc(datetime.combine(operation.voting_day, at, tzinfo=zone_of(operation)))


def schedule(operation: OperationConfig) -> dict[str, str]:
    """The times of voting day as ISO moments in local time, for orders and the API."""
    zone = zone_of(operation)
    times = dataclasses.asdict(operation.schedule)
    return {
        name: on_voting_day(operation, at).astimezone(zone).isoformat()
        for name, at in times.items()
    } | {"zone": zone.tzname(None) or ""}

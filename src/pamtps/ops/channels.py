"""How a report reached the command post: its channel, and how late it arrived.

``app``: sent by the phone the moment it was made; ``queue``: made without signal, kept in the
phone's offline queue and sent later (the client says so); ``sms``: typed as an SMS and forwarded
by a gateway (only the SMS path sets it). The delay is the server's receive time minus the
phone's time; a report is shown as late from ``LATE_AFTER`` on, since a phone's clock and the
network are never exact.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from pamtps.domain.clock import utc
from pamtps.ops.errors import ServiceError

APP, QUEUE, SMS = "app", "queue", "sms"
CHANNELS = (APP, QUEUE, SMS)
FROM_CLIENT = (APP, QUEUE)
"""What a phone may claim; ``sms`` only comes from the SMS gateway's endpoint."""
HEADER = "X-PamTPS-Channel"
LATE_AFTER = timedelta(minutes=2)


def client_channel(value: str | None) -> str:
    """The channel a phone names (header or batch item), ``app`` if it names none; 422 for
    anything else, ``sms`` included."""
    if value is None or not value.strip():
        return APP
    channel = value.strip().lower()
    if channel not in FROM_CLIENT:
        raise ServiceError(422, "channel.unknown", channel=value, channels=", ".join(FROM_CLIENT))
    return channel


def delay_minutes(at: datetime, received: datetime | None) -> int:
    """Whole minutes between the phone's time and the arrival; 0 when unknown or on time."""
    if received is None:
        return 0
    late = utc(received) - utc(at)
    return int(late.total_seconds() // 60) if late >= LATE_AFTER else 0


def arrival_json(channel: str, at: datetime, received: datetime | None) -> dict[str, object]:
    """The fields every listed report carries: channel, receive time, delay in minutes."""
    return {
        "channel": channel,
        "received_at": utc(received).isoformat() if received else None,
        "delay_min": delay_minutes(at, received),
    }


def how_it_came(t: Callable[..., str], channel: str, delay: int) -> str:
    """'via SMS, 42 menit terlambat' in the page's language (``t``); '' for an app report on
    time, which is the rule and needs no mark."""
    name = t(f"channel.{channel}")
    if channel == APP:
        return t("channel.late", minutes=delay) if delay else ""
    if delay:
        return t("channel.via_late", channel=name, minutes=delay)
    return t("channel.via", channel=name)

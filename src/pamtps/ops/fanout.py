"""The live stream across the processes of one service, on PostgreSQL.

``fan_out(broker, database)`` joins a process's ``Broker`` to the others through a
``pamtps.store.notify.Channel``: what is published here is sent to them, what they publish is
delivered here (through each subscriber's filter, as if published here). So with ``pamtps serve
--workers N`` a dashboard connected to one process sees the check-in that another one wrote,
and the events of the background rounds (run by one process only) reach every dashboard.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from pamtps.ops.events import Broker, decode, encode
from pamtps.store import Database
from pamtps.store.notify import Channel

log = logging.getLogger(__name__)


def fan_out(broker: Broker, database: Database) -> Callable[[], None]:
    """Join ``broker`` to the other processes on ``database`` (PostgreSQL); returns the
    function that leaves again (at shutdown)."""

    def receive(text: str) -> None:
        broker.deliver(decode(text))

    channel = Channel(database, receive)
    channel.start()
    broker.fan_out = lambda event: channel.send(encode(event))

    def leave() -> None:
        broker.fan_out = None
        channel.close()

    return leave

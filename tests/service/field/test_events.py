"""The in-process broker: events reach the subscribers whose scope lets them in."""

from __future__ import annotations

import asyncio
import threading

from pamtps.ops.events import Broker, Event
from pamtps.ops.field.live_state import event_visible
from pamtps.ops.scope import Scope
from pamtps.ops.users import Role
from tests.fixtures import HILIR, HULU
from tests.service.field.plans import SUKAMAJU_1

CHECKIN = Event("checkin", {"tps_code": SUKAMAJU_1.code}, (SUKAMAJU_1.code,), "polsek_hulu", HULU)


def test_a_checkin_published_from_a_worker_thread_reaches_the_subscriber() -> None:
    """A request thread publishes; the dashboard's stream, on the event loop, receives it."""

    async def scenario() -> Event | None:
        broker = Broker()
        subscription = broker.subscribe()
        threading.Thread(target=broker.publish, args=(CHECKIN,)).start()
        received = await subscription.get(timeout=2)
        broker.unsubscribe(subscription)
        return received

    received = asyncio.run(scenario())
    assert received is not None
    assert (received.kind, received.data, received.id) == ("checkin", CHECKIN.data, 1)
    assert received.sse().startswith("id: 1\nevent: checkin\ndata: {")


def test_a_subscriber_sees_only_events_in_its_scope() -> None:
    """Polsek Hilir's stream does not get a Hulu check-in; Polsek Hulu's and the command's do."""
    hulu = Scope(Role.POLSEK, kecamatan_codes=frozenset({HULU}))
    hilir = Scope(Role.POLSEK, kecamatan_codes=frozenset({HILIR}))
    command = Scope(Role.COMMAND, everything=True)

    async def scenario() -> list[int]:
        broker = Broker()
        streams = [
            broker.subscribe(lambda e, s=s: event_visible(s, e)) for s in (hulu, hilir, command)
        ]
        broker.publish(CHECKIN)
        return [stream.queue.qsize() for stream in streams]

    assert asyncio.run(scenario()) == [1, 0, 1]


def test_a_slow_subscriber_loses_its_oldest_events_not_the_writer_time() -> None:
    """Past the queue's size the oldest events are dropped and counted."""

    async def scenario() -> tuple[int, int]:
        broker = Broker()
        subscription = broker.subscribe()
        for _ in range(subscription.queue.maxsize + 5):
            broker.publish(CHECKIN)
        first = await subscription.get(timeout=1)
        assert first is not None
        return first.id, subscription.dropped

    assert asyncio.run(scenario()) == (6, 5)

"""Live events inside one service process: check-ins, status steps, alerts, acknowledgements.

Writers publish after their transaction commits, from whatever thread served the request; each
subscriber (an SSE stream of the dashboard) has a bounded queue on its own event loop and a
view: the event as that user may read it, or nothing (``pamtps.ops.event_filter``, the same
rules as the API). A subscriber too slow to keep up loses its oldest events rather than
holding the writers back: the dashboard re-reads ``/api/v1/tps/state`` when it reconnects.

A service of several processes sets ``Broker.fan_out`` (``pamtps.ops.fanout``): each event
published here also goes to the other processes, whose brokers ``deliver`` it to their own
subscribers, through the same filter. Each broker numbers the events it delivers.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from typing import Any

KINDS = ("checkin", "movement", "status", "alert", "ack", "publish")
QUEUE_SIZE = 1000


@dataclass(frozen=True)
class Event:
    """One thing that happened; ``tps_codes``, ``sector``, ``kecamatan`` and ``nrp`` scope it."""

    kind: str
    data: dict[str, Any]
    tps_codes: tuple[str, ...] = ()
    sector: str | None = None
    kecamatan: str | None = None
    nrp: str | None = None
    id: int = 0

    def sse(self) -> str:
        """The event in the text/event-stream format."""
        body = json.dumps(self.data, ensure_ascii=False, separators=(",", ":"), default=str)
        return f"id: {self.id}\nevent: {self.kind}\ndata: {body}\n\n"


@dataclass(eq=False)
class Subscription:
    """One subscriber's queue; iterate it (async) to receive the events its filter lets in."""

    loop: asyncio.AbstractEventLoop
    view: Callable[[Event], Event | None]
    queue: asyncio.Queue[Event] = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))
    dropped: int = 0

    def put(self, event: Event) -> None:
        # Runs on the subscriber's loop: drop the oldest event rather than block the writer.
        if self.queue.full():
            self.queue.get_nowait()
            self.dropped += 1
        self.queue.put_nowait(event)

    async def get(self, timeout: float | None = None) -> Event | None:
        """The next event, or None after ``timeout`` seconds without one."""
        try:
            return await asyncio.wait_for(self.queue.get(), timeout)
        except TimeoutError:
            return None

    def __aiter__(self) -> AsyncIterator[Event]:
        return self._events()

    async def _events(self) -> AsyncIterator[Event]:
        while True:
            yield await self.queue.get()


class Broker:
    """Fan-out of events to the subscribers of this process; safe to publish from any thread."""

    def __init__(self) -> None:
        self._subscribers: set[Subscription] = set()
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self.fan_out: Callable[[Event], None] | None = None
        """Where an event published here goes besides this process's subscribers."""

    def subscribe(
        self,
        accept: Callable[[Event], bool] | None = None,
        *,
        view: Callable[[Event], Event | None] | None = None,
    ) -> Subscription:
        """A new subscription on the running event loop. ``view`` gives each event as this
        subscriber may read it (None: not at all); ``accept`` is a plain yes/no filter."""
        if view is None:
            test = accept or (lambda _event: True)
            view = lambda event: event if test(event) else None  # noqa: E731
        subscription = Subscription(asyncio.get_running_loop(), view)
        with self._lock:
            self._subscribers.add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            self._subscribers.discard(subscription)

    @property
    def subscribers(self) -> int:
        return len(self._subscribers)

    def publish(self, event: Event) -> Event:
        """Hand the event (numbered) to every subscriber, as that subscriber may read it, and
        to the other processes of the service if it has any (``fan_out``)."""
        if self.fan_out is not None:
            self.fan_out(event)
        return self.deliver(event)

    def deliver(self, event: Event) -> Event:
        """Hand the event (numbered) to this process's subscribers only."""
        with self._lock:
            event = replace(event, id=next(self._ids))
            targets = list(self._subscribers)
        for subscription in targets:
            if subscription.loop.is_closed():
                continue
            seen = subscription.view(event)
            if seen is None:
                continue
            try:
                running = asyncio.get_running_loop()
            except RuntimeError:
                running = None
            if running is subscription.loop:
                subscription.put(seen)
                continue
            with contextlib.suppress(RuntimeError):  # its loop closed meanwhile
                subscription.loop.call_soon_threadsafe(subscription.put, seen)
        return event


def encode(event: Event) -> str:
    """The event as JSON text, for another process (its number stays behind)."""
    return json.dumps(
        {"kind": event.kind, "data": event.data, "tps_codes": event.tps_codes,
         "sector": event.sector, "kecamatan": event.kecamatan, "nrp": event.nrp},
        ensure_ascii=False, separators=(",", ":"), default=str,
    )


def decode(text: str) -> Event:
    """The event ``encode`` wrote (values that are not JSON arrive as their text)."""
    raw = json.loads(text)
    return Event(raw["kind"], raw["data"], tuple(raw["tps_codes"]), raw["sector"],
                 raw["kecamatan"], raw["nrp"])

"""Group commit: the service's field writes go through one writer, one transaction per group.

Durable ingest is bound by the commit (SQLite's fsync, PostgreSQL's WAL flush) and by the
statements every transaction repeats (keys, orders, the audit head). So requests do not each
open a transaction: they queue here, and one writer applies whatever has queued while
the previous group was being committed, as one group (``ingest_group``). An idle service writes
a request at once; a busy one writes many per commit. Each request is answered only after the
commit of its group, with its own answers; the events are published after that commit.

The queue is bounded (load shedding) three times: at the door (``Door``, asked by the web
layer's ``AdmissionMiddleware`` before it reads the body or looks up the sender), when the
process already holds as many field write requests as the door admits: under overload the wait
was in front of the queue, in the requests being read and authenticated, where the queue's own
bounds cannot see it; then when the reports waiting for the writer, queued or
being written, reach ``PAMTPS_FIELD_QUEUE_LIMIT``, or when the oldest of them has waited longer
than ``PAMTPS_FIELD_QUEUE_WAIT_MS``, a new request is refused at once with ``Overloaded`` (429
with Retry-After) and nothing of it is applied. The count alone cannot keep the wait short: the
same 256 reports take 0.1 s on an idle server and seconds on a busy or slow one; the age of the
oldest one is the wait an accepted request would see, whatever the rate. A queue without a
bound only turns an overload into minutes of waiting for everyone; refused, the phone keeps
the report (with its Idempotency-Key) and sends it again after the pause, while the accepted
ones stay fast.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import anyio.to_thread

from pamtps.ops.errors import ServiceError
from pamtps.ops.field.ingest import Ingested, Unit, ingest_group
from pamtps.ops.field.runtime import FieldRuntime, runtime_of
from pamtps.store import Database

MAX_GROUP = 128
"""Requests per transaction at most, so that a burst does not make one long transaction."""


class Overloaded(ServiceError):
    """The write queue is full: try again after ``retry_after_s`` seconds (429)."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(429, "field.overloaded", seconds=retry_after_s)
        self.retry_after_s = retry_after_s


@dataclass(eq=False)
class Door:
    """How many field write requests one process holds at once (read, checked, queued or being
    written): at most ``ceiling`` (``PAMTPS_FIELD_INFLIGHT_LIMIT``), fewer while they take too
    long. An admitted request that took longer than ``target_s`` from the door to its answer
    while the door was at least half full cuts the limit by a quarter (at most once per
    ``target_s``, so that one slow group counts once); each other answer raises it by 1/limit,
    about one per limit's worth of answers, back up to the ceiling (additive increase,
    multiplicative decrease, as TCP does). A slow answer from a door with room left is not the
    crowd's doing (a slow disk, a long batch): it cuts nothing, so a server that is slow even
    when idle keeps its full limit.

    A fixed limit cannot do this: the same 64 requests take 0.2 s on an idle server and seconds
    on one whose event loop is also answering thousands of refusals, or whose cores are shared.
    The time the admitted ones take is what the phones see, so it is what the door steers by."""

    ceiling: int = 64
    target_s: float = 0.25
    floor: int = 2
    limit: float = field(init=False)  # between floor and ceiling; starts at the ceiling
    in_flight: int = field(default=0, init=False)
    _cut_at: float = field(default=-1e9, init=False)  # when the limit was last cut

    def __post_init__(self) -> None:
        self.floor = min(self.floor, self.ceiling)
        self.limit = float(self.ceiling)

    def full(self) -> bool:
        return self.in_flight >= int(self.limit)

    def enter(self) -> float:
        """Count one more request inside; the time it entered (for ``leave``)."""
        self.in_flight += 1
        return time.monotonic()

    def leave(self, entered: float) -> None:
        """The request entered at ``entered`` has been answered: adjust the limit."""
        crowded = 2 * self.in_flight >= self.limit  # itself included
        self.in_flight -= 1
        now = time.monotonic()
        if crowded and now - entered > self.target_s:
            if now - self._cut_at > self.target_s:
                self.limit = max(float(self.floor), self.limit * 0.75)
                self._cut_at = now
        elif self.limit < self.ceiling:
            self.limit = min(float(self.ceiling), self.limit + 1 / self.limit)


@dataclass(eq=False)
class Writer:
    """The field writes of one process (``writer_of(app)``); ``submit`` runs on its event loop.

    ``pending`` counts the reports accepted and not yet answered; past ``limit``, or while the
    oldest of them has waited longer than ``max_wait_s``, new requests are refused
    (``Overloaded``)."""

    database: Database
    runtime: FieldRuntime
    concurrency: int = 1
    limit: int = 256
    retry_after_s: int = 2
    max_wait_s: float = 0.4
    door: Door = field(default_factory=Door)
    pending: int = 0
    _queue: list[tuple[Unit, asyncio.Future[Ingested], float]] = field(default_factory=list)
    _drains: list[asyncio.Task[None]] = field(default_factory=list)
    _writing: dict[int, float] = field(default_factory=dict)  # group -> its oldest's arrival

    def check(self, reports: int = 1) -> None:
        """Raise ``Overloaded`` unless ``reports`` more fit in the queue and its oldest report
        has not waited too long. A request larger than the whole bound (a long batch) still goes
        through when the queue is empty."""
        if not self.pending:
            return
        if self.pending + reports > self.limit or self.oldest_wait() > self.max_wait_s:
            raise Overloaded(self.retry_after_s)

    def admit(self) -> float:
        """Let one field write request in (``door.enter``; the caller calls ``door.leave``), or
        raise ``Overloaded`` when the door is full or ``check`` refuses: then before any work."""
        if self.door.full():
            raise Overloaded(self.retry_after_s)
        self.check()
        return self.door.enter()

    def oldest_wait(self) -> float:
        """Seconds the oldest request not yet answered (queued or being written) has waited."""
        arrivals = list(self._writing.values())
        if self._queue:
            arrivals.append(self._queue[0][2])
        return time.monotonic() - min(arrivals) if arrivals else 0.0

    async def submit(self, unit: Unit) -> Ingested:
        """Apply one request's reports with the next group; its result after the commit.
        Raises ``Overloaded``, applying nothing, when the queue is full."""
        loop = asyncio.get_running_loop()
        if self._drains and self._drains[0].get_loop() is not loop:
            self._queue, self._drains = [], []  # a new event loop (tests): start afresh
            self.pending, self._writing = 0, {}
        weight = _weight(unit)
        self.check(weight)
        done: asyncio.Future[Ingested] = loop.create_future()
        self._queue.append((unit, done, time.monotonic()))
        self.pending += weight
        self._drains = [task for task in self._drains if not task.done()]
        if len(self._drains) < self.concurrency:
            self._drains.append(loop.create_task(self._drain()))
        return await done

    async def _drain(self) -> None:
        while self._queue:
            group, self._queue = self._queue[:MAX_GROUP], self._queue[MAX_GROUP:]
            units = [unit for unit, _, _ in group]
            self._writing[id(group)] = group[0][2]
            try:
                results = await anyio.to_thread.run_sync(
                    ingest_group, self.database, self.runtime, units
                )
            except asyncio.CancelledError:  # the service stops
                for _, done, _ in group:
                    done.cancel()
                raise
            except Exception as error:  # ingest_group answers errors itself; this is a last resort
                results = [error] * len(group)
            finally:
                self.pending -= sum(_weight(unit) for unit in units)
                self._writing.pop(id(group), None)
            for (_, done, _), result in zip(group, results):
                if done.done():  # its client went away; the write stands
                    continue
                if isinstance(result, BaseException):
                    done.set_exception(result)
                else:
                    done.set_result(result)


def writer_of(app: Any) -> Writer:
    """The app's field writer, made on first use: one group at a time on SQLite (one writer
    anyway), two on PostgreSQL, so that one group is decided while the other waits for the
    server (two groups' rows never clash but by a race, which ``ingest`` retries)."""
    writer = getattr(app.state, "field_writer", None)
    if writer is None:
        database: Database = app.state.database
        concurrency = 1 if database.is_sqlite else 2
        runtime = runtime_of(app)
        writer = app.state.field_writer = Writer(
            database, runtime, concurrency, runtime.settings.queue_limit,
            runtime.settings.retry_after_s, runtime.settings.queue_wait_ms / 1000,
            Door(runtime.settings.inflight_limit, runtime.settings.inflight_target_ms / 1000),
        )
    assert isinstance(writer, Writer)
    return writer


def _weight(unit: Unit) -> int:
    """What a request counts in the queue: its reports (an empty batch still costs a turn)."""
    return max(1, len(unit.reports))

"""Group commit: the service's field writes go through one writer, one transaction per group.

Durable ingest is bound by the commit (SQLite's fsync, PostgreSQL's WAL flush) and by the
statements every transaction repeats (keys, orders, the audit head). So requests do not each
open a transaction: they queue here, and one writer applies whatever has queued while
the previous group was being committed, as one group (``ingest_group``). An idle service writes
a request at once; a busy one writes many per commit. Each request is answered only after the
commit of its group, with its own answers; the events are published after that commit.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import anyio.to_thread

from pamtps.ops.field.ingest import Ingested, Unit, ingest_group
from pamtps.ops.field.runtime import FieldRuntime, runtime_of
from pamtps.store import Database

MAX_GROUP = 128
"""Requests per transaction at most, so that a burst does not make one long transaction."""


@dataclass(eq=False)
class Writer:
    """The field writes of one process (``writer_of(app)``); ``submit`` runs on its event loop."""

    database: Database
    runtime: FieldRuntime
    concurrency: int = 1
    _queue: list[tuple[Unit, asyncio.Future[Ingested]]] = field(default_factory=list)
    _drains: list[asyncio.Task[None]] = field(default_factory=list)

    async def submit(self, unit: Unit) -> Ingested:
        """Apply one request's reports with the next group; its result after the commit."""
        loop = asyncio.get_running_loop()
        if self._drains and self._drains[0].get_loop() is not loop:
            self._queue, self._drains = [], []  # a new event loop (tests): start afresh
        done: asyncio.Future[Ingested] = loop.create_future()
        self._queue.append((unit, done))
        self._drains = [task for task in self._drains if not task.done()]
        if len(self._drains) < self.concurrency:
            self._drains.append(loop.create_task(self._drain()))
        return await done

    async def _drain(self) -> None:
        while self._queue:
            group, self._queue = self._queue[:MAX_GROUP], self._queue[MAX_GROUP:]
            units = [unit for unit, _ in group]
            try:
                results = await anyio.to_thread.run_sync(
                    ingest_group, self.database, self.runtime, units
                )
            except asyncio.CancelledError:  # the service stops
                for _, done in group:
                    done.cancel()
                raise
            except Exception as error:  # ingest_group answers errors itself; this is a last resort
                results = [error] * len(group)
            for (_, done), result in zip(group, results):
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
        writer = app.state.field_writer = Writer(database, runtime_of(app), concurrency)
    assert isinstance(writer, Writer)
    return writer

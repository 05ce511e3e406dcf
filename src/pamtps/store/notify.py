"""Messages between the processes of one service, through PostgreSQL's LISTEN/NOTIFY.

Several server processes share one database; a ``Channel`` lets each of them hear what the
others say (the live events of ``pamtps.ops.events``). ``send`` only queues: a sender thread
sends what has queued, many messages per transaction, so a caller on an event loop never waits
for the server; a listener thread hands every message of the other processes to ``on_message``
(its own it has already delivered itself). The channel is named after the schema, so services
(or test runs) in different schemas of one database do not hear each other.

A notification carries at most 8,000 bytes: a longer message goes in numbered parts, sent in
one transaction (so they arrive together and in order) and joined again by the listener.
Delivery is at most once: a message sent while a listener's connection is down is lost to it
(the dashboards read the state again when they reconnect). SQLite has no such channel: a
service on SQLite is one process.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import secrets
import threading
from collections.abc import Callable

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

from pamtps.store.database import Database

log = logging.getLogger(__name__)

PART_CHARS = 1800
"""Characters per notification: at most 4 bytes each in UTF-8, well below the 8,000 bytes."""
MAX_PER_TRANSACTION = 500
RECONNECT_S = 1.0


def conninfo(database: Database) -> str:
    """The psycopg connection string of a PostgreSQL ``Database`` (options included)."""
    url = make_url(database.url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def split(origin: str, number: int, message: str) -> list[str]:
    """The notifications of one message: ``origin:number:part:parts:text``."""
    pieces = [message[i:i + PART_CHARS] for i in range(0, len(message), PART_CHARS)] or [""]
    return [f"{origin}:{number}:{i}:{len(pieces)}:{piece}" for i, piece in enumerate(pieces)]


class Joiner:
    """Joins the parts of messages again; gives each message once, whole, in order."""

    def __init__(self) -> None:
        self._parts: dict[tuple[str, str], list[str]] = {}

    def add(self, payload: str) -> tuple[str, str] | None:
        """(origin, message) once its last part is in; None before, or for a stray part."""
        try:
            origin, number, index, count, text = payload.split(":", 4)
            i, n = int(index), int(count)
        except ValueError:
            log.warning("not a PamTPS notification: %.80r", payload)
            return None
        key = (origin, number)
        parts = self._parts.setdefault(key, [])
        if i != len(parts):  # a part went missing (a reconnect): drop the message
            self._parts.pop(key, None)
            return None
        parts.append(text)
        if len(parts) < n:
            return None
        del self._parts[key]
        return origin, "".join(parts)


class Channel:
    """One process's end of the channel: ``send`` to the others, ``on_message`` from them."""

    def __init__(self, database: Database, on_message: Callable[[str], None]) -> None:
        if database.is_sqlite:
            raise ValueError("LISTEN/NOTIFY needs PostgreSQL; a SQLite service is one process")
        self._conninfo = conninfo(database)
        self._on_message = on_message
        self.origin = secrets.token_hex(6)
        self._numbers = iter(range(1, 2**62))
        self._outbox: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._closed = threading.Event()
        self._listening = threading.Event()
        self._threads = [
            threading.Thread(target=self._listen, name="pamtps-listen", daemon=True),
            threading.Thread(target=self._send_loop, name="pamtps-notify", daemon=True),
        ]

    def start(self, timeout: float = 3.0) -> bool:
        """Start both threads; true once the listener listens. A database that does not answer
        within ``timeout`` does not stop the service from starting (its health check says so):
        the listener keeps trying."""
        for thread in self._threads:
            thread.start()
        if self._listening.wait(timeout):
            return True
        log.warning("not yet listening to PostgreSQL; the live stream of the other processes "
                    "will reach this one once it is")
        return False

    def send(self, message: str) -> None:
        """Queue a message for the other processes; never blocks."""
        if not self._closed.is_set():
            self._outbox.put(message)

    def close(self) -> None:
        """Send what is queued, stop both threads and close their connections."""
        self._outbox.put(None)
        self._threads[1].join(5)
        self._closed.set()
        self._threads[0].join(5)

    def _channel_name(self, connection: psycopg.Connection) -> str:
        row = connection.execute("SELECT current_schema()").fetchone()
        schema = row[0] if row and row[0] else "public"
        return f"pamtps_events_{schema}"[:63]

    def _listen(self) -> None:
        joiner = Joiner()
        while not self._closed.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True) as connection:
                    name = self._channel_name(connection)
                    connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(name)))
                    self._listening.set()
                    while not self._closed.is_set():
                        for note in connection.notifies(timeout=0.5):
                            self._receive(joiner, note.payload)
            except psycopg.Error:
                if self._closed.is_set():
                    return
                log.warning("the listener lost PostgreSQL; listening again", exc_info=True)
                self._closed.wait(RECONNECT_S)

    def _receive(self, joiner: Joiner, payload: str) -> None:
        whole = joiner.add(payload)
        if whole is None or whole[0] == self.origin:
            return
        try:
            self._on_message(whole[1])
        except Exception:  # one bad message must not stop the listener
            log.exception("a notification could not be delivered")

    def _send_loop(self) -> None:
        connection: psycopg.Connection | None = None
        name = ""
        stop = False
        while not stop:
            batch = [self._outbox.get()]
            while len(batch) < MAX_PER_TRANSACTION:
                try:
                    batch.append(self._outbox.get_nowait())
                except queue.Empty:
                    break
            stop = None in batch
            messages = [m for m in batch if m is not None]
            if not messages:
                continue
            try:
                if connection is None or connection.closed:
                    connection = psycopg.connect(self._conninfo, autocommit=True)
                    name = self._channel_name(connection)
                self._send(connection, name, messages)
            except psycopg.Error:
                log.exception("%d live events not sent to the other processes", len(messages))
                with contextlib.suppress(psycopg.Error):
                    if connection is not None:
                        connection.close()
                connection = None
        if connection is not None:
            connection.close()

    def _send(self, connection: psycopg.Connection, name: str, messages: list[str]) -> None:
        rows = [
            (name, part)
            for message in messages
            for part in split(self.origin, next(self._numbers), message)
        ]
        with connection.transaction(), connection.cursor() as cursor:
            cursor.executemany("SELECT pg_notify(%s, %s)", rows)

"""Field writes applied once: a client key per write, stored with the write's response.

A phone without signal queues its reports and sends them again until it hears back, so the same
write may arrive twice, or twice at once. Each carries a key made by the client. The key's row is
inserted *first*, in the same transaction as the write (``ingest``): a concurrent twin blocks on
the unique key until the first commits (PostgreSQL waits on the index entry, SQLite on its write
lock), then finds the key taken and answers with the stored response. The key of a refused write
is deleted with it, so a corrected retry under the same key is still possible.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from pamtps.ops.errors import ServiceError
from pamtps.store import Database, Session
from pamtps.store.idempotency import claim_key, store_answer
from pamtps.store.tables.field import IdempotencyRow

MAX_KEY_LENGTH = 200
# SQLite has one writer: queueing writers here is far cheaper than its busy-wait, which sleeps
# up to 100 ms between tries. One lock per process (the service runs one worker on SQLite).
_SQLITE_WRITER = threading.Lock()


def request_hash(method: str, path: str, payload: Any) -> str:
    """The fingerprint of a request: the same key with another fingerprint is a conflict."""
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{method.upper()} {path}\n{body}".encode()).hexdigest()


def check_key(key: str | None) -> str:
    """The key if usable; 400 if missing, too long or not printable ASCII."""
    if not key:
        raise ServiceError(400, "field.idempotency_key_missing")
    if len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise ServiceError(400, "field.idempotency_key_invalid", limit=MAX_KEY_LENGTH)
    return key


@contextmanager
def write_transaction(database: Database) -> Iterator[Session]:
    """A transaction for field writes, its write lock taken at once (see ``_SQLITE_WRITER``)."""
    if not database.is_sqlite:
        with database.session() as session:
            yield session
        return
    # The first statement of a field write inserts its keys, so it takes SQLite's write lock
    # before any read: no transaction here reads, then fails to upgrade (SQLITE_BUSY).
    with _SQLITE_WRITER, database.session() as session:
        yield session


# One write at a time (the incident, liaison, escort and SMS routes): the key's row is inserted
# first, in the write's own transaction; a twin finds it taken and gets the stored answer (same
# body) or 409 (another body). A refused write rolls back with its key.


def claim(
    session: Session, actor: str, key: str, digest: str, now: datetime
) -> tuple[int, dict[str, Any]] | None:
    """Take the key for this write (None), or the stored (status, body) of its first time."""
    row = {"actor": actor, "key": key, "request_hash": digest, "status_code": 0, "created_at": now}
    if claim_key(session, row):
        return None
    stored = session.get(IdempotencyRow, (actor, key))
    if stored is None or stored.status_code == 0:
        raise ServiceError(409, "field.idempotency_in_flight")
    if stored.request_hash != digest:
        raise ServiceError(409, "field.idempotency_key_reused")
    return stored.status_code, stored.response or {}


def remember(session: Session, actor: str, key: str, status: int, body: dict[str, Any]) -> None:
    """Store the answer of the write under its key."""
    store_answer(session, actor, key, status, body)

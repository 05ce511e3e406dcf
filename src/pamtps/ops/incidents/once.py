"""Writes applied once per client key, for the incident and liaison routes.

The same rule as the field's (``pamtps.ops.idempotency``): the key's row is inserted
first, in the write's own transaction, so a concurrent twin waits on it and then replays the
stored response; the same key with another body is a conflict (409). A refused write rolls back
with its key, so a corrected retry under the same key still goes through.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pamtps.ops.errors import ServiceError
from pamtps.ops.events import Event
from pamtps.ops.idempotency import write_transaction
from pamtps.store import Database, Session
from pamtps.store.incidents import claim_key, store_answer
from pamtps.store.tables.field import IdempotencyRow


@dataclass
class Written:
    """A write's answer: status and JSON body, the events to publish, whether replayed."""

    status: int
    body: dict[str, Any]
    events: list[Event] = field(default_factory=list)
    replayed: bool = False


Apply = Callable[[Session], Written]


def write_once(
    database: Database, actor: str, key: str, digest: str, now: datetime, apply: Apply
) -> Written:
    """Run ``apply`` in one transaction unless ``actor`` already sent ``key`` (then replay)."""
    with write_transaction(database) as session:
        row = {"actor": actor, "key": key, "request_hash": digest, "status_code": 0,
               "created_at": now}
        if not claim_key(session, row):
            return _replay(session.get(IdempotencyRow, (actor, key)), digest)
        written = apply(session)
        store_answer(session, actor, key, written.status, written.body)
    return written


def _replay(stored: IdempotencyRow | None, digest: str) -> Written:
    if stored is None or stored.status_code == 0:
        raise ServiceError(409, "field.idempotency_in_flight")
    if stored.request_hash != digest:
        raise ServiceError(409, "field.idempotency_key_reused")
    return Written(stored.status_code, stored.response or {}, replayed=True)

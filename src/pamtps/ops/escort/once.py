"""Writes applied once under the client's ``Idempotency-Key``, in the write's own transaction.

The key's row is inserted first; a twin finds it taken and gets the stored answer (same body)
or 409 (another body). A refused write rolls back with its key, so a corrected retry may reuse
it. Keys live beside the field's, under the actor ``ops:<user id>``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pamtps.ops.errors import ServiceError
from pamtps.store import Session
from pamtps.store.response import keep_answer, take_key
from pamtps.store.tables.field import IdempotencyRow


def claim(
    session: Session, actor: str, key: str, digest: str, now: datetime
) -> tuple[int, dict[str, Any]] | None:
    """Take the key for this write (None), or the stored (status, body) of its first time."""
    row = {"actor": actor, "key": key, "request_hash": digest, "status_code": 0, "created_at": now}
    if take_key(session, row):
        return None
    stored = session.get(IdempotencyRow, (actor, key))
    if stored is None or stored.status_code == 0:
        raise ServiceError(409, "field.idempotency_in_flight")
    if stored.request_hash != digest:
        raise ServiceError(409, "field.idempotency_key_reused")
    return stored.status_code, stored.response or {}


def remember(session: Session, actor: str, key: str, status: int, body: dict[str, Any]) -> None:
    """Store the answer of the write under its key."""
    keep_answer(session, actor, key, status, body)

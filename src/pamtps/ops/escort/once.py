"""Writes applied once under the client's ``Idempotency-Key``, in the write's own transaction.

The key's row is inserted first; a twin finds it taken and gets the stored answer (same body)
or 409 (another body). A refused write rolls back with its key, so a corrected retry may reuse
it. Keys live beside the field's, under the actor ``ops:<user id>``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from pamtps.ops.errors import ServiceError
from pamtps.store.on_conflict import upsert
from pamtps.store.tables.field import IdempotencyRow


def _key_insert(insert: Any) -> Any:
    return insert(IdempotencyRow).on_conflict_do_nothing().returning(IdempotencyRow.key)


def claim(
    session: Session, actor: str, key: str, digest: str, now: datetime
) -> tuple[int, dict[str, Any]] | None:
    """Take the key for this write (None), or the stored (status, body) of its first time."""
    row = {"actor": actor, "key": key, "request_hash": digest, "status_code": 0, "created_at": now}
    if session.scalars(upsert(session, _key_insert), [row]).all():
        return None
    stored = session.get(IdempotencyRow, (actor, key))
    if stored is None or stored.status_code == 0:
        raise ServiceError(409, "field.idempotency_in_flight")
    if stored.request_hash != digest:
        raise ServiceError(409, "field.idempotency_key_reused")
    return stored.status_code, stored.response or {}


def remember(session: Session, actor: str, key: str, status: int, body: dict[str, Any]) -> None:
    """Store the answer of the write under its key."""
    session.execute(
        update(IdempotencyRow)
        .where(IdempotencyRow.actor == actor, IdempotencyRow.key == key)
        .values(status_code=status, response=body)
    )

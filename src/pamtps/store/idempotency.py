"""Client keys of writes applied once (``pamtps.ops.idempotency``): take one, keep its answer."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from pamtps.store import Session
from pamtps.store.on_conflict import upsert
from pamtps.store.tables.field import IdempotencyRow


def _key_insert(insert: Any) -> Any:
    return insert(IdempotencyRow).on_conflict_do_nothing().returning(IdempotencyRow.key)


def claim_key(session: Session, row: dict[str, Any]) -> bool:
    """Insert the key's row (``actor``, ``key``, ...); False if the key was already there."""
    return session.execute(upsert(session, _key_insert), row).scalar() is not None


def store_answer(
    session: Session, actor: str, key: str, status: int, body: dict[str, Any]
) -> None:
    """Keep the answer of the write done under ``actor``'s ``key``, for its replays."""
    session.execute(
        update(IdempotencyRow)
        .where(IdempotencyRow.actor == actor, IdempotencyRow.key == key)
        .values(status_code=status, response=body)
    )

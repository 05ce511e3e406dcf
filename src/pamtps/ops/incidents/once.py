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

from pamtps.ops.events import Event
from pamtps.ops.idempotency import claim, remember, write_transaction
from pamtps.store import Database, Session


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
        replay = claim(session, actor, key, digest, now)
        if replay is not None:
            return Written(*replay, replayed=True)
        written = apply(session)
        remember(session, actor, key, written.status, written.body)
    return written

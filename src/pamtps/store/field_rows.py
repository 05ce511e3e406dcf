"""The statements of the field write path, set-based: one statement for all the keys, orders,
movements, steps or heartbeats of a group of requests, never one per report (see
``pamtps.ops.field.ingest``).

SQLAlchemy Core on the tables, not ORM objects: on the hot path the ORM's unit of work cost
more than the database. Statements whose shape never changes are built once; lists go in
through expanding parameters, so a statement's cache key is the same on every call; inserts of
many rows go through ``BulkInsert`` and ``BulkUpdate``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, select
from sqlalchemy.orm import Session

from pamtps.store.bulk import BulkInsert, BulkUpdate
from pamtps.store.on_conflict import listed
from pamtps.store.tables.field import (
    HeartbeatRow,
    IdempotencyRow,
    MovementRow,
    OrderRow,
    TpsStatusRow,
)

Key = tuple[str, str]
"""An idempotency key with its owner: (actor, key)."""


def _columns(table: Table) -> tuple[str, ...]:
    """The columns an insert gives: all but the generated id."""
    return tuple(column.name for column in table.c if column.name != "id")


_KEYS = cast(Table, IdempotencyRow.__table__)
_MOVES = cast(Table, MovementRow.__table__)
_STEPS = cast(Table, TpsStatusRow.__table__)

_STORED_KEYS = select(_KEYS).where(_KEYS.c.actor.in_(listed("actors")),
                                   _KEYS.c.key.in_(listed("keys")))
_CURRENT_ORDERS = select(OrderRow).where(OrderRow.nrp.in_(listed("nrps")),
                                         OrderRow.superseded_at.is_(None))
_PHASES = select(_MOVES.c.order_id, _MOVES.c.phase).where(_MOVES.c.order_id.in_(listed("ids")))
_TPS_STEPS = select(_STEPS.c.tps_code, _STEPS.c.status).where(
    _STEPS.c.tps_code.in_(listed("codes")))
_CLAIM = BulkInsert(_KEYS, ("actor", "key", "request_hash", "status_code", "created_at"),
                    conflict=(), returning=("actor", "key"))
_INSERT_MOVES = BulkInsert(_MOVES, _columns(_MOVES), returning=("id", "order_id", "phase"))
_INSERT_STEPS = BulkInsert(_STEPS, _columns(_STEPS), returning=("id", "tps_code", "status"))
_STORE_RESPONSES = BulkUpdate(_KEYS, ("status_code", "response"), key=("actor", "key"))
_HEARTBEATS = BulkInsert(
    cast(Table, HeartbeatRow.__table__), ("nrp", "last_seen", "lat", "lng"),
    conflict=("nrp",), update=("last_seen", "lat", "lng"),
)
_FREE_KEY = delete(_KEYS).where(_KEYS.c.actor == bindparam("b_actor"),
                                _KEYS.c.key == bindparam("b_key"))


def claim_keys(session: Session, rows: list[dict[str, Any]]) -> set[Key]:
    """Insert the keys not there yet; those it inserted. Sorted, so that two writers lock
    the keys they share in the same order (PostgreSQL) and never deadlock on them."""
    ordered = sorted(rows, key=lambda row: (row["actor"], row["key"]))
    return {(row.actor, row.key) for row in _CLAIM.run(session, ordered)}


def stored_keys(session: Session, keys: Iterable[Key]) -> dict[Key, Any]:
    """The stored rows of keys already claimed (by a write before, or one in flight)."""
    wanted = set(keys)
    actors, names = sorted({a for a, _ in wanted}), sorted({k for _, k in wanted})
    found = session.execute(_STORED_KEYS, {"actors": actors, "keys": names})
    return {(row.actor, row.key): row for row in found if (row.actor, row.key) in wanted}


def current_orders(session: Session, nrps: Iterable[str]) -> dict[str, OrderRow]:
    """The order in force of each officer who has one."""
    rows = session.scalars(_CURRENT_ORDERS, {"nrps": sorted(set(nrps))})
    return {row.nrp: row for row in rows}


def phases(session: Session, order_ids: Iterable[int]) -> dict[int, set[str]]:
    """The phases already reported on each order."""
    done: dict[int, set[str]] = {order_id: set() for order_id in order_ids}
    for order_id, phase in session.execute(_PHASES, {"ids": sorted(done)}):
        done[order_id].add(phase)
    return done


def steps(session: Session, codes: Iterable[str]) -> dict[str, set[str]]:
    """The status steps each TPS already has."""
    done: dict[str, set[str]] = {code: set() for code in codes}
    for code, step in session.execute(_TPS_STEPS, {"codes": sorted(done)}):
        done[code].add(step)
    return done


def insert_movements(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert the movements (one statement) and set each row's ``id``."""
    ids = {(r.order_id, r.phase): r.id for r in _INSERT_MOVES.run(session, rows)}
    for row in rows:
        row["id"] = ids[row["order_id"], row["phase"]]


def insert_steps(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert the TPS status steps (one statement) and set each row's ``id``."""
    ids = {(r.tps_code, r.status): r.id for r in _INSERT_STEPS.run(session, rows)}
    for row in rows:
        row["id"] = ids[row["tps_code"], row["status"]]


def store_responses(session: Session, answers: dict[Key, tuple[int, dict[str, Any]]]) -> None:
    """Keep each applied write's answer under its key, for the replays."""
    _STORE_RESPONSES.run(session, [
        {"actor": actor, "key": key, "status_code": status, "response": body}
        for (actor, key), (status, body) in answers.items()
    ])


def free_keys(session: Session, keys: Iterable[Key]) -> None:
    """Delete the keys of refused writes: a corrected retry may use them again."""
    params = [{"b_actor": actor, "b_key": key} for actor, key in keys]
    if params:
        session.execute(_FREE_KEY, params)


def heartbeats(
    session: Session, seen: dict[str, tuple[datetime, float | None, float | None]]
) -> None:
    """Note when (and where) each officer's device was heard from: one row per officer."""
    _HEARTBEATS.run(session, [
        {"nrp": nrp, "last_seen": when, "lat": lat, "lng": lng}
        for nrp, (when, lat, lng) in sorted(seen.items())
    ])

"""The audit log: append-only, each row chained to the one before by its hash.

A row's ``hash`` is the SHA-256 of the canonical JSON of its fields (id, at, actor, action,
subject, payload) and of ``prev_hash``, the hash of the row before it (64 zeros for the first).
Changing a row breaks its own hash; removing one leaves a gap in the ids (the writer numbers rows
itself, so a rolled-back transaction leaves none) and breaks the next row's link; moving one
breaks both. ``verify`` walks the chain and names the first bad row. Removing the newest rows
leaves a shorter valid chain: compare ``VerifyResult.head_hash`` with a copy kept elsewhere.

``record`` (one entry) and ``record_many`` (several in one statement: the requests of a field
group commit, one entry each) must run in the transaction of the writes they record, so that
both land or neither. Appends are serialized so that the chain never forks: PostgreSQL takes a
transaction-scoped advisory lock, SQLite's single writer lock is taken before the head is read.
The lock is held until the transaction ends, so record at the end of a transaction, not at its
start.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pamtps.store import Session
from pamtps.store.security import audit_head, audit_rows, insert_audit_rows, lock_audit_chain
from pamtps.store.tables.security import AuditRow

GENESIS = "0" * 64
"""The ``prev_hash`` of the first row."""

CHAIN_LOCK_KEY = 0x7061_6D74_7073_4155
"""PostgreSQL advisory lock key that serializes appends ("pamtpsAU")."""

HASHED_FIELDS = ("id", "at", "actor", "action", "subject", "payload", "prev_hash")


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """What ``verify`` found: ``ok``, the rows read, the newest hash, or the first bad row."""

    ok: bool
    rows: int
    head_hash: str | None
    bad_id: int | None = None
    reason: str | None = None


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, UTF-8 kept: the same text for the same data, on any database."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def _moment(at: datetime) -> str:
    # SQLite gives back naive UTC, PostgreSQL aware datetimes: hash one form of both.
    utc = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def row_hash(row: Mapping[str, Any]) -> str:
    """The hash of an audit row from its fields (``HASHED_FIELDS``), ``prev_hash`` included."""
    fields = {name: row[name] for name in HASHED_FIELDS} | {"at": _moment(row["at"])}
    return hashlib.sha256(canonical_json(fields).encode()).hexdigest()


Entry = tuple[str, str, str, Mapping[str, Any] | None]
"""What ``record_many`` appends: (actor, action, subject, payload)."""


def _chain(session: Session, entries: list[Entry]) -> list[dict[str, Any]]:
    """The rows of the entries, numbered and hashed after the head, with the chain locked."""
    lock_audit_chain(session, CHAIN_LOCK_KEY)
    number, prev_hash = audit_head(session) or (0, GENESIS)
    at = datetime.now(UTC)
    rows = []
    for actor, action, subject, payload in entries:
        number += 1
        fields = {
            "id": number,
            "at": at,
            "actor": actor,
            "action": action,
            "subject": subject,
            "payload": json.loads(canonical_json(dict(payload or {}))),
            "prev_hash": prev_hash,
        }
        prev_hash = row_hash(fields)
        rows.append(fields | {"hash": prev_hash})
    return rows


def record(
    session: Session,
    actor: str,
    action: str,
    subject: str,
    payload: Mapping[str, Any] | None = None,
) -> AuditRow:
    """Append an entry in the session's transaction, e.g.
    ``record(s, "komandan", "auth.login", "user:komandan", {"ip": "10.0.0.5"})``.

    ``payload`` must be JSON (tuples become lists); the row is flushed, its hash set.
    """
    (fields,) = _chain(session, [(actor, action, subject, payload)])
    row = AuditRow(**fields)
    session.add(row)
    session.flush()
    return row


def record_many(session: Session, entries: list[Entry]) -> None:
    """Append several entries in the session's transaction, in order, with one statement (the
    field writes of a group commit: one entry per request)."""
    if entries:
        insert_audit_rows(session, _chain(session, entries))


def verify(session: Session) -> VerifyResult:
    """Walk the chain from the first row; stop at the first row that is altered or out of place."""
    expected_id, prev_hash, count = 1, GENESIS, 0
    for row in audit_rows(session):
        reason = None
        if row["id"] != expected_id:
            reason = f"row {expected_id} is missing (removed), the chain jumps to {row['id']}"
        elif row_hash(dict(row)) != row["hash"]:
            reason = "its hash does not match its content (altered)"
        elif row["prev_hash"] != prev_hash:
            reason = f"its prev_hash is not row {expected_id - 1}'s hash (removed or reordered)"
        if reason:
            return VerifyResult(False, count, prev_hash if count else None, row["id"], reason)
        expected_id, prev_hash, count = row["id"] + 1, row["hash"], count + 1
    return VerifyResult(True, count, prev_hash if count else None)

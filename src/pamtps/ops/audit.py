"""The audit log: append-only, each row chained to the one before by a keyed hash.

A row's ``hash`` is the HMAC-SHA256, under a key derived from ``PAMTPS_SECRET_KEY`` (so kept
outside the database), of the canonical JSON of its fields (id, at, actor, action, subject,
payload) and of ``prev_hash``, the hash of the row before it (64 zeros for the first). Changing
a row breaks its own hash, and whoever can write to the database but lacks the key cannot
re-hash the rows after it; removing one leaves a gap in the ids (the writer numbers rows
itself, so a rolled-back transaction leaves none) and breaks the next row's link; moving one
breaks both. Removing the newest rows is caught by the checkpoint of the head kept in the data
folder (``pamtps.ops.audit_checkpoint``), written after every commit that appends.

The chain also vouches for the operational tables named in ``AUDITED_TABLES`` (orders,
movements, TPS steps, incidents with their reports, steps and photos, dispatches, escort seals
and handovers): an entry carries the digest of each such row its transaction wrote, as the
transaction left it (``payload["rows"]``, by table and id; null for a row that is gone). The
field writes put them in their own entries; every other write is seen by the store (ORM flushes,
``note_written``) and recorded, just before its transaction commits, in a ``rows.written``
entry of the same transaction. ``verify`` recomputes the digest of every current row and
compares it with the latest entry that recorded that row: a row edited, removed or added in SQL
behind the service's back is named with its table and id.

A database an older PamTPS wrote holds operational rows no entry records: ``verify`` names them
until ``adopt`` (``pamtps audit adopt``), run once by an operator after the upgrade, records
their current state in ``rows.adopted`` entries carrying his name and reason. It refuses, writing
nothing, when a row the chain records no longer matches (tampering is never re-recorded), when an
unrecorded row is newer than rows its table had recorded, and once an adoption is in the chain.

Chains written by an older PamTPS (plain SHA-256, no key) stay verifiable: their rows are
accepted before the checkpoint's ``keyed_from``, the first row this version wrote; every later
row must carry the key. A changed ``PAMTPS_SECRET_KEY`` makes the whole chain fail ``verify``.

``record`` (one entry) and ``record_many`` (several in one statement: the requests of a field
group commit, one entry each) must run in the transaction of the writes they record, so that
both land or neither. Appends are serialized so that the chain never forks: PostgreSQL takes a
transaction-scoped advisory lock, SQLite's single writer lock is taken before the head is read.
The lock is held until the transaction ends, so record at the end of a transaction, not at its
start.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pamtps.ops.audit_checkpoint import (
    Checkpoint,
    CheckpointError,
    Deferred,
    checkpoint_path,
    locked,
    read_checkpoint,
    write_checkpoint,
)
from pamtps.settings import get_settings
from pamtps.store import Session
from pamtps.store.security import (
    AUDITED_TABLES,
    WrittenRows,
    after_audit_commit,
    audit_head,
    audit_rows,
    audited_columns,
    audited_rows,
    database_identity,
    insert_audit_rows,
    lock_audit_chain,
    on_audited_commit,
)
from pamtps.store.tables.security import AuditRow

GENESIS = "0" * 64
"""The ``prev_hash`` of the first row."""

CHAIN_LOCK_KEY = 0x7061_6D74_7073_4155
"""PostgreSQL advisory lock key that serializes appends ("pamtpsAU")."""

HASHED_FIELDS = ("id", "at", "actor", "action", "subject", "payload", "prev_hash")

_PENDING = "pamtps.audit.head"  # the session.info key of the head to checkpoint at commit
_ACTOR = "pamtps.audit.actor"  # the (transaction, actor) of the transaction's last entry
ROWS_PER_ENTRY = 500
"""Row digests in one ``rows.written`` entry at most (a plan's publication writes thousands)."""


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """What ``verify`` found: ``ok``, the rows read, the newest hash, or the first bad row
    (``bad_id``, None when the fault is in the checkpoint or an operational table: then the
    reason names the file, or the table and row). ``unvouched``: the newest rows beyond the
    checkpoint (written within its lag, or before a crash), ``unvouched_since`` the time of the
    first of them."""

    ok: bool
    rows: int
    head_hash: str | None
    bad_id: int | None = None
    reason: str | None = None
    unvouched: int = 0
    unvouched_since: str | None = None


def chain_key() -> bytes:
    """The HMAC key of the chain, derived from ``PAMTPS_SECRET_KEY`` for this use alone."""
    secret = get_settings().secret_key.get_secret_value().encode()
    return hmac.new(secret, b"pamtps/audit-chain/v2", hashlib.sha256).digest()


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, UTF-8 kept: the same text for the same data, on any database."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def _moment(at: datetime) -> str:
    # SQLite gives back naive UTC, PostgreSQL aware datetimes: hash one form of both.
    utc = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _fields_text(row: Mapping[str, Any]) -> bytes:
    fields = {name: row[name] for name in HASHED_FIELDS} | {"at": _moment(row["at"])}
    return canonical_json(fields).encode()


def row_hash(row: Mapping[str, Any], key: bytes | None = None) -> str:
    """The keyed hash of an audit row from its fields (``HASHED_FIELDS``, ``prev_hash``
    included), under ``key`` (by default ``chain_key()``)."""
    return hmac.new(key or chain_key(), _fields_text(row), hashlib.sha256).hexdigest()


def legacy_row_hash(row: Mapping[str, Any]) -> str:
    """The unkeyed SHA-256 an older PamTPS chained its rows with."""
    return hashlib.sha256(_fields_text(row)).hexdigest()


def _plain(value: Any) -> Any:
    return _moment(value) if isinstance(value, datetime) else value


def table_row_digest(table: str, row: Mapping[str, Any]) -> str:
    """The SHA-256 of an audited table's row: every column, by name (absent ones as null)."""
    values = {name: _plain(row.get(name)) for name in audited_columns(table)}
    return hashlib.sha256(canonical_json(values).encode()).hexdigest()


def row_digests(
    rows: Iterable[tuple[str, Mapping[str, Any]]],
) -> dict[str, dict[str, str | None]]:
    """``payload["rows"]`` of an entry: the digests of the (table, row) it wrote, by table and
    id, e.g. ``{"movements": {"17": "9f2c..."}}``."""
    digests: dict[str, dict[str, str | None]] = {}
    for table, row in rows:
        digests.setdefault(table, {})[str(row["id"])] = table_row_digest(table, row)
    return digests


def _record_written(session: Session, written: WrittenRows) -> None:
    """Append ``rows.written`` entries with the digests of the audited rows this transaction
    wrote (null for one it removed), by the actor of its last entry ("system" if none)."""
    mine = session.info.pop(_ACTOR, None)
    actor = mine[1] if mine and mine[0] is session.get_transaction() else "system"
    digests = [(table, str(ident), None if row is None else table_row_digest(table, dict(row)))
               for table, rows in written.items() for ident, row in rows.items()]
    record_many(session, _row_entries(actor, "rows.written", digests, {}))


def _row_entries(
    actor: str, action: str, digests: list[tuple[str, str, str | None]], extra: dict[str, Any],
) -> list[Entry]:
    """Entries recording row digests (table, id, digest), ``ROWS_PER_ENTRY`` at most in each,
    their payload ``{"rows": {table: {id: digest}}}`` and ``extra``."""
    entries: list[Entry] = []
    for start in range(0, len(digests), ROWS_PER_ENTRY):
        chunk: dict[str, dict[str, str | None]] = {}
        for table, ident, digest in digests[start:start + ROWS_PER_ENTRY]:
            chunk.setdefault(table, {})[ident] = digest
        entries.append((actor, action, "table:" + ",".join(chunk), {"rows": chunk} | extra))
    return entries


on_audited_commit(_record_written)


Entry = tuple[str, str, str, Mapping[str, Any] | None]
"""What ``record_many`` appends: (actor, action, subject, payload)."""


Pending = tuple[int, str, int, str, Path, bytes]
"""A head to checkpoint: its row id and hash, the first row its writer appended, the database,
the checkpoint file and the key, the last two taken at commit (a test changes its folder)."""


def _checkpoint_at_commit(session: Session, head: tuple[int, str], first: int) -> None:
    """Have the head written to the checkpoint file once this transaction commits."""
    pending = session.info.get(_PENDING)
    first = pending[2] if pending else first
    database = database_identity(session)
    session.info[_PENDING] = (head[0], head[1], first, database, checkpoint_path(database),
                              chain_key())
    after_audit_commit(session, _PENDING, _schedule)


def _write_pending(pending: Pending) -> None:
    number, digest, first, database, path, key = pending
    with locked(path):
        try:
            previous = read_checkpoint(key, database, path)
        except CheckpointError:
            previous = None  # an unreadable file is replaced; verify reported it, if asked
        if previous is not None and previous.id >= number:
            return  # another process got as far or further; never move the checkpoint back
        keyed_from = previous.keyed_from if previous else first
        write_checkpoint(key, database, (number, digest), keyed_from, path=path)


_DEFERRED = Deferred(_write_pending)
"""The checkpoint writes of this process, off the commit path (``pamtps.ops.audit_checkpoint``)."""


def _schedule(pending: Pending) -> None:
    """Write the head to the checkpoint now (lag 0) or within the configured lag."""
    lag = get_settings().audit
    if lag.checkpoint_lag_ms == 0 or not pending[4].exists():  # the chain's first: no window
        _write_pending(pending)
        return
    _DEFERRED.lag_s, _DEFERRED.lag_rows = lag.checkpoint_lag_ms / 1000, lag.checkpoint_lag_rows
    _DEFERRED.submit(pending[4], pending)


def checkpoint_now(session: Session, *, announce: bool = True) -> Checkpoint | None:
    """Write the checkpoint of the chain's current head (at shutdown); None for an empty log."""
    _DEFERRED.flush()
    head = audit_head(session)
    if head is None:
        return None
    key, database = chain_key(), database_identity(session)
    with locked(checkpoint_path(database)):
        try:
            previous = read_checkpoint(key, database)
        except CheckpointError:
            previous = None
        keyed_from = previous.keyed_from if previous else head[0]
        return write_checkpoint(key, database, head, keyed_from, announce=announce)


def _chain(session: Session, entries: list[Entry]) -> list[dict[str, Any]]:
    """The rows of the entries, numbered and hashed after the head, with the chain locked."""
    lock_audit_chain(session, CHAIN_LOCK_KEY)
    number, prev_hash = audit_head(session) or (0, GENESIS)
    at = datetime.now(UTC)
    key = chain_key()
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
        prev_hash = row_hash(fields, key)
        rows.append(fields | {"hash": prev_hash})
    session.info[_ACTOR] = (session.get_transaction(), entries[-1][0])
    _checkpoint_at_commit(session, (number, prev_hash), rows[0]["id"])
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


@dataclass
class _Walk:
    """What the walk of the chain gathered for the checks after it."""

    last_id: int = 0
    beyond_since: str | None = None  # the time of the first row beyond the checkpoint
    keyed: int = 0
    legacy: int = 0
    adopted: int | None = None  # the first entry of the chain's adoption (``adopt``), if any
    hashes_at: dict[int, str] = field(default_factory=dict)
    # table -> id -> (digest, None: removed; the audit row that recorded it last)
    recorded: dict[str, dict[str, tuple[str | None, int]]] = field(default_factory=dict)


def verify(session: Session) -> VerifyResult:
    """Walk the chain from the first row and stop at the first row that is altered or out of
    place; then check it against the checkpoint file, and the audited tables against it.
    The heads this process has yet to checkpoint are written first."""
    walk, result = _walk_chain(session)
    if walk is None:
        return result
    reason = _against_tables(session, walk)
    return replace(result, ok=reason is None, reason=reason)


def _walk_chain(session: Session) -> tuple[_Walk | None, VerifyResult]:
    """The chain walked and checked against its checkpoint: what the walk gathered and the
    result so far, or None and the failure."""
    _DEFERRED.flush()
    key, database = chain_key(), database_identity(session)
    try:
        checkpoint = read_checkpoint(key, database)
    except CheckpointError as error:
        return None, VerifyResult(False, 0, None, None, str(error))
    keyed_from = checkpoint.keyed_from if checkpoint else None
    walk = _Walk()
    expected_id, prev_hash, count = 1, GENESIS, 0
    for found in audit_rows(session):
        row, reason = dict(found), None
        legacy_allowed = (row["id"] < keyed_from) if keyed_from else walk.keyed == 0
        if row["id"] != expected_id:
            reason = f"row {expected_id} is missing (removed), the chain jumps to {row['id']}"
        elif hmac.compare_digest(row_hash(row, key), row["hash"]):
            walk.keyed += 1
        elif legacy_allowed and legacy_row_hash(row) == row["hash"]:
            walk.legacy += 1
        else:
            reason = "its hash does not match its content under the key (altered or re-hashed)"
        if reason is None and row["prev_hash"] != prev_hash:
            reason = f"its prev_hash is not row {expected_id - 1}'s hash (removed or reordered)"
        if reason:
            return None, VerifyResult(False, count, prev_hash if count else None, row["id"],
                                      reason)
        if checkpoint and row["id"] == checkpoint.id:
            walk.hashes_at[row["id"]] = row["hash"]
        if checkpoint and row["id"] == checkpoint.id + 1:
            walk.beyond_since = _moment(row["at"])
        if row["action"] == ADOPT_ACTION and walk.adopted is None:
            walk.adopted = row["id"]
        for table, digests in (row["payload"] or {}).get("rows", {}).items():
            mine = walk.recorded.setdefault(table, {})
            mine.update({ident: (digest, row["id"]) for ident, digest in digests.items()})
        expected_id, prev_hash, count = row["id"] + 1, row["hash"], count + 1
    walk.last_id = expected_id - 1
    head = prev_hash if count else None
    reason = _against_checkpoint(walk, checkpoint, database)
    beyond = max(0, walk.last_id - checkpoint.id) if checkpoint else 0
    result = VerifyResult(reason is None, count, head, None, reason, beyond,
                          walk.beyond_since if beyond else None)
    return (None if reason else walk), result


def _against_checkpoint(walk: _Walk, checkpoint: Checkpoint | None, database: str) -> str | None:
    path = checkpoint_path(database)
    if checkpoint is None:
        if walk.keyed:
            return f"the checkpoint file {path} is missing: the chain's newest rows are unvouched"
        return None
    if walk.last_id < checkpoint.id:
        return (f"the chain ends at row {walk.last_id} but the checkpoint {path} of "
                f"{checkpoint.at} names row {checkpoint.id}: its newest rows were removed")
    if walk.hashes_at.get(checkpoint.id) != checkpoint.hash:
        return (f"row {checkpoint.id} does not have the hash of the checkpoint {path} of "
                f"{checkpoint.at}: the chain was rewritten")
    return None


@dataclass
class _Tables:
    """What the check of the audited tables found: the first fault in a row the chain records
    (or an unrecorded row that cannot predate the recording), and the rows no entry records."""

    fault: str | None = None
    # (table, id, digest of the row as it is, the lowest id the chain records in its table)
    unrecorded: list[tuple[str, int, str, int | None]] = field(default_factory=list)


def _check_tables(session: Session, walk: _Walk) -> _Tables:
    found = _Tables()
    for table in AUDITED_TABLES:
        recorded = dict(walk.recorded.get(table, {}))
        first = min((int(ident) for ident in recorded), default=None)
        for row in audited_rows(session, table):
            ident = str(row["id"])
            if ident not in recorded:
                found.unrecorded.append((table, row["id"], table_row_digest(table, dict(row)),
                                         first))
                continue
            digest, entry = recorded.pop(ident)
            if found.fault:
                continue
            if digest is None:
                found.fault = (f"table {table} row {ident} was removed by audit row {entry} but "
                               "is there (added back)")
            elif table_row_digest(table, dict(row)) != digest:
                found.fault = f"table {table} row {ident} differs from audit row {entry} (altered)"
        for ident, (digest, entry) in sorted(recorded.items(), key=lambda item: int(item[0])):
            if digest is not None and not found.fault:
                found.fault = f"table {table} row {ident} of audit row {entry} is missing (removed)"
    return found


def _against_tables(session: Session, walk: _Walk) -> str | None:
    found = _check_tables(session, walk)
    if found.fault:
        return found.fault
    # Rows written before the chain was keyed (by an older PamTPS) carry no digest: accepted
    # below the first recorded id of their table until an adoption records them.
    blamed = [(table, ident) for table, ident, _, first in found.unrecorded
              if not (walk.legacy and not walk.adopted and (first is None or ident < first))]
    if not blamed:
        return None
    table, ident = blamed[0]
    more = f" ({len(blamed)} unrecorded rows in all)" if len(blamed) > 1 else ""
    return (f"table {table} row {ident} is not recorded in the audit chain (added){more}. "
            "Rows written before this version of PamTPS recorded its tables are recorded once, "
            f"after the upgrade, with `{ADOPT_COMMAND}`; any other was added behind the "
            "service's back")


ADOPT_ACTION = "rows.adopted"
"""The action of the entries that record the rows an older PamTPS wrote (``adopt``)."""

ADOPT_COMMAND = "pamtps audit adopt --by NAME --reason TEXT"


class AdoptRefused(Exception):
    """``adopt`` changed nothing: the chain or a recorded row is not intact, or a row is not one
    an older PamTPS could have written. The message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Adoption:
    """What ``adopt`` recorded: rows by table (empty: nothing to adopt) in audit rows
    ``entries`` (first and last id)."""

    rows: dict[str, int]
    entries: tuple[int, int] | None


def adopt(session: Session, by: str, reason: str) -> Adoption:
    """Record, once, after an upgrade, the current state of every operational row that no
    entry records (written by a PamTPS that did not record its tables), in ``rows.adopted``
    entries by ``by`` with ``reason`` in their payload, appended and checkpointed like any other.

    Refused (``AdoptRefused``, nothing written) when the chain does not verify for any other
    reason than those rows: a row the chain records that differs, is missing or was added back
    is tampering, never re-recorded. Refused too for an unrecorded row whose id lies above the
    lowest id its table's recorded rows have (inserted after the recording began), and for any
    unrecorded row once the chain holds an adoption: adoption happens once. Nothing unrecorded:
    an empty ``Adoption`` and nothing written, so that running it again changes nothing."""
    by, reason = by.strip(), reason.strip()
    if not by or not reason:
        raise AdoptRefused("the operator (--by) and the reason (--reason) are both required")
    lock_audit_chain(session, CHAIN_LOCK_KEY)  # no append between the check and the adoption
    walk, result = _walk_chain(session)
    verify_hint = "; run `pamtps audit verify` and investigate: nothing was adopted"
    if walk is None:  # the chain or its checkpoint is broken
        where = f" at row {result.bad_id}" if result.bad_id is not None else ""
        raise AdoptRefused(f"the audit log is broken{where}: {result.reason}{verify_hint}")
    found = _check_tables(session, walk)
    if found.fault:
        raise AdoptRefused(f"{found.fault}: a row the audit chain records was changed, and "
                           f"adoption never records it again{verify_hint}")
    if not found.unrecorded:
        return Adoption({}, None)
    if walk.adopted:
        table, ident, _, _ = found.unrecorded[0]
        raise AdoptRefused(
            f"table {table} row {ident} is not recorded, but the chain already holds the "
            f"adoption of audit row {walk.adopted}: every row written since is recorded by its "
            f"write, so this one was added behind the service's back{verify_hint}")
    for table, ident, _, first in found.unrecorded:
        if first is not None and ident > first:
            raise AdoptRefused(
                f"table {table} row {ident} is not recorded, but is newer than row {first} the "
                "chain records: it was added after this version began recording its tables, "
                f"not written before the upgrade{verify_hint}")
    digests: list[tuple[str, str, str | None]] = [
        (table, str(ident), digest) for table, ident, digest, _ in found.unrecorded]
    entries = _row_entries(by, ADOPT_ACTION, digests, {"reason": reason})
    head = audit_head(session)
    record_many(session, entries)
    first_entry = (head[0] if head else 0) + 1
    counts: dict[str, int] = {}
    for table, _, _ in digests:
        counts[table] = counts.get(table, 0) + 1
    return Adoption(counts, (first_entry, first_entry + len(entries) - 1))

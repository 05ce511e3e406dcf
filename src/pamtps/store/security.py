"""Who may do what, in the store: users, browser sessions, device tokens, the audit chain, and
the Polsek sectors and codes that scopes name.

The rules (passwords, lockouts, the chain's hashes, what a scope covers) live in ``pamtps.ops``;
here are only the statements they need, so that ops never builds SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Row, RowMapping, Table, bindparam, delete, event, select, text
from sqlalchemy.orm import ORMExecuteState, Session, object_session

from pamtps.domain import AreaLevel, UnitType
from pamtps.store.bulk import BulkInsert
from pamtps.store.tables.field import MovementRow, OrderRow, TpsStatusRow
from pamtps.store.tables.incidents import (
    IncidentPhotoRow,
    IncidentReportRow,
    IncidentRow,
    IncidentStepRow,
)
from pamtps.store.tables.reference import AreaRow, PersonnelRow, TpsRow, UnitRow
from pamtps.store.tables.response import DispatchRow, EscortHandoverRow, EscortSealRow
from pamtps.store.tables.security import AuditRow, DeviceTokenRow, UserRow, WebSessionRow

# Users.


def find_user(session: Session, username: str) -> UserRow | None:
    """The user row of ``username``, or None."""
    return session.scalars(select(UserRow).where(UserRow.username == username)).one_or_none()


def users_in_order(session: Session) -> list[UserRow]:
    """Every user row, in the order they were added."""
    return list(session.scalars(select(UserRow).order_by(UserRow.id)))


def people_of(
    session: Session, usernames: Iterable[str]
) -> Sequence[Row[str, str, str, str | None, str | None, str | None]]:
    """(username, display name, role, scope code, rank, name) of the stored users among
    ``usernames``; rank and name come from the personnel table when the user has an NRP."""
    wanted = sorted(set(usernames))
    if not wanted:
        return []
    return session.execute(
        select(UserRow.username, UserRow.display_name, UserRow.role, UserRow.scope_code,
               PersonnelRow.rank, PersonnelRow.name)
        .outerjoin(PersonnelRow, PersonnelRow.nrp == UserRow.nrp)
        .where(UserRow.username.in_(wanted))
    ).all()


def personnel_named(session: Session, nrps: Iterable[str]) -> dict[str, str]:
    """'Aiptu Budi Santoso' (rank and name) of the stored personnel among ``nrps``, by NRP."""
    wanted = sorted(set(nrps))
    if not wanted:
        return {}
    rows = session.execute(
        select(PersonnelRow.nrp, PersonnelRow.rank, PersonnelRow.name)
        .where(PersonnelRow.nrp.in_(wanted))
    )
    return {nrp: f"{rank} {name}".strip() for nrp, rank, name in rows}


def tps_places(
    session: Session, codes: Iterable[str]
) -> Sequence[Row[str, int, str, str, str | None]]:
    """(TPS code, number, desa code, desa name, desa kind) of the stored TPS among ``codes``."""
    wanted = sorted(set(codes))
    if not wanted:
        return []
    return session.execute(
        select(TpsRow.code, TpsRow.number, TpsRow.desa_code, AreaRow.name, AreaRow.kind)
        .join(AreaRow, AreaRow.code == TpsRow.desa_code)
        .where(TpsRow.code.in_(wanted))
    ).all()


# What a scope code may name: a user's scope is checked against the stored reference data.


def polsek_exists(session: Session, code: str) -> bool:
    """Whether a Polsek unit with this code is stored."""
    query = select(UnitRow.code).where(UnitRow.code == code, UnitRow.type == UnitType.POLSEK.value)
    return session.execute(query).first() is not None


def kecamatan_exists(session: Session, code: str) -> bool:
    """Whether a kecamatan with this code is stored."""
    query = select(AreaRow.code).where(
        AreaRow.code == code, AreaRow.level == AreaLevel.KECAMATAN.value
    )
    return session.execute(query).first() is not None


def officer_exists(session: Session, nrp: str) -> bool:
    """Whether an officer with this NRP is stored."""
    query = select(PersonnelRow.nrp).where(PersonnelRow.nrp == nrp)
    return session.execute(query).first() is not None


def tps_exists(session: Session, code: str) -> bool:
    """Whether a TPS with this code is stored."""
    return session.execute(select(TpsRow.code).where(TpsRow.code == code)).first() is not None


def polsek_sectors(session: Session) -> dict[str, tuple[str, ...]]:
    """The sector (kecamatan codes) of every stored Polsek, by unit code."""
    query = select(UnitRow.code, UnitRow.kecamatan_codes).where(
        UnitRow.type == UnitType.POLSEK.value
    )
    return {code: tuple(kecamatan) for code, kecamatan in session.execute(query)}


# Browser sessions and device tokens.


def delete_expired_sessions(session: Session, user_id: int, now: datetime) -> None:
    """Remove the user's browser sessions that ended before ``now``."""
    expired = (WebSessionRow.user_id == user_id) & (WebSessionRow.expires_at < now)
    session.execute(delete(WebSessionRow).where(expired))


def delete_session(session: Session, id_hash: str) -> None:
    """Remove the browser session with this id hash (a logout)."""
    session.execute(delete(WebSessionRow).where(WebSessionRow.id_hash == id_hash))


_TOKEN_HOLDER = (
    select(
        DeviceTokenRow.id.label("token_id"), DeviceTokenRow.expires_at, DeviceTokenRow.revoked_at,
        UserRow.id, UserRow.username, UserRow.role, UserRow.scope_code, UserRow.display_name,
        UserRow.nrp, UserRow.active,
    )
    .join(UserRow, UserRow.id == DeviceTokenRow.user_id)
    .where(DeviceTokenRow.token_hash == bindparam("token_hash"))
)  # one indexed query on every device call, its columns only


def token_holder(session: Session, token_hash: str) -> Row[*tuple[Any, ...]] | None:
    """The device token of this hash and its user: ``token_id``, ``expires_at``, ``revoked_at``
    and the user's columns (``id``, ``username``, ``role`` ...), or None."""
    return session.execute(_TOKEN_HOLDER, {"token_hash": token_hash}).one_or_none()


# A cache of credentials must forget them when a user or a device token changes.

_WATCHED = frozenset({UserRow.__tablename__, DeviceTokenRow.__tablename__})


def on_credentials_change(callback: Callable[[], None]) -> None:
    """Call ``callback`` whenever a user or device token changes in this process: at once (an
    ORM flush, a bulk ``UPDATE``/``DELETE``), and again when the transaction commits, since
    until then another transaction may still read the old rows."""
    changed_flag = object()  # this callback's mark in ``Session.info``

    def changed(session: Session | None) -> None:
        callback()
        if session is not None:
            session.info[changed_flag] = True

    def on_bulk_change(state: ORMExecuteState) -> None:
        table = getattr(state.statement, "table", None)
        if (state.is_update or state.is_delete) and getattr(table, "name", None) in _WATCHED:
            changed(state.session)

    def on_flush_change(_mapper: Any, _connection: Any, target: Any) -> None:
        changed(object_session(target))

    def on_commit(session: Session) -> None:
        if session.info.pop(changed_flag, False):
            callback()

    event.listen(Session, "do_orm_execute", on_bulk_change)
    for row_class in (UserRow, DeviceTokenRow):
        event.listen(row_class, "after_update", on_flush_change)
        event.listen(row_class, "after_delete", on_flush_change)
    event.listen(Session, "after_commit", on_commit)


# The audit chain.

_AUDIT_INSERT = BulkInsert(
    cast(Table, AuditRow.__table__),
    ("id", "at", "actor", "action", "subject", "payload", "prev_hash", "hash"),
)


def lock_audit_chain(session: Session, key: int) -> None:
    """Hold the audit chain until the transaction ends, so that appends never fork it: on
    PostgreSQL the advisory lock ``key``, on SQLite the database's write lock."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    else:
        # A write that changes nothing still takes SQLite's write lock, so that the head read
        # next is the newest one (pysqlite runs a transaction's reads before its first write
        # outside it).
        session.execute(text("UPDATE audit_log SET id = id WHERE 1 = 0"))


def audit_head(session: Session) -> tuple[int, str] | None:
    """The id and hash of the newest audit row, or None for an empty log."""
    last = select(AuditRow.id, AuditRow.hash).order_by(AuditRow.id.desc()).limit(1)
    head = session.execute(last).first()
    return (head.id, head.hash) if head else None


def insert_audit_rows(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert audit rows (dicts of every column) in one statement."""
    _AUDIT_INSERT.run(session, rows)


def audit_rows(session: Session) -> Iterator[RowMapping]:
    """Every audit row as a mapping of its columns, oldest first, read in batches."""
    query = select(AuditRow.__table__).order_by(AuditRow.id).execution_options(yield_per=1000)
    return iter(session.execute(query).mappings())


def after_audit_commit(session: Session, key: str, callback: Callable[[Any], None]) -> None:
    """Call ``callback(session.info[key])`` once the session's transaction commits, if the key
    is still set then; a rollback drops the key. Registered once per session."""
    flag = f"{key}:hooked"
    if session.info.get(flag):
        return
    session.info[flag] = True

    def committed(done: Session) -> None:
        value = done.info.pop(key, None)
        if value is not None:
            callback(value)

    event.listen(session, "after_commit", committed)
    event.listen(session, "after_rollback", lambda done: done.info.pop(key, None))


def database_identity(session: Session) -> str:
    """The session's database as a printable URL without password (names its checkpoint)."""
    return session.get_bind().engine.url.render_as_string(hide_password=True)


# The operational tables whose every row the audit chain vouches for, by table name. A movement
# or TPS step is recorded by the field write that inserts it (``payload["rows"]`` of its entry);
# every other write to these tables is seen here (``note_written`` for statements, the ORM's
# flushes by themselves) and recorded when its transaction commits (``on_audited_commit``).
AUDITED_TABLES: dict[str, Table] = {
    "movements": cast(Table, MovementRow.__table__),
    "tps_status_events": cast(Table, TpsStatusRow.__table__),
    "orders": cast(Table, OrderRow.__table__),
    "incidents": cast(Table, IncidentRow.__table__),
    "incident_reports": cast(Table, IncidentReportRow.__table__),
    "incident_steps": cast(Table, IncidentStepRow.__table__),
    "incident_photos": cast(Table, IncidentPhotoRow.__table__),
    "dispatches": cast(Table, DispatchRow.__table__),
    "escort_seals": cast(Table, EscortSealRow.__table__),
    "escort_handovers": cast(Table, EscortHandoverRow.__table__),
}

_WRITTEN = "pamtps.audit.written"  # session.info: table -> ids written in this transaction


def audited_columns(table: str) -> tuple[str, ...]:
    """The columns of an audited table, in their declared order."""
    return tuple(column.name for column in AUDITED_TABLES[table].columns)


def audited_rows(session: Session, table: str) -> Iterator[RowMapping]:
    """Every row of an audited table as a mapping of its columns, by id, read in batches."""
    source = AUDITED_TABLES[table]
    query = select(source).order_by(source.c.id).execution_options(yield_per=1000)
    return iter(session.execute(query).mappings())


def note_written(session: Session, table: str, ids: Iterable[int]) -> None:
    """Mark rows of an audited table as written by this transaction, by a statement the ORM
    does not track (an ``INSERT``/``UPDATE`` built with ``insert()``/``update()``): their state
    at commit is recorded in the audit chain."""
    session.info.setdefault(_WRITTEN, {}).setdefault(table, set()).update(ids)


def _track_flush(session: Session, _context: Any) -> None:
    for row in (*session.new, *session.dirty, *session.deleted):
        table = getattr(row, "__tablename__", None)
        if table in AUDITED_TABLES and getattr(row, "id", None) is not None:
            note_written(session, table, [row.id])


def _forget_written(session: Session, *_: Any) -> None:
    session.info.pop(_WRITTEN, None)


event.listen(Session, "after_flush", _track_flush)
event.listen(Session, "after_rollback", _forget_written)


WrittenRows = dict[str, dict[int, RowMapping | None]]
"""Rows of audited tables as a transaction leaves them, by table and id (None: not there)."""


def on_audited_commit(callback: Callable[[Session, WrittenRows], None]) -> None:
    """Call ``callback(session, rows)`` just before a transaction that wrote rows of audited
    tables commits, in it, with those rows as they now are (so that it can record them)."""

    def before_commit(session: Session) -> None:
        if not session.info.get(_WRITTEN):
            return
        session.flush()  # the last ORM changes are noted too
        written: dict[str, set[int]] = session.info.pop(_WRITTEN, {})
        rows: WrittenRows = {}
        for table, ids in sorted(written.items()):
            source, wanted = AUDITED_TABLES[table], sorted(ids)
            found: dict[int, RowMapping | None] = dict.fromkeys(wanted)
            for start in range(0, len(wanted), 1000):
                query = select(source).where(source.c.id.in_(wanted[start:start + 1000]))
                found.update((row["id"], row) for row in session.execute(query).mappings())
            rows[table] = found
        callback(session, rows)

    event.listen(Session, "before_commit", before_commit)

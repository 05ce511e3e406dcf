"""Many rows of one table inserted or updated in one statement, on SQLite and PostgreSQL.

SQLAlchemy sends N rows as one ``INSERT ... VALUES (...), (...)`` with N times the columns as
parameters, and N updates as N statements. psycopg parses such an insert anew every time (it
caches only statements of up to 50 parameters) and adapts every value in Python: under load that
was a fifth of the service's CPU on PostgreSQL. There the rows go instead as one JSON text read
by ``json_to_recordset``: one short statement, always the same, and one parameter made by the
json module's C encoder. SQLite's driver runs SQLAlchemy's statements in C, so SQLite keeps
them. ``ON CONFLICT`` and ``RETURNING`` are spelled alike by both.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from sqlalchemy import Row, Table, TextClause, bindparam, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

_PG = postgresql.dialect()
_LENGTH = re.compile(r"\(.*\)")  # VARCHAR(64) -> VARCHAR


def _moment(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON: {value!r}")


@dataclass(frozen=True, eq=False)
class _Bulk:
    """A statement on many rows of ``table``: on PostgreSQL ``_postgres``, taking the rows as
    ``:rows``, a JSON array; on SQLite ``_sqlite``, run once per row by the driver."""

    table: Table
    columns: tuple[str, ...]

    def _run(self, session: Session, rows: Sequence[dict[str, Any]]) -> Any:
        if session.get_bind().dialect.name == "postgresql":
            names = self._given
            as_json = json.dumps([{name: row[name] for name in names} for row in rows],
                                 default=_moment, separators=(",", ":"))
            return session.execute(self._postgres, {"rows": as_json})
        return session.execute(self._sqlite, [self._sqlite_row(row) for row in rows])

    @property
    def _given(self) -> tuple[str, ...]:
        return self.columns

    def _sqlite_row(self, row: dict[str, Any]) -> dict[str, Any]:
        return row

    def _recordset(self) -> str:
        """The rows as a table ``r``, typed like the columns (without a length: a cast would
        cut a long string, where the column refuses it)."""
        types = ", ".join(f"{name} {_LENGTH.sub('', self.table.c[name].type.compile(_PG))}"
                          for name in self._given)
        return f"json_to_recordset(CAST(:rows AS JSON)) AS r({types})"

    @property
    def _postgres(self) -> TextClause:
        raise NotImplementedError

    @property
    def _sqlite(self) -> Any:
        raise NotImplementedError


@dataclass(frozen=True, eq=False)
class BulkInsert(_Bulk):
    """An INSERT of many rows: its ``columns``; on a duplicate of ``conflict`` (the columns of
    a unique index, () for any) nothing, or the ``update`` columns set from the new row; the
    ``returning`` columns of the rows inserted."""

    conflict: tuple[str, ...] | None = None
    update: tuple[str, ...] = ()
    returning: tuple[str, ...] = ()

    def run(self, session: Session, rows: Sequence[dict[str, Any]]) -> Sequence[Row[Any]]:
        """Insert the rows (dicts by column name); the ``returning`` rows, in no set order."""
        if not rows:
            return []
        result = self._run(session, rows)
        return result.all() if self.returning else []

    @cached_property
    def _postgres(self) -> TextClause:
        names = ", ".join(self.columns)
        statement = f"INSERT INTO {self.table.name} ({names}) SELECT {names} FROM "
        statement += self._recordset()
        if self.conflict is not None:
            target = f" ({', '.join(self.conflict)})" if self.conflict else ""
            changes = ", ".join(f"{name} = excluded.{name}" for name in self.update)
            statement += f" ON CONFLICT{target} " + (f"DO UPDATE SET {changes}" if changes
                                                     else "DO NOTHING")
        if self.returning:
            statement += f" RETURNING {', '.join(self.returning)}"
        return text(statement)

    @cached_property
    def _sqlite(self) -> Any:
        statement: Any = sqlite.insert(self.table)
        if self.conflict is not None and self.update:
            changes = {name: statement.excluded[name] for name in self.update}
            statement = statement.on_conflict_do_update(index_elements=self.conflict,
                                                        set_=changes)
        elif self.conflict is not None:
            statement = statement.on_conflict_do_nothing()
        if self.returning:
            statement = statement.returning(*(self.table.c[name] for name in self.returning))
        return statement


@dataclass(frozen=True, eq=False)
class BulkUpdate(_Bulk):
    """An UPDATE of many rows, each found by its ``key`` columns: its ``columns`` set."""

    key: tuple[str, ...] = ()

    def run(self, session: Session, rows: Sequence[dict[str, Any]]) -> None:
        """Update the rows (dicts by column name, the key's columns included)."""
        if rows:
            self._run(session, rows)

    @property
    def _given(self) -> tuple[str, ...]:
        return self.key + self.columns

    @cached_property
    def _postgres(self) -> TextClause:
        table = self.table.name
        changes = ", ".join(f"{name} = r.{name}" for name in self.columns)
        match = " AND ".join(f"{table}.{name} = r.{name}" for name in self.key)
        return text(f"UPDATE {table} SET {changes} FROM {self._recordset()} WHERE {match}")

    @cached_property
    def _sqlite(self) -> Any:
        # The parameters are renamed: SQLAlchemy keeps the columns' own names for itself.
        def given(name: str) -> Any:
            return bindparam(f"b_{name}", type_=self.table.c[name].type)

        match = (self.table.c[name] == given(name) for name in self.key)
        return update(self.table).where(*match).values({n: given(n) for n in self.columns})

    def _sqlite_row(self, row: dict[str, Any]) -> dict[str, Any]:
        return {f"b_{name}": row[name] for name in self._given}

"""SQL the field service builds once: ``INSERT ... ON CONFLICT`` in each database's dialect.

Both SQLite and PostgreSQL have ``ON CONFLICT``, but SQLAlchemy spells it per dialect; and on a
hot path building a statement costs more than running it, so each is built once per dialect.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

Build = Callable[[Any], Any]
"""Makes a statement from the dialect's ``insert`` function."""


def dialect_of(session: Session) -> str:
    return session.get_bind().dialect.name


@cache
def _built(build: Build, dialect: str) -> Any:
    return build(postgresql.insert if dialect == "postgresql" else sqlite.insert)


def listed(name: str) -> Any:
    """A parameter that takes a list, so that the statement is built once:
    ``column.in_(listed("codes"))``, run with ``{"codes": [...]}``."""
    return bindparam(name, expanding=True)


def upsert(session: Session, build: Build) -> Any:
    """The statement ``build(insert)`` for the session's database, built on first use."""
    return _built(build, dialect_of(session))

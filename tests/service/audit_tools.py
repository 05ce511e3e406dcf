"""What the audit tests share: verify the chain, change the database behind the service's back."""

from __future__ import annotations

from sqlalchemy import select, text

from pamtps.ops import audit
from pamtps.store import Database
from pamtps.store.security import AUDITED_TABLES


def verify(db: Database) -> audit.VerifyResult:
    """``audit.verify`` in a session of its own."""
    with db.session() as session:
        return audit.verify(session)


def sql(db: Database, statement: str, **params: object) -> None:
    """Run one SQL statement and commit it, as someone with database access would."""
    with db.session() as session:
        session.execute(text(statement), params)


def insert_copy(db: Database, table: str, ident: int, **changes: object) -> None:
    """Insert a copy of row ``ident`` of an audited table with ``changes`` (its new ``id``
    among them) in SQL, with no audited write behind it."""
    source = AUDITED_TABLES[table]
    with db.session() as session:
        row = dict(session.execute(select(source).where(source.c.id == ident)).mappings().one())
        session.execute(source.insert().values(row | changes))

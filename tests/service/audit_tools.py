"""What the audit tests share: verify the chain, change the database behind the service's back."""

from __future__ import annotations

from sqlalchemy import text

from pamtps.ops import audit
from pamtps.store import Database


def verify(db: Database) -> audit.VerifyResult:
    """``audit.verify`` in a session of its own."""
    with db.session() as session:
        return audit.verify(session)


def sql(db: Database, statement: str, **params: object) -> None:
    """Run one SQL statement and commit it, as someone with database access would."""
    with db.session() as session:
        session.execute(text(statement), params)

"""Whether the database answers, for the service's health check."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from pamtps.store.database import Database


def database_answers(database: Database) -> bool:
    """True if a transaction that runs ``SELECT 1`` opens and commits; False on any database
    error (unreachable server, refused login, locked file ...)."""
    try:
        with database.session() as session:
            session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True

"""Alembic environment of the PamTPS store.

``Database.migrate()`` hands over its own connection (with the SQLite pragmas set); from the
alembic command line the database is the one PamTPS settings name.
"""

from typing import Any

from alembic import context

from pamtps.store.tables.reference import Base


def run_migrations(**where: Any) -> None:
    # Batch mode lets later migrations alter tables on SQLite, which has no ALTER COLUMN.
    context.configure(target_metadata=Base.metadata, render_as_batch=True, **where)
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    from pamtps.settings import get_settings
    from pamtps.store.database import Database

    connection = context.config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection=connection)
    elif context.is_offline_mode():
        run_migrations(url=get_settings().database_url, literal_binds=True)
    else:
        database = Database.from_settings()
        try:
            with database.engine.begin() as connection:
                run_migrations(connection=connection)
        finally:
            database.dispose()


main()

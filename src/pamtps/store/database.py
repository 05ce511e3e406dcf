"""The one class that owns the database: its engine, its transactions and its migrations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from pamtps.settings import Settings, get_settings, normalize_database_url

ALEMBIC_INI = Path(__file__).with_name("alembic.ini")

SQLITE_BUSY_TIMEOUT_MS = 10_000
"""How long a writer waits for another one to finish before SQLite gives up."""


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers go on while one writer writes; SQLite checks foreign keys only on request.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


class Database:
    """A SQLite or PostgreSQL database: nothing else in PamTPS opens a connection.

    ``session()`` is one transaction; ``migrate()`` brings the schema up to date.
    """

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = normalize_database_url(url)
        parsed = make_url(self.url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        # psycopg prepares a statement run 5 times; PostgreSQL may then keep a generic plan made
        # while a table was empty, which scans 26,000 TPS once per key of an upsert's IN (...).
        connect_args = {} if self.is_sqlite else {"prepare_threshold": None}
        self.engine: Engine = create_engine(self.url, echo=echo, connect_args=connect_args)
        if self.is_sqlite:
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            event.listen(self.engine, "connect", _set_sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Database:
        """The database named by ``PAMTPS_DATABASE_URL`` (or its default)."""
        return cls((settings or get_settings()).database_url)

    @property
    def display_url(self) -> str:
        """The URL with any password masked, for messages and logs."""
        return make_url(self.url).render_as_string(hide_password=True)

    def __repr__(self) -> str:
        return f"Database({self.display_url!r})"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self._sessions.begin() as session:
            yield session

    def migrate(self, revision: str = "head") -> None:
        """Run the Alembic migrations up to ``revision`` (by default the newest)."""
        config = Config(str(ALEMBIC_INI))
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)

    def dispose(self) -> None:
        """Close every pooled connection (the object can still be used afterwards)."""
        self.engine.dispose()

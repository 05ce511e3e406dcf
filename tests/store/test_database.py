"""The Database class: transactions, SQLite settings, and migrations."""

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from pamtps.settings import Settings
from pamtps.store import Database, load_dataset, save_dataset, summary
from pamtps.store.tables.reference import AreaRow, Base
from tests.fixtures import AREAS, toy_dataset


def test_a_session_commits_when_its_block_ends(db: Database) -> None:
    """What one session wrote, the next one reads."""
    with db.session() as session:
        session.add(AreaRow(code="16.99", name="Kabupaten Contoh", level="kabupaten"))
    with db.session() as session:
        assert session.scalars(select(AreaRow.name)).all() == ["Kabupaten Contoh"]


def test_a_failed_transaction_leaves_nothing(db: Database) -> None:
    """An exception inside the block rolls back everything the block wrote."""
    with pytest.raises(RuntimeError, match="halfway"), db.session() as session:
        save_dataset(session, toy_dataset())
        raise RuntimeError("halfway")
    with db.session() as session:
        assert load_dataset(session).areas == []
        assert summary(session)["tps"] == 0


def test_a_tps_needs_its_desa(db: Database) -> None:
    """Foreign keys hold on both databases (SQLite checks them only when asked to)."""
    toy = toy_dataset()
    toy.areas = [area for area in AREAS if area.code != toy.tps[0].desa_code]
    toy.boundaries = {}
    with pytest.raises(IntegrityError), db.session() as session:
        save_dataset(session, toy)


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    """A SQLite database waits for a busy writer, and creates the folder of its file."""
    database = Database(f"sqlite:///{tmp_path / 'new' / 'folder' / 'pamtps.db'}")
    with database.engine.connect() as connection:
        pragmas = [
            connection.execute(text(f"PRAGMA {name}")).scalar()
            for name in ("journal_mode", "foreign_keys", "busy_timeout")
        ]
    database.dispose()
    assert pragmas == ["wal", 1, 10_000]


def test_from_settings_opens_the_default_database_in_the_data_folder(tmp_path: Path) -> None:
    """With no URL set, the database is pamtps.db in the data folder."""
    database = Database.from_settings(Settings(data_dir=tmp_path))
    database.migrate()
    database.dispose()
    assert (tmp_path / "pamtps.db").exists()


def test_migrations_create_every_table(db: Database) -> None:
    """A migrated database has each table of the models, and Alembic's version table."""
    tables = set(inspect(db.engine).get_table_names())
    assert tables == set(Base.metadata.tables) | {"alembic_version"}


def test_migrations_match_the_models(db: Database) -> None:
    """Alembic finds no difference between the migrated schema and the models."""
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_migrating_twice_changes_nothing(db: Database) -> None:
    """migrate() on an up-to-date database is a no-op that keeps the data."""
    with db.session() as session:
        save_dataset(session, toy_dataset())
    db.migrate()
    with db.session() as session:
        assert load_dataset(session) == toy_dataset()


def test_the_displayed_url_hides_the_password() -> None:
    """Messages and logs never show a database password."""
    database = Database("postgresql://pamtps:s3cret@db.local/pamtps")
    assert database.display_url == "postgresql+psycopg://pamtps:***@db.local/pamtps"
    assert "s3cret" not in repr(database)

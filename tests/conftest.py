"""Shared fixtures: a migrated, empty database, the toy regency of ``tests/fixtures.py`` and OKU.

``PAMTPS_TEST_DATABASE_URL`` picks the database. Unset, each test gets its own SQLite file (a
copy of one migrated once per run). Set to a PostgreSQL URL, the run migrates a schema of its
own in that database once, empties it before each test and drops it at the end, so that two
runs can share one server.

The tests under ``NO_DATABASE`` never touch a database: they are marked ``no_database``, so that
the PostgreSQL run of scripts/test.sh deselects them (running them twice proves nothing), and
while one of them runs, opening a database fails it, so that the mark cannot lie.
"""

from __future__ import annotations

import os
import secrets
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from pamtps.datasets import load_dataset
from pamtps.datasets.roster import OKU_FIGURES, generate_roster
from pamtps.domain import Dataset
from pamtps.domain.plan import Plan, Scenario
from pamtps.io.operation_file import bundled_operation, load_operation
from pamtps.settings import get_settings
from pamtps.store import Database
from pamtps.store.tables.reference import Base
from tests.fixtures import toy_dataset

TEST_DATABASE_URL = os.environ.get("PAMTPS_TEST_DATABASE_URL", "")

TESTS = Path(__file__).parent

# Folders and files of tests that need no database (the database-free layers, and the checks of
# the source tree). A test of a folder here that comes to need one moves out, or the folder does.
NO_DATABASE = tuple(
    TESTS / name
    for name in (
        "planner",
        "documents",
        "io",
        "datasets",
        "scale",
        "test_architecture.py",
        "test_settings.py",
        "test_tokens.py",
    )
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``no_database`` the tests under NO_DATABASE."""
    for item in items:
        if any(item.path.is_relative_to(path) for path in NO_DATABASE):
            item.add_marker(pytest.mark.no_database)


@pytest.fixture(autouse=True)
def _no_database_is_true(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A test marked ``no_database`` fails if it asks for a database or opens one."""
    if request.node.get_closest_marker("no_database") is None:
        return
    if "db_url" in request.fixturenames:
        pytest.fail("a no_database test asks for a database (the db_url fixture)")

    def refuse(self: Database, *args: object, **kwargs: object) -> None:
        pytest.fail("a no_database test opened a database (pamtps.store.Database)")

    monkeypatch.setattr(Database, "__init__", refuse)


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No test reads the developer's PAMTPS_* settings or writes to his data folder."""
    for name in ("PAMTPS_DATABASE_URL", "PAMTPS_ENVIRONMENT", "PAMTPS_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PAMTPS_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once per run, copied for each test (faster than migrating)."""
    path = tmp_path_factory.mktemp("template") / "pamtps.db"
    database = Database(f"sqlite:///{path}")
    database.migrate()
    database.dispose()  # the last connection to close folds the WAL into the file
    return path


@pytest.fixture(scope="session")
def _postgres_url() -> Iterator[str]:
    """The URL of a fresh, migrated schema of this run in the PostgreSQL test database."""
    admin = Database(TEST_DATABASE_URL)
    if admin.is_sqlite:
        raise pytest.UsageError("PAMTPS_TEST_DATABASE_URL must name a PostgreSQL database")
    schema = f"pamtps_test_{os.getpid()}_{secrets.token_hex(3)}"
    with admin.engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(admin.url).update_query_dict({"options": f"-csearch_path={schema}"})
    database = Database(url.render_as_string(hide_password=False))
    try:
        database.migrate()
        yield database.url
    finally:
        database.dispose()
        with admin.engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _empty_postgres(url: str) -> None:
    """Empty every table. A thread of the previous test (a live server's writer, a background
    round) may still hold a lock that TRUNCATE's exclusive ones collide with: PostgreSQL then
    aborts one side as a deadlock, and TRUNCATE is tried again once that thread is done."""
    database = Database(url)
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    try:
        for attempt in range(5):
            try:
                with database.engine.begin() as connection:
                    connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
                return
            except OperationalError as error:
                if "deadlock" not in str(error.orig) or attempt == 4:
                    raise
                time.sleep(0.2 * (attempt + 1))
    finally:
        database.dispose()


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a migrated database holding no rows, for this test alone."""
    if TEST_DATABASE_URL:
        url: str = request.getfixturevalue("_postgres_url")
        _empty_postgres(url)
        return url
    path = tmp_path / "pamtps.db"
    shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
    return f"sqlite:///{path}"


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """A migrated, empty Database (see ``db_url``)."""
    database = Database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def toy() -> Dataset:
    """The toy regency: 2 kecamatan, 4 desa, 6 TPS, 1 Polres, 2 Polsek, 7 people."""
    return toy_dataset()


@pytest.fixture(scope="session")
def oku() -> Scenario:
    """OKU 2024 with its synthetic roster (627 Polres, 59 BKO, 80 Brimob, 30 TNI)."""
    dataset = load_dataset("oku-2024")
    officers, units = generate_roster(dataset, OKU_FIGURES)
    return Scenario(dataset.with_personnel(officers, units), load_operation(bundled_operation()))


@pytest.fixture(scope="session")
def oku_plan(oku: Scenario) -> Plan:
    """The planner's plan for OKU, made once per run (it takes seconds)."""
    from pamtps.planner import plan

    return plan(oku)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """In CI no test may be skipped: a skip (a missing tool, say) counts as a failure."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which must run every test: {report.longrepr}"

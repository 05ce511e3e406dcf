"""Fixtures of the dashboard tests: the OKU demo served for real, and a headless Chromium.

OKU is planned once per run (``oku``) and stored once (``_seeded_sqlite``, copied for the
module; on PostgreSQL the run's schema is emptied and seeded). ``live_url`` serves it with
uvicorn on a free loopback port, the watch loop off: the tests run the watch themselves at a
chosen time. ``browser`` is Debian's Chromium driven by Playwright (never a downloaded browser).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from pamtps.ops.field.runtime import FieldRuntime, FieldSettings
from pamtps.settings import Settings
from pamtps.store import Database
from pamtps.web.app import create_app
from tests.conftest import TEST_DATABASE_URL, _empty_postgres
from tests.service.dashboard.live import BROWSER_ARGS, CHROMIUM, serving
from tests.service.dashboard.seed import OkuDemo, oku_plan, seed_oku

SECRET = "e2e-secret-key-0123456789-abcdefghij"


def oku_settings(url: str, data_dir: Path) -> Settings:
    return Settings(database_url=url, secret_key=SECRET, data_dir=data_dir)


@pytest.fixture(scope="session")
def oku() -> OkuDemo:
    return oku_plan()


@pytest.fixture(scope="session")
def _seeded_sqlite(
    _sqlite_template: Path, oku: OkuDemo, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A SQLite file holding the published OKU demo, made once per run."""
    folder = tmp_path_factory.mktemp("oku")
    path = folder / "oku.db"
    shutil.copyfile(_sqlite_template, path)
    database = Database(f"sqlite:///{path}")
    seed_oku(database, oku_settings(database.url, folder), oku)
    database.dispose()
    return path


@pytest.fixture(scope="module")
def oku_db(
    request: pytest.FixtureRequest, oku: OkuDemo, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """The published OKU demo in this module's database."""
    folder = tmp_path_factory.mktemp("oku-module")
    if TEST_DATABASE_URL:
        url: str = request.getfixturevalue("_postgres_url")
        _empty_postgres(url)
        seeding = Database(url)
        seed_oku(seeding, oku_settings(url, folder), oku)
        seeding.dispose()
    else:
        shutil.copyfile(request.getfixturevalue("_seeded_sqlite"), folder / "oku.db")
        url = f"sqlite:///{folder / 'oku.db'}"
    database = Database(url)
    yield database
    database.dispose()


@pytest.fixture(scope="module")
def oku_app(oku_db: Database, tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    app = create_app(oku_db, oku_settings(oku_db.url, tmp_path_factory.mktemp("oku-app")))
    app.state.field = FieldRuntime(FieldSettings(watch_interval_s=0))
    return app


@pytest.fixture(scope="module")
def live_url(oku_app: FastAPI) -> Iterator[str]:
    with serving(oku_app) as url:
        yield url


@pytest.fixture(scope="module")
def browser(live_url: str) -> Iterator[Any]:
    """Chromium, closed before the server stops (its event streams end first)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield chromium
        chromium.close()

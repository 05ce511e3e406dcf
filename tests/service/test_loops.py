"""The background loops: rounds repeat, a failed round is logged and the next one runs, an
interval of 0 means never, and the loops stop with the block; the app runs the rounds."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from pamtps.ops.loops import running
from pamtps.ops.users import User
from pamtps.settings import Settings
from pamtps.store import Database
from pamtps.store.tables.response import SitrepRow
from pamtps.web.app import create_app
from tests.service.field.conftest import save_and_publish


def test_a_failed_round_is_logged_and_the_loop_goes_on(caplog: pytest.LogCaptureFixture):
    """The first round raises; later rounds still run; the 0-second loop never runs; after the
    block no round runs any more."""
    rounds: list[int] = []
    never: list[int] = []

    def work() -> None:
        rounds.append(len(rounds))
        if len(rounds) == 1:
            raise RuntimeError("database restarting")

    async def scenario() -> int:
        async with running([(0.01, work, "test"), (0, lambda: never.append(1), "off")]):
            while len(rounds) < 3:
                await asyncio.sleep(0.01)
        stopped_at = len(rounds)
        await asyncio.sleep(0.05)
        return stopped_at

    with caplog.at_level(logging.ERROR, logger="pamtps.ops.loops"):
        stopped_at = asyncio.run(scenario())
    assert len(rounds) == stopped_at >= 3
    assert never == []
    assert [r.getMessage() for r in caplog.records] == ["test round failed"]


def test_the_app_runs_the_rounds_unless_told_not_to(
    db: Database, db_url: str, people: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app's lifespan starts the rounds: the hourly report of the plan in force is written
    as the app starts. An app made with ``rounds=False`` (``pamtps serve --no-rounds``) leaves
    them to ``pamtps worker``."""
    save_and_publish(db, 1)
    monkeypatch.setenv("PAMTPS_OPS_SITREP_INTERVAL_S", "3600")
    settings = Settings(database_url=db_url)
    with TestClient(create_app(db, settings, rounds=False)) as client:
        assert client.get("/healthz").status_code == 200
    assert sitreps(db) == 0
    with TestClient(create_app(db, settings)):
        deadline = time.monotonic() + 30
        while sitreps(db) == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
    assert sitreps(db) == 1


def sitreps(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(SitrepRow)) or 0

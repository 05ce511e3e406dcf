"""`pamtps worker` runs the background rounds outside the service; `serve --no-rounds` leaves
them to it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from typer.testing import Result

from pamtps.settings import get_settings
from pamtps.store import Database, save_dataset
from pamtps.store.tables.response import SitrepRow
from tests.fixtures import toy_dataset
from tests.service.field.conftest import save_and_publish


def sitreps(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(SitrepRow)) or 0


@pytest.fixture
def in_force(db: Database) -> Database:
    """The toy regency with version 1 of its plan published."""
    with db.session() as session:
        save_dataset(session, toy_dataset())
    save_and_publish(db, 1)
    return db


def test_worker_once_runs_one_round_of_each_and_exits(
    cli: Callable[..., Result], in_force: Database
) -> None:
    """`pamtps worker --once`: every round runs once, the hourly report among them; a second
    pass in the same period writes no second report."""
    result = cli("worker", "--once")
    assert result.exit_code == 0, result.output
    assert "Ran watch, escalate, escort, sitrep once" in result.stdout
    assert sitreps(in_force) == 1
    assert cli("worker", "--once", "sitrep").exit_code == 0
    assert sitreps(in_force) == 1


def test_worker_leaves_out_a_round_whose_interval_is_0(
    cli: Callable[..., Result], in_force: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An interval of 0 turns a round off in the worker too; with no round left, it fails."""
    monkeypatch.setenv("PAMTPS_OPS_SITREP_INTERVAL_S", "0")
    get_settings.cache_clear()
    result = cli("worker", "--once", "watch", "sitrep")
    assert result.exit_code == 0, result.output
    assert "sitrep (sitrep): off" in result.stdout
    assert "Ran watch once" in result.stdout
    assert sitreps(in_force) == 0
    assert cli("worker", "--once", "sitrep").exit_code == 1


def test_worker_refuses_an_unknown_round(cli: Callable[..., Result]) -> None:
    result = cli("worker", "--once", "patrol")
    assert result.exit_code == 1
    assert "unknown round 'patrol'" in result.output


@pytest.mark.parametrize(
    ("flags", "factory"),
    [((), "pamtps.web.app:create_app"),
     (("--no-rounds",), "pamtps.web.app:create_app_without_rounds")],
)
def test_serve_runs_the_rounds_unless_no_rounds(
    cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch, flags: tuple[str, ...],
    factory: str,
) -> None:
    """`pamtps serve` serves the app that runs the rounds; `--no-rounds` the one that does not."""
    import uvicorn

    served: list[str] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.append(app))
    assert cli("serve", *flags).exit_code == 0
    assert served == [factory]

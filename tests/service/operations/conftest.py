"""Fixtures of the response tests: the loops off, squads of two, the toy plans published."""

from __future__ import annotations

import pytest

from pamtps.store import Database
from tests.service.field.conftest import save_and_publish
from tests.service.operations.world import PASAR_POINT, add_incident, publish_reserve_plan

PASAR_TPS = "1699021001001"


@pytest.fixture(autouse=True)
def _no_loops(monkeypatch: pytest.MonkeyPatch) -> None:
    """No background loop: tests call the watch and the hourly sitrep with their own time."""
    monkeypatch.setenv("PAMTPS_FIELD_WATCH_INTERVAL_S", "0")
    monkeypatch.setenv("PAMTPS_OPS_ESCORT_WATCH_INTERVAL_S", "0")
    monkeypatch.setenv("PAMTPS_OPS_SITREP_INTERVAL_S", "0")
    monkeypatch.setenv("PAMTPS_OPS_SQUAD_SIZE", "2")


@pytest.fixture
def reserve_db(db: Database, people: object) -> Database:
    """The toy regency, its personas, and the reserve plan in force."""
    publish_reserve_plan(db)
    return db


@pytest.fixture
def riot(reserve_db: Database) -> int:
    """A riot at Pasar TPS 001, next to Polres Contoh; its incident id."""
    with reserve_db.session() as session:
        return add_incident(session, PASAR_TPS, point=PASAR_POINT, sector="polsek_hilir")


@pytest.fixture
def field_plan(db: Database, people: object) -> Database:
    """The toy regency, its personas, and version 1 of the field plan in force (Andi at Hulu)."""
    save_and_publish(db, 1)
    return db

"""Fixtures of the field tests: the toy regency stored, its plan saved and published.

Times are explicit: ``at(hour, minute)`` is that wall-clock time (WIB) on the toy voting day.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from pamtps.ops.field import writer as writer_module
from pamtps.ops.field.ingest import BODIES, Outcome, Report, Reporter, ingest
from pamtps.ops.field.orders import PublishResult, publish
from pamtps.ops.field.runtime import FieldRuntime, FieldSettings
from pamtps.ops.idempotency import request_hash
from pamtps.ops.times import on_voting_day
from pamtps.ops.users import User
from pamtps.settings import Settings
from pamtps.store import Database, load_dataset, save_dataset
from pamtps.store.plans import get_plan, save_plan
from tests.fixtures import toy_dataset
from tests.service.field.api import add_officers, bearer, save_plan_version
from tests.service.field.plans import toy_field_plan, toy_operation

Headers = dict[str, str]

PUBLISHED_AT = datetime(2024, 2, 11, 8, 0, tzinfo=UTC)
EXPIRES_AFTER_VOTING = datetime(2099, 1, 1, tzinfo=UTC)  # far off: the API checks with today


def at(hour: int, minute: int = 0) -> datetime:
    """A wall-clock time (WIB) on the toy voting day, in UTC."""
    return on_voting_day(toy_operation(), time(hour, minute))


@pytest.fixture
def toy_db(db: Database) -> Database:
    """The migrated database holding the toy regency."""
    with db.session() as session:
        save_dataset(session, toy_dataset())
    return db


SECRET = b"field-test-secret-0123456789"


def field_write(
    database: Database,
    nrp: str,
    kind: str,
    body: dict[str, Any],
    target: str | None = None,
    *,
    now: datetime,
    key: str | None = None,
) -> Outcome:
    """One field write by the officer ``nrp`` as the API applies it, received at ``now``."""
    reporter = Reporter(int(nrp), nrp, nrp, SECRET)
    digest = request_hash("POST", f"{kind}/{target}", body)
    report = Report(
        key or str(uuid.uuid4()), digest, kind, BODIES[kind].model_validate(body), target
    )
    runtime = FieldRuntime(FieldSettings())
    (outcome,) = ingest(database, runtime, reporter, [report], now, f"field.{kind}").outcomes
    return outcome


def save_and_publish(database: Database, version: int) -> PublishResult:
    """Save version ``version`` of the toy plan and publish it as the command."""
    with database.session() as session:
        plan_id = save_plan(session, toy_field_plan(version), toy_operation(), now=PUBLISHED_AT)
        stored = get_plan(session, plan_id)
        assert stored is not None
        return publish(session, stored, load_dataset(session), "komandan", PUBLISHED_AT)


@pytest.fixture
def published(toy_db: Database) -> PublishResult:
    """Version 1 of the toy plan, published."""
    return save_and_publish(toy_db, 1)


@pytest.fixture
def republish(toy_db: Database) -> Callable[[int], PublishResult]:
    return lambda version: save_and_publish(toy_db, version)


@pytest.fixture(autouse=True)
def _no_watch_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    """The watch runs only when a test calls it, with its own time."""
    monkeypatch.setenv("PAMTPS_FIELD_WATCH_INTERVAL_S", "0")


@pytest.fixture
def heads(db: Database, settings: Settings, people: dict[str, User]) -> dict[str, Headers]:
    """Bearer headers by username: the personas' and the two extra officers'."""
    add_officers(db)
    names = ["komandan", "sek.hulu", "sek.hilir", "polda", "andi", "fajar", "eko"]
    return {name: bearer(db, settings, name) for name in names}


@pytest.fixture
def in_force(db: Database, client: TestClient, heads: dict[str, Headers]) -> int:
    """Version 1 of the toy plan, published by the command through the API; its plan id."""
    plan_id = save_plan_version(db, 1)
    response = client.post(f"/api/v1/plans/{plan_id}/publish", headers=heads["komandan"])
    assert response.status_code == 201, response.text
    return plan_id


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Holds the writer's group commit until the test opens it: what it holds stays inside."""
    opened = threading.Event()
    real = writer_module.ingest_group

    def held(*args: Any) -> Any:
        assert opened.wait(30), "the test never opened the gate"
        return real(*args)

    monkeypatch.setattr(writer_module, "ingest_group", held)
    yield opened
    opened.set()

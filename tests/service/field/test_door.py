"""The door: field writes beyond what a process holds are refused (429) before any work, and the
door admits fewer while the admitted ones take too long (``pamtps.ops.field.writer.Door``)."""

from __future__ import annotations

import threading
import time

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from pamtps.ops.field.writer import Door, writer_of
from pamtps.settings import FieldSettings, Settings
from pamtps.store import Database
from pamtps.store.tables.field import MovementRow
from tests.service.field.api import in_flight, send

Headers = dict[str, str]
RETRY_AFTER_S = 5


@pytest.fixture
def settings(db_url: str) -> Settings:
    """A door of one request; the queue's own bounds far away, so only the door refuses."""
    return Settings(database_url=db_url, field=FieldSettings(
        inflight_limit=1, queue_limit=10_000, queue_wait_ms=60_000, retry_after_s=RETRY_AFTER_S))


def _movements(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(MovementRow)) or 0


def test_a_full_door_refuses_before_reading_the_body_or_the_sender(
    db: Database, app: FastAPI, client: TestClient, heads: dict[str, Headers], in_force: int,
    gate: threading.Event,
) -> None:
    """While Andi's write holds the only place, a write with no credentials and a body that is
    not JSON gets the door's 429 (not 401, not 422): nothing of it was read. The same holds for
    each field write route; Fajar's real apel is refused too and stores nothing. The command
    post still reads: the overload of the field does not blind it."""
    movements = _movements(db)
    thread, first = in_flight(client, app, "/api/v1/movements", heads["andi"], {"phase": "apel"})
    door = writer_of(app).door
    assert door.in_flight == 1 and door.full()
    for path in ("/api/v1/movements", "/api/v1/checkin", "/api/v1/field/batch",
                 "/api/v1/orders/1/ack", "/api/v1/tps/T1/status"):
        refused = client.post(path, content=b"{not json", headers={"Content-Type":
                                                                    "application/json"})
        assert refused.status_code == 429, (path, refused.text)
        assert refused.headers["Retry-After"] == str(RETRY_AFTER_S)
        assert refused.json()["detail"]["code"] == "field.overloaded"
        assert f"{RETRY_AFTER_S} detik" in refused.json()["detail"]["message"]
    english = client.post("/api/v1/movements?lang=en", json={"phase": "apel"},
                          headers=heads["fajar"] | {"Idempotency-Key": "f-door-1"})
    assert english.status_code == 429
    assert "busy" in english.json()["detail"]["message"]
    assert client.get("/api/v1/tps/state", headers=heads["komandan"]).status_code == 200
    gate.set()
    thread.join(30)
    assert first[0].status_code == 201
    assert door.in_flight == 0
    again = client.post("/api/v1/movements", json={"phase": "apel"},
                        headers=heads["fajar"] | {"Idempotency-Key": "f-door-1"})
    assert again.status_code == 201, again.text  # the 429 kept nothing of it
    assert _movements(db) == movements + 2


def test_a_refused_request_leaves_the_door_as_it_was(
    app: FastAPI, client: TestClient, heads: dict[str, Headers], in_force: int,
) -> None:
    """Refusals by the route (401, 422) and by the door pass through it without leaking a
    place: afterwards nothing is counted inside."""
    assert client.post("/api/v1/movements", json={"phase": "apel"}).status_code == 401
    bad = send(client, "/api/v1/movements", heads["andi"], {"phase": "terbang"})
    assert bad.status_code == 422
    assert writer_of(app).door.in_flight == 0


def test_the_door_admits_fewer_while_answers_are_slow_and_recovers() -> None:
    """Multiplicative decrease on a slow answer from a crowded door (at most once per target),
    additive increase on the others, between the floor and the ceiling."""
    door = Door(ceiling=40, target_s=0.2, floor=2)
    assert door.limit == 40
    now = time.monotonic()
    door.in_flight = 30
    door.leave(now - 1.0)  # took a second with 30 inside: cut to 30
    assert door.limit == pytest.approx(30)
    door.leave(now - 1.0)  # a second slow one within the same target window: no second cut
    assert door.limit == pytest.approx(30)
    door._cut_at -= 1.0  # a window later
    door.leave(now - 1.0)
    assert door.limit == pytest.approx(22.5)
    assert door.in_flight == 27
    door._cut_at -= 1.0
    door.in_flight = 5  # slow, but the door has room: not the crowd's doing, no cut
    door.leave(now - 1.0)
    assert door.limit > 22.5
    for _ in range(200):
        door._cut_at -= 1.0
        door.in_flight = int(door.limit)
        door.leave(now - 5.0)
    assert door.limit == 2  # never below the floor
    door.in_flight = 2
    assert door.full()
    door.in_flight = 0
    for _ in range(2000):
        door.leave(door.enter())  # answered at once
    assert door.limit == 40  # back at the ceiling, never above
    door.in_flight = 39
    assert not door.full()
    door.in_flight = 40
    assert door.full()


def test_a_door_never_above_its_ceiling_keeps_a_floor_it_can_reach() -> None:
    """A ceiling below the floor lowers the floor: a door of one admits one."""
    door = Door(ceiling=1, target_s=0.2, floor=2)
    assert door.floor == 1 and not door.full()
    door.enter()
    assert door.full()

"""Load shedding: a full write queue answers 429 with Retry-After at once and applies nothing."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import func, select

from pamtps.ops.field.writer import writer_of
from pamtps.settings import FieldSettings, Settings
from pamtps.store import Database
from pamtps.store.tables.field import MovementRow
from pamtps.store.tables.security import AuditRow
from tests.service.field.api import in_flight, send

Headers = dict[str, str]
RETRY_AFTER_S = 7


@pytest.fixture
def settings(db_url: str) -> Settings:
    """A queue of one report: the second write while one is being written is refused."""
    return Settings(database_url=db_url,
                    field=FieldSettings(queue_limit=1, retry_after_s=RETRY_AFTER_S))


def _count(db: Database, table: Any) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def test_a_full_queue_answers_429_with_retry_after_and_applies_nothing(
    db: Database, app: FastAPI, client: TestClient, heads: dict[str, Headers], in_force: int,
    gate: threading.Event,
) -> None:
    """Andi's apel is being written; Fajar's meanwhile is refused at once (429, Retry-After from
    the settings, the service's error format) and leaves no row and no audit entry. Sent again
    under the same key once the queue has room, it is applied (the 429 kept nothing of it)."""
    movements, audited = _count(db, MovementRow), _count(db, AuditRow)
    thread, first = in_flight(client, app, "/api/v1/movements", heads["andi"], {"phase": "apel"})
    started = time.monotonic()
    refused = send(client, "/api/v1/movements", heads["fajar"], {"phase": "apel"}, key="f-1")
    waited = time.monotonic() - started
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == str(RETRY_AFTER_S)
    assert refused.json()["detail"]["code"] == "field.overloaded"
    assert f"{RETRY_AFTER_S} detik" in refused.json()["detail"]["message"]
    assert waited < 5  # answered while the first write is still held, not queued behind it
    assert not first  # the first is still being written
    gate.set()
    thread.join(30)
    assert first[0].status_code == 201
    assert _count(db, MovementRow) == movements + 1
    assert _count(db, AuditRow) == audited + 1
    again = send(client, "/api/v1/movements", heads["fajar"], {"phase": "apel"}, key="f-1")
    assert again.status_code == 201
    assert again.headers.get("Idempotent-Replayed") is None
    assert _count(db, MovementRow) == movements + 2


def test_a_batch_is_shed_whole_and_in_english_on_request(
    db: Database, app: FastAPI, client: TestClient, heads: dict[str, Headers], in_force: int,
    gate: threading.Event,
) -> None:
    """A phone's queued batch meets a full queue: one 429 for the batch (in English with
    ?lang=en), none of its reports applied; the queue drains and the counter returns to 0."""
    movements = _count(db, MovementRow)
    thread, first = in_flight(client, app, "/api/v1/movements", heads["andi"], {"phase": "apel"})
    batch = {"reports": [{"path": "/api/v1/movements", "body": {"phase": p}}
                         for p in ("apel", "berangkat")]}
    refused = send(client, "/api/v1/field/batch?lang=en", heads["fajar"], batch)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == str(RETRY_AFTER_S)
    assert "busy" in refused.json()["detail"]["message"]
    gate.set()
    thread.join(30)
    assert first[0].status_code == 201
    assert _count(db, MovementRow) == movements + 1
    assert writer_of(app).pending == 0


def test_a_batch_larger_than_the_bound_still_goes_through_an_empty_queue(
    db: Database, client: TestClient, heads: dict[str, Headers], in_force: int,
) -> None:
    """The bound is one report, but a phone's batch of two is accepted when nothing waits:
    otherwise a long stretch without signal could never be sent."""
    batch = {"reports": [{"path": "/api/v1/movements", "body": {"phase": p}}
                         for p in ("apel", "berangkat")]}
    answer = send(client, "/api/v1/field/batch", heads["andi"], batch)
    assert answer.status_code == 200, answer.text
    assert [r["status"] for r in answer.json()["results"]] == [201, 201]


def test_a_request_is_shed_once_the_oldest_waiting_report_waited_too_long(
    db: Database, app: FastAPI, client: TestClient, heads: dict[str, Headers], in_force: int,
    gate: threading.Event,
) -> None:
    """The count bound is far away (1,000 reports), but the wait bound is not: while Andi's apel
    is held, Fajar's is still queued; once Andi's has waited past the bound, Eko's is refused
    with 429 at once. Both queued writes are applied when the writer moves on."""
    writer = writer_of(app)
    writer.limit, writer.max_wait_s = 1000, 3.0
    movements = _count(db, MovementRow)
    andi, andi_answer = in_flight(client, app, "/api/v1/movements", heads["andi"],
                                   {"phase": "apel"})
    fajar_answer: list[Response] = []
    fajar = threading.Thread(target=lambda: fajar_answer.append(
        send(client, "/api/v1/movements", heads["fajar"], {"phase": "apel"})))
    fajar.start()
    deadline = time.monotonic() + 10
    while writer.pending < 2:
        assert time.monotonic() < deadline, "the second write was not queued"
        time.sleep(0.01)
    assert writer.oldest_wait() < writer.max_wait_s  # queued within the bound, not refused
    while writer.oldest_wait() <= writer.max_wait_s:
        time.sleep(0.05)
    refused = send(client, "/api/v1/movements", heads["eko"], {"phase": "apel"})
    assert refused.status_code == 429, refused.text
    assert refused.headers["Retry-After"] == str(RETRY_AFTER_S)
    gate.set()
    andi.join(30)
    fajar.join(30)
    assert [andi_answer[0].status_code, fajar_answer[0].status_code] == [201, 201]
    assert _count(db, MovementRow) == movements + 2
    assert writer.pending == 0 and writer.oldest_wait() == 0

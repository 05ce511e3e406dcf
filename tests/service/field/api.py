"""Helpers of the field API tests: bearer tokens for the personas and the toy officers."""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response

from pamtps.ops import users
from pamtps.ops.field.writer import writer_of
from pamtps.ops.sessions import issue_token
from pamtps.settings import Settings
from pamtps.store import Database
from pamtps.store.plans import save_plan
from tests.service.field.plans import EKO, FAJAR, toy_field_plan, toy_operation
from tests.service.personas import PASSWORD

# Extra officers beside the persona 'andi' (Bripka Andi): his partner and the Hilir leader.
OFFICERS = {"fajar": FAJAR, "eko": EKO}


def add_officers(database: Database) -> None:
    with database.session() as session:
        for username, nrp in OFFICERS.items():
            users.create_user(
                session,
                username=username,
                password=PASSWORD,
                role=users.Role.OFFICER,
                actor="test",
                scope_code=nrp,
            )


def bearer(database: Database, settings: Settings, username: str) -> dict[str, str]:
    """The Authorization header of a fresh device token of that user."""
    with database.session() as session:
        row = users.find_user(session, username)
        assert row is not None, username
        token, _ = issue_token(session, users.User.from_row(row), settings, label="test")
    return {"Authorization": f"Bearer {token}"}


def save_plan_version(database: Database, version: int) -> int:
    with database.session() as session:
        return save_plan(session, toy_field_plan(version), toy_operation())


def send(
    client: TestClient, path: str, headers: dict[str, str], body: Any, key: str | None = "new"
) -> Response:
    """POST a field write; ``key='new'`` makes a fresh Idempotency-Key, None sends none."""
    extra = {} if key is None else {"Idempotency-Key": str(uuid.uuid4()) if key == "new" else key}
    return client.post(path, json=body, headers=headers | extra)


def in_flight(client: TestClient, app: FastAPI, path: str, headers: dict[str, str],
              body: Any) -> tuple[threading.Thread, list[Response]]:
    """Send one write in a thread; return once the writer holds it (with ``gate`` closed, it
    stays there: the queue, or the door, is full)."""
    answers: list[Response] = []
    thread = threading.Thread(target=lambda: answers.append(send(client, path, headers, body)))
    thread.start()
    deadline = time.monotonic() + 10
    while writer_of(app).pending < 1:
        assert time.monotonic() < deadline, "the first write never reached the writer"
        time.sleep(0.01)
    return thread, answers

"""Fixtures of the incident and liaison tests, on the toy regency and the personas.

The liaison persona ``kpps.sukamaju`` holds Sukamaju TPS 001 (``S1``), in Hulu; Bripka Andi's
post (once version 1 of the toy plan is published: ``posted``) covers Sukamaju TPS 001 and 002;
Pasar TPS 001 (``PASAR_1``) lies in Hilir, outside both.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from pamtps.domain.tps import tps_code
from pamtps.ops.incidents.reports import IncidentIn, report_incident
from pamtps.ops.scope import Scope
from pamtps.ops.users import User
from pamtps.settings import Settings
from pamtps.store import Database
from pamtps.store.tables.incidents import IncidentRow
from tests.fixtures import PASAR, SUKAMAJU
from tests.service.field.api import bearer
from tests.service.field.conftest import save_and_publish

Headers = dict[str, str]
S1, S2, PASAR_1 = tps_code(SUKAMAJU, 1), tps_code(SUKAMAJU, 2), tps_code(PASAR, 1)
T0 = datetime(2024, 2, 14, 1, 0, tzinfo=UTC)  # 08:00 WIB on voting day
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100
USERS = ["komandan", "sek.hulu", "sek.hilir", "padal.hulu", "andi", "kpps.sukamaju", "polda"]


@pytest.fixture(autouse=True)
def _no_background_loops(monkeypatch: pytest.MonkeyPatch) -> None:
    """The watch and the escalation run only when a test calls them, with its own time."""
    monkeypatch.setenv("PAMTPS_FIELD_WATCH_INTERVAL_S", "0")
    monkeypatch.setenv("PAMTPS_INCIDENT_ESCALATE_INTERVAL_S", "0")


@pytest.fixture
def heads(db: Database, settings: Settings, people: dict[str, User]) -> dict[str, Headers]:
    """Bearer headers by username."""
    return {name: bearer(db, settings, name) for name in USERS}


@pytest.fixture
def posted(db: Database, people: dict[str, User]) -> None:
    """Version 1 of the toy plan in force: Bripka Andi on Sukamaju TPS 001 and 002."""
    save_and_publish(db, 1)


def riot(**changes: Any) -> dict[str, Any]:
    """A report of a crowd at Sukamaju TPS 001."""
    return {"tps_code": S1, "category": "crowd_riot", "severity": "tinggi",
            "description": "Massa berkumpul di depan TPS"} | changes


def post(client: TestClient, path: str, headers: Headers, body: Any = None,
         key: str | None = None) -> Response:
    """A write with an Idempotency-Key (a fresh one unless ``key``)."""
    extra = {"Idempotency-Key": key or str(uuid.uuid4())}
    return client.post(path, json=body if body is not None else {}, headers=headers | extra)


def reported(db: Database, user: User, body: dict[str, Any], now: datetime = T0) -> int:
    """Report an incident directly (no API) as ``user`` at ``now``; its id."""
    with db.session() as session:
        return report_incident(
            session, user, Scope.of(user, {}, [body["tps_code"]]), IncidentIn(**body), now
        ).incident.id


def incident(db: Database, incident_id: int) -> IncidentRow:
    with db.session() as session:
        return session.get_one(IncidentRow, incident_id)

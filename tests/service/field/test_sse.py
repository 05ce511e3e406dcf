"""The live event stream over real HTTP: a served app, a dashboard reading, an officer arriving."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import httpx2
import pytest
from fastapi import FastAPI

from tests.service.dashboard.live import serving
from tests.service.field.conftest import Headers
from tests.service.field.plans import SUKAMAJU_1
from tests.service.field.test_api import AT_SUKAMAJU


@pytest.fixture
def served(app: FastAPI) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port, in a thread; its base URL."""
    with serving(app) as base:
        yield base


def test_the_dashboard_stream_delivers_a_checkin_as_it_happens(
    served: str, heads: dict[str, Headers], in_force: int
) -> None:
    """Polsek Hulu's stream, open before Andi checks in, gets the checkin event for his TPS."""
    with (
        httpx2.Client(base_url=served, timeout=5) as viewer,
        httpx2.Client(base_url=served, timeout=5) as phone,
        viewer.stream("GET", "/api/v1/events", headers=heads["sek.hulu"]) as stream,
    ):
        assert stream.headers["content-type"].startswith("text/event-stream")
        lines = stream.iter_lines()
        assert next(lines) == ": connected"
        key = {"Idempotency-Key": str(uuid.uuid4())}
        response = phone.post("/api/v1/checkin", json=AT_SUKAMAJU, headers=heads["andi"] | key)
        assert response.status_code == 201
        event: dict[str, str] = {}
        for line in lines:
            if not line and event:
                break
            if line and not line.startswith(":"):  # comments: connected, keep-alive
                name, _, value = line.partition(": ")
                event[name] = value
    assert event["event"] == "checkin"
    data = json.loads(event["data"])
    assert (data["tps_code"], data["phase"]) == (SUKAMAJU_1.code, "tiba_di_tps")

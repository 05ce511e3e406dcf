"""``pamtps simulate`` against a live service: uvicorn in a thread on 127.0.0.1, parts of a day."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from pamtps.settings import Settings
from pamtps.simulate import simulate
from pamtps.simulate.http import NotLoopback, check_loopback
from pamtps.store import Database
from pamtps.web.app import create_app
from tests.service.personas import PASSWORD


@pytest.fixture
def live_url(reserve_db: Database, settings: Settings) -> Iterator[str]:
    """The service on the reserve plan, served by uvicorn on a free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        create_app(reserve_db, settings),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def test_a_slice_of_the_day_runs_without_a_server_error(
    live_url: str, reserve_db: Database, settings: Settings
):
    """04:30-15:00 at 20,000x: Andi checks in, his two TPS open, vote, close and count, incidents
    reported and handled; every answer is a success or a refusal, never a server error."""
    outcome = simulate(
        live_url,
        reserve_db,
        settings,
        password=PASSWORD,
        speed=20_000,
        start_h=4.5,
        until_h=15,
        workers=2,
        seed=3,
    )
    assert outcome.server_errors == []
    assert outcome.posts == 1 and outcome.tps == 2
    assert outcome.answers["checkin 201"] == 1
    assert outcome.answers["status 201"] == 2 * 4  # dibuka ... penghitungan at both TPS
    assert outcome.play_s < 30


def test_the_whole_night_escort_is_played(live_url: str, reserve_db: Database, settings: Settings):
    """To 04:00: counting ends, seals and both legs confirmed on both sides at both TPS."""
    outcome = simulate(
        live_url, reserve_db, settings, password=PASSWORD, speed=50_000, workers=2, seed=3
    )
    assert outcome.server_errors == []
    assert outcome.answers["seals 201"] == 2
    assert outcome.answers["handover 201"] == 2 * 4


def test_only_loopback_is_allowed():
    """A service elsewhere is refused before any request."""
    assert check_loopback("http://127.0.0.1:8000") == ("127.0.0.1", 8000)
    with pytest.raises(NotLoopback):
        check_loopback("http://10.0.0.5:8000")

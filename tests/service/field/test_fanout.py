"""The live stream across server processes: a write on one reaches a subscriber on another.

On PostgreSQL two real services (``pamtps serve --no-rounds``, subprocesses on loopback) share
the test's schema: the command's dashboard stream is open on the first, an officer's check-in
goes to the second. On SQLite a service is one process: there is no channel to fan out on.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pamtps.ops.events import Broker, Event, decode, encode
from pamtps.settings import Settings
from pamtps.store import Database
from pamtps.store.notify import Channel, Joiner, split
from pamtps.web.app import create_app
from tests.service.field.plans import ANDI
from tests.service.field.test_api import AT_SUKAMAJU

Headers = dict[str, str]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(db_url: str, settings: Settings, tmp_path: Path) -> Iterator[list[int]]:
    """Two service processes on the test database; their ports."""
    env = os.environ | {
        "PAMTPS_DATABASE_URL": db_url, "PAMTPS_DATA_DIR": str(tmp_path),
        "PAMTPS_SECRET_KEY": settings.secret_key.get_secret_value(),
    }
    ports = [_free_port(), _free_port()]
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", "from pamtps.cli import main; main()", "serve", "--no-rounds",
             "--port", str(port)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for port in ports:
            _wait_until_up(port)
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(30)


def _wait_until_up(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the service on port {port} did not start")


def _stream(port: int, headers: Headers, events: list[dict], ready: threading.Event) -> None:
    """Read the event stream on ``port`` until a checkin arrives (or 30 s pass)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/api/v1/events", headers=headers)
    response = connection.getresponse()
    kind = ""
    for raw in response:
        line = raw.decode().rstrip("\n")
        if line == ": connected":
            ready.set()
        elif line.startswith("event: "):
            kind = line[7:]
        elif line.startswith("data: "):
            events.append({"kind": kind, "data": json.loads(line[6:])})
            if kind == "checkin":
                break
    connection.close()


def test_a_write_on_one_process_reaches_a_subscriber_on_another(
    db: Database, heads: dict[str, Headers], in_force: int, request: pytest.FixtureRequest,
) -> None:
    """The command's stream is open on process A; Andi checks in on process B; A's stream
    carries the check-in. (SQLite: no channel; the service's broker has no fan-out.)"""
    if db.is_sqlite:
        with pytest.raises(ValueError, match="needs PostgreSQL"):
            Channel(db, lambda _message: None)
        return
    first, second = request.getfixturevalue("served")
    events: list[dict] = []
    ready = threading.Event()
    reader = threading.Thread(target=_stream, args=(first, heads["komandan"], events, ready))
    reader.start()
    assert ready.wait(30), "the stream did not open"
    time.sleep(0.5)  # the stream is subscribed once its first line is out
    connection = http.client.HTTPConnection("127.0.0.1", second, timeout=30)
    body = json.dumps(AT_SUKAMAJU)
    connection.request("POST", "/api/v1/checkin", body, heads["andi"] | {
        "Content-Type": "application/json", "Idempotency-Key": "fanout-1"})
    assert connection.getresponse().status == 201
    reader.join(30)
    checkins = [e for e in events if e["kind"] == "checkin"]
    assert checkins, f"no check-in on the other process's stream: {events}"
    assert checkins[0]["data"]["nrp"] == ANDI


def test_two_brokers_share_events_through_the_filter_of_each_subscriber(
    db: Database, settings: Settings
) -> None:
    """Two apps on one database (as two processes would be): an event published on one is
    delivered once on the other, numbered there; a long one (over 8,000 bytes) arrives whole;
    the publisher does not get its own event twice. On SQLite the app does not fan out."""
    one, two = create_app(db, settings), create_app(db, settings)
    from fastapi.testclient import TestClient
    with TestClient(one), TestClient(two):
        sent: Broker = one.state.field.broker
        heard: Broker = two.state.field.broker
        if db.is_sqlite:
            assert sent.fan_out is None and heard.fan_out is None
            return
        got: list[Event] = []
        mine: list[Event] = []
        lock = threading.Event()

        def collect(into: list[Event]) -> None:
            import asyncio

            async def run() -> None:
                a = heard.subscribe() if into is got else sent.subscribe()
                lock.set()
                while len(into) < 2:
                    event = await a.get(10)
                    if event is None:
                        return
                    into.append(event)
            asyncio.run(run())

        threads = [threading.Thread(target=collect, args=(box,)) for box in (got, mine)]
        for thread in threads:
            thread.start()
        time.sleep(0.3)
        long_text = "Ω" * 6000  # 12,000 bytes in UTF-8
        sent.publish(Event("status", {"tps_code": "X", "note": long_text}, ("X",)))
        sent.publish(Event("checkin", {"tps_code": "Y"}, ("Y",)))
        for thread in threads:
            thread.join(15)
        assert [e.kind for e in got] == ["status", "checkin"]
        assert got[0].data["note"] == long_text
        assert [e.kind for e in mine] == ["status", "checkin"]  # once each, not again


def test_a_long_message_is_split_and_joined_again() -> None:
    """Parts of at most 1,800 characters, joined in order; a missing part drops the message."""
    message = encode(Event("alert", {"text": "x" * 5000}, ("T1",), "S1", "K1", "N1"))
    parts = split("p1", 7, message)
    assert len(parts) == 3 and all(len(p.encode()) < 8000 for p in parts)
    joiner = Joiner()
    assert [joiner.add(p) for p in parts[:-1]] == [None, None]
    origin, whole = joiner.add(parts[-1]) or ("", "")
    assert origin == "p1" and decode(whole) == Event("alert", {"text": "x" * 5000}, ("T1",),
                                                      "S1", "K1", "N1")
    broken = Joiner()
    assert broken.add(parts[0]) is None and broken.add(parts[2]) is None

"""The simulation's client honours load shedding as the phone does: a 429 or 503 is sent
again after its Retry-After, with the same Idempotency-Key: a shed write is neither lost nor
doubled."""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from pamtps.simulate import http as sim_http


class Shedding(BaseHTTPRequestHandler):
    """Sheds the first ``shed`` requests (429, Retry-After 0), then answers 201."""

    shed = 2
    seen: ClassVar[list[tuple[str | None, bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.seen.append((self.headers.get("Idempotency-Key"), body))
        if len(self.seen) <= self.shed:
            self.send_response(429)
            self.send_header("Retry-After", "0")
            payload = b'{"error": "busy"}'
        else:
            self.send_response(201)
            payload = json.dumps({"applied": len(self.seen)}).encode()
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    Shedding.seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Shedding)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_shed_write_is_sent_again_with_the_same_key(server: str) -> None:
    client = sim_http.Client(server)
    status, body = client.call("POST", "/api/v1/field/events", {"kind": "apel"}, key=True)
    client.close()
    assert (status, body) == (201, {"applied": 3})
    keys = {key for key, _ in Shedding.seen}
    assert len(Shedding.seen) == 3 and len(keys) == 1 and None not in keys
    assert {body for _, body in Shedding.seen} == {b'{"kind": "apel"}'}


def test_shedding_without_end_returns_the_last_answer(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Shedding, "shed", 100)
    monkeypatch.setattr(sim_http, "SHED_TRIES", 4)
    status, _ = sim_http.Client(server).call("POST", "/x", {}, key=True)
    assert status == 429 and len(Shedding.seen) == 4


@pytest.mark.parametrize(
    ("header", "low", "high"),
    [("2", 2.0, 2.5), (None, 1.0, 1.25), ("soon", 1.0, 1.25), ("3600", 5.0, 6.25),
     ("0", 0.05, 0.07)],
)
def test_the_wait_follows_retry_after_within_bounds(
    header: str | None, low: float, high: float
) -> None:
    assert low <= sim_http.shed_wait(header) <= high


class Recording:
    """A client that answers each incident report as the service would (the second at the same
    TPS and category joins the first: 200, merged) and records every call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def call(self, method: str, path: str, body: object = None, **_: object) -> tuple[int, object]:
        self.calls.append((method, path))
        if path == "/api/v1/incidents":
            merged = sum(p == path for _, p in self.calls) > 1
            return (200 if merged else 201), {"id": 7, "merged": merged}
        return 200, {"id": 7}


def test_a_merged_report_gets_no_command_steps_of_its_own() -> None:
    """The command verifies and closes an incident once: the steps the simulated day planned for
    a report that the service merged into an open incident are skipped, not refused (409)."""
    from pamtps.simulate.day import COMMAND, Action
    from pamtps.simulate.runner import Outcome, _Player

    outcome = Outcome()
    player = _Player({"1": "t"}, "c", outcome)
    client = Recording()
    report = {"nrp": "1", "tps": "1601012001001", "category": "other", "severity": "rendah"}
    for seq, ref in enumerate(("a", "b")):
        player.play(client, Action(seq, seq, "post", "incident", report | {"ref": ref}))  # type: ignore[arg-type]
    for seq, ref in enumerate(("a", "b"), start=2):
        player.play(client, Action(seq, seq, COMMAND, "transition", {"ref": ref, "to": "verified"}))  # type: ignore[arg-type]
    transitions = [path for _, path in client.calls if path.endswith("/transition")]
    assert transitions == ["/api/v1/incidents/7/transition"]
    assert outcome.skipped == 1
    assert outcome.answers["incident 201"] == 1 and outcome.answers["incident 200"] == 1


def test_a_report_answered_too_late_gets_none_of_its_steps() -> None:
    """The command gave up on a report that was not answered in time (its "verified" skipped);
    when the report's answer comes in later, its "handled" is skipped too instead of being sent
    to an incident that was never verified (refused, 409)."""
    from pamtps.simulate.day import COMMAND, Action
    from pamtps.simulate.runner import Outcome, _Player

    outcome = Outcome()
    player = _Player({"1": "t"}, "c", outcome)
    client = Recording()
    player._wait_for = functools.partial(player._wait_for, seconds=0.1)  # type: ignore[method-assign]
    step = {"ref": "a", "to": "verified"}
    player.play(client, Action(0, 0, COMMAND, "transition", step))  # type: ignore[arg-type]
    report = {"nrp": "1", "tps": "1601012001001", "category": "other", "severity": "rendah"}
    player.play(client, Action(1, 1, "post", "incident", report | {"ref": "a"}))  # type: ignore[arg-type]
    player.play(client, Action(2, 2, COMMAND, "transition", step | {"to": "handled"}))  # type: ignore[arg-type]
    assert [path for _, path in client.calls if path.endswith("/transition")] == []
    assert outcome.skipped == 2 and outcome.answers["incident 201"] == 1

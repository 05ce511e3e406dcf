"""The simulation's client honours load shedding as the phone does: a 429 or 503 is sent
again after its Retry-After, with the same Idempotency-Key: a shed write is neither lost nor
doubled."""

from __future__ import annotations

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

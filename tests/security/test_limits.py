"""The request limits, at the ASGI door: a huge body is refused without being read, deep JSON
without being parsed, and the route never runs."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from pamtps.web.limits import MAX_BODY, RequestLimitsMiddleware, json_depth_exceeds

CHUNK = 64 * 1024


class Door:
    """The middleware in front of a route that records whether it ran."""

    def __init__(self) -> None:
        self.route_ran = False
        self.middleware = RequestLimitsMiddleware(self.route)

    async def route(self, scope: Any, receive: Any, send: Any) -> None:
        self.route_ran = True
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    def call(self, headers: list[tuple[bytes, bytes]], chunks: Any) -> tuple[int, Any, int]:
        """The status, the JSON answer and the chunks the middleware read."""
        read, sent = 0, []

        async def receive() -> dict[str, Any]:
            nonlocal read
            read += 1
            return {"type": "http.request", "body": next(chunks), "more_body": True}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        scope = {"type": "http", "method": "POST", "path": "/api/v1/auth/token",
                 "raw_path": b"/api/v1/auth/token", "query_string": b"", "headers": headers}
        asyncio.run(self.middleware(scope, receive, send))
        return sent[0]["status"], json.loads(sent[1]["body"]), read


def _endless() -> Any:
    while True:
        yield b"x" * CHUNK


def test_a_200_mb_body_is_refused_before_a_byte_of_it_is_read() -> None:
    """Content-Length says 200 MB: 413 at once, in the service's format; nothing read."""
    door = Door()
    declared = [(b"content-length", str(200 * 1024 * 1024).encode()),
                (b"content-type", b"application/json")]
    status, answer, read = door.call(declared, _endless())
    assert (status, read, door.route_ran) == (413, 0, False)
    assert answer["detail"]["code"] == "request.too_large"


def test_a_body_without_length_is_cut_off_at_the_limit() -> None:
    """Chunked, endless: refused once the chunks read pass the limit, not at the end."""
    door = Door()
    status, answer, read = door.call([(b"content-type", b"application/json")], _endless())
    assert status == 413 and not door.route_ran and answer["detail"]["message"]
    assert read == MAX_BODY // CHUNK + 1


def test_a_false_content_length_is_refused() -> None:
    """A length that is not a number: 400, before anything is read."""
    status, answer, read = Door().call([(b"content-length", b"12abc")], _endless())
    assert (status, read, answer["detail"]["code"]) == (400, 0, "request.bad_length")


def test_json_depth_counts_brackets_outside_strings_only() -> None:
    """Brackets inside strings (escaped quotes too) do not count; 33 levels do."""
    assert not json_depth_exceeds(b'{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ \\" [[[["}')
    assert json_depth_exceeds(b"[" * 33 + b"]" * 33)
    assert not json_depth_exceeds(b"[" * 32 + b"]" * 32)
    assert json_depth_exceeds(b'{"a":' * 100_000 + b"1" + b"}" * 100_000)

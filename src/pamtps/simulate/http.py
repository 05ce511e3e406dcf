"""A small JSON client over one keep-alive HTTP connection, loopback only (standard library)."""

from __future__ import annotations

import http.client
import json
import random
import time
import uuid
from typing import Any
from urllib.parse import urlsplit

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
SHED = frozenset({429, 503})  # the service shed the request: send it again after Retry-After
SHED_TRIES = 30
SHED_WAIT_MAX_S = 5.0


class NotLoopback(ValueError):
    """The simulation only talks to a service on this machine."""


def check_loopback(base_url: str) -> tuple[str, int]:
    """(host, port) of the base URL; NotLoopback unless it is http on this machine."""
    parts = urlsplit(base_url)
    if parts.scheme != "http" or parts.hostname not in LOOPBACK:
        raise NotLoopback(f"{base_url}: only http://127.0.0.1, localhost or [::1] are allowed")
    return parts.hostname or "127.0.0.1", parts.port or 80


class Client:
    """One connection; ``call`` answers (status, JSON body or None)."""

    def __init__(self, base_url: str, timeout: float = 30.0) -> None:
        self.host, self.port = check_loopback(base_url)
        self.timeout = timeout
        self._conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            self._conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self._conn

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        token: str | None = None,
        key: bool = False,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> tuple[int, Any]:
        """Send ``body`` as JSON (or ``raw`` bytes as they are, e.g. a signed webhook);
        ``headers`` add to the defaults. A request the service sheds (429 or 503) is sent again
        after its Retry-After, as the phone does, with the same Idempotency-Key, at most
        ``SHED_TRIES`` times; then the last answer is returned."""
        headers = {"Accept": "application/json", **(headers or {})}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if key:
            headers["Idempotency-Key"] = str(uuid.uuid4())
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        elif raw is not None:
            headers.setdefault("Content-Type", "application/json")
        for tries in range(1, SHED_TRIES + 1):
            response, answer = self._send(method, path, data, headers)
            if response.status not in SHED or tries == SHED_TRIES:
                break
            time.sleep(shed_wait(response.getheader("Retry-After")))
        try:
            return response.status, json.loads(answer) if answer else None
        except ValueError:
            return response.status, answer[:200].decode(errors="replace")

    def _send(
        self, method: str, path: str, data: bytes | None, headers: dict[str, str]
    ) -> tuple[http.client.HTTPResponse, bytes]:
        for attempt in (1, 2):  # a keep-alive connection the server closed: reconnect once
            try:
                conn = self._connection()
                conn.request(method, path, data, headers)
                response = conn.getresponse()
                return response, response.read()
            except (http.client.HTTPException, ConnectionError, OSError):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def shed_wait(retry_after: str | None) -> float:
    """Seconds to wait before sending a shed request again: its Retry-After (capped at
    ``SHED_WAIT_MAX_S``, 1 s when absent or unreadable), spread by up to a quarter so that the
    phones shed together do not all come back at once."""
    try:
        wait = float(retry_after) if retry_after is not None else 1.0
    except ValueError:
        wait = 1.0
    wait = min(max(wait, 0.05), SHED_WAIT_MAX_S)
    return wait * (1 + random.random() / 4)

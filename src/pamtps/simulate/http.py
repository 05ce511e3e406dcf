"""A small JSON client over one keep-alive HTTP connection, loopback only (standard library)."""

from __future__ import annotations

import http.client
import json
import uuid
from typing import Any
from urllib.parse import urlsplit

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


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
        ``headers`` add to the defaults."""
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
        for attempt in (1, 2):  # a keep-alive connection the server closed: reconnect once
            try:
                conn = self._connection()
                conn.request(method, path, data, headers)
                response = conn.getresponse()
                answer = response.read()
                break
            except (http.client.HTTPException, ConnectionError, OSError):
                self.close()
                if attempt == 2:
                    raise
        try:
            return response.status, json.loads(answer) if answer else None
        except ValueError:
            return response.status, answer[:200].decode(errors="replace")

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

"""Device tokens recently looked up, so that a phone's writes in a row cost one lookup, not one
each (``auth.current_credentials``).

An entry lasts ``TTL_S`` seconds at most, and never past its token's end. Any change to a user
or a device token in this process (a revoked token, a disabled account, a new role), by an ORM
flush or a bulk ``UPDATE``/``DELETE``, empties the cache at once and again when its transaction
commits: until that commit another transaction may still read the old rows. Another process's
change (a second service instance) is seen within ``TTL_S``.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from pamtps.ops.sessions import Credentials, digest
from pamtps.store.security import on_credentials_change

TTL_S = 30.0

_entries: dict[tuple[str, str], tuple[float, Credentials]] = {}
_lock = threading.Lock()


def get(database_url: str, token: str) -> Credentials | None:
    """The cached credentials of a bearer token, or None (look it up)."""
    found = _entries.get((database_url, digest(token)))
    if found is None or found[0] <= time.monotonic():
        return None
    return found[1]


def put(database_url: str, token: str, credentials: Credentials) -> None:
    """Keep a token's credentials for ``TTL_S`` seconds, or until the token ends if sooner."""
    ttl = TTL_S
    if credentials.expires_at is not None:
        ttl = min(ttl, (credentials.expires_at - datetime.now(UTC)).total_seconds())
    with _lock:
        _entries[(database_url, digest(token))] = (time.monotonic() + ttl, credentials)


def clear() -> None:
    """Forget every token."""
    with _lock:
        _entries.clear()


# Registered once, when the first caller (``web.auth``) imports this module.
on_credentials_change(clear)

"""Failed code redemptions per client address: past the limit within the window, 429.

Kept in the process's memory: a guessing client is slowed down, not banned, and a restart
forgets. With 31^8 possible codes, 10 tries per 15 minutes leaves guessing hopeless.
"""

from __future__ import annotations

import math
import threading
from collections import defaultdict, deque
from datetime import datetime, timedelta

from pamtps.ops.errors import ServiceError


class Throttle:
    """At most ``limit`` failures per key (the client's address) in any ``window``."""

    def __init__(self, limit: int = 10, window: timedelta = timedelta(minutes=15)) -> None:
        self.limit, self.window = limit, window
        self._failures: dict[str, deque[datetime]] = defaultdict(deque)
        self._lock = threading.Lock()

    def check(self, key: str, now: datetime) -> None:
        """Raise ServiceError(429) while ``key`` has used up its failures."""
        with self._lock:
            failures = self._failures[key]
            while failures and failures[0] <= now - self.window:
                failures.popleft()
            if len(failures) >= self.limit:
                wait = failures[0] + self.window - now
                minutes = max(1, math.ceil(wait.total_seconds() / 60))
                raise ServiceError(429, "liaison.too_many_attempts", minutes=minutes)

    def fail(self, key: str, now: datetime) -> None:
        with self._lock:
            self._failures[key].append(now)

"""The audit chain's head, kept outside the database: a signed checkpoint file in the data folder.

Whoever can write to the database could remove the newest audit rows and leave a shorter chain
that still links; the checkpoint says how far the chain had reached. ``keyed_from`` is the first
row hashed with the key: rows before it are the unkeyed chain of an older PamTPS (see
``pamtps.ops.audit``).

When it is written, and what it guarantees. After a commit that appended audit rows, the new
head is handed to a background thread of the process (``Deferred``), which writes it at most
``PAMTPS_AUDIT_CHECKPOINT_LAG_MS`` (250) later, and at once when
``PAMTPS_AUDIT_CHECKPOINT_LAG_ROWS`` (1,000) rows are waiting: heads that arrive meanwhile are
folded into one write. The first checkpoint of a chain (no file yet) is written at once.
``pamtps serve`` writes it again at shutdown, and logs it; the process writes what is waiting
when it exits; ``verify`` writes its own process's first. So:

- while the service runs, the checkpoint names a head at most that lag (and that many rows)
  behind the newest committed audit row; after a clean stop, the newest one;
- after a crash (``kill -9``, power loss) the rows committed in the last lag window before it
  may lie beyond the checkpoint: removing those rows, and only those, escapes ``verify``, which
  reports how many rows lie beyond the checkpoint and since when, so that an auditor sees the
  unvouched tail; every row up to the checkpoint is vouched as before;
- 0 ms writes the checkpoint in the committing thread before the request is answered, as a
  deployment that wants no window may choose: every commit then waits for the write (with its
  fsync; 6 ms median, 46 ms p90 on the shared 2-core machine, ``bench/README.md``).

Every write takes an exclusive lock on ``<file>.lock`` (the server processes share the file),
reads the current checkpoint and never moves it back, writes a temporary file, flushes it to
disk and renames it over the old one: a crash leaves the old or the new file, never half of one.

One file per database (``audit-checkpoint-<digest of its URL>.json``), so that a data folder
shared by a SQLite and a PostgreSQL deployment keeps both heads.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import hmac
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Hashable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # not on Windows: one server process there
    fcntl = None  # type: ignore[assignment]

from pamtps.settings import get_settings

log = logging.getLogger("pamtps.audit")


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """The chain's head at ``at``: row ``id`` had ``hash``; rows from ``keyed_from`` are keyed."""

    id: int
    hash: str
    keyed_from: int
    at: str


class CheckpointError(Exception):
    """The checkpoint file exists but cannot be trusted (unreadable or wrongly signed)."""


def checkpoint_path(database: str, data_dir: Path | None = None) -> Path:
    """Where the checkpoint of ``database`` (its URL without password) is kept."""
    folder = data_dir or get_settings().data_dir
    name = hashlib.sha256(database.encode()).hexdigest()[:16]
    return folder / f"audit-checkpoint-{name}.json"


def _signature(key: bytes, database: str, checkpoint: Checkpoint) -> str:
    text = json.dumps([database, asdict(checkpoint)], sort_keys=True, separators=(",", ":"))
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def read_checkpoint(key: bytes, database: str, path: Path | None = None) -> Checkpoint | None:
    """The checkpoint of ``database``, None if there is none; ``CheckpointError`` if the file
    was altered, forged with another key, or is not a checkpoint."""
    path = path or checkpoint_path(database)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        checkpoint = Checkpoint(int(data["id"]), str(data["hash"]), int(data["keyed_from"]),
                                str(data["at"]))
        signature = str(data["signature"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CheckpointError(f"checkpoint file {path} is unreadable: {error}") from error
    if not hmac.compare_digest(signature, _signature(key, database, checkpoint)):
        raise CheckpointError(f"checkpoint file {path} has a wrong signature (altered or forged)")
    return checkpoint


def write_checkpoint(key: bytes, database: str, head: tuple[int, str], keyed_from: int,
                     *, announce: bool = False, path: Path | None = None) -> Checkpoint:
    """Sign and write the head ``(id, hash)``; ``announce`` also logs it (at shutdown)."""
    checkpoint = Checkpoint(head[0], head[1], keyed_from,
                            datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
    path = path or checkpoint_path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = asdict(checkpoint) | {"database": database,
                                 "signature": _signature(key, database, checkpoint)}
    # One temporary file per thread: two commits of one process may write at the same time.
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps(body, indent=1))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    (log.info if announce else log.debug)(
        "audit checkpoint: row %d hash %s (%s)", checkpoint.id, checkpoint.hash, path
    )
    return checkpoint


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the checkpoint file ``path`` against the other processes that write it (an
    exclusive lock on ``<file>.lock``) and the other threads of this one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with _THREADS, open(path.with_name(path.name + ".lock"), "a") as handle:
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield


_THREADS = threading.Lock()


class Deferred:
    """Writes the newest head handed to it, per key (its file), from a background thread: at
    most ``lag_s`` after it was handed over, sooner once ``lag_rows`` rows wait; ``flush``
    writes what waits now. ``write(value)`` does the writing; values are ``(row id, hash,
    first row id, ...)`` and the one with the highest row id wins, with the lowest first row."""

    def __init__(self, write: Callable[[Any], None]) -> None:
        self._write = write
        self._cond = threading.Condition()
        self._waiting: dict[Hashable, tuple[Any, ...]] = {}
        self._written: dict[Hashable, int] = {}
        self._since: float | None = None  # when the oldest waiting head was handed over
        self._thread: threading.Thread | None = None
        self._flushing = threading.Lock()  # one flush at a time: a flush waits for the other
        self.lag_s, self.lag_rows = 0.25, 1000
        atexit.register(self.flush)

    def submit(self, key: Hashable, value: tuple[Any, ...]) -> None:
        with self._cond:
            current = self._waiting.get(key)
            if current is None or value[0] > current[0]:
                self._waiting[key] = value if current is None else self._merge(current, value)
            if self._since is None:
                self._since = time.monotonic()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="audit-checkpoint",
                                                daemon=True)
                self._thread.start()
            self._cond.notify()

    @staticmethod
    def _merge(older: tuple[Any, ...], newer: tuple[Any, ...]) -> tuple[Any, ...]:
        # The newest head, but the first row of the oldest (the chain's keyed start).
        return (*newer[:2], min(older[2], newer[2]), *newer[3:])

    def _due(self) -> bool:
        if self._since is None:
            return False
        behind = max((value[0] - self._written.get(key, value[2] - 1) for key, value
                      in self._waiting.items()), default=0)
        return behind >= self.lag_rows or time.monotonic() >= self._since + self.lag_s

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._due():
                    timeout = None if self._since is None else (
                        self._since + self.lag_s - time.monotonic())
                    self._cond.wait(timeout if timeout is None else max(timeout, 0.001))
            self.flush()

    def flush(self) -> None:
        """Write what waits, now, in the calling thread; returns once every head handed over
        before the call is written (a write the background thread has begun included)."""
        with self._flushing:
            self._flush()

    def _flush(self) -> None:
        with self._cond:
            waiting, self._waiting, self._since = self._waiting, {}, None
        for key, value in waiting.items():
            try:
                self._write(value)
            except Exception:  # the next commit tries again; verify reports a stale file
                log.exception("audit checkpoint not written")
                continue
            with self._cond:
                self._written[key] = max(self._written.get(key, 0), value[0])

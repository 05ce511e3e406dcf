"""The audit chain's head, kept outside the database: a signed checkpoint file in the data folder.

Whoever can write to the database could remove the newest audit rows and leave a shorter chain
that still links; the checkpoint says how far the chain had reached. It is written after every
commit that appended audit rows (atomically: a temporary file renamed over the old one) and by
``pamtps serve`` at shutdown, which also logs it. ``keyed_from`` is the first row hashed with
the key: rows before it are the unkeyed chain of an older PamTPS (see ``pamtps.ops.audit``).

One file per database (``audit-checkpoint-<digest of its URL>.json``), so that a data folder
shared by a SQLite and a PostgreSQL deployment keeps both heads.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import threading
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

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


def read_checkpoint(key: bytes, database: str) -> Checkpoint | None:
    """The checkpoint of ``database``, None if there is none; ``CheckpointError`` if the file
    was altered, forged with another key, or is not a checkpoint."""
    path = checkpoint_path(database)
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
                     *, announce: bool = False) -> Checkpoint:
    """Sign and write the head ``(id, hash)``; ``announce`` also logs it (at shutdown)."""
    checkpoint = Checkpoint(head[0], head[1], keyed_from,
                            datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
    path = checkpoint_path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = asdict(checkpoint) | {"database": database,
                                 "signature": _signature(key, database, checkpoint)}
    # One temporary file per thread: two commits of one process may write at the same time.
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    temporary.write_text(json.dumps(body, indent=1), encoding="utf-8")
    os.replace(temporary, path)
    (log.info if announce else log.debug)(
        "audit checkpoint: row %d hash %s (%s)", checkpoint.id, checkpoint.hash, path
    )
    return checkpoint

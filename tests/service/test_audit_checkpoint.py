"""The audit checkpoint written off the commit path: within its lag, sooner past its row bound,
never backwards, at once with a lag of 0, and what ``verify`` says of the rows beyond it."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from pamtps.ops import audit
from pamtps.ops.audit_checkpoint import read_checkpoint
from pamtps.settings import get_settings
from pamtps.store import Database
from pamtps.store.security import database_identity
from tests.service.audit_tools import verify


@pytest.fixture
def lag(monkeypatch: pytest.MonkeyPatch):
    """Set the checkpoint's lag (ms) and row bound for the rest of the test."""

    def set_lag(ms: float, rows: int = 1000) -> None:
        monkeypatch.setenv("PAMTPS_AUDIT_CHECKPOINT_LAG_MS", str(ms))
        monkeypatch.setenv("PAMTPS_AUDIT_CHECKPOINT_LAG_ROWS", str(rows))
        get_settings.cache_clear()

    return set_lag


def _append(db: Database, count: int, per_commit: int = 1) -> None:
    for start in range(0, count, per_commit):
        with db.session() as session:
            audit.record_many(session, [("komandan", "test.event", f"tps:{n}", {"n": n})
                                        for n in range(start, min(count, start + per_commit))])


def _checkpointed(db: Database) -> int | None:
    """The row the checkpoint file of ``db`` names now (None: no file yet)."""
    with db.session() as session:
        database = database_identity(session)
    found = read_checkpoint(audit.chain_key(), database)
    return found.id if found else None


def _wait_for(db: Database, row: int, seconds: float = 20) -> float:
    """Seconds until the checkpoint names ``row``; fails past ``seconds``."""
    start = time.monotonic()
    while _checkpointed(db) != row:
        assert time.monotonic() - start < seconds, f"the checkpoint never reached row {row}"
        time.sleep(0.01)
    return time.monotonic() - start


def test_a_lag_of_zero_writes_the_checkpoint_before_the_commit_returns(db: Database, lag):
    """Lag 0: the file names each new head as soon as the session is closed."""
    lag(0)
    for row in (1, 2, 3):
        _append(db, 1)
        assert _checkpointed(db) == row


def test_the_checkpoint_follows_within_its_lag_folding_heads(db: Database, lag):
    """With a lag of 5 s, the chain's first row is checkpointed at once (no file yet: no
    window), the next three commits leave the file behind; ``flush`` (what verify and shutdown
    do first) writes the newest head once."""
    lag(5000)
    _append(db, 1)
    assert _checkpointed(db) == 1
    _append(db, 3)
    assert _checkpointed(db) == 1  # deferred: the commits did not wait for the file
    audit._DEFERRED.flush()
    assert _checkpointed(db) == 4


def test_the_background_writer_catches_up_without_being_asked(db: Database, lag):
    """With a lag of 100 ms, the checkpoint reaches the head by itself, later than the commit."""
    lag(100)
    _append(db, 4)
    _wait_for(db, 4)
    result = verify(db)
    assert result.ok and result.unvouched == 0


def test_enough_waiting_rows_write_the_checkpoint_before_the_lag(db: Database, lag):
    """A lag of a minute, but a bound of 5 rows: one commit of 6 rows is written at once."""
    lag(0)
    _append(db, 1)
    lag(60_000, rows=5)
    _append(db, 6, per_commit=6)
    assert _wait_for(db, 7) < 30


def test_an_older_head_never_moves_the_checkpoint_back(db: Database, lag):
    """A slower process handing over an older head after a newer one leaves the newer."""
    lag(0)
    _append(db, 5)
    with db.session() as session:
        database = database_identity(session)
    path = Path(get_settings().data_dir)
    (checkpoint,) = path.glob("audit-checkpoint-*.json")
    audit._write_pending((3, "0" * 64, 1, database, checkpoint, audit.chain_key()))
    assert _checkpointed(db) == 5
    assert verify(db).ok


def test_rows_lost_with_a_crash_in_the_window_are_counted_not_vouched(
    db: Database, lag, cli: Any
):
    """The crash window, shown: three rows checkpointed, two more committed within the lag and
    the process dies before writing them (their heads dropped here). The chain verifies, and
    verify counts the two rows beyond the checkpoint with the time of the first. Removing them
    then would go unseen: that is the window the lag setting buys its speed with."""
    lag(0)
    _append(db, 3)
    lag(60_000)
    _append(db, 2)
    audit._DEFERRED._waiting.clear()  # the crash: what waited is gone
    with db.session() as session:
        result = audit.verify(session)
        rows = list(session.execute(audit.AuditRow.__table__.select().order_by("id")).mappings())
    assert (result.ok, result.rows, result.unvouched) == (True, 5, 2)
    assert result.unvouched_since == audit._moment(rows[3]["at"])
    said = cli("audit", "verify")
    assert said.exit_code == 0, said.output
    assert "2 newest rows" in said.output and "beyond the checkpoint" in said.output

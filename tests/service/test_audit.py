"""The audit log: a hash chain that ``verify`` proves intact, and that breaks when tampered with."""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from pamtps.ops import audit
from pamtps.settings import get_settings
from pamtps.store import Database, save_dataset
from pamtps.store.tables.field import MovementRow
from pamtps.store.tables.security import AuditRow
from tests.fixtures import toy_dataset
from tests.service.audit_tools import sql, verify
from tests.service.conftest import Login
from tests.service.field.conftest import at, field_write, save_and_publish
from tests.service.field.plans import ANDI, FAJAR, SUKAMAJU_1
from tests.service.personas import PASSWORD


@pytest.fixture(autouse=True)
def _checkpoint_at_each_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the checkpoint file right after a commit: written in the commit's
    thread (the deferred writer: tests/service/test_audit_checkpoint.py)."""
    monkeypatch.setenv("PAMTPS_AUDIT_CHECKPOINT_LAG_MS", "0")
    get_settings.cache_clear()


def _append(db: Database, count: int) -> None:
    for number in range(count):
        with db.session() as session:
            audit.record(session, "komandan", "test.event", f"tps:{number}", {"n": number})


def test_an_untouched_chain_verifies(db: Database):
    """Rows appended one by one form a chain that verifies, ids 1..n, each linked to the last."""
    _append(db, 4)
    result = verify(db)
    assert (result.ok, result.rows) == (True, 4)
    with db.session() as session:
        rows = session.scalars(select(AuditRow).order_by(AuditRow.id)).all()
    assert [row.id for row in rows] == [1, 2, 3, 4]
    assert rows[0].prev_hash == audit.GENESIS
    assert all(later.prev_hash == earlier.hash for earlier, later in pairwise(rows))
    assert result.head_hash == rows[-1].hash


def test_an_empty_log_verifies(db: Database):
    """No rows, nothing wrong."""
    assert verify(db) == audit.VerifyResult(True, 0, None)


def test_an_updated_payload_is_detected(db: Database):
    """Changing a row's payload in SQL breaks that row's hash."""
    _append(db, 4)
    sql(db, "UPDATE audit_log SET payload = :payload WHERE id = 2", payload=json.dumps({"n": 99}))
    result = verify(db)
    assert (result.ok, result.bad_id, result.rows) == (False, 2, 1)
    assert "altered" in (result.reason or "")


def test_a_deleted_middle_row_is_detected(db: Database):
    """Removing a row leaves a gap in the ids."""
    _append(db, 4)
    sql(db, "DELETE FROM audit_log WHERE id = 2")
    result = verify(db)
    assert (result.ok, result.bad_id) == (False, 3)
    assert "row 2 is missing" in (result.reason or "")


def test_a_reordered_row_is_detected(db: Database):
    """Swapping two rows' places breaks their hashes, which cover the id."""
    _append(db, 4)
    sql(db, "UPDATE audit_log SET id = 0 WHERE id = 2")
    sql(db, "UPDATE audit_log SET id = 2 WHERE id = 3")
    sql(db, "UPDATE audit_log SET id = 3 WHERE id = 0")
    result = verify(db)
    assert (result.ok, result.bad_id) == (False, 2)


def test_a_rehashed_row_breaks_the_next_link(db: Database):
    """A forger who also recomputes the altered row's hash is caught by the next row's link."""
    _append(db, 3)
    with db.session() as session:
        row = session.get(AuditRow, 2)
        assert row is not None
        fields = {name: getattr(row, name) for name in audit.HASHED_FIELDS} | {"payload": {"n": 7}}
        forged = audit.row_hash(fields)
    sql(db, "UPDATE audit_log SET payload = :payload, hash = :hash WHERE id = 2",
         payload=json.dumps({"n": 7}), hash=forged)
    result = verify(db)
    assert (result.ok, result.bad_id) == (False, 3)
    assert "prev_hash" in (result.reason or "")


def test_a_rolled_back_entry_leaves_no_gap(db: Database):
    """An entry whose transaction fails disappears with it; the next one takes its id."""
    _append(db, 1)
    with pytest.raises(RuntimeError), db.session() as session:
        audit.record(session, "komandan", "test.event", "tps:x")
        raise RuntimeError("the write it records failed")
    _append(db, 1)
    assert verify(db) == audit.VerifyResult(True, 2, verify(db).head_hash)


def test_concurrent_appends_never_fork_the_chain(db: Database):
    """Eight writers appending at once still leave one valid chain of every entry."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda _: _append(db, 5), range(8)))
    result = verify(db)
    assert (result.ok, result.rows) == (True, 40)


def test_every_security_write_is_audited(client: TestClient, login: Login, db: Database):
    """Login, failed login, lockout, logout, token issue and revoke, user creation: all logged."""
    for _ in range(5):
        client.post("/api/v1/auth/token", json={"username": "polda", "password": "salah-salah"})
    token = client.post("/api/v1/auth/token", json={"username": "andi", "password": PASSWORD})
    bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
    client.delete(f"/api/v1/auth/tokens/{token.json()['token_id']}", headers=bearer)
    csrf = login(client, "admin")
    client.post("/api/v1/users", json={"username": "baru", "password": PASSWORD, "role": "viewer"},
                headers={"X-CSRF-Token": csrf})
    client.post("/logout", data={"csrf_token": csrf})
    with db.session() as session:
        logged = session.execute(
            select(AuditRow.action, AuditRow.actor).where(AuditRow.actor != "test")
            .order_by(AuditRow.id)
        ).all()
    assert [tuple(row) for row in logged] == [
        *[("auth.login_failed", "polda")] * 4,
        ("auth.lockout", "polda"),
        ("auth.login_failed", "polda"),
        ("auth.login", "andi"),
        ("auth.token_issued", "andi"),
        ("auth.token_revoked", "andi"),
        ("auth.login", "admin"),
        ("user.created", "admin"),
        ("auth.logout", "admin"),
    ]
    assert verify(db).ok


# The keyed chain, its checkpoint, and the operational tables it vouches for.


def _field_day(db: Database) -> None:
    """The toy plan published, then Andi's and Fajar's morning: apel, arrival by GPS, the TPS
    opened and voting under way; each write audited with the rows it inserted."""
    with db.session() as session:
        save_dataset(session, toy_dataset())
    save_and_publish(db, 1)
    here = {"method": "gps", "lat": SUKAMAJU_1.lat, "lng": SUKAMAJU_1.lng}
    writes = [
        (ANDI, "movement", {"phase": "apel"}, None, at(5)),
        (FAJAR, "movement", {"phase": "apel"}, None, at(5, 5)),
        (ANDI, "checkin", here, None, at(6, 30)),
        (ANDI, "status", {"status": "dibuka"}, SUKAMAJU_1.code, at(7)),
        (FAJAR, "status", {"status": "pemungutan"}, SUKAMAJU_1.code, at(7, 10)),
    ]
    for nrp, kind, body, target, when in writes:
        assert field_write(db, nrp, kind, body, target, now=when).status == 201


def _newest_movement(db: Database) -> int:
    with db.session() as session:
        newest = session.scalar(select(func.max(MovementRow.id)))
    assert newest is not None
    return newest


def test_an_untampered_field_day_verifies(db: Database, cli: Any):
    """Movements and TPS steps recorded with their digests verify, by API call and by CLI."""
    _field_day(db)
    result = verify(db)
    assert result.ok, result.reason
    with db.session() as session:
        recorded = [row.payload.get("rows", {}) for row in session.scalars(select(AuditRow))]
    assert sum(len(rows.get("movements", {})) for rows in recorded) == 3
    assert sum(len(rows.get("tps_status_events", {})) for rows in recorded) == 2
    intact = cli("audit", "verify")
    assert intact.exit_code == 0, intact.output
    assert f"{result.rows} rows" in intact.output


def test_deleting_the_newest_rows_fails_naming_the_checkpoint(db: Database, cli: Any):
    """The chain left after its newest rows are removed still links, but ends before the head
    the checkpoint file names."""
    _append(db, 5)
    sql(db, "DELETE FROM audit_log WHERE id > 3")
    result = verify(db)
    assert (result.ok, result.rows) == (False, 3)
    assert "audit-checkpoint-" in (result.reason or "")
    assert "ends at row 3" in (result.reason or "") and "names row 5" in (result.reason or "")
    broken = cli("audit", "verify")
    assert broken.exit_code == 1
    assert "checkpoint" in broken.output and "row 5" in broken.output


def test_editing_a_movement_row_fails_naming_the_table_and_row(db: Database):
    """A movement moved in SQL (its GPS point, here) no longer matches the digest its write
    recorded in the chain."""
    _field_day(db)
    target = _newest_movement(db)
    sql(db, "UPDATE movements SET lat = lat + 0.01 WHERE id = :id", id=target)
    result = verify(db)
    assert not result.ok
    assert f"table movements row {target} differs" in (result.reason or "")


def test_deleting_a_movement_row_fails_naming_the_table_and_row(db: Database):
    """A movement removed behind the chain's back is named with its table, id and entry."""
    _field_day(db)
    target = _newest_movement(db)
    sql(db, "DELETE FROM movements WHERE id = :id", id=target)
    result = verify(db)
    assert not result.ok
    assert f"table movements row {target} of audit row" in (result.reason or "")
    assert "removed" in (result.reason or "")


def test_an_added_movement_row_without_an_entry_fails(db: Database):
    """A movement inserted in SQL, with no audited write behind it, is named as added."""
    _field_day(db)
    first = _newest_movement(db)
    with db.session() as session:
        row = dict(session.execute(select(MovementRow.__table__).where(
            MovementRow.id == first)).mappings().one())
        session.execute(MovementRow.__table__.insert().values(
            row | {"id": first + 100, "phase": "bertugas"}))
    result = verify(db)
    assert not result.ok
    assert f"table movements row {first + 100} is not recorded" in (result.reason or "")


def _forge_from(db: Database, edited: int, hasher: Callable[[dict[str, Any]], str]) -> None:
    """Change row ``edited``'s payload and re-hash it and every later row with ``hasher``,
    relinking each to the one before, as a forger with database access would."""
    with db.session() as session:
        rows = [dict(row) for row in session.execute(
            select(AuditRow.__table__).order_by(AuditRow.id)).mappings()]
    prev = rows[edited - 2]["hash"] if edited > 1 else audit.GENESIS
    for row in rows[edited - 1:]:
        if row["id"] == edited:
            row["payload"] = {"n": 99}
        row["prev_hash"] = prev
        row["hash"] = prev = hasher(row)
        sql(db, "UPDATE audit_log SET payload = :payload, prev_hash = :prev, hash = :hash "
                 "WHERE id = :id", payload=json.dumps(row["payload"]), prev=row["prev_hash"],
             hash=row["hash"], id=row["id"])


@pytest.mark.parametrize("hasher", [
    pytest.param(audit.legacy_row_hash, id="plain-sha256"),
    pytest.param(lambda row: audit.row_hash(row, b"a key the forger guessed"), id="wrong-key"),
])
def test_an_edit_rehashed_to_the_end_without_the_key_fails(db: Database, hasher: Any):
    """Editing a row and re-hashing every later one, unkeyed or under another key, leaves a
    chain whose links hold but whose hashes do not: verify names the edited row."""
    _append(db, 5)
    _forge_from(db, 2, hasher)
    result = verify(db)
    assert (result.ok, result.bad_id) == (False, 2)
    assert "under the key" in (result.reason or "")


def test_a_rehashed_tail_with_the_checkpoint_removed_still_fails(db: Database):
    """Without its checkpoint file, a keyed chain is refused rather than trusted."""
    _append(db, 3)
    for path in Path(get_settings().data_dir).glob("audit-checkpoint-*.json"):
        path.unlink()
    result = verify(db)
    assert not result.ok
    assert "is missing" in (result.reason or "")


def test_a_forged_checkpoint_file_is_refused(db: Database):
    """A checkpoint rewritten to fit a shortened chain fails its signature."""
    _append(db, 3)
    (path,) = Path(get_settings().data_dir).glob("audit-checkpoint-*.json")
    body = json.loads(path.read_text())
    path.write_text(json.dumps(body | {"id": 2}))
    result = verify(db)
    assert not result.ok
    assert "wrong signature" in (result.reason or "") and path.name in (result.reason or "")


def test_an_older_unkeyed_chain_stays_verifiable(db: Database):
    """Rows hashed by an older PamTPS (plain SHA-256) verify before the first keyed row; the
    keyed rows appended after them are checked with the key."""
    _append(db, 3)
    for path in Path(get_settings().data_dir).glob("audit-checkpoint-*.json"):
        path.unlink()
    _forge_from(db, 1, audit.legacy_row_hash)  # as an older version would have written them
    assert verify(db).ok
    _append(db, 2)
    result = verify(db)
    assert (result.ok, result.rows) == (True, 5)
    _forge_from(db, 4, audit.legacy_row_hash)
    assert (verify(db).ok, verify(db).bad_id) == (False, 4)

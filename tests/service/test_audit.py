"""The audit log: a hash chain that ``verify`` proves intact, and that breaks when tampered with."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from pamtps.ops import audit
from pamtps.store import Database
from pamtps.store.tables.security import AuditRow
from tests.service.conftest import Login
from tests.service.personas import PASSWORD


def _append(db: Database, count: int) -> None:
    for number in range(count):
        with db.session() as session:
            audit.record(session, "komandan", "test.event", f"tps:{number}", {"n": number})


def _verify(db: Database) -> audit.VerifyResult:
    with db.session() as session:
        return audit.verify(session)


def _sql(db: Database, statement: str, **params: object) -> None:
    with db.session() as session:
        session.execute(text(statement), params)


def test_an_untouched_chain_verifies(db: Database):
    """Rows appended one by one form a chain that verifies, ids 1..n, each linked to the last."""
    _append(db, 4)
    result = _verify(db)
    assert (result.ok, result.rows) == (True, 4)
    with db.session() as session:
        rows = session.scalars(select(AuditRow).order_by(AuditRow.id)).all()
    assert [row.id for row in rows] == [1, 2, 3, 4]
    assert rows[0].prev_hash == audit.GENESIS
    assert all(later.prev_hash == earlier.hash for earlier, later in pairwise(rows))
    assert result.head_hash == rows[-1].hash


def test_an_empty_log_verifies(db: Database):
    """No rows, nothing wrong."""
    assert _verify(db) == audit.VerifyResult(True, 0, None)


def test_an_updated_payload_is_detected(db: Database):
    """Changing a row's payload in SQL breaks that row's hash."""
    _append(db, 4)
    _sql(db, "UPDATE audit_log SET payload = :payload WHERE id = 2", payload=json.dumps({"n": 99}))
    result = _verify(db)
    assert (result.ok, result.bad_id, result.rows) == (False, 2, 1)
    assert "altered" in (result.reason or "")


def test_a_deleted_middle_row_is_detected(db: Database):
    """Removing a row leaves a gap in the ids."""
    _append(db, 4)
    _sql(db, "DELETE FROM audit_log WHERE id = 2")
    result = _verify(db)
    assert (result.ok, result.bad_id) == (False, 3)
    assert "row 2 is missing" in (result.reason or "")


def test_a_reordered_row_is_detected(db: Database):
    """Swapping two rows' places breaks their hashes, which cover the id."""
    _append(db, 4)
    _sql(db, "UPDATE audit_log SET id = 0 WHERE id = 2")
    _sql(db, "UPDATE audit_log SET id = 2 WHERE id = 3")
    _sql(db, "UPDATE audit_log SET id = 3 WHERE id = 0")
    result = _verify(db)
    assert (result.ok, result.bad_id) == (False, 2)


def test_a_rehashed_row_breaks_the_next_link(db: Database):
    """A forger who also recomputes the altered row's hash is caught by the next row's link."""
    _append(db, 3)
    with db.session() as session:
        row = session.get(AuditRow, 2)
        assert row is not None
        fields = {name: getattr(row, name) for name in audit.HASHED_FIELDS} | {"payload": {"n": 7}}
        forged = audit.row_hash(fields)
    _sql(db, "UPDATE audit_log SET payload = :payload, hash = :hash WHERE id = 2",
         payload=json.dumps({"n": 7}), hash=forged)
    result = _verify(db)
    assert (result.ok, result.bad_id) == (False, 3)
    assert "prev_hash" in (result.reason or "")


def test_a_rolled_back_entry_leaves_no_gap(db: Database):
    """An entry whose transaction fails disappears with it; the next one takes its id."""
    _append(db, 1)
    with pytest.raises(RuntimeError), db.session() as session:
        audit.record(session, "komandan", "test.event", "tps:x")
        raise RuntimeError("the write it records failed")
    _append(db, 1)
    assert _verify(db) == audit.VerifyResult(True, 2, _verify(db).head_hash)


def test_concurrent_appends_never_fork_the_chain(db: Database):
    """Eight writers appending at once still leave one valid chain of every entry."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda _: _append(db, 5), range(8)))
    result = _verify(db)
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
    assert _verify(db).ok

"""Login throttling: the same answers for known and unknown names, a lock per address and
account, and only a short wait per account, so the real commander still logs in."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response

from pamtps.ops import lockout, users
from pamtps.ops.users import Role
from pamtps.settings import Settings
from pamtps.store import Database
from pamtps.web.app import create_app
from tests.service.conftest import form_csrf
from tests.service.personas import PASSWORD

ATTACKER = "10.0.0.66"
COMMANDER_PHONE = "10.20.30.40"
NOW = datetime(2024, 2, 14, 5, 0, tzinfo=UTC)


def from_address(app: FastAPI, ip: str) -> TestClient:
    """A client whose requests come from ``ip``."""
    return TestClient(app, follow_redirects=False, client=(ip, 50000))


def token(client: TestClient, username: str, password: str = "salah-salah") -> Response:
    return client.post("/api/v1/auth/token", json={"username": username, "password": password})


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The waits the throttle asked for, recorded instead of slept."""
    recorded: list[float] = []
    monkeypatch.setattr(lockout, "pause", recorded.append)
    return recorded


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    """The throttle's clock stands still, so that two runs compare to the second."""
    monkeypatch.setattr(lockout, "clock", lambda: NOW)


def test_unknown_and_known_names_get_identical_answers(app: FastAPI, frozen: None, waits):
    """Seven wrong passwords: status, body and headers are the same for a real name and a
    made-up one, lock included; so the lockout reveals no username."""
    answers = {}
    for name, ip in (("komandan", "10.1.1.1"), ("tidak.ada", "10.1.1.2")):
        client = from_address(app, ip)
        answers[name] = [
            (r.status_code, r.json(), sorted(r.headers.items()))
            for r in (token(client, name) for _ in range(7))
        ]
    assert answers["komandan"] == answers["tidak.ada"]
    statuses = [status for status, _, _ in answers["komandan"]]
    assert statuses == [401] * 5 + [429] * 2
    locked_headers = dict(answers["komandan"][-1][2])
    assert locked_headers["retry-after"] == "900"


def test_unknown_names_cost_the_same_password_check(app: FastAPI, monkeypatch, waits):
    """A wrong password for an unknown name is checked against a hash like a known one's."""
    verified: list[str] = []
    real = users.hasher

    class Counting:
        def verify(self, hashed: str, password: str) -> bool:
            verified.append(password)
            return real.verify(hashed, password)

        def __getattr__(self, name: str):
            return getattr(real, name)

    monkeypatch.setattr(users, "hasher", Counting())
    client = from_address(app, "10.1.1.3")
    token(client, "komandan", "salah-1")
    token(client, "tidak.ada", "salah-2")
    assert verified == ["salah-1", "salah-2"]


def test_the_commander_logs_in_from_his_phone_while_attacked(app: FastAPI, waits):
    """Attackers at three addresses lock themselves out of his account; from his own phone he
    still logs in with the right password, only after a short wait."""
    for n in range(3):
        attacker = from_address(app, f"{ATTACKER}{n}")
        assert [token(attacker, "komandan").status_code for _ in range(6)] == [401] * 5 + [429]
    assert token(from_address(app, f"{ATTACKER}0"), "komandan", PASSWORD).status_code == 429
    assert waits  # past 10 failures on the account every try waits
    waits.clear()
    answer = token(from_address(app, COMMANDER_PHONE), "komandan", PASSWORD)
    assert answer.status_code == 200, answer.text
    assert waits == [2.0]


def test_an_attack_on_one_account_slows_no_other(app: FastAPI, waits):
    """An attack on one account slows no other account."""
    for n in range(3):
        for _ in range(5):
            token(from_address(app, f"{ATTACKER}{n}"), "komandan")
    waits.clear()
    assert token(from_address(app, ATTACKER + "0"), "andi", PASSWORD).status_code == 200
    assert waits == []


def test_the_login_page_tells_the_wait_the_same_for_any_name(app: FastAPI, waits):
    """The form answers a locked address with 429, the minutes and Retry-After, and names
    nothing about whether the account exists."""
    pages = {}
    for name, ip in (("komandan", "10.2.2.1"), ("tidak.ada", "10.2.2.2")):
        client = from_address(app, ip)
        for _ in range(6):
            csrf = form_csrf(client.get("/login").text)
            page = client.post("/login", data={"username": name, "password": "salah-salah",
                                               "csrf_token": csrf})
        pages[name] = page
    for page in pages.values():
        assert page.status_code == 429
        assert "15 menit" in page.text and int(page.headers["retry-after"]) > 840


def test_an_admin_reset_lifts_the_lock_from_every_address(app: FastAPI, db: Database, waits):
    """After ``users reset`` the locked address may log in at once."""
    attacker = from_address(app, ATTACKER)
    for _ in range(5):
        token(attacker, "komandan")
    assert token(attacker, "komandan", PASSWORD).status_code == 429
    with db.session() as session:
        row = users.find_user(session, "komandan")
        assert row is not None
        users.reset_user(session, row, password=PASSWORD, role=Role.COMMAND, scope_code=None,
                         actor="admin")
    assert token(attacker, "komandan", PASSWORD).status_code == 200


def test_the_limits_come_from_the_settings(db: Database, db_url: str, people, waits):
    """With ``PAMTPS_LOCKOUT_ATTEMPTS=2`` the third try from one address is refused."""
    settings = Settings(database_url=db_url, lockout_attempts=2, login_slow_after=2,
                        login_delay_s=0.5)
    app = create_app(db, settings)
    client = from_address(app, ATTACKER)
    assert [token(client, "polda").status_code for _ in range(3)] == [401, 401, 429]
    assert token(from_address(app, COMMANDER_PHONE), "polda", PASSWORD).status_code == 200
    assert waits == [0.5, 0.5]  # the refused third try and his, past two failures

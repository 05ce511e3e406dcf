"""Fixtures of the command service tests: the app on the test database, users of every role.

``people`` saves the toy regency and one user per persona (``personas.py``); ``client`` is a
TestClient that does not follow redirects; ``login(client, persona)`` logs in through the login
form and returns the session's CSRF token. Passwords are hashed with cheap argon2 parameters.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient

from pamtps.ops import users
from pamtps.settings import Settings
from pamtps.store import Database, save_dataset
from pamtps.web.app import create_app
from tests.cli.conftest import cli  # noqa: F401  (the `pamtps ...` runner, for the CLI tests)
from tests.fixtures import toy_dataset
from tests.service.personas import PASSWORD, PERSONAS

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]*)"')
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')

Login = Callable[[TestClient, str], str]


@pytest.fixture(autouse=True)
def _cheap_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 at its lowest cost: the tests check the logic, not the hash's strength."""
    monkeypatch.setattr(users, "hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(database_url=db_url)


@pytest.fixture
def people(db: Database) -> dict[str, users.User]:
    """The toy regency and one user per persona, saved; by persona."""
    with db.session() as session:
        save_dataset(session, toy_dataset())
        return {
            persona: users.create_user(
                session, username=username, password=PASSWORD, role=role, actor="test",
                scope_code=scope, display_name=username.title(),
            )
            for persona, (username, role, scope) in PERSONAS.items()
        }


@pytest.fixture(autouse=True)
def _no_background_loops(monkeypatch: pytest.MonkeyPatch) -> None:
    """The service's loops (unguarded watch, incident escalation, escort watch, hourly report)
    stay off in the apps of these tests: a test runs a round itself, at a time it chooses. A
    round left running in its thread would otherwise race the next test's database."""
    for name in ("FIELD_WATCH", "INCIDENT_ESCALATE", "OPS_ESCORT_WATCH", "OPS_SITREP"):
        monkeypatch.setenv(f"PAMTPS_{name}_INTERVAL_S", "0")


@pytest.fixture
def app(db: Database, settings: Settings, people: dict[str, users.User]) -> FastAPI:
    return create_app(db, settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as client:
        yield client


def form_csrf(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = CSRF_FIELD.search(html)
    assert found, "no csrf_token field on the page"
    return found.group(1)


def log_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Post the login form as a browser would; returns the session's CSRF token ('' if refused)."""
    token = form_csrf(client.get("/login").text)
    client.post("/login", data={"username": username, "password": password, "csrf_token": token})
    found = CSRF_META.search(client.get("/").text)
    return found.group(1) if found else ""


@pytest.fixture
def login() -> Login:
    """``login(client, persona)``: log the client in as that persona; returns the CSRF token."""

    def run(client: TestClient, persona: str) -> str:
        csrf = log_in(client, PERSONAS[persona][0])
        assert csrf, f"{persona} could not log in"
        return csrf

    return run

"""The authorization matrix: every route of the application x every persona -> expected status.

The routes come from the application itself (``route_table(app)``), so a route added without a
row here makes ``test_every_route_has_a_row`` fail. To add rows for your routes, write a module
``authz_cases.py`` in your test folder under tests/service/ (e.g. tests/service/field/) holding
``CASES: list[Case]`` (harness: ``tests/service/authz.py``); it is collected with the rows below.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from pamtps.ops.sessions import issue_token
from pamtps.ops.users import User
from pamtps.settings import Settings
from pamtps.store import Database
from pamtps.web.routers import route_table
from tests.service.authz import PAGE, Case, Ctx, expect
from tests.service.conftest import Login, form_csrf
from tests.service.personas import ANONYMOUS, EVERYONE, PASSWORD, PERSONAS

OVERSEERS = ("admin", "command", "viewer")


def _post_login(ctx: Ctx) -> httpx2.Response:
    """Each persona logs in as himself; nobody logged in tries a wrong password."""
    username = PERSONAS[ctx.persona][0] if ctx.persona in PERSONAS else "komandan"
    password = PASSWORD if ctx.persona in PERSONAS else "salah-salah"
    token = form_csrf(ctx.client.get("/login").text)
    form = {"username": username, "password": password, "csrf_token": token}
    return ctx.client.post("/login", data=form)


def _token_body(ctx: Ctx) -> dict[str, str]:
    username = PERSONAS[ctx.persona][0] if ctx.persona in PERSONAS else "komandan"
    return {"username": username, "password": PASSWORD if ctx.persona in PERSONAS else "salah!!"}


def _officers_token(ctx: Ctx) -> str:
    with ctx.db.session() as session:
        _, row = issue_token(session, ctx.people["officer"], ctx.settings, label="HP Andi")
    return f"/api/v1/auth/tokens/{row.id}"


def _new_user(ctx: Ctx) -> dict[str, str]:
    return {"username": "baru", "password": PASSWORD, "role": "viewer"}


CORE_CASES = [
    Case("GET", "/healthz", expect(200, anonymous=200)),
    Case("GET", "/api/v1/openapi.json", expect(200, anonymous=200)),
    Case("GET", "/api/v1/docs", expect(200, anonymous=200)),
    Case("GET", "/login", expect(200, anonymous=200)),
    # The installable app's shell: public, like the login page it starts on.
    Case("GET", "/sw.js", expect(200, anonymous=200)),
    Case("GET", "/manifest.webmanifest", expect(200, anonymous=200)),
    Case("GET", "/icons/{name}.png", expect(200, anonymous=200), url="/icons/192.png"),
    Case("POST", "/login", expect(303, anonymous=401), send=_post_login),
    Case("POST", "/logout", expect(303, **PAGE)),
    Case("GET", "/", expect(200, **PAGE)),
    Case("GET", "/users", expect(200, ["admin"], **PAGE)),
    Case("POST", "/users", expect(303, ["admin"], **PAGE),
         form=lambda ctx: _new_user(ctx) | {"csrf_token": ctx.csrf}),
    Case("POST", "/api/v1/auth/token", expect(200), json=_token_body, csrf=False),
    Case("DELETE", "/api/v1/auth/tokens/{token_id}",
         expect(204, ["admin", "command", "officer"]), url=_officers_token),
    Case("GET", "/api/v1/auth/me", expect(200)),
    Case("GET", "/api/v1/users", expect(200, OVERSEERS)),
    Case("POST", "/api/v1/users", expect(201, ["admin"]), json=_new_user),
    Case("GET", "/api/v1/audit/verify", expect(200, OVERSEERS)),
]


def _collected_cases() -> list[Case]:
    here = Path(__file__).parent
    cases = list(CORE_CASES)
    for path in sorted(here.glob("*/authz_cases.py")):
        module = importlib.import_module(f"tests.service.{path.parent.name}.authz_cases")
        cases.extend(module.CASES)
    return cases


CASES = _collected_cases()


def test_every_route_has_a_row(app: FastAPI):
    """Each route the application answers has its row, and each row names a real route."""
    routes = set(route_table(app))
    rows = {(case.method, case.route) for case in CASES}
    assert sorted(routes - rows) == [], "routes without a row in the authorization matrix"
    assert sorted(rows - routes) == [], "rows for routes the application does not have"
    assert len(rows) == len(CASES), "a route has two rows"


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_every_row_names_every_persona(case: Case):
    assert set(case.expect) == set(EVERYONE)


@pytest.mark.parametrize("persona", EVERYONE)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_authorization_matrix(
    case: Case, persona: str, client: TestClient, login: Login, db: Database,
    settings: Settings, people: dict[str, User],
):
    """The persona gets exactly the status of its cell."""
    csrf = login(client, persona) if persona != ANONYMOUS else ""
    ctx = Ctx(persona, client, db, settings, people, csrf)
    response = case.call(ctx)
    assert response.status_code == case.expect[persona], response.text[:500]


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.method != "GET" and c.csrf and not c.send], ids=lambda c: c.id
)
def test_cookie_writes_without_the_csrf_token_are_refused(
    case: Case, client: TestClient, login: Login, db: Database, settings: Settings,
    people: dict[str, User],
):
    """Every state-changing route refuses a session-cookie call that lacks the CSRF token."""
    login(client, "admin")
    ctx = Ctx("admin", client, db, settings, people, csrf="")
    response = case.call(ctx)
    assert response.status_code == 403
    assert "CSRF" in response.text

"""Logging in and out, lockout, CSRF, device tokens and session expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update

from pamtps.settings import Settings
from pamtps.store import Database
from pamtps.store.tables.security import FailureRow, UserRow, WebSessionRow
from pamtps.web.app import create_app
from pamtps.web.auth import SESSION_COOKIE
from tests.service.conftest import Login, form_csrf, log_in
from tests.service.personas import PASSWORD


def _token(client: TestClient, username: str = "andi", password: str = PASSWORD):
    return client.post("/api/v1/auth/token", json={"username": username, "password": password,
                                                    "label": "HP Andi"})


def test_login_opens_a_session_and_logout_closes_it(client: TestClient, login: Login):
    """After login the home page greets the user; after logout it sends him to the login page."""
    csrf = login(client, "command")
    home = client.get("/")
    assert home.status_code == 200 and "Selamat datang, Komandan" in home.text
    response = client.post("/logout", data={"csrf_token": csrf})
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert client.get("/").status_code == 303


def test_session_cookie_is_httponly_and_lax(client: TestClient):
    """The session cookie cannot be read by scripts and is not sent on cross-site posts."""
    token = form_csrf(client.get("/login").text)
    response = client.post(
        "/login", data={"username": "komandan", "password": PASSWORD, "csrf_token": token}
    )
    cookie = next(v for k, v in response.headers.multi_items() if k == "set-cookie"
                  and v.startswith(SESSION_COOKIE))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie


def test_a_wrong_password_is_refused(client: TestClient):
    """A wrong password re-shows the form with a message and opens no session."""
    token = form_csrf(client.get("/login").text)
    response = client.post(
        "/login", data={"username": "komandan", "password": "salah-salah", "csrf_token": token}
    )
    assert response.status_code == 401
    assert "Nama pengguna atau kata sandi salah" in response.text
    assert client.get("/").status_code == 303


def test_login_redirects_only_to_local_pages(client: TestClient):
    """``next`` may name a page of the service, never another site."""
    for target, expected in (("/users", "/users"), ("//evil.example", "/"), ("https://x.y", "/")):
        client.cookies.clear()
        token = form_csrf(client.get("/login").text)
        response = client.post("/login", data={
            "username": "admin", "password": PASSWORD, "csrf_token": token, "next": target,
        })
        assert response.headers["location"] == expected


def test_five_failures_lock_the_account_for_fifteen_minutes(client: TestClient, db: Database):
    """The sixth attempt from the same address is refused even with the right password, until
    the failures leave the window."""
    for _ in range(5):
        assert _token(client, password="salah-salah").status_code == 401
    locked = _token(client)
    assert locked.status_code == 429
    assert locked.json()["detail"]["code"] == "auth.locked"
    assert "15 menit" in locked.json()["detail"]["message"]
    with db.session() as session:
        session.execute(update(FailureRow).values(at=FailureRow.at - timedelta(minutes=15)))
    assert _token(client).status_code == 200


def test_a_success_resets_the_failure_count(client: TestClient):
    """Failures must come in a row to lock an account."""
    for _ in range(4):
        _token(client, password="salah-salah")
    assert _token(client).status_code == 200
    for _ in range(4):
        _token(client, password="salah-salah")
    assert _token(client).status_code == 200


def test_a_form_without_the_csrf_token_is_refused(client: TestClient, login: Login):
    """A logged-in form post without its CSRF token (a cross-site forgery) gets 403."""
    login(client, "command")
    assert client.post("/logout").status_code == 403
    assert client.post("/logout", data={"csrf_token": "forged"}).status_code == 403
    assert client.get("/").status_code == 200  # still logged in


def test_a_json_call_with_the_session_cookie_needs_the_csrf_header(
    client: TestClient, login: Login
):
    """Cookie-authenticated API writes need X-CSRF-Token; reads do not."""
    csrf = login(client, "admin")
    body = {"username": "baru", "password": PASSWORD, "role": "viewer"}
    assert client.get("/api/v1/users").status_code == 200
    refused = client.post("/api/v1/users", json=body)
    assert refused.status_code == 403
    assert refused.json()["detail"]["code"] == "auth.csrf_failed"
    accepted = client.post("/api/v1/users", json=body, headers={"X-CSRF-Token": csrf})
    assert accepted.status_code == 201


def test_the_login_form_needs_its_csrf_token(client: TestClient):
    """A login post without the login form's token (login CSRF) gets 403."""
    client.get("/login")
    response = client.post("/login", data={"username": "komandan", "password": PASSWORD})
    assert response.status_code == 403


def test_a_device_token_authenticates_api_calls(client: TestClient):
    """POST /api/v1/auth/token gives a bearer token that identifies the user, no CSRF needed."""
    issued = _token(client)
    assert issued.status_code == 200
    token = issued.json()["access_token"]
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json()["username"] == "andi"
    assert me.json()["role"] == "officer" and me.json()["scope_code"] == "90030003"


def test_a_revoked_token_is_refused(client: TestClient):
    """After DELETE /api/v1/auth/tokens/{id} the token opens nothing."""
    issued = _token(client).json()
    headers = {"Authorization": f"Bearer {issued['access_token']}"}
    revoked = client.delete(f"/api/v1/auth/tokens/{issued['token_id']}", headers=headers)
    assert revoked.status_code == 204
    refused = client.get("/api/v1/auth/me", headers=headers)
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"] == "Bearer"
    assert refused.json()["detail"]["code"] == "auth.token_invalid"


def test_a_disabled_users_token_is_refused_at_once(client: TestClient, db: Database):
    """A device token is looked up once every few seconds, yet disabling its user ends it at
    once: any change to users or tokens empties that cache."""
    headers = {"Authorization": f"Bearer {_token(client).json()['access_token']}"}
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 200
    with db.session() as session:
        session.execute(update(UserRow).where(UserRow.username == "andi").values(active=False))
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 401


def test_a_user_cannot_revoke_another_users_token(client: TestClient):
    """Only the owner, the admin or the command revoke a token."""
    andi = _token(client).json()
    padal = _token(client, "padal.hulu").json()["access_token"]
    response = client.delete(f"/api/v1/auth/tokens/{andi['token_id']}",
                             headers={"Authorization": f"Bearer {padal}"})
    assert response.status_code == 403


def test_an_unknown_bearer_token_is_refused(client: TestClient):
    """A made-up token gets 401, not the login page."""
    response = client.get("/api/v1/auth/me", headers={"Authorization": "Bearer pamtps_nope"})
    assert response.status_code == 401


def test_an_expired_session_is_refused(client: TestClient, login: Login, db: Database):
    """Past its expiry the session cookie opens nothing: the page asks for a login again."""
    login(client, "command")
    with db.session() as session:
        session.execute(
            update(WebSessionRow).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    response = client.get("/")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert client.get("/api/v1/auth/me").status_code == 401


def test_a_disabled_user_loses_his_session(client: TestClient, login: Login, db: Database):
    """Setting a user inactive ends his access at once."""
    login(client, "padal")
    with db.session() as session:
        padal = update(UserRow).where(UserRow.username == "padal.hulu")
        session.execute(padal.values(active=False))
    assert client.get("/").status_code == 303
    assert log_in(client, "padal.hulu") == ""


def test_session_ids_are_stored_hashed(client: TestClient, login: Login, db: Database):
    """The database holds the session id's SHA-256, never the cookie's value."""
    login(client, "command")
    cookie = client.cookies[SESSION_COOKIE]
    with db.session() as session:
        stored = session.query(WebSessionRow.id_hash).scalar()
    assert stored != cookie and len(stored) == 64


def test_production_cookies_are_secure(db: Database, people: dict, db_url: str):
    """Outside development the session and language cookies travel over HTTPS only."""
    settings = Settings(database_url=db_url, environment="production", secret_key="k" * 40)
    app = create_app(db, settings)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        token = form_csrf(client.get("/login?lang=en").text)
        response = client.post(
            "/login", data={"username": "komandan", "password": PASSWORD, "csrf_token": token}
        )
    cookies = [v for k, v in response.headers.multi_items() if k == "set-cookie"]
    assert any(c.startswith(SESSION_COOKIE) and "Secure" in c for c in cookies)

"""The application shell: health check, offline API docs, static files, errors, headers."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from pamtps.store import Database
from pamtps.web.app import create_app


def test_healthz_answers_when_the_database_does(client: TestClient):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_healthz_reports_an_unreachable_database():
    """A database that does not answer gives 503, not a crash."""
    app = create_app(Database("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"))
    with TestClient(app) as client:
        response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["status"] == "error"


def test_the_openapi_document_lists_the_api_only(client: TestClient):
    """/api/v1/openapi.json documents the JSON API, not the pages."""
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/auth/token" in spec["paths"] and "/login" not in spec["paths"]


def test_the_api_docs_work_offline(client: TestClient):
    """/api/v1/docs is rendered by the service: no script or style from another host."""
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and "/api/v1/auth/token" in page.text and "TokenIn" in page.text
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page.text)
    assert client.get("/docs").status_code == 404


def test_static_files_are_served(client: TestClient):
    assert "csrfToken" in client.get("/static/js/pamtps.js").text
    assert client.get("/static/css/pamtps.css").status_code == 200


def test_responses_carry_security_headers(client: TestClient):
    headers = client.get("/login").headers
    assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"


def test_an_unknown_page_gets_the_error_page_and_an_unknown_api_path_json(client: TestClient):
    page = client.get("/tidak-ada")
    assert page.status_code == 404 and "Halaman tidak ditemukan" in page.text
    api = client.get("/api/v1/tidak-ada")
    assert api.status_code == 404
    assert api.json() == {"detail": {"code": "error.404", "message": "Halaman tidak ditemukan."}}


def test_a_page_refused_for_the_role_shows_why(client: TestClient, login):
    """A Padal opening the users page gets 403 and the reason in his language."""
    login(client, "padal")
    page = client.get("/users?lang=en")
    assert page.status_code == 403 and "You are not allowed to do this." in page.text


def test_the_pages_link_the_language_switch_and_keep_the_query(client: TestClient):
    page = client.get("/login?next=/users")
    assert 'href="/login?next=%2Fusers&amp;lang=en"' in page.text

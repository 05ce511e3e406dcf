"""Production headers: HSTS and a Content-Security-Policy that the pages satisfy in Chromium."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import sync_playwright

from pamtps.ops import users
from pamtps.settings import Environment, Settings
from pamtps.store import Database
from pamtps.web.app import create_app
from pamtps.web.core import content_security_policy
from tests.service.dashboard.live import BROWSER_ARGS, CHROMIUM, serving
from tests.service.personas import PASSWORD

SECRET = "a-production-secret-of-the-polres-0123456789abcdef"
PAGES = ["/", "/peta", "/perintah", "/kejadian", "/liaison"]


@pytest.fixture
def production(db_url: str, db: Database, people: dict[str, users.User]) -> Settings:
    return Settings(database_url=db_url, environment=Environment.PRODUCTION, secret_key=SECRET)


def test_production_sends_hsts_and_a_content_security_policy(
    db: Database, production: Settings
) -> None:
    """In production every answer carries HSTS and the CSP; scripts come from the site only."""
    with TestClient(create_app(db, production), base_url="https://testserver") as client:
        headers = client.get("/login").headers
    assert headers["strict-transport-security"].startswith("max-age=31536000")
    policy = headers["content-security-policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy


def test_development_sends_no_hsts(client: TestClient) -> None:
    """On a developer's plain-HTTP laptop, HSTS would pin localhost to HTTPS: not sent."""
    headers = client.get("/login").headers
    assert "strict-transport-security" not in headers
    assert "content-security-policy" not in headers


def test_a_tile_server_joins_the_image_sources_only() -> None:
    """A configured tile server may serve images, nothing else."""
    policy = content_security_policy("https://tiles.polda.example/{z}/{x}/{y}.png")
    assert "img-src 'self' data: blob: https://tiles.polda.example;" in policy
    assert policy.count("tiles.polda.example") == 1


def test_the_pages_work_under_the_policy_in_chromium(db: Database, production: Settings) -> None:
    """Komandan logs in and opens the pages on a phone-sized screen: Chromium reports no
    Content-Security-Policy violation and no script error (a page that breaks the policy, say
    with an inline script, fails here)."""
    problems: list[str] = []
    with serving(create_app(db, production, rounds=False)) as base, \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        page.on("console", lambda message: _note(problems, message))
        page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        page.goto(f"{base}/login")
        page.fill('input[name="username"]', "komandan")
        page.fill('input[name="password"]', PASSWORD)
        page.click('button[type="submit"]')
        page.wait_for_url(f"{base}/")
        for path in PAGES:
            page.goto(f"{base}{path}")
            page.wait_for_load_state("networkidle")
        browser.close()
    assert not problems, problems


def _note(problems: list[str], message: Any) -> None:
    if "Content Security Policy" in message.text:  # a 404 of the empty toy data is no matter
        problems.append(f"{message.type}: {message.text}")

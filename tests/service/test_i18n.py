"""Bahasa Indonesia by default, English on request; both catalogs complete."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pamtps import i18n
from pamtps.i18n import LANGUAGES, catalog, from_accept_language, pick_language, t

SERVICE = Path(i18n.__file__).parent
# t("key") / t('key') in templates and Python, and ServiceError(status, "key") in Python;
# a key built at run time ("field.token_" + reason) is not a literal and is left out.
USED_KEY = re.compile(
    r"""(?:\bt\(|ServiceError\(\d+,\s*)["']([a-z_]+\.[a-z0-9_.]+)["']\s*[,)]"""
)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_exists_in_every_language():
    """Indonesian and English catalogs hold the same keys."""
    keys = {lang: set(catalog(lang)) for lang in LANGUAGES}
    for lang in LANGUAGES:
        assert keys[lang] == keys[i18n.DEFAULT_LANGUAGE], f"{lang} differs"


def test_translations_take_the_same_parameters():
    """A message's {placeholders} are the same in both languages."""
    for key, text in catalog("id").items():
        assert _placeholders(text) == _placeholders(catalog("en")[key]), key


def test_every_key_used_in_the_service_is_in_the_catalog():
    """Every literal key passed to t() or ServiceError() in templates and code has a message."""
    sources = [*SERVICE.rglob("*.py"), *SERVICE.rglob("*.html")]
    used = {key for path in sources for key in USED_KEY.findall(path.read_text(encoding="utf-8"))}
    assert used, "the pattern found no key at all"
    assert sorted(used - set(catalog("id"))) == []


def test_t_fills_parameters_and_falls_back():
    """Parameters fill the message; an unknown key is shown as itself."""
    assert t("auth.locked", "en", minutes=15).startswith("Account locked")
    assert "15 menit" in t("auth.locked", "id", minutes=15)
    assert t("no.such.key", "en") == "no.such.key"


@pytest.mark.parametrize(
    ("header", "expected"),
    [("en-US,en;q=0.9", "en"), ("id-ID,id;q=0.9,en;q=0.8", "id"), ("fr;q=0.9, en;q=0.5", "en"),
     ("de", None), ("", None), ("en;q=bogus, id", "id")],
)
def test_accept_language_picks_the_preferred_supported_language(header: str, expected: str | None):
    assert from_accept_language(header) == expected


def test_the_query_beats_the_cookie_which_beats_the_browser():
    assert pick_language("en", "id", "id") == "en"
    assert pick_language(None, "en", "id") == "en"
    assert pick_language("xx", None, "en-GB") == "en"
    assert pick_language(None, None, None) == "id"


def test_pages_are_indonesian_by_default_and_english_on_request(client: TestClient):
    """?lang=en switches the page and is remembered in the lang cookie."""
    assert "Kata sandi" in client.get("/login").text
    english = client.get("/login?lang=en")
    assert "Password" in english.text and '<html lang="en">' in english.text
    assert "lang=en" in english.headers["set-cookie"]
    assert "Password" in client.get("/login").text  # the cookie keeps it


def test_the_browser_language_is_the_fallback(client: TestClient):
    """Without a choice, Accept-Language decides."""
    page = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "Password" in page.text


def test_api_errors_speak_the_callers_language(client: TestClient):
    """The message of an API error follows ?lang=; its code does not."""
    indonesian = client.get("/api/v1/auth/me").json()["detail"]
    english = client.get("/api/v1/auth/me?lang=en").json()["detail"]
    assert indonesian["code"] == english["code"] == "auth.login_required"
    assert indonesian["message"] == "Silakan masuk terlebih dahulu."
    assert english["message"] == "Please log in first."


def test_domain_terms_stay_indonesian_in_english():
    """TPS, Polsek, Padal, Sprint are not translated."""
    assert "Polsek" in catalog("en")["role.polsek.sees"]
    assert catalog("en")["role.padal"] == "Padal"
    assert "Sprint" in catalog("en")["role.officer.sees"]

"""Every word on every role's Indonesian pages comes from the catalogue or from the data.

The commander, the Kapolsek, the officer, the admin and the KPPS chair open each page their menu
offers, in Chromium at 390x844 and 1366x768, after an incident was reported and handled (so the
incident page shows its detail, trail and dispatch); the check of ``catalogue.py`` reads what
each page shows and fails on a word that no Indonesian message and no stored name holds. A
planted "Failed to fetch" and an "owner" make the same check fail, so it can. People, TPS and
posts are named, never shown by login or code; English speaks in the singular of one report.
"""

from __future__ import annotations

from collections.abc import Iterator
from pprint import pformat
from typing import Any

import pytest

from pamtps.i18n import t
from pamtps.ops.incidents.runtime import IncidentRuntime, IncidentSettings
from pamtps.store import Database
from tests.service.dashboard.catalogue import (
    catalogue_words,
    shown_texts,
    stored_names,
    uncatalogued,
    words_of,
)
from tests.service.dashboard.pages import (
    LAPTOP,
    PHONE_390,
    kpps_chair_page,
    open_page,
    page_path,
    page_width,
    watch_console,
)
from tests.service.dashboard.seed import OkuDemo
from tests.service.dashboard.test_browser import log_in
from tests.service.dashboard.test_incidents_browser import call

# The map's Leaflet controls (zoom buttons, attribution prefix) take their words from the
# catalogue ('peta.zoom_in', 'peta.zoom_out', 'peta.leaflet').
SUPERVISOR = ["/", "/peta", "/perintah", "/kejadian", "/pengawalan", "/tps/{tps}"]
CATALOGUE_PAGES: dict[str, list[str]] = {
    "komandan": SUPERVISOR,  # the commander (Kapolres; Kabag Ops has the same pages)
    "sek.baturajatimur": SUPERVISOR,  # the Kapolsek
    "petugas": ["/", "/tugas"],  # the officer
    "admin": ["/users"],
}
API_READERS = ("admin", "komandan")
DESCRIPTION = "Massa berkumpul di depan TPS dan mengancam petugas KPPS"
OWNER = "Kanit Samapta Polsek Baturaja Timur"
TYPED = words_of([DESCRIPTION, OWNER, "Budi Santoso"])  # what the test itself typed
LANGUAGE_SWITCH = {"id", "en"}  # the menu's ID / EN links name the languages by their codes
ZONES = {"wib", "wita", "wit"}  # the operation's time zone, written after every time


@pytest.fixture(scope="module")
def oku_app(oku_app: Any) -> Any:
    """The served demo with the escalation loop off (the incident stays where the test put it)."""
    oku_app.state.incidents = IncidentRuntime.of(IncidentSettings(escalate_interval_s=0))
    return oku_app


@pytest.fixture(scope="module")
def allowed(oku_db: Database, oku: OkuDemo, browser: Any, live_url: str) -> set[str]:
    """The Indonesian catalogue's words, the stored names (the plan's reserve units and the
    operation's name too) and what the test typed."""
    command = log_in(browser, live_url, "komandan")
    reserve = [unit["name"] for unit in call(command, live_url, "GET", "/api/v1/reserve")["units"]]
    command.context.close()
    names = stored_names(oku_db) | words_of([*reserve, oku.operation.name])
    return catalogue_words("id") | names | TYPED | LANGUAGE_SWITCH | ZONES


@pytest.fixture(scope="module")
def kpps_chair(browser: Any, live_url: str, oku: OkuDemo) -> Iterator[Any]:
    """The KPPS chair of the demo officer's TPS, signed in with his code and his name."""
    command = log_in(browser, live_url, "komandan")
    page = kpps_chair_page(browser, live_url, command, oku.officer_post.tps[0], "Budi Santoso")
    command.context.close()
    yield page
    page.context.close()


@pytest.fixture(scope="module")
def incident(kpps_chair: Any, browser: Any, live_url: str, oku: OkuDemo) -> int:
    """A high-severity incident the KPPS chair reported, verified and handled by the command."""
    body = {"tps_code": oku.officer_post.tps[0], "category": "crowd_riot", "severity": "tinggi",
            "description": DESCRIPTION}
    number = int(call(kpps_chair, live_url, "POST", "/api/v1/incidents", body)["id"])
    command = log_in(browser, live_url, "komandan")
    path = f"/api/v1/incidents/{number}/transition"
    call(command, live_url, "POST", path, {"to": "verified", "note": ""})
    call(command, live_url, "POST", path, {"to": "handled", "owner": OWNER, "note": ""})
    command.context.close()
    return number


def show(page: Any, base: str, path: str, incident: int) -> None:
    """Open ``path``; on /kejadian, with the incident's detail, trail and dispatch drawn."""
    open_page(page, base, path)
    if path == "/kejadian":
        page.evaluate(f"window.location.hash = '{incident}'")
        page.wait_for_selector("#detail-timeline li")
        page.wait_for_function("!document.querySelector('#candidate-rows')"
                               " || document.querySelector('#candidate-rows').rows.length > 0")
        page.wait_for_timeout(300)


VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE_390, LAPTOP], ids=["390x844", "1366x768"])


@VIEWPORTS
@pytest.mark.parametrize("username", list(CATALOGUE_PAGES))
def test_every_word_on_a_role_s_pages_comes_from_the_catalogue(
    browser: Any, live_url: str, oku: OkuDemo, allowed: set[str], incident: int,
    username: str, viewport: dict[str, int],
):
    """Each page of the role, drawn with its data, shows no word outside the Indonesian
    catalogue and the stored names; it fits the window and logs no script error."""
    page = log_in(browser, live_url, username, viewport=viewport)
    errors = watch_console(page)
    strangers, wide, api_links = {}, {}, set()
    for listed in CATALOGUE_PAGES[username]:
        path = page_path(listed, oku)
        show(page, live_url, path, incident)
        api_links.add(page.locator('.topbar a[href="/api/v1/docs"]').count())
        found = uncatalogued(shown_texts(page), allowed)
        if found:
            strangers[path] = found
        if page_width(page) > viewport["width"]:
            wide[path] = page_width(page)
    page.context.close()
    assert strangers == {}, pformat(strangers)
    assert wide == {}
    # The API reference (for integrators, in English) is in the admin's and commander's menu only.
    assert api_links == ({1} if username in API_READERS else {0})
    assert errors == []


@VIEWPORTS
def test_every_word_on_the_kpps_chair_s_page_comes_from_the_catalogue(
    kpps_chair: Any, live_url: str, allowed: set[str], incident: int, viewport: dict[str, int],
):
    """The KPPS chair's page, with his report listed and his TPS named, passes the check."""
    page = kpps_chair
    page.set_viewport_size(viewport)
    errors = watch_console(page)
    open_page(page, live_url, "/liaison")
    page.wait_for_function(f"document.querySelector('#incidents').innerText.includes('#{incident}')")
    page.wait_for_function("!document.querySelector('#escort-state').innerText.includes('Memuat')")
    assert uncatalogued(shown_texts(page), allowed) == {}
    assert page_width(page) <= viewport["width"]
    assert page.locator('a[href="/api/v1/docs"]').count() == 0
    assert errors == []


def test_the_check_fails_on_an_untranslated_string(
    browser: Any, live_url: str, allowed: set[str], incident: int
):
    """English planted in a page (a fetch error, a column named 'owner', an English plural, a
    tooltip) is caught, word by word; the page without it passes."""
    page = log_in(browser, live_url, "komandan", viewport=LAPTOP)
    show(page, live_url, "/kejadian", incident)
    assert uncatalogued(shown_texts(page), allowed) == {}
    english = t("kejadian.reports", "en", count=2)  # '2 reports'
    page.evaluate(
        """(english) => {
             const box = document.querySelector('main');
             box.insertAdjacentHTML('beforeend', '<p>Failed to fetch</p>'
               + '<table><tr><td>owner</td></tr></table>');
             box.insertAdjacentHTML('beforeend', `<p>${english}</p>`
               + '<button title="Unprocessable Entity">?</button>');
           }""",
        english,
    )
    found = uncatalogued(shown_texts(page), allowed)
    page.context.close()
    assert found == {"Failed to fetch": ["Failed", "to", "fetch"], "owner": ["owner"],
                     english: ["reports"], "Unprocessable Entity": ["Unprocessable", "Entity"]}


def test_people_tps_and_posts_are_named_not_coded(
    browser: Any, live_url: str, oku: OkuDemo, incident: int
):
    """On /kejadian the reporter is 'Budi Santoso (Ketua KPPS TPS 0nn · Desa ...)', not his
    login; the orders list names posts 'Pos TPS ...' with the id only as secondary text; the
    TPS page's heading is 'TPS nnn · Desa ...'; times carry the operation's zone."""
    tps = oku.officer_post.tps[0]
    desa = oku.dataset.area_by_code[next(x for x in oku.dataset.tps if x.code == tps).desa_code]
    page = log_in(browser, live_url, "komandan", viewport=LAPTOP)
    show(page, live_url, "/kejadian", incident)
    facts = page.inner_text("#detail-facts")
    assert f"Budi Santoso (Ketua KPPS TPS {tps[10:]} · " in facts and desa.name in facts
    assert "kpps." not in facts and tps not in facts
    assert " WIB" in page.inner_text("#detail-timeline")
    open_page(page, live_url, "/perintah")
    first = page.locator("#unack-rows tr").first
    assert first.locator("td").nth(2).inner_text().startswith("Pos TPS ")
    assert first.locator("td small.code-secondary").inner_text().startswith("polsek.")
    open_page(page, live_url, f"/tps/{tps}")
    assert page.inner_text("h1").startswith(f"TPS {tps[10:]} · ")
    page.context.close()


def test_one_report_is_singular_in_english(
    browser: Any, live_url: str, incident: int
):
    """English mode says '1 report', Indonesian '1 laporan'."""
    page = log_in(browser, live_url, "komandan", viewport=LAPTOP)
    for lang, expected in (("en", "1 report"), ("id", "1 laporan")):
        show(page, live_url, f"/kejadian?lang={lang}", incident)
        page.evaluate(f"window.location.hash = '{incident}'")
        page.wait_for_selector("#detail-timeline li")
        facts = page.inner_text("#detail-facts")
        assert expected in facts.splitlines() and "1 reports" not in facts
    page.context.close()

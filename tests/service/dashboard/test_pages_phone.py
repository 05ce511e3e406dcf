"""Every role's pages on a 390 px phone and a 1366 px laptop, and the alert of /kejadian.

A Kapolsek in the field opens the lists on his phone; a commander keeps /kejadian open on the
command post's laptop. Neither may have to scroll sideways, meet a script error, or miss a new
high-severity incident: the tab title counts it and a sound plays.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pamtps.ops.incidents.runtime import IncidentRuntime, IncidentSettings
from tests.service.dashboard.pages import (
    LAPTOP,
    PHONE_390,
    ROLE_PAGES,
    cut_menu_items,
    kpps_chair_page,
    liaison_code,
    open_page,
    page_path,
    page_width,
    too_wide,
    watch_console,
)
from tests.service.dashboard.seed import OkuDemo
from tests.service.dashboard.test_browser import log_in
from tests.service.dashboard.test_incidents_browser import call


@pytest.fixture(scope="module")
def oku_app(oku_app: Any) -> Any:
    """The served demo with the escalation loop off (the alert test reports at will)."""
    oku_app.state.incidents = IncidentRuntime.of(IncidentSettings(escalate_interval_s=0))
    return oku_app


@pytest.mark.parametrize("viewport", [PHONE_390, LAPTOP], ids=["390x844", "1366x768"])
@pytest.mark.parametrize("username", list(ROLE_PAGES))
def test_each_page_fits_the_screen_without_script_errors(
    browser: Any, live_url: str, oku: OkuDemo, username: str, viewport: dict[str, int]
):
    """Every page of this role is no wider than the window, its menu is whole, and its
    scripts log no error."""
    page = log_in(browser, live_url, username, viewport=viewport)
    errors = watch_console(page)
    wide, cut = {}, {}
    for path in ROLE_PAGES[username]:
        open_page(page, live_url, page_path(path, oku))
        if page_width(page) > viewport["width"]:
            wide[path] = (page_width(page), too_wide(page))
        if cut_menu_items(page):
            cut[path] = cut_menu_items(page)
    page.context.close()
    assert wide == {}, f"pages wider than {viewport['width']} px"
    assert cut == {}, "menu items cut off"
    assert errors == []


@pytest.mark.parametrize("viewport", [PHONE_390, LAPTOP], ids=["390x844", "1366x768"])
def test_the_kpps_chair_page_fits_the_screen(
    browser: Any, live_url: str, oku: OkuDemo, viewport: dict[str, int]
):
    """The KPPS chair's page, before and after he redeems his code, fits his phone; the TPS
    is named by its number and desa, not its 13-digit code."""
    tps = oku.officer_post.tps[0]
    command = log_in(browser, live_url, "komandan")
    code = liaison_code(command, live_url, tps)
    command.context.close()
    context = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta", viewport=viewport)
    page = context.new_page()
    errors = watch_console(page)
    open_page(page, live_url, f"/liaison?code={code}")
    assert page_width(page) <= viewport["width"]
    page.click("#redeem-form button[type=submit]")
    page.wait_for_selector("#report-form")
    page.wait_for_function("!document.querySelector('#escort-state').innerText.includes('Memuat')")
    assert page_width(page) <= viewport["width"]
    assert cut_menu_items(page) == []
    desa = next(t for t in oku.dataset.tps if t.code == tps).desa_code
    desa_name = oku.dataset.area_by_code[desa].name
    heading = page.inner_text("#liaison-tps")
    assert f"TPS {tps[10:]} " in heading and desa_name in heading and tps not in heading
    context.close()
    assert errors == []


def test_the_wrong_invite_code_is_an_error(browser: Any, live_url: str):
    """A mistyped invite code is shown as an error (red), not as information."""
    context = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta", viewport=PHONE_390)
    page = context.new_page()
    open_page(page, live_url, "/liaison?code=AAAA-BBBB")
    page.click("#redeem-form button[type=submit]")
    page.wait_for_selector("#message:not([hidden])")
    assert page.get_attribute("#message", "data-kind") == "bad"
    assert page.get_attribute("#message", "role") == "alert"
    colour = page.eval_on_selector("#message", "e => getComputedStyle(e).color")
    assert colour == "rgb(179, 38, 30)"  # --bad
    context.close()


@pytest.fixture(scope="module")
def command_post(browser: Any, live_url: str) -> Iterator[Any]:
    """Komandan's /kejadian with the sound's play() counted instead of heard."""
    page = log_in(browser, live_url, "komandan", viewport=LAPTOP)
    open_page(page, live_url, "/kejadian")
    page.evaluate(
        """() => { window.__plays = 0;
             document.getElementById('alert-sound').play = () => {
               window.__plays += 1; return Promise.resolve(); }; }"""
    )
    yield page
    page.context.close()


@pytest.fixture(scope="module")
def kpps_chair(browser: Any, live_url: str, oku: OkuDemo) -> Iterator[Any]:
    """The KPPS chair of the demo officer's TPS, signed in with a fresh invite code."""
    command = log_in(browser, live_url, "komandan")
    page = kpps_chair_page(browser, live_url, command, oku.officer_post.tps[0])
    command.context.close()
    yield page
    page.context.close()


def report(page: Any, base: str, tps: str, category: str, severity: str) -> int:
    """An incident the KPPS chair reports at his TPS through the API."""
    body = {"tps_code": tps, "category": category, "severity": severity,
            "description": f"Uji peringatan {severity}"}
    answer = call(page, base, "POST", "/api/v1/incidents", body)
    return int(answer["id"])


def test_a_new_high_severity_incident_counts_in_the_title_and_plays_the_sound(
    command_post: Any, kpps_chair: Any, live_url: str, oku: OkuDemo
):
    """A low-severity report changes nothing; a 'tinggi' one makes the tab '(1) Kejadian ...'
    and plays the alert once; a 'kritis' one makes it '(2)'."""
    page = command_post
    title = page.title()
    assert not title.startswith("(")
    tps = oku.officer_post.tps[0]
    before = page.evaluate("window.pamtpsKejadian.incidents.size")
    report(kpps_chair, live_url, tps, "late_opening", "rendah")
    page.wait_for_function(f"window.pamtpsKejadian.incidents.size > {before}")
    page.wait_for_timeout(300)
    assert page.title() == title and page.evaluate("window.__plays") == 0
    report(kpps_chair, live_url, tps, "crowd_riot", "tinggi")
    page.wait_for_function("document.title.startsWith('(1) ')", timeout=5000)
    assert page.title() == f"(1) {title}"
    assert page.evaluate("window.__plays") == 1
    report(kpps_chair, live_url, tps, "ballot_burning", "kritis")
    page.wait_for_function("document.title.startsWith('(2) ')", timeout=5000)
    assert page.evaluate("window.__plays") == 2


def test_opening_the_alerted_incident_takes_it_off_the_title(command_post: Any):
    """Once the commander opens each alerted incident, the title is plain again."""
    page = command_post
    alerted = page.evaluate("window.pamtpsKejadian.alerted()")
    assert len(alerted) == 2
    for incident in alerted:
        page.evaluate(f"window.location.hash = '{incident}'")
    page.wait_for_function("!document.title.startsWith('(')", timeout=5000)


def test_the_alert_sound_is_a_short_bundled_wav(live_url: str, browser: Any):
    """The sound the page plays is served from the app: a short RIFF/WAVE file."""
    context = browser.new_context()
    answer = context.request.get(f"{live_url}/static/audio/alert.wav")
    body = answer.body()
    context.close()
    assert answer.ok and answer.headers["content-type"] in {"audio/wav", "audio/x-wav"}
    assert body[:4] == b"RIFF" and body[8:12] == b"WAVE" and 1000 < len(body) < 40_000

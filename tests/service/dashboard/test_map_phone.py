"""The map (/peta) for every user on any screen: a phone in the field and a command-post laptop.

The commander and a Kapolsek open the map at 390x844 and 1366x768 on the OKU demo served for
real: the page never scrolls sideways, the map has a height and holds all the user's TPS, no
console error; the search opens a TPS by code, by number within a desa and by desa name; a
check-in through the API turns its TPS green without re-reading the whole state; the JSON is
sent gzipped, the live stream is not.
"""

from __future__ import annotations

import gzip
import json
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from pamtps.ops.demo import DEMO_PASSWORD
from tests.service.dashboard.seed import OkuDemo
from tests.service.dashboard.test_browser import open_map

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
KAPOLSEK = "sek.baturajatimur"
SECTOR = "Polsek Baturaja Timur"
STATE_URL = "/api/v1/tps/state"
GREEN = "#1e8e3e"


def mine(oku: OkuDemo, username: str) -> list[str]:
    """The codes of the TPS a demo user may see: all for the commander, his sector's for the
    Kapolsek."""
    if username == "komandan":
        return [t.code for t in oku.dataset.tps]
    sector = next(u for u in oku.dataset.polsek if u.name == SECTOR)
    kecamatan = set(sector.kecamatan_codes)
    return [t.code for t in oku.dataset.tps if t.desa_code.rsplit(".", 1)[0] in kecamatan]


class Watched:
    """A logged-in page on /peta with its console errors and its reads of the TPS state."""

    def __init__(self, browser: Any, base: str, username: str, viewport: dict[str, int]) -> None:
        self.context = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta",
                                           viewport=viewport)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.state_reads = 0
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", self._count)
        self.page.goto(f"{base}/login")
        self.page.fill('input[name="username"]', username)
        self.page.fill('input[name="password"]', DEMO_PASSWORD)
        self.page.click('button[type="submit"]')
        self.page.wait_for_url(f"{base}/")
        open_map(self.page, base)

    def _count(self, request: Any) -> None:
        if request.url.split("?")[0].endswith(STATE_URL):
            self.state_reads += 1

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser: Any, live_url: str) -> Iterator[Any]:
    opened: list[Watched] = []

    def open_as(username: str, viewport: dict[str, int]) -> Watched:
        opened.append(Watched(browser, live_url, username, viewport))
        return opened[-1]

    yield open_as
    for page in opened:
        page.close()


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390x844", "1366x768"])
@pytest.mark.parametrize("username", ["komandan", KAPOLSEK])
def test_the_map_shows_all_the_users_tps_on_any_screen(
    watched: Any, oku: OkuDemo, username: str, viewport: dict[str, int]
):
    """No sideways scroll, a map with a height holding one marker per TPS of the user, the
    counters filled, the per-Polsek table summing to the total, and no console error."""
    view = watched(username, viewport)
    page = view.page
    codes = mine(oku, username)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    box = page.locator("#map").bounding_box()
    assert box is not None and box["height"] > 200 and box["width"] <= viewport["width"]
    assert page.evaluate("window.pamtpsPeta.visibleCount()") == len(codes)
    assert set(page.evaluate("[...window.pamtpsPeta.tps.keys()]")) == set(codes)
    assert page.inner_text("#count-total") == str(len(codes))
    assert page.inner_text("#count-not_yet") == str(len(codes))
    sector_tps = page.eval_on_selector_all(
        "#sectors tbody tr td:nth-of-type(1)", "cells => cells.map(c => Number(c.innerText))"
    )
    assert sum(sector_tps) == len(codes)
    assert (len(sector_tps) == 1) is (username == KAPOLSEK)
    assert view.errors == []


def test_the_alarm_list_is_above_the_fold_on_a_laptop(watched: Any):
    """On a 1366x768 screen the commander reads the alarm list without scrolling the panel."""
    page = watched("komandan", LAPTOP).page
    top = page.locator("#alerts").bounding_box()
    assert top is not None and top["y"] + 20 < LAPTOP["height"]


def test_layer_control_puts_each_checkbox_beside_its_label(watched: Any):
    """The layer control's checkboxes sit on their label's line, to the left of its text."""
    page = watched("komandan", LAPTOP).page
    page.hover(".leaflet-control-layers")
    page.wait_for_selector(".leaflet-control-layers-expanded")
    labels = ".leaflet-control-layers label"
    boxes = page.eval_on_selector_all(labels, """labels => labels.map(l => {
        const box = l.querySelector('input').getBoundingClientRect();
        const text = l.querySelector('span span').getBoundingClientRect();
        return [box.top, box.bottom, box.right, text.top + text.height / 2, text.right];
    })""")
    assert len(boxes) >= 5
    for top, bottom, right, text_middle, text_right in boxes:
        assert top <= text_middle <= bottom and right < text_right


def test_a_rawan_tps_takes_the_click_over_a_small_dot(watched: Any, oku: OkuDemo):
    """Clicked at its centre, a rawan TPS opens its own popup even where plain TPS crowd it."""
    page = watched("komandan", LAPTOP).page
    rawan = [c for c, cls in oku.plan.classes.items() if cls.value != "kurang_rawan"]
    clicked = 0
    for code in rawan:
        point = page.evaluate(f"""() => {{
            const map = window.pamtpsPeta.map, marker = window.pamtpsPeta.tps.get('{code}').marker;
            map.setView(marker.getLatLng(), 11, {{animate: false}});
            const at = map.latLngToContainerPoint(marker.getLatLng());
            const bases = [...window.pamtpsPeta.reserve.values()].map(
                (r) => map.latLngToContainerPoint(r.marker.getLatLng()));
            if (bases.some((b) => b.distanceTo(at) < 14)) return null; // a reserve base on top
            const box = map.getContainer().getBoundingClientRect();
            return [box.left + at.x, box.top + at.y];
        }}""")
        if point is None:
            continue
        clicked += 1
        page.wait_for_timeout(600)  # the canvas redraws; two clicks in 500 ms are a double click
        page.mouse.click(*point)
        page.wait_for_function(
            f"window.pamtpsPeta.tps.get('{code}').marker.isPopupOpen()", timeout=2000
        )
        tps = next(t for t in oku.dataset.tps if t.code == code)
        shown = page.evaluate(
            f"window.pamtpsPeta.tps.get('{code}').marker.getPopup().getElement().innerText"
        )
        assert f"TPS {tps.number:03d}" in shown, code
        page.evaluate("void window.pamtpsPeta.map.closePopup()")
    assert clicked >= len(rawan) - 3  # a rawan TPS beside a reserve base yields to the base


def _search(page: Any, query: str) -> str:
    """Type ``query`` in the map's search, press Enter; the open popup's text."""
    page.evaluate("void window.pamtpsPeta.map.closePopup()")
    page.fill("#search", query)
    page.press("#search", "Enter")
    opened = "[...window.pamtpsPeta.tps.values()].find((t) => t.marker.isPopupOpen())"
    page.wait_for_function(f"Boolean({opened})", timeout=3000)
    text: str = page.evaluate(f"{opened}.marker.getPopup().getElement().innerText")
    return text


def _centre_is(page: Any, oku: OkuDemo, code: str) -> bool:
    tps = next(t for t in oku.dataset.tps if t.code == code)
    lat, lng = page.evaluate("Object.values(window.pamtpsPeta.map.getCenter())")
    return abs(lat - tps.lat) < 1e-3 and abs(lng - tps.lng) < 1e-3


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390x844", "1366x768"])
def test_search_opens_a_tps_by_code_by_number_in_a_desa_and_by_desa(
    watched: Any, oku: OkuDemo, viewport: dict[str, int]
):
    """'1601142015901', '901 Air Paoh', 'TPS 3 <desa>' and a desa's name each open the TPS meant
    (its popup, the map centred on it); nonsense says that nothing matches."""
    page = watched("komandan", viewport).page
    names = {a.code: a.name for a in oku.dataset.areas}
    special = next(t for t in oku.dataset.tps if t.number >= 900)
    desa = names[special.desa_code]
    assert f"TPS {special.number:03d} {desa}" in _search(page, special.code)
    assert _centre_is(page, oku, special.code)
    assert f"TPS {special.number:03d} {desa}" in _search(page, f"{special.number} {desa}")
    # A desa whose name is its own (no other desa starts with it), with a third TPS.
    third = next(t for t in oku.dataset.tps if t.number == 3 and sum(
        names[d].lower().startswith(names[t.desa_code].lower())
        for d in {u.desa_code for u in oku.dataset.tps}) == 1)
    village = names[third.desa_code]
    assert f"TPS 003 {village}" in _search(page, f"TPS 3 {village}")
    assert _centre_is(page, oku, third.code)
    first = min((t for t in oku.dataset.tps if t.desa_code == third.desa_code),
                key=lambda t: t.number)
    assert f"TPS {first.number:03d} {village}" in _search(page, village.upper())
    assert _centre_is(page, oku, first.code)
    page.fill("#search", "zzqx tidak ada")
    assert "Tidak ada TPS" in page.inner_text("#search-results")


def test_desa_filter_keeps_only_that_desas_tps(watched: Any, oku: OkuDemo):
    """Picking a desa leaves its TPS on the map and in the counters, and no other."""
    page = watched(KAPOLSEK, PHONE).page
    code = mine(oku, KAPOLSEK)[0]
    desa_code = next(t.desa_code for t in oku.dataset.tps if t.code == code)
    in_desa = [t for t in oku.dataset.tps if t.desa_code == desa_code]
    page.select_option("#filter-desa", desa_code)
    assert page.evaluate("window.pamtpsPeta.visibleCount()") == len(in_desa)
    assert page.inner_text("#count-total") == str(len(in_desa))


def test_a_checkin_changes_its_marker_without_reading_the_whole_state(
    watched: Any, live_url: str, oku: OkuDemo
):
    """The officer checks in through the API; the commander's laptop and the Kapolsek's phone
    turn his post's TPS green and only those, and neither reads /api/v1/tps/state again."""
    views = [watched("komandan", LAPTOP), watched(KAPOLSEK, PHONE)]
    reads = [v.state_reads for v in views]
    assert all(r == 1 for r in reads)  # the first render reads the state once
    post = oku.officer_post
    code = post.tps[0]
    tps = next(t for t in oku.dataset.tps if t.code == code)
    token = _token(live_url, "petugas")
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    body = {"method": "gps", "lat": tps.lat, "lng": tps.lng}
    status, text = _call(live_url, "/api/v1/checkin", token, body, headers)
    assert status == 201, text
    for view in views:
        page = view.page
        page.wait_for_function(f"window.pamtpsPeta.stateOf('{code}') === 'guarded'", timeout=3000)
        page.wait_for_function(
            f"document.querySelector('#count-guarded').innerText === '{len(post.tps)}'",
            timeout=3000,
        )
    views[0].page.wait_for_timeout(1000)  # longer than the old 400 ms debounce
    for view in views:
        assert view.state_reads == 1
        assert view.page.evaluate("window.pamtpsPeta.stateReads") == 1
        assert view.page.evaluate(f"window.pamtpsPeta.colourOf('{code}')") == GREEN
        guarded = view.page.evaluate("[...window.pamtpsPeta.tps.keys()]"
                                     ".filter(c => window.pamtpsPeta.stateOf(c) === 'guarded')")
        assert sorted(guarded) == sorted(post.tps)
        assert view.errors == []


def _token(base: str, username: str) -> str:
    _, text = _call(base, "/api/v1/auth/token", None, {"username": username,
                                                      "password": DEMO_PASSWORD})
    token: str = json.loads(text)["access_token"]
    return token


def _call(
    base: str, path: str, token: str | None, body: Any, headers: dict[str, str] | None = None
) -> tuple[int, str]:
    """POST ``body`` as JSON; (status, text)."""
    request = urllib.request.Request(
        f"{base}{path}", json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json", **(headers or {}),
                 **({"Authorization": f"Bearer {token}"} if token else {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _get(base: str, path: str, token: str, encoding: str) -> tuple[dict[str, str], bytes]:
    """GET with ``Accept-Encoding``: the headers and the bytes as sent (urllib never unzips)."""
    request = urllib.request.Request(f"{base}{path}", headers={
        "Authorization": f"Bearer {token}", "Accept-Encoding": encoding})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return {k.lower(): v for k, v in answer.headers.items()}, answer.read()


def test_map_json_is_gzipped_and_the_live_stream_is_not(live_url: str):
    """The plan layer and the boundaries come gzipped (a third of their size or less), the
    same JSON once unzipped; the live stream /api/v1/events is never compressed."""
    token = _token(live_url, "komandan")
    for path in ("/api/v1/map/plan", "/api/v1/map/boundaries"):
        zipped_headers, zipped = _get(live_url, path, token, "gzip")
        plain_headers, plain = _get(live_url, path, token, "identity")
        assert zipped_headers.get("content-encoding") == "gzip", path
        assert "content-encoding" not in plain_headers
        assert len(zipped) * 3 < len(plain), (path, len(zipped), len(plain))
        assert json.loads(gzip.decompress(zipped)) == json.loads(plain)
    request = urllib.request.Request(f"{live_url}/api/v1/events", headers={
        "Authorization": f"Bearer {token}", "Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as stream:
        assert stream.headers["Content-Type"].startswith("text/event-stream")
        assert stream.headers.get("Content-Encoding") is None

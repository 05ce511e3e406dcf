"""The command dashboard end to end: the OKU demo served for real, used in headless Chromium.

The commander's map stays open from the first test to the last (module fixture
``command_post``), so the check-in and the alert must reach it without a reload. The tests run
in file order and take the screenshots of the user guide (docs/panduan.md) into docs/img/.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from datetime import time as clock
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from pamtps.domain.plan import Post
from pamtps.ops.demo import DEMO_PASSWORD
from pamtps.ops.field.ingest import BODIES, Report, Reporter, ingest
from pamtps.ops.field.runtime import alert_event, runtime_of
from pamtps.ops.field.watch import UNGUARDED, run_watch
from pamtps.ops.idempotency import request_hash
from pamtps.ops.times import on_voting_day
from pamtps.store import Database
from pamtps.store.plans import latest_plan, save_plan
from pamtps.store.tables.field import OrderRow
from tests.service.dashboard.conftest import SECRET
from tests.service.dashboard.seed import OkuDemo

IMG = Path(__file__).resolve().parents[3] / "docs" / "img"
DESKTOP = {"width": 1400, "height": 860}
PHONE = {"width": 420, "height": 900}
UNREACHED_KECAMATAN = "Ulu Ogan"  # remote: in this story its teams have not arrived by 06:30
GREEN = "#1e8e3e"


def shot(page: Any, name: str, **options: Any) -> None:
    """A screenshot for the user guide, docs/img/<name>.png (``full_page``, ``clip``...)."""
    IMG.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMG / f"{name}.png"), **options)


def log_in(browser: Any, base: str, username: str, screenshot: str = "", **options: Any) -> Any:
    """A new browser context (Indonesian, desktop unless told) logged in as ``username``."""
    context = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta",
                                  viewport=options.pop("viewport", DESKTOP), **options)
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', DEMO_PASSWORD)
    if screenshot:
        shot(page, screenshot, clip={"x": 0, "y": 0, "width": DESKTOP["width"], "height": 400})
    page.click('button[type="submit"]')
    page.wait_for_url(f"{base}/")
    return page


def kept_open(browser: Any, base: str, path: str, ready: str) -> Iterator[Any]:
    """Komandan's page at ``path``, opened once for a whole module and never reloaded: its
    ``window.__sameLoad`` marker would vanish on a reload. ``ready``: the page's ready flag."""
    page = log_in(browser, base, "komandan")
    page.goto(f"{base}{path}")
    page.wait_for_function(f"window.{ready} && window.{ready}.ready")
    page.evaluate("window.__sameLoad = true")
    yield page
    page.context.close()


def open_map(page: Any, base: str) -> None:
    page.goto(f"{base}/peta")
    page.wait_for_function("window.pamtpsPeta && window.pamtpsPeta.ready", timeout=30_000)


def tps_point(oku: OkuDemo, code: str) -> tuple[float, float]:
    tps = next(t for t in oku.dataset.tps if t.code == code)
    return tps.lat, tps.lng


def waiting(database: Database) -> int:
    """How many orders in force nobody has acknowledged."""
    with database.session() as session:
        count = session.scalar(
            select(func.count()).select_from(OrderRow).where(
                OrderRow.superseded_at.is_(None), OrderRow.acknowledged_at.is_(None)
            )
        )
    return int(count or 0)


@pytest.fixture(scope="module")
def command_post(browser: Any, live_url: str) -> Iterator[Any]:
    """The commander's map, opened once and never reloaded (``__sameLoad`` would vanish)."""
    page = log_in(browser, live_url, "komandan", screenshot="login")
    open_map(page, live_url)
    page.evaluate("window.__sameLoad = true")
    yield page
    page.context.close()


def test_commander_sees_every_oku_tps_on_the_map(command_post: Any, oku: OkuDemo):
    """The commander's map draws all 1,225 TPS of OKU, none guarded yet, in Indonesian."""
    page = command_post
    assert page.evaluate("window.pamtpsPeta.tps.size") == len(oku.dataset.tps) == 1225
    assert page.get_attribute("#map", "data-tps-count") == "1225"
    assert page.inner_text("#count-not_yet") == "1225"
    assert page.inner_text("#count-guarded") == "0"
    assert "Belum dijaga" in page.inner_text(".counters")
    shot(page, "peta-komando")


def test_the_map_colours_tps_by_class_on_request(command_post: Any, oku: OkuDemo):
    """'Warna menurut: kelas kerawanan' paints the 20 rawan TPS orange, then back to state."""
    page = command_post
    rawan = next(code for code, cls in oku.plan.classes.items() if cls.value == "rawan")
    page.select_option("#colour-by", "class")
    assert page.evaluate(f"window.pamtpsPeta.colourOf('{rawan}')") == "#f29900"
    shot(page, "peta-kelas")
    page.select_option("#colour-by", "state")
    assert page.evaluate(f"window.pamtpsPeta.colourOf('{rawan}')") == "#9aa0a6"


def test_a_polsek_sees_only_his_sector(browser: Any, live_url: str, oku: OkuDemo):
    """Kapolsek Baturaja Timur's map holds the TPS of his sector and no other."""
    page = log_in(browser, live_url, "sek.baturajatimur")
    open_map(page, live_url)
    sector = next(u for u in oku.dataset.polsek if u.name == "Polsek Baturaja Timur")
    mine = [t for t in oku.dataset.tps if t.desa_code.rsplit(".", 1)[0] in sector.kecamatan_codes]
    assert page.evaluate("window.pamtpsPeta.tps.size") == len(mine) > 0
    shot(page, "peta-polsek")
    page.context.close()


def test_officer_checks_in_and_the_map_turns_green_within_2_seconds(
    command_post: Any, browser: Any, live_url: str, oku: OkuDemo, oku_db: Database
):
    """The officer reads and acknowledges his order, checks in by GPS at his TPS, and the
    commander's open map shows that TPS green within 2 seconds, without a reload."""
    post = oku.officer_post
    code = post.tps[0]
    lat, lng = tps_point(oku, code)
    officer = log_in(browser, live_url, "petugas", viewport=PHONE, permissions=["geolocation"],
                     geolocation={"latitude": lat, "longitude": lng})
    officer.goto(f"{live_url}/tugas")
    officer.wait_for_selector("#ack-button", state="visible")
    assert post.id in officer.inner_text("#order")
    shot(officer, "tugas-perintah", full_page=True)
    officer.click("#ack-button")
    officer.wait_for_selector("#ack-button", state="hidden")

    with officer.expect_response(lambda r: r.url.endswith("/api/v1/checkin")) as answer:
        officer.click("#gps-button")
    assert answer.value.status == 201, answer.value.text()
    checked_in = time.monotonic()
    command_post.wait_for_function(
        f"window.pamtpsPeta.stateOf('{code}') === 'guarded'", timeout=2000
    )
    assert time.monotonic() - checked_in < 2.0
    assert command_post.evaluate(f"window.pamtpsPeta.colourOf('{code}')") == GREEN
    assert command_post.evaluate("window.__sameLoad") is True
    assert command_post.inner_text("#count-guarded") == str(len(post.tps))

    officer.wait_for_selector("#checkin-done", state="visible")
    officer.click("#status-rows button")  # 'Laporkan: TPS dibuka'
    officer.wait_for_function("document.querySelector('#message').innerText.startsWith('Terkirim')")
    shot(officer, "tugas-hadir", full_page=True)
    officer.context.close()

    command_post.wait_for_function(  # the acknowledgement reached the counter too
        f"document.querySelector('#unacknowledged').innerText.startsWith('{waiting(oku_db)} ')"
    )
    command_post.evaluate(f"""() => {{
        window.pamtpsPeta.map.setView([{lat}, {lng}], 14, {{animate: false}});
        window.pamtpsPeta.tps.get('{code}').marker.openPopup();
    }}""")
    command_post.wait_for_timeout(300)  # the canvas redraws on the next frames
    shot(command_post, "peta-dijaga")


def test_tps_page_shows_the_post_team_and_timeline(command_post: Any, live_url: str, oku: OkuDemo):
    """The TPS page lists its class, post and team, and the day so far: orders, the
    acknowledgement, the GPS check-in and the TPS opening."""
    code = oku.officer_post.tps[0]
    page = command_post.context.new_page()
    page.goto(f"{live_url}/tps/{code}")
    timeline = page.inner_text(".timeline")
    for line in ("Surat perintah diterbitkan", "membaca surat perintahnya",
                 "lapor hadir di TPS (GPS)", "TPS dibuka"):
        assert line in timeline
    assert "Dijaga" in page.inner_text("#tps-state")
    shot(page, "tps-halaman", full_page=True)
    page.close()


def test_orders_page_lists_who_has_not_acknowledged(
    command_post: Any, live_url: str, oku_db: Database, oku: OkuDemo
):
    """Every officer on a post but the one who acknowledged is listed as not having read; a
    re-plan saved as a draft waits for the commander's 'Terbitkan'."""
    with oku_db.session() as session:
        in_force = latest_plan(session, published=True)
        assert in_force is not None
        draft = save_plan(session, oku.plan, oku.operation, parent_id=in_force.id)
    page = command_post.context.new_page()
    page.goto(f"{live_url}/perintah")
    assert page.is_visible(f'button[data-publish="{draft}"]')
    page.wait_for_function("document.querySelector('#unack-count').innerText !== '-'")
    assert page.inner_text("#unack-count") == str(waiting(oku_db))
    assert "petugas" not in page.inner_text("#unack-rows")
    shot(page, "perintah")
    page.close()


def _check_in_everyone_but(database: Database, oku: OkuDemo, app: FastAPI, left: set[str]) -> None:
    """Every post's leader but those of ``left`` checks in by GPS at his first TPS."""
    runtime = runtime_of(app)
    now = datetime.now(UTC)
    for post in oku.plan.posts:
        leader = next((a.nrp for a in oku.plan.team(post.id) if a.leader), None)
        if post.id in left or leader is None:
            continue
        lat, lng = tps_point(oku, post.tps[0])
        body = {"method": "gps", "lat": lat, "lng": lng}
        report = Report(str(uuid.uuid4()), request_hash("POST", "/api/v1/checkin", body),
                        "checkin", BODIES["checkin"].model_validate(body))
        reporter = Reporter(int(leader), leader, leader, SECRET.encode())
        (outcome,) = ingest(database, runtime, reporter, [report], now, "field.checkin").outcomes
        assert outcome.error is None, outcome.error


def _unreached(oku: OkuDemo) -> list[Post]:
    kecamatan = next(a.code for a in oku.dataset.areas if a.name == UNREACHED_KECAMATAN)
    return [post for post in oku.plan.posts if post.kecamatan == kecamatan]


def test_unguarded_alert_fires_for_a_tps_nobody_reached(
    command_post: Any, oku_db: Database, oku_app: FastAPI, oku: OkuDemo
):
    """At 06:45 on voting day every team has checked in but those of Ulu Ogan: the watch raises
    an alert for each of their posts, and the open map turns their TPS red and lists them."""
    unreached = _unreached(oku)
    arrived_already = oku.officer_post.id
    _check_in_everyone_but(oku_db, oku, oku_app, {arrived_already, *(p.id for p in unreached)})
    with oku_db.session() as session:
        changes = run_watch(session, on_voting_day(oku.operation, clock(6, 45)))
    broker = runtime_of(oku_app).broker
    for alert in changes:
        broker.publish(alert_event(alert))
    assert {a.subject for a in changes if a.kind == UNGUARDED} == {p.id for p in unreached}

    code = unreached[0].tps[0]
    command_post.evaluate("void window.pamtpsPeta.map.closePopup()")
    command_post.wait_for_function(f"window.pamtpsPeta.stateOf('{code}') === 'alert'", timeout=5000)
    alerts = sum(len(post.tps) for post in unreached)
    command_post.wait_for_function(
        f"document.querySelector('#count-alert').innerText === '{alerts}'", timeout=5000
    )
    command_post.wait_for_function(
        f"document.querySelector('#alert-count').innerText === '{len(unreached)}'"
    )
    assert unreached[0].id in command_post.inner_text("#alerts")
    assert command_post.evaluate("window.__sameLoad") is True
    command_post.evaluate("""() => {
        const markers = [...window.pamtpsPeta.tps.values()].map((entry) => entry.marker);
        window.pamtpsPeta.map.fitBounds(L.featureGroup(markers).getBounds(), {animate: false});
    }""")
    command_post.wait_for_timeout(300)
    shot(command_post, "peta-alarm")

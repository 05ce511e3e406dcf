"""The officer's and the KPPS chair's phones without signal: the installable app of issue 12.

Debian's Chromium (a persistent profile, so the service worker, its caches and the IndexedDB
outbox survive closing the browser) at 390x844 against the OKU demo served for real. After
one online visit the officer's page opens with the network off; four actions made offline wait
on the phone across a restart, and reach the server once each, with the phone's times, as soon
as the signal returns, without a reload.
"""

from __future__ import annotations

import struct
import time
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from pamtps.ops.demo import DEMO_PASSWORD
from pamtps.store import Database
from pamtps.store.tables.field import MovementRow, OrderRow, PublicationRow, TpsStatusRow
from pamtps.store.tables.incidents import IncidentPhotoRow, IncidentReportRow, IncidentRow
from pamtps.tokens import sign_token
from pamtps.web.icons import icon_png
from tests.service.dashboard.conftest import SECRET
from tests.service.dashboard.live import BROWSER_ARGS, CHROMIUM, Signal
from tests.service.dashboard.pages import liaison_code
from tests.service.dashboard.seed import OkuDemo
from tests.service.dashboard.test_browser import log_in, shot
from tests.service.dashboard.test_escort_browser import snap

PHONE = {"width": 390, "height": 844}
EXPIRES = datetime(2099, 1, 1, tzinfo=UTC)
TOLERANCE = timedelta(seconds=1)  # the database may keep whole microseconds or milliseconds


@pytest.fixture(scope="module")
def playwright(live_url: str) -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    with sync_api.sync_playwright() as playwright:
        yield playwright


@pytest.fixture
def signal(live_url: str) -> Iterator[Signal]:
    """The phone's signal: the browser reaches the server through it (see ``Signal``)."""
    relay = Signal(live_url)
    yield relay
    relay.close()


def set_signal(context: Any, signal: Signal, on: bool) -> None:
    """No signal is both: the pages told they are offline and the network really gone."""
    signal.set(on)
    context.set_offline(not on)


def phone(playwright: Any, profile: Path, offline: bool = False, workers: str = "allow") -> Any:
    """Chromium on the officer's phone, its storage kept in ``profile`` between launches."""
    return playwright.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, args=BROWSER_ARGS, viewport=PHONE,
        locale="id-ID", timezone_id="Asia/Jakarta", offline=offline, service_workers=workers,
    )


def camera_png(side: int) -> bytes:
    """A grey photo of ``side`` pixels a side, as big as a phone camera's: shrunk on the phone."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    pixels = zlib.compress((b"\x00" + b"\x80" * side) * side)
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def phone_times(page: Any) -> dict[str, datetime]:
    """The outbox's items by path, with the phone's time each was made."""
    items = page.evaluate("window.pamtpsOutbox.all().then((items) => items.map("
                          "(i) => [i.path, i.body.at]))")
    return {path: datetime.fromisoformat(at.replace("Z", "+00:00")) for path, at in items}


def qr_token(database: Database, oku: OkuDemo) -> str:
    """The QR code printed on the officer's order sheet."""
    with database.session() as session:
        version = session.scalar(select(func.max(PublicationRow.plan_version)))
    return sign_token(SECRET.encode(), oku.officer_nrp, oku.officer_post.id, int(version), EXPIRES)


def test_the_app_is_installable_from_the_root_scope(oku_app: Any):
    """The manifest opens on the officer's page within scope '/', its icons are real PNGs, and
    the service worker is served from the root with the shell it keeps."""
    with TestClient(oku_app) as client:
        manifest = client.get("/manifest.webmanifest").json()
        assert manifest["start_url"] == "/tugas" and manifest["scope"] == "/"
        assert manifest["display"] == "standalone"
        assert client.get("/manifest.webmanifest?start=/liaison").json()["start_url"] == "/liaison"
        assert client.get("/manifest.webmanifest?start=https://evil.example").json()[
            "start_url"] == "/tugas"
        for icon in manifest["icons"]:
            png = client.get(icon["src"])
            assert png.content.startswith(b"\x89PNG") and png.content == icon_png(
                int(icon["sizes"].split("x")[0]), "maskable" in icon["src"])
        assert client.get("/icons/64.png").status_code == 404
        worker = client.get("/sw.js")
        assert worker.headers["content-type"].startswith("text/javascript")
        assert "/static/js/outbox.js" in worker.text and "const RELEASE" in worker.text


def test_four_actions_made_offline_reach_the_server_once_with_the_phone_times(
    playwright: Any, signal: Signal, oku: OkuDemo, oku_db: Database, tmp_path: Path
):
    """Offline after one visit: acknowledge, QR check-in, a TPS status and an incident with a
    photo wait on the phone across a restart (counter 4, each marked), then reach the server
    exactly once each with the phone's times, and the page shows them sent without a reload."""
    profile = tmp_path / "profile"
    code = oku.officer_post.tps[0]
    context = phone(playwright, profile)
    page = context.new_page()
    page.goto(f"{signal.url}/login")
    page.fill('input[name="username"]', "petugas")
    page.fill('input[name="password"]', DEMO_PASSWORD)
    page.click('button[type="submit"]')
    page.wait_for_url(f"{signal.url}/")
    page.goto(f"{signal.url}/tugas")
    ready = "document.documentElement.dataset.offlineReady === 'true'"
    page.wait_for_function(ready, timeout=30_000)

    set_signal(context, signal, False)
    page.reload()
    page.wait_for_selector("#ack-button", state="visible")  # the app shell, not Chromium's error
    assert oku.officer_post.id in page.inner_text("#order")
    assert page.evaluate("navigator.onLine") is False

    page.click("#ack-button")
    page.wait_for_selector("#ack-button:disabled")
    page.fill("#qr-token", qr_token(oku_db, oku))
    page.click("#qr-button")
    page.wait_for_selector("#checkin-done", state="visible")
    assert "menunggu sinyal" in page.inner_text("#checkin-done")
    assert "Failed to fetch" not in page.inner_text("#checkin")
    page.click(f'.status-row[data-tps="{code}"] button')
    page.wait_for_function(f"document.querySelector('.status-row[data-tps=\"{code}\"]')"
                           ".innerText.includes('menunggu sinyal')")
    page.wait_for_selector("#statuses #message:not([hidden])")  # told beside the form used
    assert page.get_attribute("#message", "data-kind") == "info"  # not a red "Failed to fetch"
    assert "Tanpa sinyal" in page.inner_text("#message")

    form = "#incident-form"
    assert page.eval_on_selector(f'{form} select[name="category"]', "s => s.value") == ""
    page.select_option(f'{form} select[name="category"]', index=1)
    page.select_option(f'{form} select[name="severity"]', index=2)
    page.fill(f'{form} textarea[name="description"]', "Kerumunan di depan TPS, luring")
    page.set_input_files(f'{form} input[name="photo"]', files=[
        {"name": "tps.png", "mimeType": "image/png", "buffer": camera_png(3000)}])
    page.click(f'{form} button[type="submit"]')
    page.wait_for_selector('#outbox-counter[data-waiting="4"]')
    made = phone_times(page)
    assert len(made) == 4
    context.close()

    time.sleep(1.5)  # the server's clock moves on: arrival times differ from the phone's
    # Chromium starts the service worker at launch for the pending Background Sync, before
    # Playwright's offline mode reaches it: without the cut signal it would send at once.
    context = phone(playwright, profile, offline=True)
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(f"{signal.url}/tugas")
    page.wait_for_selector("#ack-button:disabled")  # the order drawn, its ack waiting
    page.wait_for_selector('#outbox-counter[data-waiting="4"]')
    assert page.inner_text("#outbox-counter").startswith("4 menunggu sinyal")
    states = page.eval_on_selector_all("#outbox-list li", "rs => rs.map((r) => r.dataset.state)")
    assert states == ["waiting"] * 4
    assert page.eval_on_selector_all(
        "#outbox-list li .outbox-state", "rs => rs.every((r) => r.innerText.includes('Menunggu'))")
    page.evaluate("window.__sameLoad = true")
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "luring-petugas")  # the counter in the header, for the user guide
    snap(page.locator("#outbox"), "luring-kiriman")  # each item with its mark

    online_at = datetime.now(UTC)
    set_signal(context, signal, True)
    page.wait_for_function("document.querySelectorAll('#outbox-list li[data-state=\"sent\"]')"
                           ".length === 4", timeout=30_000)
    assert page.evaluate("window.__sameLoad") is True  # no reload
    assert page.is_hidden("#outbox-counter")
    context.close()

    nrp = oku.officer_nrp
    with oku_db.session() as session:
        order = session.scalars(select(OrderRow).where(
            OrderRow.nrp == nrp, OrderRow.superseded_at.is_(None))).one()
        checkins = session.scalars(select(MovementRow).where(
            MovementRow.nrp == nrp, MovementRow.phase == "tiba_di_tps")).all()
        statuses = session.scalars(select(TpsStatusRow).where(TpsStatusRow.nrp == nrp)).all()
        incidents = session.scalars(select(IncidentRow).where(
            IncidentRow.description == "Kerumunan di depan TPS, luring")).all()
        photos = session.scalars(select(IncidentPhotoRow)).all()
    ack_path = f"/api/v1/orders/{order.id}/ack"
    assert abs(utc(order.acknowledged_at) - made[ack_path]) < TOLERANCE
    assert len(checkins) == 1 and checkins[0].method == "qr"
    assert abs(utc(checkins[0].at) - made["/api/v1/checkin"]) < TOLERANCE
    assert utc(checkins[0].received_at) >= online_at - TOLERANCE > utc(checkins[0].at)
    assert [s.status for s in statuses] == ["dibuka"] and statuses[0].tps_code == code
    assert abs(utc(statuses[0].at) - made[f"/api/v1/tps/{code}/status"]) < TOLERANCE
    assert len(incidents) == 1 and incidents[0].tps_code == oku.officer_post.tps[0]
    assert abs(utc(incidents[0].reported_at) - made["/api/v1/incidents"]) < TOLERANCE
    with oku_db.session() as session:  # the command post sees that they came by the queue
        reports = session.scalars(select(IncidentReportRow).where(
            IncidentReportRow.incident_id == incidents[0].id)).all()
    assert [checkins[0].channel, statuses[0].channel] == ["queue", "queue"]
    assert [r.channel for r in reports] == ["queue"]
    assert [(p.incident_id, p.media_type) for p in photos] == [(incidents[0].id, "image/jpeg")]
    assert photos[0].size <= 1_000_000


def kpps_phone(
    playwright: Any, signal: Signal, oku: OkuDemo, profile: Path, nth: int, app: bool = True
) -> tuple[Any, str]:
    """A KPPS chair's phone (storage in ``profile``) with his invite code redeemed, on his
    liaison page, and his TPS (the ``nth`` of those the officer does not cover). ``app``: the
    service worker runs and has kept the page for a visit without signal."""
    tps = [t.code for t in oku.dataset.tps if t.code not in oku.officer_post.tps][nth]
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
    code = liaison_code(log_in(browser, signal.url, "komandan"), signal.url, tps)
    browser.close()
    context = phone(playwright, profile, workers="allow" if app else "block")
    page = context.new_page()
    page.goto(f"{signal.url}/liaison?code={code}")
    page.fill('#redeem-form input[name="name"]', "Ketua KPPS Suryani")
    page.click('#redeem-form button[type="submit"]')
    page.wait_for_selector("#report-form")
    if app:
        page.wait_for_function("document.documentElement.dataset.offlineReady === 'true'",
                               timeout=30_000)
    return page, tps


def report_problem(page: Any, description: str) -> None:
    form = "#report-form"
    page.select_option(f'{form} select[name="category"]', index=1)
    page.select_option(f'{form} select[name="severity"]', index=2)
    page.fill(f'{form} textarea[name="description"]', description)
    page.click(f'{form} button[type="submit"]')


def test_a_problem_reported_by_the_kpps_chair_offline_reaches_the_server_once(
    playwright: Any, signal: Signal, oku: OkuDemo, oku_db: Database, tmp_path: Path
):
    """After one online visit the liaison page opens without signal; a problem reported then
    waits on the phone across a restart, and reaches the server once, with the phone's time."""
    profile = tmp_path / "kpps"
    page, tps = kpps_phone(playwright, signal, oku, profile, 0)
    context = page.context
    set_signal(context, signal, False)
    page.reload()
    page.wait_for_selector("#report-form", state="visible")  # the app shell, not an error page
    assert page.evaluate("navigator.onLine") is False
    report_problem(page, "Kotak suara basah, luring")
    page.wait_for_selector('#outbox-counter[data-waiting="1"]')
    assert "Tanpa sinyal" in page.inner_text("#message")
    made = phone_times(page)["/api/v1/incidents"]
    shot(page, "luring-penghubung")
    context.close()

    time.sleep(1.5)
    context = phone(playwright, profile, offline=True)
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(f"{signal.url}/liaison")
    page.wait_for_selector('#outbox-counter[data-waiting="1"]')
    assert page.inner_text("#outbox-counter").startswith("1 menunggu sinyal")
    assert page.eval_on_selector_all("#outbox-list li", "rs => rs.map((r) => r.dataset.state)") == [
        "waiting"]
    assert "Menunggu sinyal" in page.inner_text("#outbox-list li .outbox-state")

    set_signal(context, signal, True)
    page.wait_for_selector('#outbox-list li[data-state="sent"]', timeout=30_000)
    assert page.is_hidden("#outbox-counter")
    page.wait_for_function("document.querySelector('#incidents').innerText"
                           ".includes('Kotak suara basah, luring')")
    context.close()

    with oku_db.session() as session:
        incidents = session.scalars(select(IncidentRow).where(
            IncidentRow.description == "Kotak suara basah, luring")).all()
    assert [i.tps_code for i in incidents] == [tps]
    assert abs(utc(incidents[0].reported_at) - made) < TOLERANCE


def test_a_full_server_is_waited_for_as_long_as_it_says(
    playwright: Any, signal: Signal, oku: OkuDemo, oku_db: Database, tmp_path: Path
):
    """A 429 with Retry-After keeps the report waiting, with the server's reason, and it is
    sent once after the time the server named, not before."""
    page, _ = kpps_phone(playwright, signal, oku, tmp_path / "busy", 1, app=False)
    tries: list[float] = []

    def busy_once(route: Any) -> None:
        tries.append(time.monotonic())
        if len(tries) > 1:
            route.continue_()
            return
        message = "Server sedang penuh: laporan belum diterima dan tidak dicatat."
        route.fulfill(status=429, headers={"Retry-After": "3"}, content_type="application/json",
                      body=f'{{"detail": {{"code": "field.overloaded", "message": "{message}"}}}}')

    # No service worker on this phone: Playwright's routes see only what no worker handles.
    page.route("**/api/v1/incidents", lambda route: (
        busy_once(route) if route.request.method == "POST" else route.continue_()))
    report_problem(page, "Antrean pemilih meluber ke jalan")
    page.wait_for_function("document.querySelector('#outbox-list li .outbox-state')?.innerText"
                           ".includes('Server sedang penuh')")
    assert page.get_attribute("#outbox-list li", "data-state") == "waiting"
    assert page.get_attribute("#outbox-counter", "data-waiting") == "1"
    page.wait_for_selector('#outbox-list li[data-state="sent"]', timeout=20_000)
    assert len(tries) == 2 and tries[1] - tries[0] >= 3
    page.context.close()

    with oku_db.session() as session:
        incidents = session.scalars(select(IncidentRow).where(
            IncidentRow.description == "Antrean pemilih meluber ke jalan")).all()
    assert len(incidents) == 1

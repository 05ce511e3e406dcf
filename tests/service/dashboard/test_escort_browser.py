"""The ballot-box escort end to end: the officer's phone, the liaison's phone, the command post.

A full escort chain with handovers on both sides; a wrong seal and an out-of-order handover are
refused. On the OKU demo served for real, ``petugas`` (leader of the first post of Polsek
Baturaja Timur, which guards one TPS) reports counting finished, records the five seals and
confirms the PPS leg. Komandan, whose escort page stays open from first to last (module fixture
``command``), issues a liaison code for that TPS; the KPPS chair redeems it on his phone and
confirms the PPS leg as receiver. A PPK handover before the PPS leg is complete and a wrong seal
are refused, shown and flagged to the command live; the PPK leg confirmed on both sides (the PPK
official on the officer's phone) completes the chain. At last, the commander closes the flags
with a note. The tests run in file order and take the
screenshots of chapters 5 and 7 of the user guide (docs/panduan.md) into docs/img/.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from pamtps.i18n import t
from pamtps.ops.escort.alerts import escort_alerts
from pamtps.ops.escort.chain import BOXES, OUT_OF_ORDER
from pamtps.ops.field.ingest import BODIES, Report, Reporter, ingest
from pamtps.ops.field.runtime import alert_event, runtime_of
from pamtps.ops.field.tps_steps import STATUSES
from pamtps.ops.idempotency import request_hash
from pamtps.ops.sitrep.runtime import OpsSettings
from pamtps.store import Database
from pamtps.store.tables.security import AuditRow
from tests.service.dashboard.conftest import SECRET
from tests.service.dashboard.seed import OkuDemo
from tests.service.dashboard.test_browser import IMG, PHONE, kept_open, log_in

SEALS = dict(
    zip(BOXES, ("PPWP 0012451", "DPR 0033872", "DPD 0021190", "PROV 0040517", "KAB 0051233"))
)
COUNTED = STATUSES[: STATUSES.index("penghitungan_selesai") + 1]
KPPS_NAME = "Siti Aminah"
PPK_NAME = "Hendra, Sekretaris PPK Baturaja Timur"
PPS, PPK = "TPS → PPS", "PPS → PPK"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)  # a photo as the service checks it: by its first bytes



def posted(path: str) -> Any:
    """A response to a POST on ``path``: the page also reads the list there after a write, and
    that GET may answer first."""
    return lambda r: r.url.endswith(path) and r.request.method == "POST"

def snap(locator: Any, name: str) -> None:
    """A screenshot of one part of a page for the user guide, docs/img/<name>.png."""
    IMG.mkdir(parents=True, exist_ok=True)
    locator.screenshot(path=str(IMG / f"{name}.png"))


def text_is(page: Any, selector: str, expected: str) -> None:
    """Wait until the element's text is ``expected`` (then compare, for a readable failure)."""
    page.wait_for_function(
        "([selector, expected]) => {"
        "  const element = document.querySelector(selector);"
        "  return element && !element.hidden && element.innerText.trim() === expected; }",
        arg=[selector, expected],
        timeout=5000,
    )
    assert page.inner_text(selector).strip() == expected


def api(page: Any, path: str) -> Any:
    """GET an API path with the page's session; its JSON."""
    answer = page.request.get(urljoin(page.url, path))
    assert answer.ok, answer.text()
    return answer.json()


@pytest.fixture(scope="module")
def oku_app(oku_app: FastAPI) -> FastAPI:
    """The served demo without the escort watch and sitrep loops: a test runs the watch itself,
    at a chosen time."""
    oku_app.state.ops = OpsSettings(escort_watch_interval_s=0, sitrep_interval_s=0)
    return oku_app


@pytest.fixture(scope="module")
def tps(oku: OkuDemo) -> str:
    """The one TPS of the officer's post."""
    (code,) = oku.officer_post.tps
    return code


@pytest.fixture(scope="module")
def officer(browser: Any, live_url: str) -> Iterator[Any]:
    """The officer's phone on /tugas, kept open by the whole module."""
    page = log_in(browser, live_url, "petugas", viewport=PHONE)
    page.goto(f"{live_url}/tugas")
    page.wait_for_selector("#escort-rows .escort-tps")
    yield page
    page.context.close()


@pytest.fixture(scope="module")
def command(browser: Any, live_url: str) -> Iterator[Any]:
    """Komandan's escort page, opened once and never reloaded."""
    yield from kept_open(browser, live_url, "/pengawalan", "pamtpsEscorts")


@pytest.fixture(scope="module")
def liaison(browser: Any, live_url: str) -> Iterator[Any]:
    """The KPPS chair's phone: a browser of his own, not logged in."""
    context = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta", viewport=PHONE)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def codes() -> dict[str, str]:
    """The liaison codes issued by the tests, by what they are for."""
    return {}


def block(tps: str) -> str:
    return f'.escort-tps[data-tps="{tps}"]'


def test_the_officer_records_the_seals_once_counting_is_finished(officer: Any, tps: str):
    """The escort form waits for 'Penghitungan selesai'; the five seals, entered without signal,
    wait on the phone and are sent once it is back online."""
    page, mine = officer, block(tps)
    assert t("duty.escort_after_counting", "id") in page.inner_text(mine)
    assert page.locator(f"{mine} form").count() == 0
    for step in COUNTED:
        page.click("#status-rows button")
        text_is(page, "#message", t("duty.reported", "id", what=t(f"status.{step}", "id")))
    seals = f'{mine} form[data-form="seals"]'
    page.wait_for_selector(seals)
    for box, seal in SEALS.items():
        page.fill(f'{seals} input[name="seal_{box}"]', seal)
    snap(page.locator("#escort"), "kawal-segel")
    page.context.set_offline(True)  # no signal at the TPS: the seals wait on the phone
    page.click(f"{seals} button[type=submit]")
    text_is(page, f'{mine} [data-role="note"]', t("duty.escort_queued", "id"))
    assert page.is_visible("#outbox-counter")
    assert page.inner_text(f"{mine} dl.seals dd") == SEALS[BOXES[0]]  # shown from the queue
    # Back in signal, the page's 'online' event or the service worker's Background Sync sends
    # the queue, whichever comes first (a request of the worker is not the page's to watch).
    page.context.set_offline(False)
    page.wait_for_selector("#outbox-counter", state="hidden")
    assert api(page, "/api/v1/escorts")["escorts"][0]["seals"] == SEALS


def test_the_officer_confirms_his_side_of_the_pps_leg(officer: Any, tps: str):
    """The handover form proposes the PPS leg on his side, with the recorded seals filled in."""
    page, form = officer, f'{block(tps)} form[data-form="handover"]'
    assert page.input_value(f"{form} select[name=leg]") == "pps"
    assert page.input_value(f"{form} select[name=side]") == "officer"
    for box, seal in SEALS.items():
        assert page.input_value(f'{form} input[name="seal_{box}"]') == seal
    page.click(f"{form} button[type=submit]")
    side = t("duty.escort_side.officer", "id")
    text_is(
        page,
        f'{block(tps)} [data-role="note"]',
        t("duty.escort_confirmed", "id", leg=PPS, side=side),
    )
    row = f'{block(tps)} tr[data-leg="pps"]'
    assert page.inner_text(f"{row} td:nth-child(2)").startswith("✓")
    assert page.inner_text(f"{row} td:nth-child(3)") == t("duty.escort_not_yet", "id")


def test_a_ppk_handover_before_the_pps_leg_is_complete_is_refused(
    officer: Any, command: Any, tps: str
):
    """PPK while the PPS receiver has not confirmed: refused on the phone, flagged to the
    command post's open page."""
    page, form = officer, f'{block(tps)} form[data-form="handover"]'
    assert page.input_value(f"{form} select[name=side]") == "receiver"  # his PPS side is done
    page.select_option(f"{form} select[name=leg]", "ppk")
    assert page.input_value(f"{form} select[name=side]") == "officer"
    with page.expect_response(lambda r: r.url.endswith(f"/escorts/{tps}/handovers")) as answer:
        page.click(f"{form} button[type=submit]")
    assert answer.value.status == 409
    refused = t("escort.out_of_order", "id", tps=tps, leg_name="PPK", before_name="PPS")
    assert refused.startswith("Serah terima ke PPK TPS ")
    note = f'{block(tps)} [data-role="note"]'
    text_is(page, note, refused)
    assert page.get_attribute(note, "data-kind") == "bad"
    assert page.input_value(f"{form} select[name=leg]") == "ppk"  # what he chose stays
    snap(page.locator("#escort"), "kawal-tolak")

    command.wait_for_selector('#alerts [data-kind="escort_out_of_order"]', timeout=5000)
    assert command.get_attribute("#sync", "data-state") == "live"
    flag = f'#escort-rows tr[data-tps="{tps}"] .flag[data-kind="escort_out_of_order"]'
    command.wait_for_selector(flag)
    assert command.inner_text("#count-pending") == "1"
    assert command.evaluate("window.__sameLoad") is True


def test_the_commander_issues_revokes_and_reissues_liaison_codes(
    command: Any, liaison: Any, live_url: str, tps: str, codes: dict[str, str]
):
    """Codes for the KPPS chair and the Pengawas TPS; the first KPPS code revoked and issued
    again: the old one no longer opens, the sheet is a PDF."""
    page = command
    page.on("dialog", lambda dialog: dialog.accept())
    page.fill('#codes-form input[name="tps"]', tps)
    page.click("#codes-issue")
    text_is(page, "#codes-result", t("escorts.codes_issued", "id", count=2))
    kpps = '#code-rows tr[data-state="active"]:has-text("Ketua KPPS")'
    codes["revoked"] = page.inner_text(f"{kpps} code").strip()
    page.click(f"{kpps} button[data-revoke]")
    holder = t("escorts.holder.kpps", "id")
    text_is(page, "#codes-result", t("escorts.codes_revoked", "id", holder=holder, tps=tps))
    page.uncheck('#codes-form input[value="pengawas"]')
    page.click("#codes-issue")
    text_is(page, "#codes-result", t("escorts.codes_issued", "id", count=1))
    states = page.eval_on_selector_all("#code-rows tr", "rows => rows.map(r => r.dataset.state)")
    assert sorted(states) == ["active", "active", "revoked"]
    codes["kpps"] = page.inner_text(f"{kpps} code").strip()
    assert codes["kpps"] != codes["revoked"] and len(codes["kpps"]) == 9  # ABCD-EFGH
    snap(page.locator("#codes"), "penghubung-kode")

    sheet = page.get_attribute("#codes-sheet", "href")
    assert sheet == f"/api/v1/liaison/sheet?tps={tps}"
    pdf = page.request.get(f"{live_url}{sheet}")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    liaison.goto(f"{live_url}/liaison?code={codes['revoked']}")
    liaison.click("#redeem-form button[type=submit]")
    text_is(liaison, "#message", t("liaison.code_revoked", "id"))


def test_the_kpps_chair_confirms_the_pps_leg_as_receiver(
    liaison: Any, officer: Any, command: Any, live_url: str, tps: str, codes: dict[str, str]
):
    """Redeemed on his phone, the code shows his TPS's escort (without the seal numbers); the
    seals he reads match, the PPS leg is complete, and the officer's phone sees it live."""
    page = liaison
    page.goto(f"{live_url}/liaison?code={codes['kpps']}")
    page.fill('#redeem-form input[name="name"]', KPPS_NAME)
    page.click("#redeem-form button[type=submit]")
    page.wait_for_selector("#report-form")
    page.wait_for_selector('#escort-state tr[data-leg="pps"]')
    assert not any(seal in page.inner_text("body") for seal in SEALS.values())
    (escort,) = api(page, "/api/v1/escorts")["escorts"]
    assert (escort["tps_code"], escort["sealed"], escort["seals"]) == (tps, True, {})
    assert page.input_value('#handover-form select[name="leg"]') == "pps"
    for box, seal in SEALS.items():
        page.fill(f'#handover-form input[name="seal_{box}"]', seal)
    snap(page.locator("#handover"), "kawal-penghubung")
    page.click("#handover-button")
    text_is(page, "#handover-result", t("liaison.handover_complete", "id", leg=PPS))
    page.wait_for_selector('#escort-state tr[data-leg="pps"] td.good >> nth=1')

    receiver = f'{block(tps)} tr[data-leg="pps"] td:nth-child(3)'
    officer.wait_for_function(
        f"document.querySelector('{receiver}').innerText.includes('{KPPS_NAME}')", timeout=5000
    )
    command.wait_for_selector(f'#escort-rows tr[data-tps="{tps}"][data-state="at_pps"]')
    assert command.inner_text("#count-at_pps") == "1"


def test_a_wrong_seal_from_the_kpps_chair_is_refused_and_flagged_live(
    liaison: Any, command: Any, tps: str
):
    """At the PPK he reads another DPD seal: refused with the box named, and the command's open
    page flags the TPS."""
    page = liaison
    assert page.input_value('#handover-form select[name="leg"]') == "ppk"
    for box, seal in (SEALS | {"dpd": "DPD 0021191"}).items():
        page.fill(f'#handover-form input[name="seal_{box}"]', seal)
    page.click("#handover-button")
    refused = t("escort.seal_mismatch", "id", tps=tps, leg_name="PPK", box_names="DPD")
    text_is(page, "#handover-result", refused)
    assert page.get_attribute("#handover-result", "data-kind") == "bad"

    command.wait_for_selector('#alerts [data-kind="escort_seal_mismatch"]', timeout=5000)
    flag = f'#escort-rows tr[data-tps="{tps}"] .flag[data-kind="escort_seal_mismatch"]'
    command.wait_for_selector(flag)
    alert = command.inner_text('#alerts [data-kind="escort_seal_mismatch"]')
    assert "kotak DPD tidak cocok" in alert
    assert command.evaluate("window.__sameLoad") is True


def test_the_ppk_leg_confirmed_on_both_sides_completes_the_chain(
    officer: Any, command: Any, liaison: Any, tps: str
):
    """The officer confirms his side, then the PPK official's on his phone with his name: the
    boxes are at the PPK, on every page and in the API."""
    page, form = officer, f'{block(tps)} form[data-form="handover"]'
    page.wait_for_function(
        f"document.querySelector('{form} select[name=leg]').value === 'ppk'", timeout=5000
    )
    assert page.input_value(f"{form} select[name=side]") == "officer"
    page.click(f"{form} button[type=submit]")
    side = t("duty.escort_side.officer", "id")
    text_is(
        page,
        f'{block(tps)} [data-role="note"]',
        t("duty.escort_confirmed", "id", leg=PPK, side=side),
    )
    assert page.input_value(f"{form} select[name=side]") == "receiver"  # his side is done
    assert page.is_visible(f'{form} input[name="receiver_name"]')
    assert page.input_value(f'{form} input[name="seal_ppwp"]') == ""  # the receiver reads them
    page.fill(f'{form} input[name="receiver_name"]', PPK_NAME)
    for box, seal in SEALS.items():
        page.fill(f'{form} input[name="seal_{box}"]', seal)
    snap(page.locator("#escort"), "kawal-serah")
    page.click(f"{form} button[type=submit]")
    text_is(page, f'{block(tps)} [data-role="note"]', t("duty.escort_leg_complete", "id", leg=PPK))
    assert page.is_visible(f'{block(tps)} [data-role="delivered"]')
    assert PPK_NAME in page.inner_text(f'{block(tps)} tr[data-leg="ppk"] td:nth-child(3)')

    liaison.wait_for_selector('#escort-state [data-role="delivered"]', timeout=5000)
    assert liaison.is_hidden("#handover-form")
    command.wait_for_function("document.querySelector('#count-at_ppk').innerText === '1'")
    assert command.inner_text("#count-pending") == "0"
    command.select_option("#filter-show", "all")
    row = f'#escort-rows tr[data-tps="{tps}"]'
    assert command.get_attribute(row, "data-state") == "at_ppk"
    assert t("escorts.state.at_ppk", "id") in command.inner_text(row)

    (escort,) = api(command, "/api/v1/escorts")["escorts"]
    assert escort["pending"] is False and escort["seals"] == SEALS
    legs = escort["legs"]
    assert all(legs[leg]["complete"] for leg in ("pps", "ppk"))
    assert legs["pps"]["receiver"]["receiver_name"] == KPPS_NAME
    assert legs["pps"]["receiver"]["confirmed_by"].startswith("kpps.")
    assert (legs["ppk"]["receiver"]["receiver_name"], legs["ppk"]["receiver"]["confirmed_by"]) == (
        PPK_NAME,
        "petugas",
    )


def _count_finished(database: Database, app: FastAPI, oku: OkuDemo, tps: str, now: datetime):
    """The leader of the post guarding ``tps`` reports its day up to counting finished (from
    his phone: the field reports' one write path, then their live events)."""
    post = next(p for p in oku.plan.posts if tps in p.tps)
    leader = next(a.nrp for a in oku.plan.team(post.id) if a.leader)
    reporter = Reporter(int(leader), leader, leader, SECRET.encode())
    for step in COUNTED:
        body = {"status": step}
        path = f"/api/v1/tps/{tps}/status"
        report = Report(
            str(uuid.uuid4()),
            request_hash("POST", path, body),
            "status",
            BODIES["status"].model_validate(body),
            tps,
        )
        ingested = ingest(database, runtime_of(app), reporter, [report], now, "field.status")
        (outcome,) = ingested.outcomes
        assert outcome.error is None, outcome.error
        for event in ingested.events:  # as the API route does
            runtime_of(app).broker.publish(event)


def test_an_overdue_leg_reaches_the_command_page_live(
    command: Any, oku_db: Database, oku_app: FastAPI, oku: OkuDemo, tps: str
):
    """Another TPS of the sector counted and not at the PPS two hours later: the watch raises
    an overdue alert, and the open page counts and flags it; the delivered TPS is not overdue."""
    sector = oku.officer_post.sector
    other = next(p.tps[0] for p in oku.plan.posts if p.sector == sector and tps not in p.tps)
    now = datetime.now(UTC)
    _count_finished(oku_db, oku_app, oku, other, now)
    command.wait_for_selector(f'#escort-rows tr[data-tps="{other}"][data-state="counted"]')
    with oku_db.session() as session:
        changes = escort_alerts(session, now + timedelta(hours=2, minutes=1))
    assert [(a.kind, a.subject) for a in changes] == [("escort_overdue", f"{other}:pps")]
    for alert in changes:
        runtime_of(oku_app).broker.publish(alert_event(alert))

    command.wait_for_function("document.querySelector('#count-overdue').innerText === '1'")
    command.wait_for_selector(f'#escort-rows tr[data-tps="{other}"] .flag.overdue')
    assert command.inner_text("#count-counted") == "2"
    assert command.locator(f'#escort-rows tr[data-tps="{tps}"] .flag.overdue').count() == 0
    assert command.evaluate("window.__sameLoad") is True
    kecamatan = f"{other[:2]}.{other[2:4]}.{other[4:6]}"
    command.select_option("#filter-kecamatan", kecamatan)
    there = [code for code in (tps, other) if code.startswith(other[:6])]
    shown = command.eval_on_selector_all(
        "#escort-rows tr[data-tps]", "rows => rows.map(r => r.dataset.tps)"
    )
    assert sorted(shown) == sorted(there)
    snap(command.locator("main"), "kawal-posko")


def test_the_officer_reports_an_incident_and_follows_it(
    officer: Any, command: Any, live_url: str, tps: str
):
    """From /tugas the officer reports missing logistics at his TPS with a photo (sent at once)
    and, without signal, a power cut (kept on the phone, sent when back online); both reach the
    command, and the command's verification shows on his phone without a reload."""
    page, form = officer, "#incident-form"
    assert page.input_value(f'{form} select[name="tps_code"]') == tps
    page.select_option(f'{form} select[name="category"]', "logistics_missing")
    page.select_option(f'{form} select[name="severity"]', "sedang")
    page.fill(f'{form} textarea[name="description"]', "Kotak suara DPD kurang satu.")
    photo = {"name": "kotak.png", "mimeType": "image/png", "buffer": PNG}
    page.set_input_files(f'{form} input[name="photo"]', files=[photo])
    snap(page.locator("#incident"), "tugas-lapor")
    with page.expect_response(posted("/api/v1/incidents")) as answer:
        page.click(f"{form} button[type=submit]")
    assert answer.value.status == 201, answer.value.text()
    first = answer.value.json()["id"]
    text_is(page, "#message", t("duty.incident_sent", "id", id=first))  # after the photo
    [stored] = api(command, f"/api/v1/incidents/{first}")["photos"]
    assert command.request.get(urljoin(command.url, stored["url"])).body() == PNG
    page.wait_for_selector(f'#incident-list [data-incident="{first}"]')

    page.context.set_offline(True)
    page.select_option(f'{form} select[name="category"]', "power_network_failure")
    page.select_option(f'{form} select[name="severity"]', "rendah")
    page.fill(f'{form} textarea[name="description"]', "Listrik padam di TPS.")
    page.click(f"{form} button[type=submit]")
    page.wait_for_selector("#outbox-counter", state="visible")
    # Back in signal, the page's 'online' event or the service worker's Background Sync sends
    # the queue, whichever comes first (a request of the worker is not the page's to watch).
    page.context.set_offline(False)
    page.wait_for_selector("#outbox-counter", state="hidden")

    seen = {i["id"]: i for i in api(command, "/api/v1/incidents")["incidents"]}
    assert (seen[first]["category"], seen[first]["tps_code"]) == ("logistics_missing", tps)
    [second] = [i for i in seen.values() if i["description"] == "Listrik padam di TPS."]
    assert second["category"] == "power_network_failure" and second["tps_code"] == tps
    token = command.get_attribute('meta[name="csrf-token"]', "content")
    verified = command.context.request.post(
        f"{live_url}/api/v1/incidents/{first}/transition",
        data={"to": "verified"},
        headers={"X-CSRF-Token": token, "Idempotency-Key": str(uuid.uuid4())},
    )
    assert verified.ok, verified.text()
    status = t("incident.status.verified", "id")
    page.wait_for_function(
        "([id, status]) => (document.querySelector(`#incident-list [data-incident='${id}']`)"
        "  || {}).innerText?.includes(status)",
        arg=[first, status],
        timeout=5000,
    )


def test_the_commander_closes_the_flags_with_a_note(
    command: Any, oku_db: Database, live_url: str, tps: str
):
    """'Tutup' on the seal-mismatch flag opens a note in the alert itself; sent, the flag leaves
    the list and the TPS row, and the audit keeps the note. The out-of-order flag closed from
    elsewhere leaves the open page live; the overdue alert has no 'Tutup'."""
    page, note = command, "Segel DPD dibaca ulang di PPK bersama Panwascam: salah baca."
    page.select_option("#filter-kecamatan", "")
    item = '#alerts [data-kind="escort_seal_mismatch"]'
    page.wait_for_selector(item)
    assert page.locator('#alerts [data-kind="escort_overdue"] [data-close]').count() == 0
    page.click(f"{item} [data-close]")
    page.fill(f"{item} textarea[name=note]", note)
    snap(page.locator("#alerts-card"), "kawal-tutup")
    with page.expect_response(lambda r: r.url.endswith("/resolve")) as answer:
        page.click(f"{item} button[type=submit]")
    assert answer.value.status == 200, answer.value.text()
    page.wait_for_selector(item, state="detached", timeout=5000)
    text_is(page, "#alert-result", t("escorts.closed", "id"))
    row = f'#escort-rows tr[data-tps="{tps}"]'
    assert page.locator(f'{row} .flag[data-kind="escort_seal_mismatch"]').count() == 0
    flag = answer.value.json()["id"]
    with oku_db.session() as session:
        closed = session.scalars(
            select(AuditRow).where(
                AuditRow.action == "alert.closed", AuditRow.subject == f"alert:{flag}"
            )
        ).one()
        assert (closed.actor, closed.payload["note"]) == ("komandan", note)

    (other,) = [a for a in api(page, "/api/v1/alerts")["alerts"] if a["kind"] == OUT_OF_ORDER]
    token = page.get_attribute('meta[name="csrf-token"]', "content")
    elsewhere = page.context.request.post(
        f"{live_url}/api/v1/alerts/{other['id']}/resolve",
        data={"note": "PPS sudah menerima; urutan dicek ulang."},
        headers={"X-CSRF-Token": token},
    )
    assert elsewhere.ok, elsewhere.text()
    page.wait_for_selector('#alerts [data-kind="escort_out_of_order"]', state="detached")
    assert page.locator(f'{row} .flag[data-kind="escort_out_of_order"]').count() == 0
    assert page.evaluate("window.__sameLoad") is True

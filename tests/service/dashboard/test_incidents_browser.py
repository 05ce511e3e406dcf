"""A riot on voting day, end to end: the OKU demo served for real, used in headless Chromium.

The story (issue 5): a KPPS chair redeems the code the commander issued for his TPS and reports a
riot from his phone; the commander's incident page (``/kejadian``, open from the first test to
the last and never reloaded) shows it live; he opens it, sends the recommended reserve unit with
its ETA; sending the Brimob platoon that stands alone at the KPU office as well is refused by the
reserve floor; the riot is handled and resolved; the situation report he makes lists it.

The riot is at the TPS nearest the KPU office, which holds Brimob Ton 1 alone
(``[reserve.stations]`` of oku-2024.toml): that unit is the nearest, but sending it would leave
its base below the floor of 10 officers, so the recommendation is the nearest unit that keeps the
floor, at Mapolres. The tests run in file order and take the user guide's screenshots.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from openpyxl import load_workbook

from pamtps.ops.field.runtime import runtime_of
from pamtps.ops.incidents.escalation import escalate_incidents
from pamtps.ops.incidents.queries import incident_event
from pamtps.ops.incidents.runtime import IncidentRuntime, IncidentSettings
from pamtps.planner.policy import place_of
from pamtps.store import Database
from tests.documents.pdf_tools import pdf_text
from tests.service.dashboard.seed import OkuDemo
from tests.service.dashboard.test_browser import DESKTOP, PHONE, kept_open, log_in, shot

KPU_BASE = "kpu.16.01"  # the KPU office: Brimob Ton 1 is its only reserve unit
POLRES_BASE = "polres.16.01"
FLOOR = 10  # [reserve] floor of oku-2024.toml
ORANGE, GREEN = "#f29900", "#1e8e3e"
OWNER = "Kasat Samapta AKP Rudi"


@pytest.fixture(scope="module")
def oku_app(oku_app: FastAPI) -> FastAPI:
    """The served demo with the escalation loop off: a test escalates at a time of its choice."""
    oku_app.state.incidents = IncidentRuntime.of(IncidentSettings(escalate_interval_s=0))
    return oku_app


@pytest.fixture(scope="module")
def riot_tps(oku: OkuDemo) -> str:
    """The TPS nearest the KPU office."""
    lat, lng = place_of(oku.dataset, KPU_BASE)
    return min(oku.dataset.tps, key=lambda t: (t.lat - lat) ** 2 + (t.lng - lng) ** 2).code


@pytest.fixture(scope="module")
def story() -> dict[str, Any]:
    """What one test leaves for the next (the incident's id, the units)."""
    return {}


@pytest.fixture(scope="module")
def command_post(browser: Any, live_url: str) -> Iterator[Any]:
    """The commander's incident page, opened once and never reloaded."""
    yield from kept_open(browser, live_url, "/kejadian", "pamtpsKejadian")


def call(page: Any, base: str, method: str, path: str, body: Any = None) -> Any:
    """The API as the page's user calls it (his session, CSRF token, a fresh Idempotency-Key)."""
    token = page.get_attribute('meta[name="csrf-token"]', "content")
    headers = {"X-CSRF-Token": token, "Idempotency-Key": str(uuid.uuid4())}
    answer = page.context.request.fetch(f"{base}{path}", method=method, data=body, headers=headers)
    assert answer.ok, answer.text()
    return answer.json()


def unit_status(page: Any, base: str, code: str) -> str:
    units = call(page, base, "GET", "/api/v1/reserve")["units"]
    status: str = next(u["status"] for u in units if u["code"] == code)
    return status


def text_of(page: Any, selector: str) -> str:
    text: str = page.inner_text(selector)
    return text


def test_liaison_redeems_a_code_and_reports_a_riot(
    command_post: Any, browser: Any, live_url: str, riot_tps: str, story: dict[str, Any]
):
    """The commander issues a KPPS code for the TPS; its chair redeems it on his phone and
    reports a riot, and the commander's open page lists it within 3 seconds, without a reload."""
    call(
        command_post,
        live_url,
        "POST",
        "/api/v1/liaison/codes",
        {"tps": [riot_tps], "holders": ["kpps"]},
    )
    listed = call(command_post, live_url, "GET", f"/api/v1/liaison/codes?tps={riot_tps}")
    code = next(c["code"] for c in listed["codes"] if c["state"] == "active")

    phone = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta", viewport=PHONE)
    liaison = phone.new_page()
    liaison.goto(f"{live_url}/liaison?code={code}")
    liaison.fill('#redeem-form input[name="name"]', "Ketua KPPS Suryani")
    liaison.click('#redeem-form button[type="submit"]')
    liaison.wait_for_selector("#report-form")
    assert riot_tps in text_of(liaison, ".liaison")
    liaison.select_option('select[name="category"]', "crowd_riot")
    liaison.select_option('select[name="severity"]', "tinggi")
    liaison.fill(
        'textarea[name="description"]',
        "Sekitar 50 orang berkumpul dan mendorong petugas KPPS di depan TPS.",
    )
    shot(liaison, "liaison-lapor", full_page=True)
    liaison.click('#report-form button[type="submit"]')
    liaison.wait_for_function(
        "document.querySelector('#message').innerText.startsWith('Laporan #')"
    )
    sent = time.monotonic()
    incident_id = int(re.findall(r"#(\d+)", text_of(liaison, "#message"))[0])
    story.update(incident=incident_id, phone=liaison)

    command_post.wait_for_selector(f'tr[data-incident="{incident_id}"]', timeout=3000)
    assert time.monotonic() - sent < 3.0
    row = text_of(command_post, f'tr[data-incident="{incident_id}"]')
    assert "Kerumunan atau kerusuhan" in row and "Baru" in row and "Tinggi" in row
    assert "respons: sisa" in row  # the response timer runs until someone owns it
    assert command_post.evaluate("window.__sameLoad") is True


def test_the_same_problem_reported_again_joins_the_first_report(
    command_post: Any, live_url: str, story: dict[str, Any]
):
    """A second report of the riot at that TPS is merged: one incident, two reports."""
    liaison, incident_id = story["phone"], story["incident"]
    liaison.select_option('select[name="category"]', "crowd_riot")
    liaison.select_option('select[name="severity"]', "tinggi")
    liaison.fill('textarea[name="description"]', "Massa bertambah, kotak suara belum aman.")
    liaison.click('#report-form button[type="submit"]')
    liaison.wait_for_function(
        "document.querySelector('#message').innerText.startsWith('Masalah ini sudah dilaporkan')"
    )
    assert f"#{incident_id}" in text_of(liaison, "#message")
    liaison.context.close()
    command_post.wait_for_function(
        f"document.querySelector('tr[data-incident=\"{incident_id}\"]').innerText"
        ".includes('2 laporan')",
        timeout=3000,
    )
    assert command_post.locator("tr[data-incident]").count() == 1


def test_an_unowned_riot_escalates_to_the_command_live(
    command_post: Any, oku_db: Database, oku_app: FastAPI, story: dict[str, Any]
):
    """Twenty-five minutes on, nobody owns the riot (tinggi: 20 minutes): the response timer
    raises it from the Polsek to the command, and the open list marks it."""
    with oku_db.session() as session:
        rows = escalate_incidents(session, datetime.now(UTC) + timedelta(minutes=25))
        events = [incident_event(row, "escalated") for row in rows]
    assert [event.data["id"] for event in events] == [story["incident"]]
    for event in events:
        runtime_of(oku_app).broker.publish(event)
    selector = f'tr[data-incident="{story["incident"]}"]'
    command_post.wait_for_function(
        f"document.querySelector('{selector}').innerText.includes('Naik ke Komando')",
        timeout=3000,
    )
    shot(command_post, "kejadian-daftar")


def test_commander_sends_the_recommended_unit_with_its_eta(
    command_post: Any, live_url: str, story: dict[str, Any]
):
    """The riot's page recommends the nearest unit that keeps its base at the floor (at
    Mapolres; the KPU platoon is nearer but alone); 'Kirim' sends it with its ETA."""
    incident_id = story["incident"]
    command_post.click(f'tr[data-incident="{incident_id}"]')
    command_post.wait_for_selector("#candidate-rows tr.recommended")
    advice = call(command_post, live_url, "GET", f"/api/v1/incidents/{incident_id}/recommendation")
    nearest = advice["candidates"][0]
    best = next(c for c in advice["candidates"] if c["recommended"])
    assert nearest["station"] == KPU_BASE and nearest["below_floor"]
    assert best["station"] == POLRES_BASE and best["left_at_station"] >= FLOOR
    recommended = command_post.locator("#candidate-rows tr.recommended")
    assert recommended.get_attribute("data-unit") == best["code"]
    assert float(recommended.locator("td.eta").inner_text()) == best["eta_min"]
    assert "Disarankan" in recommended.inner_text()
    assert "Sekitar 50 orang" in text_of(command_post, "#detail-description")
    assert "2 laporan" in text_of(command_post, "#detail-facts")

    recommended.locator("button[data-send]").click()
    command_post.wait_for_selector('#dispatch-rows tr[data-status="dispatched"]')
    sent = command_post.locator("#dispatch-rows tr[data-dispatch]")
    assert sent.count() == 1
    assert float(sent.locator("td.eta").inner_text()) == best["eta_min"]
    assert "diberangkatkan" in text_of(command_post, "#dispatch-message")
    assert unit_status(command_post, live_url, best["code"]) == "dispatched"
    command_post.wait_for_selector(
        f'#reserve-rows tr[data-unit="{best["code"]}"][data-status="dispatched"]'
    )
    story.update(unit=best["code"], kpu_unit=nearest["code"])
    shot(command_post, "kejadian-kirim", full_page=True)


def test_the_floor_refuses_to_empty_the_kpu_base(
    command_post: Any, live_url: str, story: dict[str, Any]
):
    """Sending the KPU platoon as well would leave the KPU office with 0 officers, below the
    floor: the page shows the refusal and asks for a reason; without one nothing is sent."""
    kpu_unit = story["kpu_unit"]
    row = command_post.locator(f'#candidate-rows tr[data-unit="{kpu_unit}"]')
    assert "di bawah batas" in row.inner_text() and "Bila dikirim: geser" in row.inner_text()
    row.locator("button[data-send]").click()
    command_post.wait_for_selector("#override-form", state="visible")
    refusal = text_of(command_post, "#dispatch-message")
    assert "ditolak" in refusal and f"di bawah batas minimal {FLOOR}" in refusal
    assert command_post.get_attribute("#dispatch-message", "data-kind") == "bad"
    shot(command_post, "kejadian-batas", full_page=True)

    command_post.click("#override-send")  # no reason given: the form does not go
    command_post.wait_for_timeout(500)
    assert unit_status(command_post, live_url, kpu_unit) == "available"
    sent = call(command_post, live_url, "GET", f"/api/v1/incidents/{story['incident']}/dispatches")
    assert [d["unit"] for d in sent["dispatches"]] == [story["unit"]]
    command_post.click("#override-cancel")
    assert command_post.is_hidden("#override-form")


def test_a_kapolsek_follows_the_riot_but_cannot_send_the_reserve(
    browser: Any, live_url: str, story: dict[str, Any]
):
    """Kapolsek Baturaja Timur sees the riot of his sector, may verify it, but has no 'Kirim'
    button, cannot move the unit sent, and gets no situation report (the command's)."""
    page = log_in(browser, live_url, "sek.baturajatimur", viewport=DESKTOP)
    page.goto(f"{live_url}/kejadian#{story['incident']}")
    page.wait_for_selector("#detail-body", state="visible")
    assert "Naik ke Komando" in text_of(page, "#detail-facts")
    assert page.is_visible('button[data-step="verified"]')
    page.wait_for_selector("#candidate-rows tr.recommended")
    page.wait_for_selector("#dispatch-rows tr[data-dispatch]")
    assert page.locator("button[data-send], button[data-status]").count() == 0
    assert "Hanya Komando" in text_of(page, "#dispatch")
    assert page.locator("#sitrep").count() == 0
    page.context.close()


def test_the_map_shows_the_riot_and_the_reserve_out(
    command_post: Any, live_url: str, story: dict[str, Any]
):
    """The map draws the open riot at its TPS with a link to its page, counts it, colours
    Mapolres orange (a unit out) and the KPU base green, and links the latest report."""
    page = command_post.context.new_page()
    deadline = time.monotonic() + 10
    while not page.request.get(f"{live_url}/api/v1/sitreps/latest").ok:
        assert time.monotonic() < deadline  # the hourly report is written at start-up
        time.sleep(0.2)
    page.goto(f"{live_url}/peta")
    page.wait_for_function("window.pamtpsPeta && window.pamtpsPeta.ready", timeout=30_000)
    incident_id = story["incident"]
    assert page.evaluate(f"window.pamtpsPeta.incidents.has({incident_id})") is True
    assert text_of(page, "#count-incidents") == "1"
    assert page.evaluate(f"window.pamtpsPeta.reserveColourOf('{POLRES_BASE}')") == ORANGE
    assert page.evaluate(f"window.pamtpsPeta.reserveColourOf('{KPU_BASE}')") == GREEN
    assert page.get_attribute("#peta-sitrep-pdf", "href").endswith("/pdf")
    page.evaluate(f"""() => {{
        const marker = window.pamtpsPeta.incidents.get({incident_id}).marker;
        window.pamtpsPeta.map.setView(marker.getLatLng(), 13, {{animate: false}});
        marker.openPopup();
    }}""")
    popup = text_of(page, ".leaflet-popup-content")
    assert f"#{incident_id}" in popup and "Buka di halaman Kejadian" in popup
    page.wait_for_timeout(300)
    shot(page, "peta-kejadian")
    page.close()


def test_commander_moves_the_unit_and_resolves_the_riot(
    command_post: Any, live_url: str, story: dict[str, Any]
):
    """The unit reports on scene; the riot is verified, handled by its owner and resolved; the
    unit returns and stands by again; the open list no longer shows the riot."""
    incident_id, unit = story["incident"], story["unit"]
    command_post.click('#dispatch-rows button[data-status="on_scene"]')
    command_post.wait_for_selector('#dispatch-rows tr[data-status="on_scene"]')
    assert unit_status(command_post, live_url, unit) == "on_scene"

    command_post.click('button[data-step="verified"]')
    command_post.wait_for_selector('button[data-step="handled"]')
    command_post.fill("#step-owner", OWNER)
    command_post.click('button[data-step="handled"]')
    command_post.wait_for_selector('button[data-step="resolved"]')
    assert OWNER in text_of(command_post, "#detail-facts")
    command_post.fill("#step-note", "Massa bubar setelah dihimbau; pemungutan suara berlanjut.")
    command_post.click('button[data-step="resolved"]')
    command_post.wait_for_function(
        "document.querySelector('#step-message').innerText.includes('Selesai')"
    )
    command_post.wait_for_selector("#step-form", state="hidden")  # a closed riot has no next step
    timeline = text_of(command_post, "#detail-timeline")
    assert "Terverifikasi" in timeline and OWNER in timeline and "Massa bubar" in timeline
    assert "Naik ke Komando" in timeline

    for status in ("returning", "available"):
        command_post.click(f'#dispatch-rows button[data-status="{status}"]')
        command_post.wait_for_selector(f'#dispatch-rows tr[data-status="{status}"]')
    assert unit_status(command_post, live_url, unit) == "available"
    incident = call(command_post, live_url, "GET", f"/api/v1/incidents/{incident_id}")
    assert (incident["status"], incident["owner"], incident["open"]) == ("resolved", OWNER, False)
    command_post.wait_for_selector(f'tr[data-incident="{incident_id}"]', state="detached")
    assert text_of(command_post, "#open-count") == "0"
    assert command_post.evaluate("window.__sameLoad") is True


def _sheet(path: Path, name: str) -> list[tuple[Any, ...]]:
    return list(load_workbook(path, read_only=True)[name].iter_rows(min_row=4, values_only=True))


def test_the_situation_report_lists_the_resolved_riot(
    command_post: Any, live_url: str, story: dict[str, Any], tmp_path: Path
):
    """'Buat laporan situasi sekarang' makes a report on demand; its workbook and its PDF list
    the riot among the closed incidents (its number, TPS, outcome and owner) and count it in its
    category and sector, with nothing left open."""
    before = command_post.get_attribute("#sitrep-latest", "data-id")
    command_post.click("#sitrep-make")
    command_post.wait_for_function(
        f"document.querySelector('#sitrep-latest').dataset.id !== '{before}'"
    )
    assert "atas permintaan" in text_of(command_post, "#sitrep-latest")
    command_post.locator("#sitrep").scroll_into_view_if_needed()
    shot(command_post, "laporan-situasi", full_page=True)

    with command_post.expect_download() as download:
        command_post.click("#sitrep-xlsx")
    workbook = tmp_path / "laporan.xlsx"
    download.value.save_as(workbook)
    incident = call(command_post, live_url, "GET", f"/api/v1/incidents/{story['incident']}")
    [closed] = _sheet(workbook, "Kejadian selesai")
    assert closed[1] == f"#{incident['id']}" and closed[2].endswith(f"({incident['tps_code']})")
    assert (closed[3], closed[5], closed[8]) == ("Kerumunan atau kerusuhan", "Selesai", OWNER)
    assert ("Kerumunan atau kerusuhan", 0, 1) in _sheet(workbook, "Kategori")
    assert (closed[6], 0, 1) in _sheet(workbook, "Sektor")  # the Polsek, by name
    assert closed[6].startswith("Polsek ")
    summary = dict(row[:2] for row in _sheet(workbook, "Ringkasan"))
    assert (summary["Kejadian terbuka"], summary["Kejadian selesai"]) == (0, 1)
    assert _sheet(workbook, "Kejadian terbuka") == []

    pdf = command_post.context.request.get(
        live_url + command_post.get_attribute("#sitrep-pdf", "href")
    )
    assert pdf.ok
    (tmp_path / "laporan.pdf").write_bytes(pdf.body())
    text = pdf_text(tmp_path / "laporan.pdf")
    assert re.search(r"Kejadian selesai\s+1\b", text)
    assert re.search(rf"#{incident['id']}\s", text) and incident["tps_code"] in text
    assert "Kerumunan atau kerusuhan" in text and OWNER.split()[0] in text

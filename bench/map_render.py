"""The map page (/peta) in Chromium: first render with all TPS, and a pushed event's latency.

    .venv/bin/python bench/map_render.py                  OKU and Sumatera Selatan, 3 runs
    .venv/bin/python bench/map_render.py --sets oku       OKU only (no province planning)
    .venv/bin/python bench/map_render.py --database-url postgresql+psycopg://...  PostgreSQL

For each set (``map_stores``: OKU, 1,225 TPS; the 17 Polres of Sumatera Selatan, 25,985 TPS) a
fresh store is seeded and served by ``pamtps serve --no-rounds`` in a subprocess; Debian's
Chromium (Playwright) logs in as the commander, who sees every TPS, in a fresh browser context
per run (nothing cached), at 1366x768. Three pages are measured:

- ``/peta``: the map as shipped (canvas markers, compact state, incremental updates);
- ``/peta?redraw=full``: the same page with the previous live path: a check-in restyles its
  markers and then re-reads the whole state after 400 ms, a TPS status waits for that re-read;
- a bare Leaflet page (served by the bench on the same origin): the plan layer's TPS as default
  (SVG) circle markers, one DOM node each, no state, no panel: what a first attempt draws.

First render: from the navigation to the end of the first frame painted with every TPS
marker in its state's colour (the page sets ``window.pamtpsPeta.drawnAt``, ``performance.now()``
in a task queued from that frame's animation callback).
Events: an officer of a post drawn last checks in through the API (the marker turns green) and
then reports the first step of one of his TPS (``dibuka``); the time is from the POST's answer
to the first animation frame in which the page's marker shows the change, both clocks being
the machine's wall clock. Seconds and milliseconds are the median of ``--runs``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from map_stores import seed
from simulate import environment, free_port, fresh_store, healthy, pamtps, stop
from tables import DEFAULT_POSTGRES_URL, machine, markdown, plain

from pamtps.ops.demo import DEMO_PASSWORD
from pamtps.store import Database, load_dataset

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1366, "height": 768}
GREEN = "#1e8e3e"
RENDER_TARGET_S = 2.0
EVENT_TARGET_MS = 1000.0
PAGE_TIMEOUT_MS = 180_000
RESULTS = Path(__file__).parent / "results" / "map_render.md"
PAGES = {"map": "/peta", "full": "/peta?redraw=full", "bare": "/bench-bare-leaflet"}
TITLES = {"map": "/peta (canvas, incremental)", "full": "/peta?redraw=full (previous live path)",
          "bare": "bare Leaflet, SVG markers"}

BARE_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/vendor/leaflet/leaflet.css">
<style>html,body,#map{margin:0;height:100%}</style></head><body><div id="map"></div>
<script src="/vendor/leaflet/leaflet.js"></script><script>
(async () => {
  const layer = await (await fetch("/api/v1/map/plan")).json();
  const map = L.map("map");
  const points = [];
  for (const f of layer.features) {
    if (f.properties.kind !== "tps") continue;
    const [lng, lat] = f.geometry.coordinates;
    points.push([lat, lng]);
    L.circleMarker([lat, lng], {radius: 5, fillColor: "#9aa0a6", fillOpacity: 0.9,
                                color: "#202124", weight: 1}).addTo(map);
  }
  map.fitBounds(points);
  requestAnimationFrame(() => setTimeout(() => {
    window.drawnAt = performance.now();
    window.drawnCount = points.length;
  }));
})();
</script></body></html>"""

# Watches a marker from the next animation frame on; sets window.benchSeen (epoch ms).
WATCH = """([code, kind, value]) => {
  window.benchSeen = null;
  const entry = window.pamtpsPeta.tps.get(code);
  const tick = () => {
    const shown = kind === "colour" ? entry.marker.options.fillColor : entry.lastStatus;
    if (shown === value) window.benchSeen = performance.timeOrigin + performance.now();
    else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""


@dataclass
class Row:
    """One set on one page: seconds and milliseconds per run."""

    set_name: str
    page: str
    tps: int = 0
    render_s: list[float] = field(default_factory=list)
    checkin_ms: list[float] = field(default_factory=list)
    status_ms: list[float] = field(default_factory=list)
    cold_s: float | None = None  # the first render after the service started

    def verdict(self) -> str:
        if self.page != "map":
            return "-"
        missed = []
        if statistics.median(self.render_s) >= RENDER_TARGET_S:
            missed.append(f"render >= {RENDER_TARGET_S:.0f} s")
        if max(statistics.median(self.checkin_ms), statistics.median(self.status_ms)) >= (
                EVENT_TARGET_MS):
            missed.append(f"event >= {EVENT_TARGET_MS:.0f} ms")
        return "met" if not missed else "MISSED: " + ", ".join(missed)


@contextmanager
def served(url: str, folder: Path) -> Iterator[str]:
    """``pamtps serve --no-rounds`` on the store (no watch: the bench's clock is not voting
    day's); yields its base URL and stops its process group afterwards."""
    port = free_port()
    log = folder / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen([*pamtps(), "serve", "--port", str(port), "--no-rounds"],
                                  env=environment(url, folder), stdout=output,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    try:
        start = time.perf_counter()
        while not healthy(port):
            if server.poll() is not None or time.perf_counter() - start > 120:
                raise RuntimeError(f"pamtps serve did not come up:\n{log.read_text()[-2000:]}")
            time.sleep(0.3)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(server)


def post(base: str, path: str, body: Any, token: str | None = None) -> tuple[int, str]:
    headers = {"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(f"{base}{path}", json.dumps(body).encode(), headers)
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.status, answer.read().decode()


def token_of(base: str, username: str) -> str:
    _, text = post(base, "/api/v1/auth/token", {"username": username, "password": DEMO_PASSWORD})
    return str(json.loads(text)["access_token"])


def open_page(browser: Any, base: str, page_key: str) -> tuple[Any, Any, float, int]:
    """A fresh context logged in as the commander, on the page: (context, page, seconds to the
    first full render, markers drawn)."""
    context = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta", viewport=VIEWPORT)
    context.route(f"{base}{PAGES['bare']}", lambda route: route.fulfill(
        status=200, content_type="text/html", body=BARE_PAGE))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/login")
    page.fill('input[name="username"]', "komandan")
    page.fill('input[name="password"]', DEMO_PASSWORD)
    page.click('button[type="submit"]')
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}{PAGES[page_key]}")
    if page_key == "bare":
        page.wait_for_function("window.drawnAt", timeout=PAGE_TIMEOUT_MS)
        drawn, count = page.evaluate("[window.drawnAt, window.drawnCount]")
    else:
        page.wait_for_function("window.pamtpsPeta && window.pamtpsPeta.drawnAt",
                               timeout=PAGE_TIMEOUT_MS)
        drawn, count = page.evaluate(
            "[window.pamtpsPeta.drawnAt, window.pamtpsPeta.visibleCount()]")
        page.wait_for_function("window.pamtpsPeta.ready", timeout=PAGE_TIMEOUT_MS)
    if errors:
        raise RuntimeError(f"{PAGES[page_key]}: page errors {errors}")
    return context, page, drawn / 1000, count


def event_ms(page: Any, base: str, kind: str, code: str, value: str, send: Any) -> float:
    """Milliseconds from ``send()`` returning to the marker of ``code`` showing ``value``."""
    page.evaluate(WATCH, [code, kind, value])
    send()
    answered = time.time() * 1000
    page.wait_for_function("window.benchSeen !== null", timeout=30_000)
    return float(page.evaluate("window.benchSeen")) - answered


def measure(browser: Any, base: str, row: Row, checker: tuple[str, list[str]] | None) -> None:
    context, page, seconds, count = open_page(browser, base, row.page)
    try:
        if count != row.tps:
            raise RuntimeError(f"{row.page}: {count} markers drawn, {row.tps} TPS")
        row.render_s.append(seconds)
        if checker is None:
            return
        username, codes = checker
        token = token_of(base, username)
        point = page.evaluate(f"window.pamtpsPeta.tps.get('{codes[0]}').marker.getLatLng()")
        checkin = {"method": "gps", "lat": point["lat"], "lng": point["lng"]}
        row.checkin_ms.append(event_ms(page, base, "colour", codes[0], GREEN,
                                       lambda: post(base, "/api/v1/checkin", checkin, token)))
        path = f"/api/v1/tps/{codes[0]}/status"
        row.status_ms.append(event_ms(page, base, "status", codes[0], "dibuka",
                                      lambda: post(base, path, {"status": "dibuka"}, token)))
    finally:
        context.close()


def run_set(name: str, args: argparse.Namespace, browser: Any) -> list[Row]:
    kind = "sqlite" if args.database_url is None else "postgresql"
    with fresh_store(kind, args.database_url or DEFAULT_POSTGRES_URL, 0) as (url, folder):
        db = Database(url)
        db.migrate()
        print(f"{name}: seeding {db.display_url}", flush=True)
        checkers = iter(seed(db, name, 2 * args.runs))
        with db.session() as session:
            tps = len(load_dataset(session).tps)
        db.dispose()
        rows = [Row(name, key, tps) for key in PAGES]
        with served(url, folder) as base:
            # The service's first answer makes and keeps the layers: timed apart, not counted.
            cold = Row(name, "map", tps)
            measure(browser, base, cold, None)
            rows[0].cold_s = cold.render_s[0]
            print(f"  cold map: {rows[0].cold_s:.2f} s", flush=True)
            for run in range(args.runs):
                # Each run in another order: no page always follows the same one.
                for row in rows[run % len(rows):] + rows[:run % len(rows)]:
                    measure(browser, base, row, None if row.page == "bare" else next(checkers))
                    print(f"  run {run + 1} {row.page}: {row.render_s[-1]:.2f} s"
                          + (f", check-in {row.checkin_ms[-1]:.0f} ms, status "
                             f"{row.status_ms[-1]:.0f} ms" if row.checkin_ms else ""), flush=True)
        return rows


def cells(row: Row) -> list[str]:
    def ms(values: list[float]) -> str:
        return f"{statistics.median(values):,.0f}" if values else "-"

    return [row.set_name.upper() if row.set_name == "oku" else "Sumatera Selatan",
            f"{row.tps:,}", TITLES[row.page], f"{statistics.median(row.render_s):.2f}",
            "-" if row.cold_s is None else f"{row.cold_s:.2f}",
            ms(row.checkin_ms), ms(row.status_ms), row.verdict()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", nargs="+", choices=["oku", "sumsel"], default=["oku", "sumsel"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", help="a PostgreSQL database (default: SQLite files)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    rows: list[Row] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for name in args.sets:
                rows += run_set(name, args, browser)
        finally:
            browser.close()
    head = ["set", "TPS", "page", "first render s", "cold s", "check-in ms", "status ms",
            "target"]
    table = [head] + [cells(row) for row in rows]
    print()
    print(machine(args.runs))
    print(plain(table, text=(0, 2, -1)))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(f"{machine(args.runs)}\n\n{markdown(table, text=(0, 2, -1))}\n")
    sys.exit(0 if all(r.verdict() in ("met", "-") for r in rows) else 1)


if __name__ == "__main__":
    main()

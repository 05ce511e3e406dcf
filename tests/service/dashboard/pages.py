"""Each role's pages for the page-wide browser tests (phone layout, catalogue check).

``ROLE_PAGES`` lists, for each demo user, the pages his menu offers (the map ``/peta`` and the
officer's ``/tugas`` are tested on their own). ``open_page`` opens one and waits until its
script has drawn what it loads, so that what a test measures is what the user sees.
"""

from __future__ import annotations

import uuid
from typing import Any

from tests.service.dashboard.seed import OkuDemo

SUPERVISOR_PAGES = ["/", "/perintah", "/kejadian", "/pengawalan", "/tps/{tps}"]
ROLE_PAGES: dict[str, list[str]] = {
    "admin": ["/users", *SUPERVISOR_PAGES],
    "komandan": SUPERVISOR_PAGES,
    "sek.baturajatimur": SUPERVISOR_PAGES,
    "padal.baturajatimur": SUPERVISOR_PAGES,
    "polda": SUPERVISOR_PAGES,
    "petugas": ["/"],
}
PHONE_390 = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}

# What "drawn" means on each page: its script's ready flag or its first rows.
READY = {
    "/kejadian": "window.pamtpsKejadian && window.pamtpsKejadian.ready",
    "/pengawalan": "window.pamtpsEscorts && window.pamtpsEscorts.ready",
    "/perintah": "document.getElementById('unack-count').textContent.trim() !== '-'",
    "/liaison": "!!document.querySelector('#redeem-form, #report-form')",
}


def page_path(path: str, oku: OkuDemo) -> str:
    """A listed path with the TPS of the demo officer's post filled in."""
    return path.format(tps=oku.officer_post.tps[0])


def watch_console(page: Any) -> list[str]:
    """Console errors and uncaught exceptions of ``page``, as they happen."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def open_page(page: Any, base: str, path: str) -> None:
    """Go to ``path`` and wait until its script has drawn what it loads."""
    page.goto(f"{base}{path}")
    ready = READY.get(path.split("?")[0])
    if ready:
        page.wait_for_function(ready, timeout=15_000)
    page.wait_for_timeout(150)  # the last draw after the ready flag


def page_width(page: Any) -> int:
    """How wide the page is drawn: more than the viewport means sideways scrolling."""
    width: int = page.evaluate(
        "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
    )
    return width


def too_wide(page: Any) -> list[str]:
    """The innermost elements reaching past the window's right edge (what to fix)."""
    found: list[str] = page.evaluate(
        """() => [...document.body.querySelectorAll('*')].filter((e) => {
             const r = e.getBoundingClientRect();
             const out = (x) => x.getBoundingClientRect().right > window.innerWidth + 0.5;
             return r.width > 0 && out(e) && ![...e.children].some(out);
           }).slice(0, 5).map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className}`
             + ` ${Math.round(e.getBoundingClientRect().right)}px`)"""
    )
    return found


def cut_menu_items(page: Any) -> list[str]:
    """Menu links drawn (partly) outside the window or clipped by their bar."""
    clipped: list[str] = page.evaluate(
        """() => [...document.querySelectorAll('.topbar a, .topbar button')].filter((e) => {
             const r = e.getBoundingClientRect();
             return r.width > 0 && (r.left < 0 || r.right > window.innerWidth + 0.5
               || e.scrollWidth > e.clientWidth + 1);
           }).map((e) => e.textContent.trim())"""
    )
    return clipped


def liaison_code(page: Any, base: str, tps: str) -> str:
    """A fresh KPPS chair's invite code for ``tps``, issued with ``page``'s command session."""
    token = page.get_attribute('meta[name="csrf-token"]', "content")
    answer = page.context.request.post(
        f"{base}/api/v1/liaison/codes", data={"tps": [tps], "holders": ["kpps"]},
        headers={"X-CSRF-Token": token, "Idempotency-Key": str(uuid.uuid4())},
    )
    assert answer.ok, answer.text()
    (issued,) = answer.json()["codes"]
    listed = page.context.request.get(f"{base}/api/v1/liaison/codes?tps={tps}").json()["codes"]
    code: str = next(c["code"] for c in listed if c["id"] == issued["id"])
    return code


def kpps_chair_page(browser: Any, base: str, command: Any, tps: str, name: str = "") -> Any:
    """A phone signed in as the KPPS chair of ``tps``, with a code ``command``'s page issued
    (and the name he typed, if any)."""
    code = liaison_code(command, base, tps)
    context = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta", viewport=PHONE_390)
    page = context.new_page()
    open_page(page, base, f"/liaison?code={code}")
    if name:
        page.fill('#redeem-form input[name="name"]', name)
    page.click("#redeem-form button[type=submit]")
    page.wait_for_selector("#report-form")
    return page

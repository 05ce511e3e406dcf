"""The installable web app of the field (officers and liaisons): manifest, service worker, icons.

The service worker is served from the root (``/sw.js``) so that its scope, ``/``, covers the
officer's page ``/tugas`` and the liaison's ``/liaison``; the file itself lives in
``static/sw.js``. Its cache name carries a digest of the static files, so a new release
replaces the cached app shell the next time the phone has signal. None of these routes needs a
login: they hold no data, and an install prompt comes before any session.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import Response

from pamtps.i18n import t
from pamtps.web.core import language
from pamtps.web.icons import icon_png

router = APIRouter(include_in_schema=False)

STATIC = Path(__file__).parent / "static"
START_PAGES = ("/tugas", "/liaison")
ICON_SIZES = (192, 512)
# What the phone keeps from its first online visit: the shell shared by both field pages.
SHELL = ("css/pamtps.css", "js/pamtps.js", "js/outbox.js", "js/outbox_view.js",
         "js/tugas.js", "js/liaison.js")
NO_STORE = {"Cache-Control": "no-cache"}


@cache
def release() -> str:
    """A digest of the static files and the templates: changes with every release."""
    digest = hashlib.sha256()
    for folder in (STATIC, Path(__file__).parent / "templates"):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


@router.get("/sw.js")
def service_worker() -> Response:
    """The service worker, with its release and its shell written in (never cached by HTTP)."""
    shell = [f"/static/{name}" for name in SHELL] + [f"/icons/{n}.png" for n in ICON_SIZES]
    head = f"const RELEASE = {json.dumps(release())};\nconst SHELL = {json.dumps(shell)};\n"
    body = head + (STATIC / "sw.js").read_text(encoding="utf-8")
    headers = NO_STORE | {"Service-Worker-Allowed": "/"}
    return Response(body, media_type="text/javascript", headers=headers)


@router.get("/manifest.webmanifest")
def manifest(request: Request, start: str = "/tugas") -> Response:
    """The app's manifest; ``start`` is the page it opens on (``/tugas`` or ``/liaison``)."""
    lang = language(request)
    start = start if start in START_PAGES else START_PAGES[0]
    icons = [{"src": f"/icons/{n}.png", "sizes": f"{n}x{n}", "type": "image/png"}
             for n in ICON_SIZES]
    icons.append({"src": "/icons/maskable-512.png", "sizes": "512x512", "type": "image/png",
                  "purpose": "maskable"})
    body = {
        "name": t("app.name", lang),
        "short_name": "PamTPS",
        "description": t("app.description", lang),
        "lang": lang,
        "id": start,
        "start_url": start,
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": "#1a3a6e",
        "icons": icons,
    }
    return Response(json.dumps(body, ensure_ascii=False), media_type="application/manifest+json")


@router.get("/icons/{name}.png")
def icon(name: str) -> Response:
    """``/icons/192.png``, ``/icons/512.png`` and ``/icons/maskable-512.png``."""
    maskable = name.startswith("maskable-")
    size = name.removeprefix("maskable-")
    if not size.isdigit() or int(size) not in ICON_SIZES:
        return Response(status_code=404)
    headers = {"Cache-Control": "public, max-age=86400"}
    return Response(icon_png(int(size), maskable), media_type="image/png", headers=headers)

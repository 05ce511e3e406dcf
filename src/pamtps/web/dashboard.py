"""The command dashboard: the regency map, the TPS page, orders and the officer's page.

Pages are server-rendered; their small scripts (``static/js/``) read the field API
(``/api/v1/tps/state``, ``/api/v1/alerts``, ``/api/v1/orders``, ``/api/v1/events``) and the two
map layers served here. Leaflet comes from the xstatic-leaflet package, mounted at
``/vendor/leaflet``: never a CDN, so the map works on a closed network.

- ``/peta``: the map, counters, filters and alerts (admin, command, Polsek, Padal, viewer);
- ``/tps/{code}``: one TPS with its post, team and timeline (same roles, within their scope);
- ``/perintah``: publishing a plan version (command) and who has not acknowledged his order;
- ``/tugas``: the officer's order, acknowledgement, check-in, movements and TPS status.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Hashable
from typing import Annotated, Any, Literal

import xstatic.pkg.leaflet
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from pamtps.i18n import catalog
from pamtps.ops.errors import ServiceError
from pamtps.ops.escort.chain import BOXES
from pamtps.ops.field.checkin import PHASES
from pamtps.ops.field.tps_steps import STATUSES
from pamtps.ops.incidents import workflow
from pamtps.ops.kept import kept
from pamtps.ops.mapdata import (
    boundaries,
    boundaries_version,
    compact_layer,
    plan_layer,
    plan_layer_version,
)
from pamtps.ops.people import desa_labels, people_names, post_name, tps_names
from pamtps.ops.tps_detail import local_text, page_zone, tps_detail, zone_config
from pamtps.ops.users import Role, User
from pamtps.store.plans import current_publication
from pamtps.store.views import phases_reported, recent_plans
from pamtps.web.auth import AppSettings, CurrentScope, CurrentUser, DbSession, require_roles
from pamtps.web.core import API_PREFIX, language, render

router = APIRouter()
router.mount(
    "/vendor/leaflet", StaticFiles(directory=xstatic.pkg.leaflet.BASE_DIR), name="leaflet"
)

SUPERVISORS = (Role.ADMIN, Role.COMMAND, Role.POLSEK, Role.PADAL, Role.VIEWER)
Supervisor = Annotated[User, Depends(require_roles(*SUPERVISORS))]
Officer = Annotated[User, Depends(require_roles(Role.OFFICER))]
CLASSES = ("kurang_rawan", "rawan", "sangat_rawan", "khusus")
STATES = ("not_yet", "guarded", "alert", "no_post")
# The map's incident markers and reserve bases speak as the incident page does (/kejadian).
INCIDENT_MESSAGES = ("kejadian.", "incident.", "dispatch.", "sitrep.")


def messages(request: Request, *prefixes: str) -> dict[str, str]:
    """The messages a page's script needs (keys starting with one of the prefixes)."""
    return {
        key: text for key, text in catalog(language(request)).items() if key.startswith(prefixes)
    }


def _page(request: Request, name: str, config: dict[str, Any], **context: Any) -> HTMLResponse:
    """A dashboard page ``<name>.html`` with its script ``js/<name>.js``, which gets ``config``
    as JSON (``#page-config``; base.html writes both)."""
    page = {"config": config, "page_script": f"{name}.js"}
    return render(request, f"{name}.html", page | context)


# The map.


@router.get("/peta", response_class=HTMLResponse, include_in_schema=False)
def map_page(request: Request, user: Supervisor, settings: AppSettings) -> HTMLResponse:
    config = {
        "tileUrl": settings.tile_url,
        "tileAttribution": settings.tile_attribution,
        "statuses": list(STATUSES),  # a TPS's steps in order: a late event never steps back
        "messages": messages(
            request, "peta.", "class.", "state.", "alert.", "status.", *INCIDENT_MESSAGES
        ),
    }
    return _page(request, "peta", config, classes=CLASSES, states=STATES)


@router.get(f"{API_PREFIX}/map/boundaries", tags=["map"])
def map_boundaries(request: Request, user: CurrentUser, session: DbSession) -> Response:
    """The kecamatan and desa boundaries (GeoJSON, simplified): the map's offline base layer."""
    headers = {"Cache-Control": "private, max-age=3600"}
    return _kept_json(request, "map/boundaries", boundaries_version(session),
                      lambda: boundaries(session), headers)


@router.get(f"{API_PREFIX}/map/plan", tags=["map"])
def map_plan(
    request: Request, user: Supervisor, scope: CurrentScope, session: DbSession,
    format: Literal["geojson", "compact"] = "geojson",
) -> Response:
    """The plan in force as GeoJSON for the caller's scope: TPS (class, post, kecamatan,
    Polsek), posts and reserve bases, and the Polsek and kecamatan to filter by.
    ``format=compact``: the same as rows of values (``columns`` name them), what the map reads."""

    def layer() -> dict[str, Any]:
        whole = plan_layer(session, scope)
        return compact_layer(whole) if format == "compact" else whole

    kind = f"map/plan:{format}:{hash(scope)}"
    return _kept_json(request, kind, (plan_layer_version(session), scope), layer, {})


def _kept_json(
    request: Request, kind: str, key: Hashable, make: Callable[[], Any], headers: dict[str, str]
) -> Response:
    """``make()`` as JSON, gzipped if the client takes it; encoded and compressed once while
    ``key`` stays the same (a province's layers are megabytes: seconds of encoding each time)."""
    body, zipped = kept(kind, key, lambda: _encoded(make()))
    headers = headers | {"Vary": "Accept-Encoding"}
    if "gzip" in request.headers.get("accept-encoding", ""):
        # Already compressed: the GZip middleware leaves a response with an encoding alone.
        return Response(zipped, media_type="application/json",
                        headers=headers | {"Content-Encoding": "gzip"})
    return Response(body, media_type="application/json", headers=headers)


def _encoded(value: Any) -> tuple[bytes, bytes]:
    body = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()
    return body, gzip.compress(body, compresslevel=6)


# One TPS.


@router.get("/tps/{tps_code}", response_class=HTMLResponse, include_in_schema=False)
def tps_page(
    tps_code: str, request: Request, user: Supervisor, scope: CurrentScope, session: DbSession
) -> HTMLResponse:
    detail = tps_detail(session, tps_code) if scope.can_see_tps(tps_code) else None
    if detail is None:
        raise ServiceError(404, "tps.not_found", code=tps_code)
    config = {"code": tps_code, "post": detail.post.id if detail.post else None}
    post = ""
    if detail.post:
        post = post_name(detail.post.tps, tps_names(session, detail.post.tps[:1]))
    return _page(request, "tps", config, tps=detail, post_name=post)


# Orders: publishing and acknowledgements.


@router.get("/perintah", response_class=HTMLResponse, include_in_schema=False)
def orders_page(request: Request, user: Supervisor, session: DbSession) -> HTMLResponse:
    plans = recent_plans(session, 20)
    zone = page_zone(session)  # one zone for the page: the operation's, never UTC
    config = {
        "canPublish": user.role is Role.COMMAND,
        "zone": zone_config(zone),
        "desa": desa_labels(session),  # a post is named by its first TPS and desa
        "messages": messages(request, "orders.", "page.", "name."),
    }
    publication = current_publication(session)
    publisher = people_names(session, [publication.published_by]) if publication else {}
    context = {"plans": plans, "publication": publication, "people": publisher,
               "local": lambda moment: local_text(moment, zone)}
    return _page(request, "perintah", config, **context)


# The officer's own page.


@router.get("/tugas", response_class=HTMLResponse, include_in_schema=False)
def officer_page(request: Request, user: Officer, session: DbSession) -> HTMLResponse:
    nrp = user.nrp or user.scope_code
    done = phases_reported(session, nrp)
    config = {
        "phases": list(PHASES),
        "statuses": list(STATUSES),
        "done": list(done),
        "desa": desa_labels(session),  # 'TPS 001 · Desa Air Paoh'
        "zone": zone_config(page_zone(session)),  # every time in the operation's zone
        "messages": messages(request, "duty.", "phase.", "status.", "class.", "incident.", "page.",
                             "name."),
    }
    lists = {"categories": workflow.CATEGORIES, "severities": workflow.SEVERITIES, "boxes": BOXES}
    return _page(request, "tugas", config, **lists)

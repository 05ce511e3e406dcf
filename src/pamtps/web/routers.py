"""The router registry: every router of the service, included by ``create_app`` in this order.

To add a part of the service, give it an ``APIRouter`` and add one line to ``routers()`` below
(the import inside the function keeps this module free of import cycles). Then add its routes
to the authorization matrix (tests/service/test_authz_matrix.py says how), or that test fails.
"""

from __future__ import annotations

from collections.abc import Iterable

import fastapi.routing
from fastapi import APIRouter, FastAPI
from starlette.routing import BaseRoute

IMPLICIT_METHODS = frozenset({"HEAD", "OPTIONS"})


def routers() -> list[APIRouter]:
    """The routers of the service."""
    from pamtps.web import api_auth as api
    from pamtps.web import pages, system

    registered = [system.router, pages.router, api.router]
    # --- Other parts of the service register here, one line each: ---------------------------
    # from pamtps.ops import api_field; registered.append(api_field.router)
    from pamtps.web import api_field

    registered.append(api_field.router)
    from pamtps.web import dashboard

    registered.append(dashboard.router)
    from pamtps.web import api_incidents

    registered.append(api_incidents.router)
    from pamtps.web import api_response as api_operations

    registered.append(api_operations.router)
    from pamtps.web import incident_pages

    registered.append(incident_pages.router)
    from pamtps.web import escort_pages

    registered.append(escort_pages.router)
    from pamtps.web import api_sms

    registered.append(api_sms.router)
    # ------------------------------------------------------------------------------------------
    return registered


def route_table(app: FastAPI) -> list[tuple[str, str]]:
    """Every (method, path template) the application answers, HEAD and OPTIONS left out."""
    # FastAPI 0.16x keeps included routers whole in app.routes; iter_route_contexts opens them.
    expand = getattr(fastapi.routing, "iter_route_contexts", None)
    routes: Iterable[BaseRoute] = expand(app.routes) if expand else app.routes
    return sorted(
        (method, getattr(route, "path", ""))
        for route in routes
        for method in getattr(route, "methods", None) or ()
        if method not in IMPLICIT_METHODS
    )

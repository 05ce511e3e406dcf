"""The command service application: ``create_app()`` (``pamtps serve`` runs it with uvicorn).

Pages (server-rendered, ``templates/``, ``static/``) and the versioned JSON API under
``/api/v1`` (OpenAPI at ``/api/v1/openapi.json``, readable offline at ``/api/v1/docs``) share one
storage layer, one login and one audit log. Routers come from ``pamtps.web.routers``. The
lifespan runs the background rounds (``pamtps.ops.rounds``) unless told to leave them to
``pamtps worker`` (or to the supervisor of ``pamtps serve --workers N``). On PostgreSQL it joins
the live stream to the service's other processes (``pamtps.ops.fanout``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

import pamtps
from pamtps.ops.errors import ServiceError
from pamtps.ops.fanout import fan_out
from pamtps.ops.field.runtime import runtime_of as field_runtime_of
from pamtps.ops.field.writer import Overloaded
from pamtps.ops.incidents.runtime import runtime_of as incident_runtime_of
from pamtps.ops.loops import running
from pamtps.ops.rounds import ROUNDS, loops
from pamtps.ops.sitrep.runtime import ops_settings
from pamtps.settings import Environment, Settings, get_settings
from pamtps.store import Database
from pamtps.web.admission import AdmissionMiddleware
from pamtps.web.api_field import overloaded_handler
from pamtps.web.core import (
    API_PREFIX,
    STATIC,
    SecurityHeadersMiddleware,
    http_error_handler,
    service_error_handler,
    validation_error_handler,
)
from pamtps.web.i18n import LanguageMiddleware
from pamtps.web.limits import RequestLimitsMiddleware
from pamtps.web.routers import routers

GZIP_MINIMUM_BYTES = 1024  # below ~1 KB the gzip header and the CPU outweigh what it saves

DESCRIPTION = """The election-day command service of PamTPS.

Authenticate with a device token (`POST /api/v1/auth/token`, then `Authorization: Bearer ...`)
or with the session cookie of the pages; a cookie call that changes something must send the
session's CSRF token in the `X-CSRF-Token` header. Errors answer
`{"detail": {"code": ..., "message": ...}}` in Bahasa Indonesia, or in English with `?lang=en`.
"""


def create_app(
    database: Database | None = None, settings: Settings | None = None, *, rounds: bool = True
) -> FastAPI:
    """The application on ``database`` (default: the one the settings name, closed on shutdown);
    while it runs, so do the background rounds, unless ``rounds`` is false."""
    settings = settings or get_settings()
    owned = database is None
    store = database or Database.from_settings(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        broker = field_runtime_of(app).broker
        leave = None if store.is_sqlite else fan_out(broker, store)
        background = loops(ROUNDS, store, rounds_settings(app), broker) if rounds else []
        try:
            async with running(background):
                yield
        finally:
            if leave is not None:
                leave()
            if owned:
                store.dispose()

    app = FastAPI(
        title="PamTPS",
        version=pamtps.__version__,
        description=DESCRIPTION,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # Swagger UI comes from a CDN: system.py serves an offline page instead
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.database = store
    app.state.settings = settings
    production = settings.environment is Environment.PRODUCTION
    app.add_middleware(RequestLimitsMiddleware)  # inside LanguageMiddleware: refusals translated
    app.add_middleware(AdmissionMiddleware)  # field writes shed before the limits read the body
    app.add_middleware(LanguageMiddleware, secure_cookie=production)
    app.add_middleware(
        SecurityHeadersMiddleware, production=production, tile_url=settings.tile_url
    )
    # Outermost: the map's GeoJSON and the state shrink ~5-8 times for a Polsek's phone on a
    # weak signal. Starlette never compresses text/event-stream (the live stream would stall
    # in the compressor's buffer); level 6 costs a third of level 9's CPU for ~the same size.
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM_BYTES, compresslevel=6)
    app.add_exception_handler(ServiceError, service_error_handler)
    app.add_exception_handler(Overloaded, overloaded_handler)  # 429 with Retry-After
    app.add_exception_handler(StarletteHTTPException, http_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in routers():
        app.include_router(router)
    return app


def create_app_without_rounds() -> FastAPI:
    """The app of ``pamtps serve --no-rounds``: a ``pamtps worker`` runs the rounds instead."""
    return create_app(rounds=False)


def rounds_settings(app: FastAPI) -> Settings:
    """The settings the app's rounds run with: its settings, with the groups its runtimes hold
    (made from those settings, unless a test gave the app one of its own before it started)."""
    settings: Settings = app.state.settings
    groups = {
        "field": field_runtime_of(app).settings,
        "incident": incident_runtime_of(app).settings,
        "ops": ops_settings(app),
    }
    return settings.model_copy(update=groups)

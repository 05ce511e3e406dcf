"""What every page and API route shares: templates, the error answers, the security headers.

``render(request, name, context)`` gives each template ``t`` (bound to the request's language),
``lang``, ``user`` and ``csrf_token`` (when a route checked the login). Errors answer in the
caller's language: JSON ``{"detail": {"code", "message"}}`` under ``API_PREFIX``, FastAPI's own
400s and 422s included; elsewhere a login redirect for 401 and the error page for the rest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pamtps.i18n import DEFAULT_LANGUAGE, LANGUAGES, catalog, t, translator
from pamtps.ops.errors import ServiceError

API_PREFIX = "/api/v1"
HERE = Path(__file__).parent
STATIC = HERE / "static"
templates = Jinja2Templates(directory=HERE / "templates")

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")
# The pages load scripts, styles and data from the site only (page data rides in a
# <script type="application/json">, which is not executed); images may be inline (the empty
# favicon) or the map tiles of a configured tile server.
CSP_DIRECTIVES = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:{tiles}",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)


def content_security_policy(tile_url: str = "") -> str:
    """The pages' Content-Security-Policy; a tile server's origin joins the image sources."""
    parts = urlsplit(tile_url)
    tiles = f" {parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
    return "; ".join(CSP_DIRECTIVES).format(tiles=tiles)


def language(request: Request) -> str:
    lang: str = getattr(request.state, "lang", DEFAULT_LANGUAGE)
    return lang


def language_url(request: Request, lang: str) -> str:
    """This page in another language (its other query parameters kept)."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return f"{request.url.path}?{urlencode([*kept, ('lang', lang)])}"


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200,
    *, error: ServiceError | None = None,
) -> HTMLResponse:
    """A page from ``templates/``, in the request's language; with ``error``, its message is the
    template's ``error`` and its status the page's."""
    lang = language(request)
    credentials = getattr(request.state, "credentials", None)
    shared = {
        "t": translator(lang),
        "lang": lang,
        "lang_urls": {code: language_url(request, code) for code in LANGUAGES},
        "user": credentials.user if credentials else None,
        "csrf_token": credentials.csrf_token if credentials else None,
        "error": error and t(error.key, lang, **error.params),
    }
    status_code = error.status if error else status_code
    return templates.TemplateResponse(request, name, shared | (context or {}), status_code)


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def error_response(request: Request, status: int, code: str, message: str) -> Response:
    if is_api(request):
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        body = {"detail": {"code": code, "message": message}}
        return JSONResponse(body, status_code=status, headers=headers)
    if status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
    return render(request, "error.html", {"status": status, "message": message}, status)


async def service_error_handler(request: Request, error: Exception) -> Response:
    assert isinstance(error, ServiceError)
    message = t(error.key, language(request), **error.params)
    response = error_response(request, error.status, error.key, message)
    if "retry_after" in error.params:  # a throttle's refusal says when to try again
        response.headers["Retry-After"] = str(error.params["retry_after"])
    return response


async def http_error_handler(request: Request, error: Exception) -> Response:
    """Starlette's and FastAPI's own errors (400, 404, 405...) in the service's error format:
    ``{"detail": {"code": "error.404", "message": ...}}`` under the API, else the error page."""
    assert isinstance(error, StarletteHTTPException)
    if error.status_code < 400:
        return JSONResponse({"detail": error.detail}, error.status_code, error.headers)
    key = f"error.{error.status_code}"
    lang = language(request)
    if key in catalog(DEFAULT_LANGUAGE):
        message = t(key, lang)
    else:
        message = t("request.http_error", lang, status=error.status_code)
    response = error_response(request, error.status_code, key, message)
    response.headers.update(error.headers or {})
    return response


MAX_PROBLEMS = 5
"""Problems named in a 422's message; a body wrong in a thousand places names the first few."""


async def validation_error_handler(request: Request, error: Exception) -> Response:
    """A request that fails its schema: 422 in the service's error format, naming each field
    (``body.reports.0.path``) and what is wrong with it. The value sent is never echoed: it may be
    huge, or not representable in JSON (NaN, a lone surrogate)."""
    assert isinstance(error, RequestValidationError)
    problems = [_problem(found) for found in error.errors()]
    listed = "; ".join(problems[:MAX_PROBLEMS])
    if len(problems) > MAX_PROBLEMS:
        listed += f"; (+{len(problems) - MAX_PROBLEMS})"
    message = t("request.invalid", language(request), problems=listed)
    return error_response(request, 422, "request.invalid", message)


def _problem(found: Any) -> str:
    where = ".".join(str(part) for part in found.get("loc", ()))
    return f"{where}: {found.get('msg', '')}" if where else str(found.get("msg", ""))


class SecurityHeadersMiddleware:
    """Adds headers that stop MIME sniffing, framing (clickjacking) and referrer leaks; in
    production also HSTS (the service runs behind TLS there) and the Content-Security-Policy."""

    def __init__(self, app: ASGIApp, *, production: bool = False, tile_url: str = "") -> None:
        self.app = app
        self.headers = list(SECURITY_HEADERS)
        if production:
            csp = content_security_policy(tile_url).encode("latin-1")
            self.headers += [HSTS, (b"content-security-policy", csp)]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.headers]
            await send(message)

        await self.app(scope, receive, send_with_headers if scope["type"] == "http" else send)

"""What every page and API route shares: templates, the error answers, the security headers.

``render(request, name, context)`` gives each template ``t`` (bound to the request's language),
``lang``, ``user`` and ``csrf_token`` (when a route checked the login). Errors answer in the
caller's language: JSON ``{"detail": {"code", "message"}}`` under ``API_PREFIX``; elsewhere a
login redirect for 401 and the error page for the rest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
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
    """Starlette's own errors (404, 405...): JSON as FastAPI gives it, or the error page."""
    assert isinstance(error, StarletteHTTPException)
    if is_api(request) or error.status_code < 400:
        return JSONResponse({"detail": error.detail}, error.status_code, error.headers)
    key = f"error.{error.status_code}"
    known = key in catalog(DEFAULT_LANGUAGE)
    message = t(key, language(request)) if known else str(error.detail)
    return error_response(request, error.status_code, key, message)


class SecurityHeadersMiddleware:
    """Adds headers that stop MIME sniffing, framing (clickjacking) and referrer leaks."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers if scope["type"] == "http" else send)

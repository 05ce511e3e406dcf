"""The core pages: login and logout, home, and user management for the admin.

Pages are server-rendered (``templates/``); every form that changes something carries the CSRF
token (``csrf_token`` field), checked by ``pamtps.web.auth``. The login form, which has no
session yet, carries a signed double-submit token instead.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from pamtps.ops import lockout
from pamtps.ops.errors import ServiceError
from pamtps.ops.people import scope_names
from pamtps.ops.sessions import authenticate, close_session, open_session
from pamtps.ops.users import Role, User, create_user, list_users
from pamtps.settings import Environment, Settings
from pamtps.store import Database
from pamtps.web.auth import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    AppSettings,
    CurrentCredentials,
    CurrentUser,
    get_database,
    login_csrf_valid,
    new_login_csrf,
    require_roles,
)
from pamtps.web.core import client_ip, render
from pamtps.web.offline import router as offline_router

router = APIRouter(include_in_schema=False)

Admin = Annotated[User, Depends(require_roles(Role.ADMIN))]
AppDatabase = Annotated[Database, Depends(get_database)]
FormText = Annotated[str, Form()]


def safe_next(target: str) -> str:
    """A local path to go to after login; anything else (another site) becomes home."""
    local = target.startswith("/") and not target.startswith(("//", "/\\"))
    return target if local else "/"


def _secure(settings: Settings) -> bool:
    return settings.environment is Environment.PRODUCTION


@router.get("/", response_class=HTMLResponse)
def home(request: Request, user: CurrentUser, database: AppDatabase) -> HTMLResponse:
    scope = ""
    if user.scope_code:
        with database.session() as session:
            scope = scope_names(session, [user.scope_code])[user.scope_code]
    return render(request, "home.html", {"scope_name": scope})


def _login_page(
    request: Request, settings: Settings, next_path: str, error: ServiceError | None = None,
    username: str = "",
) -> HTMLResponse:
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE)
    token = cookie if cookie and login_csrf_valid(settings, cookie, cookie) else None
    token = token or new_login_csrf(settings)
    context = {
        "login_csrf": token,
        "next": safe_next(next_path),
        "username": username,
    }
    response = render(request, "login.html", context, error=error)
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=_secure(settings),
        path="/login",
    )
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, settings: AppSettings, next: str = "/") -> HTMLResponse:
    return _login_page(request, settings, next)


@router.post("/login")
def login(
    request: Request,
    settings: AppSettings,
    database: AppDatabase,
    username: FormText,
    password: FormText,
    csrf_token: FormText = "",
    next: FormText = "/",
) -> Response:
    if not login_csrf_valid(settings, request.cookies.get(LOGIN_CSRF_COOKIE), csrf_token):
        raise ServiceError(403, "auth.csrf_failed")
    username = username.strip().lower()
    lockout.hold_back(database, username, settings)
    with database.session() as session:
        result = authenticate(
            session, username, password, settings, via="page", ip=client_ip(request)
        )
        if isinstance(result, User):
            cookie, _ = open_session(session, result, settings)
    if isinstance(result, ServiceError):
        page = _login_page(request, settings, next, result, username)
        if "retry_after" in result.params:
            page.headers["Retry-After"] = str(result.params["retry_after"])
        return page
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE, cookie, max_age=int(settings.session_hours * 3600), httponly=True,
        samesite="lax", secure=_secure(settings), path="/",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(credentials: CurrentCredentials, database: AppDatabase) -> Response:
    if credentials.kind == "session":
        with database.session() as session:
            close_session(session, credentials)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _users_page(
    request: Request, database: Database, error: ServiceError | None = None,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    with database.session() as session:
        users = list_users(session)
        scopes = scope_names(session, [found.scope_code or "" for found in users])
    context = {
        "users": users,
        "scopes": scopes,
        "roles": list(Role),
        "form": form or {},
    }
    return render(request, "users.html", context, error=error)


@router.get("/users", response_class=HTMLResponse)
def users_page(request: Request, admin: Admin, database: AppDatabase) -> HTMLResponse:
    return _users_page(request, database)


@router.post("/users")
def add_user(
    request: Request,
    admin: Admin,
    database: AppDatabase,
    username: FormText,
    password: FormText,
    role: FormText,
    scope_code: FormText = "",
    display_name: FormText = "",
    nrp: FormText = "",
) -> Response:
    form = {"username": username, "role": role, "scope_code": scope_code,
            "display_name": display_name, "nrp": nrp}
    try:
        with database.session() as session:
            create_user(
                session, username=username.strip().lower(), password=password,
                role=Role.parse(role),
                actor=admin.username, scope_code=scope_code.strip() or None,
                display_name=display_name.strip(), nrp=nrp.strip() or None,
            )
    except ServiceError as error:
        return _users_page(request, database, error, form)
    return RedirectResponse("/users", status_code=303)


# The field's installable web app (manifest, service worker, icons) rides on the core pages.
router.include_router(offline_router)

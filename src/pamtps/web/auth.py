"""The FastAPI dependencies that guard every route: who is calling, in which role and scope.

- ``current_user`` (``CurrentUser``): the user of a device token (``Authorization: Bearer``) or
  of the session cookie; 401 otherwise. A cookie request that changes something (any method but
  GET/HEAD/OPTIONS) must also carry the session's CSRF token, in the ``X-CSRF-Token`` header
  (JSON calls) or the ``csrf_token`` form field (pages); 403 otherwise. Bearer calls need none:
  a browser never adds that header by itself.
- ``require_roles(*roles)``: 403 unless the user has one of the roles (admin is not implied).
- ``require_write`` (``WriteUser``): 403 for the read-only viewer.
- ``current_scope`` (``CurrentScope``): the user's ``Scope`` (``pamtps.ops.scope``).
- ``db_session`` (``DbSession``): one transaction around the route, committed before the
  response leaves.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from pamtps.ops import token_cache
from pamtps.ops.errors import ServiceError
from pamtps.ops.scope import Scope, load_sectors
from pamtps.ops.sessions import Credentials, session_credentials, token_credentials
from pamtps.ops.users import Role, User
from pamtps.settings import Settings
from pamtps.store import Database, Session

SESSION_COOKIE = "pamtps_session"
LOGIN_CSRF_COOKIE = "pamtps_login_csrf"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def get_database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def db_session(request: Request) -> Iterator[Session]:
    with get_database(request).session() as session:
        yield session


DbSession = Annotated[Session, Depends(db_session, scope="function")]
AppSettings = Annotated[Settings, Depends(get_app_settings)]


def _lookup(database: Database, find: Callable[[Session, str], Credentials | None],
            secret: str) -> Credentials | None:
    with database.session() as session:
        return find(session, secret)


# Device token lookups get two threads of their own: dozens of phones at once would otherwise
# take as many threads and pooled connections, each opened and closed again past the pool's size.
_TOKEN_LOOKUPS = ThreadPoolExecutor(2, thread_name_prefix="token-lookup")


async def _bearer(database: Database, token: str) -> Credentials | None:
    """The credentials of a device token: cached for a few seconds (``token_cache``)."""
    credentials = token_cache.get(database.url, token)
    if credentials is None:
        credentials = await asyncio.get_running_loop().run_in_executor(
            _TOKEN_LOOKUPS, _lookup, database, token_credentials, token
        )
        if credentials is not None:
            token_cache.put(database.url, token, credentials)
    return credentials


async def _csrf_sent(request: Request) -> str | None:
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(FORM_TYPES):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    return sent


async def current_credentials(request: Request) -> Credentials:
    """The caller's credentials (see the module docstring); also set on ``request.state``."""
    database = get_database(request)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        credentials = await _bearer(database, token.strip())
        if credentials is None:
            raise ServiceError(401, "auth.token_invalid")
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        credentials = None
        if cookie:
            credentials = await run_in_threadpool(_lookup, database, session_credentials, cookie)
        if credentials is None:
            raise ServiceError(401, "auth.login_required")
        if request.method not in SAFE_METHODS:
            sent = await _csrf_sent(request)
            if not (sent and hmac.compare_digest(sent, credentials.csrf_token or "")):
                raise ServiceError(403, "auth.csrf_failed")
    request.state.credentials = credentials
    return credentials


async def current_user(
    credentials: Annotated[Credentials, Depends(current_credentials)],
) -> User:
    return credentials.user


CurrentCredentials = Annotated[Credentials, Depends(current_credentials)]
CurrentUser = Annotated[User, Depends(current_user)]


def require_roles(*roles: Role) -> Callable[[User], Awaitable[User]]:
    """A dependency admitting only these roles, e.g. ``Depends(require_roles(Role.COMMAND))``."""
    allowed = frozenset(roles)

    async def dependency(user: CurrentUser) -> User:
        if user.role not in allowed:
            raise ServiceError(403, "auth.forbidden")
        return user

    return dependency


async def require_write(user: CurrentUser) -> User:
    """The user, unless his role only reads (the viewer)."""
    if not user.role.can_write:
        raise ServiceError(403, "auth.read_only")
    return user


WriteUser = Annotated[User, Depends(require_write)]


def current_scope(request: Request, user: CurrentUser) -> Scope:
    """The user's scope. An officer's post TPS are not known here: the field code that loads
    his order builds ``Scope.of(user, sectors, post_tps_codes)`` itself."""
    if user.role is not Role.POLSEK:
        return Scope.of(user, {})
    with get_database(request).session() as session:
        return Scope.of(user, load_sectors(session))


CurrentScope = Annotated[Scope, Depends(current_scope)]


def _sign(settings: Settings, nonce: str) -> str:
    key = settings.secret_key.get_secret_value().encode()
    return hmac.new(key, nonce.encode(), hashlib.sha256).hexdigest()


def new_login_csrf(settings: Settings) -> str:
    """A CSRF token for the login form (no session yet): a nonce signed with the secret key,
    sent both as a cookie and in the form (signed double submit)."""
    nonce = secrets.token_urlsafe(16)
    return f"{nonce}.{_sign(settings, nonce)}"


def login_csrf_valid(settings: Settings, cookie: str | None, sent: str | None) -> bool:
    if not cookie or not sent or not hmac.compare_digest(cookie, sent):
        return False
    nonce, _, signature = cookie.partition(".")
    return hmac.compare_digest(signature, _sign(settings, nonce))

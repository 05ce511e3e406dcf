"""Logging in: password checks with lockout, browser sessions and device tokens.

Session ids and device tokens are random (``secrets``) and stored only as their SHA-256, so a
copy of the database opens nothing. A session carries its own CSRF token (synchronizer token).
Failed logins are throttled per client address and account, and only slowed per account
(``pamtps.ops.lockout``); a refusal says how long to wait (the user on election day must know
to call the admin rather than retry).
Every change here is recorded in the audit log in the same transaction.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from pamtps.ops import audit, lockout
from pamtps.ops.errors import ServiceError
from pamtps.ops.textguard import is_tally
from pamtps.ops.users import Role, User, check_password, find_user, hash_password, hasher
from pamtps.settings import Settings
from pamtps.store import Session
from pamtps.store.security import delete_expired_sessions, delete_session, token_holder
from pamtps.store.tables.security import DeviceTokenRow, UserRow, WebSessionRow

TOKEN_PREFIX = "pamtps_"


@dataclass(frozen=True, slots=True)
class Credentials:
    """Who made a request and how: a browser session (with its CSRF token) or a device token."""

    user: User
    kind: Literal["session", "bearer"]
    key: str  # the session's id hash, or the device token's id
    csrf_token: str | None = None
    expires_at: datetime | None = None  # a device token's end


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def utc(moment: datetime) -> datetime:
    """The moment in UTC; a naive value (SQLite returns them) is read as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _subject(username: str) -> str:
    return f"user:{username}"


def authenticate(
    session: Session, username: str, password: str, settings: Settings, *, via: str,
    ip: str | None = None,
) -> User | ServiceError:
    """The user if the password is right; otherwise the refusal, *returned* so that the caller
    commits the failed attempt (and maybe the lockout) before raising it.

    Known and unknown names get the same answers after the same failures (``pamtps.ops.lockout``
    explains the throttle); the caller first waits as ``lockout.hold_back`` says."""
    now = lockout.clock()
    about = {"ip": ip, "via": via}
    wait = lockout.locked_for(session, username, ip, settings, now)
    if wait is not None:
        audit.record(session, username, "auth.login_locked", _subject(username), about)
        return ServiceError(429, "auth.locked", minutes=lockout.minutes(wait), retry_after=wait)
    row = find_user(session, username)
    matches = check_password(row.password_hash if row else None, password)
    if row is None or not matches or not row.active:
        if lockout.count_failure(session, username, ip, settings, now):
            window = timedelta(minutes=settings.lockout_minutes)
            payload = about | {"until": (now + window).isoformat()}
            audit.record(session, username, "auth.lockout", _subject(username), payload)
        audit.record(session, username, "auth.login_failed", _subject(username), about)
        return ServiceError(401, "auth.invalid_credentials")
    lockout.forget(session, username, ip)
    if hasher.check_needs_rehash(row.password_hash):
        row.password_hash = hash_password(password)
    audit.record(session, username, "auth.login", _subject(username), about)
    return User.from_row(row)


def open_session(
    session: Session, user: User, settings: Settings, hours: float | None = None
) -> tuple[str, str]:
    """Start a browser session (after ``authenticate``): the cookie value and its CSRF token.
    It lasts ``settings.session_hours`` unless ``hours`` says otherwise."""
    now = datetime.now(UTC)
    delete_expired_sessions(session, user.id, now)
    cookie, csrf = secrets.token_urlsafe(32), secrets.token_hex(32)
    session.add(
        WebSessionRow(
            id_hash=digest(cookie),
            user_id=user.id,
            csrf_token=csrf,
            created_at=now,
            expires_at=now + timedelta(hours=hours or settings.session_hours),
        )
    )
    return cookie, csrf


def _active_user(session: Session, user_id: int) -> User | None:
    row = session.get(UserRow, user_id)
    return User.from_row(row) if row is not None and row.active else None


def session_credentials(session: Session, cookie: str) -> Credentials | None:
    """Who holds this session cookie, unless it is unknown or expired or his account disabled."""
    row = session.get(WebSessionRow, digest(cookie))
    if row is None or utc(row.expires_at) <= datetime.now(UTC):
        return None
    user = _active_user(session, row.user_id)
    return None if user is None else Credentials(user, "session", row.id_hash, row.csrf_token)


def close_session(session: Session, credentials: Credentials) -> None:
    """Log out: the session row goes, the audit log says so."""
    delete_session(session, credentials.key)
    username = credentials.user.username
    audit.record(session, username, "auth.logout", _subject(username))


def issue_token(
    session: Session, user: User, settings: Settings, *, label: str, ip: str | None = None
) -> tuple[str, DeviceTokenRow]:
    """A new device token (shown once) and its row."""
    if is_tally(label):
        raise ServiceError(422, "text.vote_counts_refused")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    row = DeviceTokenRow(
        token_hash=digest(token),
        user_id=user.id,
        label=label,
        created_at=now,
        expires_at=now + timedelta(days=settings.device_token_days),
        revoked_at=None,
    )
    session.add(row)
    session.flush()
    payload = {"token_id": row.id, "label": label, "ip": ip}
    audit.record(session, user.username, "auth.token_issued", _subject(user.username), payload)
    return token, row


def token_credentials(session: Session, token: str) -> Credentials | None:
    """Who holds this bearer token, unless it is unknown, expired or revoked, or his account
    disabled."""
    row = token_holder(session, digest(token))
    if row is None:
        return None
    expires_at = utc(row.expires_at)
    if row.revoked_at is not None or expires_at <= datetime.now(UTC) or not row.active:
        return None
    user = User(row.id, row.username, Role(row.role), row.scope_code, row.display_name, row.nrp,
                row.active)
    return Credentials(user, "bearer", str(row.token_id), expires_at=expires_at)


def revoke_token(session: Session, token_id: int, actor: User) -> None:
    """Revoke a device token: its owner, an admin or the command may (a lost phone)."""
    row = session.get(DeviceTokenRow, token_id)
    if row is None:
        raise ServiceError(404, "auth.token_unknown", id=token_id)
    if row.user_id != actor.id and actor.role not in (Role.ADMIN, Role.COMMAND):
        raise ServiceError(403, "auth.forbidden")
    if row.revoked_at is None:
        row.revoked_at = datetime.now(UTC)
        audit.record(session, actor.username, "auth.token_revoked", f"token:{token_id}")

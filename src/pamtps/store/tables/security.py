"""The tables of the command service's security: users, sessions, device tokens, the audit log.

Secrets never lie in the database in the clear: passwords are argon2 hashes, and session ids and
device tokens are stored as their SHA-256 (a stolen table opens no session). The audit log is
append-only and chained by hashes (``pamtps.ops.audit``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from pamtps.store.tables.reference import CODE, KIND, NAME, Base

DIGEST = String(64)
"""A SHA-256 in hex."""


class UserRow(Base):
    """A person who logs in. ``scope_code`` says what he sees; its meaning depends on ``role``."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(CODE, unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(KIND)
    scope_code: Mapped[str | None] = mapped_column(CODE)
    display_name: Mapped[str] = mapped_column(NAME)
    nrp: Mapped[str | None] = mapped_column(CODE)
    active: Mapped[bool]
    # Read no more: failed logins are counted in ``auth_failures`` (``pamtps.ops.lockout``).
    failed_attempts: Mapped[int]
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime]


class WebSessionRow(Base):
    """A browser session: the cookie holds a random id, the row its SHA-256."""

    __tablename__ = "web_sessions"

    id_hash: Mapped[str] = mapped_column(DIGEST, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(DIGEST)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class DeviceTokenRow(Base):
    """A bearer token of a device (an officer's phone); revoked, never deleted."""

    __tablename__ = "device_tokens"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(DIGEST, unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(NAME)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class AuditRow(Base):
    """One audit entry. ``id`` is given by the writer (previous + 1), never by a sequence, so a
    rolled-back transaction leaves no gap and a gap always means a removed row."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(CODE)
    action: Mapped[str] = mapped_column(KIND)
    subject: Mapped[str] = mapped_column(NAME)
    payload: Mapped[dict[str, Any]]
    prev_hash: Mapped[str] = mapped_column(DIGEST)
    hash: Mapped[str] = mapped_column(DIGEST)


class FailureRow(Base):
    """One failed attempt, counted by the throttles (``pamtps.ops.lockout``,
    ``pamtps.ops.liaison.throttle``): a wrong password or a wrong invite code.

    ``account`` and ``source`` are SHA-256 digests (of the username or the code's first half, and
    of the client's address), so the table lists no typed names or codes in the clear. Rows
    older than their throttle's window are deleted as new ones come.
    """

    __tablename__ = "auth_failures"
    __table_args__ = (
        Index("ix_auth_failures_kind_at", "kind", "at"),
        Index("ix_auth_failures_kind_account_at", "kind", "account", "at"),
        Index("ix_auth_failures_kind_source_at", "kind", "source", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(KIND)
    account: Mapped[str] = mapped_column(DIGEST)
    source: Mapped[str] = mapped_column(DIGEST)
    at: Mapped[datetime]

"""Users and roles: who may log in, with which role, over which part of the regency.

| role | scope_code | sees |
|---|---|---|
| admin | none | everything; manages users |
| command | none | the whole regency (Kapolres, Kabag Ops) |
| polsek | Polsek unit code | the kecamatan of its sector |
| padal | kecamatan code | that kecamatan |
| officer | his NRP | his own order and post |
| viewer | none | everything, read only (Polda) |
| liaison | TPS code | that TPS (reserved for the KPPS liaison, later) |

Passwords are hashed with argon2id; ``hasher`` is a module attribute so tests can make it cheap.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from pamtps.ops import audit, lockout
from pamtps.ops.errors import ServiceError
from pamtps.ops.textguard import is_tally
from pamtps.store import Session, security
from pamtps.store.tables.security import UserRow

hasher = PasswordHasher()

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,63}")
MIN_PASSWORD_LENGTH = 8


class Role(enum.StrEnum):
    ADMIN = "admin"
    COMMAND = "command"
    POLSEK = "polsek"
    PADAL = "padal"
    OFFICER = "officer"
    VIEWER = "viewer"
    LIAISON = "liaison"

    @classmethod
    def parse(cls, value: str) -> Role:
        """The role named ``value``; ServiceError(422) if there is none."""
        try:
            return cls(value)
        except ValueError:
            raise ServiceError(422, "users.role_unknown", role=value) from None

    @property
    def can_write(self) -> bool:
        """Everyone but the viewer may change something (each within his scope)."""
        return self is not Role.VIEWER


# Whether what a role's scope_code names is stored (none for the roles without a scope).
_SCOPE_EXISTS: dict[Role, Callable[[Session, str], bool]] = {
    Role.POLSEK: security.polsek_exists,
    Role.PADAL: security.kecamatan_exists,
    Role.OFFICER: security.officer_exists,
    Role.LIAISON: security.tps_exists,
}
SCOPED_ROLES = frozenset(_SCOPE_EXISTS)


@dataclass(frozen=True, slots=True)
class User:
    """A logged-in user as the service passes him around (never his password hash)."""

    id: int
    username: str
    role: Role
    scope_code: str | None
    display_name: str
    nrp: str | None
    active: bool = True

    @classmethod
    def from_row(cls, row: UserRow) -> User:
        return cls(
            row.id, row.username, Role(row.role), row.scope_code, row.display_name, row.nrp,
            row.active,
        )


def hash_password(password: str) -> str:
    return hasher.hash(password)


@cache
def _dummy_hash() -> str:
    return hasher.hash("no such user: the same work as a real check")


def check_password(password_hash: str | None, password: str) -> bool:
    """Whether the password matches; with no hash, still does the work of one check (timing)."""
    try:
        return hasher.verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def find_user(session: Session, username: str) -> UserRow | None:
    return security.find_user(session, username)


def list_users(session: Session) -> list[User]:
    """Every user, in the order they were added."""
    return [User.from_row(row) for row in security.users_in_order(session)]


def check_scope(session: Session, role: Role, scope_code: str | None) -> None:
    """Raise ServiceError(422) unless the scope fits the role and names something stored."""
    if role not in SCOPED_ROLES:
        if scope_code:
            raise ServiceError(422, "users.scope_not_allowed", role=role.value)
        return
    if not scope_code:
        raise ServiceError(422, "users.scope_required", role=role.value)
    if not _SCOPE_EXISTS[role](session, scope_code):
        raise ServiceError(422, "users.scope_unknown", role=role.value, scope=scope_code)


def _check_credentials(username: str, password: str) -> None:
    if not USERNAME.fullmatch(username):
        raise ServiceError(422, "users.username_invalid", username=username)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ServiceError(422, "users.password_too_short", length=MIN_PASSWORD_LENGTH)


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: Role,
    actor: str,
    scope_code: str | None = None,
    display_name: str = "",
    nrp: str | None = None,
) -> User:
    """Add a user (audited as ``user.created``); an officer's NRP defaults to his scope."""
    _check_credentials(username, password)
    if is_tally(display_name):  # the CLI's way in; the API's body type refuses it first
        raise ServiceError(422, "text.vote_counts_refused")
    check_scope(session, role, scope_code)
    if find_user(session, username) is not None:
        raise ServiceError(409, "users.username_taken", username=username)
    row = UserRow(
        username=username,
        password_hash=hash_password(password),
        role=role.value,
        scope_code=scope_code or None,
        display_name=display_name or username,
        nrp=nrp or (scope_code if role is Role.OFFICER else None),
        active=True,
        failed_attempts=0,
        locked_until=None,
        created_at=datetime.now(UTC),
    )
    session.add(row)
    session.flush()
    user = User.from_row(row)
    audit.record(session, actor, "user.created", f"user:{username}", _describe(user))
    return user


def reset_user(session: Session, row: UserRow, *, password: str, role: Role,
               scope_code: str | None, actor: str) -> User:
    """Give an existing user a new password, role and scope, and unlock him (``user.reset``)."""
    _check_credentials(row.username, password)
    check_scope(session, role, scope_code)
    row.password_hash = hash_password(password)
    row.role, row.scope_code = role.value, scope_code
    row.active, row.failed_attempts, row.locked_until = True, 0, None
    lockout.forget(session, row.username)  # from every address
    user = User.from_row(row)
    audit.record(session, actor, "user.reset", f"user:{row.username}", _describe(user))
    return user


def _describe(user: User) -> dict[str, object]:
    return {"role": user.role.value, "scope": user.scope_code, "nrp": user.nrp}

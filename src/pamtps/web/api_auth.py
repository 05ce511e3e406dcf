"""The core of the JSON API (``/api/v1``): device tokens, the caller, users, audit verification.

Schemas here are the API's own (``...In``/``...Out``), separate from the domain types. Errors
answer ``{"detail": {"code": "auth.invalid_credentials", "message": "..."}}`` in the caller's
language.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from pamtps.ops import audit, lockout
from pamtps.ops.errors import ServiceError
from pamtps.ops.inputs import CODE_LENGTH, NAME_LENGTH, Id, Text
from pamtps.ops.sessions import authenticate, issue_token, revoke_token
from pamtps.ops.textguard import FreeText
from pamtps.ops.users import Role, User, create_user, list_users
from pamtps.store import Database
from pamtps.web.auth import (
    AppSettings,
    CurrentUser,
    DbSession,
    WriteUser,
    get_database,
    require_roles,
)
from pamtps.web.core import API_PREFIX, client_ip

router = APIRouter(prefix=API_PREFIX)

Admin = Annotated[User, Depends(require_roles(Role.ADMIN))]
Overseer = Annotated[User, Depends(require_roles(Role.ADMIN, Role.COMMAND, Role.VIEWER))]


class TokenIn(BaseModel):
    username: Text = Field(max_length=CODE_LENGTH)
    password: Text = Field(max_length=1024)
    label: FreeText = Field(
        "device", max_length=NAME_LENGTH, description="Which device, e.g. 'HP Bripka Andi'"
    )


class TokenOut(BaseModel):
    access_token: str = Field(description="Send as 'Authorization: Bearer <token>'; shown once")
    token_type: Literal["bearer"] = "bearer"
    token_id: int
    expires_at: datetime


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    username: str
    role: Role
    scope_code: str | None
    display_name: str
    nrp: str | None
    active: bool


class UserIn(BaseModel):
    username: Text = Field(max_length=CODE_LENGTH)
    password: Text = Field(max_length=1024)
    role: Role
    scope_code: Text | None = Field(None, max_length=CODE_LENGTH)
    display_name: FreeText = Field("", max_length=NAME_LENGTH)
    nrp: Text | None = Field(None, max_length=CODE_LENGTH)


class AuditVerifyOut(BaseModel):
    ok: bool
    rows: int
    head_hash: str | None
    bad_id: int | None
    reason: str | None


@router.post("/auth/token", tags=["auth"])
def issue_device_token(
    body: TokenIn,
    request: Request,
    settings: AppSettings,
    database: Annotated[Database, Depends(get_database)],
) -> TokenOut:
    """Log a device in: a bearer token for the user, valid ``device_token_days``."""
    ip, username = client_ip(request), body.username.strip().lower()
    lockout.hold_back(database, username, settings)
    with database.session() as session:  # committed even when refused: failures are counted
        result = authenticate(session, username, body.password, settings, via="token", ip=ip)
        if isinstance(result, User):
            token, row = issue_token(session, result, settings, label=body.label, ip=ip)
    if isinstance(result, ServiceError):
        raise result
    return TokenOut(access_token=token, token_id=row.id, expires_at=row.expires_at)


@router.delete("/auth/tokens/{token_id}", status_code=204, tags=["auth"])
def revoke_device_token(token_id: Id, user: WriteUser, session: DbSession) -> Response:
    """Revoke a device token: its owner may, and the admin or the command (a lost phone)."""
    revoke_token(session, token_id, user)
    return Response(status_code=204)


@router.get("/auth/me", tags=["auth"])
def who_am_i(user: CurrentUser) -> UserOut:
    """The calling user."""
    return UserOut.model_validate(user)


@router.get("/users", tags=["users"])
def users(user: Overseer, session: DbSession) -> list[UserOut]:
    """Every user (admin, command, viewer)."""
    return [UserOut.model_validate(found) for found in list_users(session)]


@router.post("/users", status_code=201, tags=["users"])
def add_user(body: UserIn, admin: Admin, session: DbSession) -> UserOut:
    """Create a user (admin only); the scope must fit the role (see ``pamtps users add``)."""
    user = create_user(
        session, username=body.username, password=body.password, role=body.role,
        actor=admin.username, scope_code=body.scope_code, display_name=body.display_name,
        nrp=body.nrp,
    )
    return UserOut.model_validate(user)


@router.get("/audit/verify", tags=["audit"])
def verify_audit(user: Overseer, session: DbSession) -> AuditVerifyOut:
    """Check the audit log's hash chain (admin, command, viewer)."""
    result = audit.verify(session)
    return AuditVerifyOut(**asdict(result))

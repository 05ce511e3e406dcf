"""The liaison and incident API (``/api/v1``) and the liaison's page (``/liaison``).

Every write but the redemption carries an ``Idempotency-Key`` header (400 without) and is applied
once (``incidents.once``); a body that carries vote counts is refused (422) before anything else.
Redeeming a code needs no login; wrong codes are throttled per code, per address and in all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from pamtps.documents.liaison_sheet import SheetTps, sheet_pdf
from pamtps.ops import audit
from pamtps.ops.channels import HEADER, client_channel
from pamtps.ops.errors import ServiceError
from pamtps.ops.escort.chain import BOXES
from pamtps.ops.field.runtime import runtime_of as field_runtime_of
from pamtps.ops.idempotency import check_key, request_hash
from pamtps.ops.incidents import photos, queries, workflow
from pamtps.ops.incidents.once import Written, write_once
from pamtps.ops.incidents.reports import IncidentIn, StepIn, report_incident, take_step
from pamtps.ops.inputs import CODE_LENGTH, NAME_LENGTH, Id, Text
from pamtps.ops.liaison import codes, throttle
from pamtps.ops.people import people_names, tps_name
from pamtps.ops.scope import Scope
from pamtps.ops.sessions import issue_token, open_session
from pamtps.ops.textguard import FreeText
from pamtps.ops.tps_detail import page_zone, zone_config
from pamtps.ops.users import Role, User
from pamtps.settings import Environment, Settings
from pamtps.store import Session
from pamtps.store import liaison as stored
from pamtps.store.tables.incidents import LiaisonCodeRow
from pamtps.web.api_field import FieldScope, _body_doc, _payload, _validated
from pamtps.web.auth import (
    SESSION_COOKIE,
    CurrentScope,
    DbSession,
    WriteUser,
    current_credentials,
    get_database,
    require_roles,
)
from pamtps.web.core import API_PREFIX, client_ip, render
from pamtps.web.dashboard import messages

router = APIRouter()

Issuer = Annotated[User, Depends(require_roles(Role.COMMAND, Role.POLSEK))]
Handler = Annotated[User, Depends(require_roles(Role.COMMAND, Role.POLSEK, Role.PADAL))]
IdempotencyKey = Annotated[
    str | None, Header(alias="Idempotency-Key", description="One per write; required")
]


class CodesIn(BaseModel):
    """Which TPS get new codes: listed, or every TPS of a desa; for which holders."""

    tps: list[Annotated[Text, Field(max_length=CODE_LENGTH)]] = Field(
        default_factory=list, max_length=500
    )
    desa: Text | None = Field(None, max_length=CODE_LENGTH)
    holders: list[Annotated[Text, Field(max_length=CODE_LENGTH)]] = Field(
        default_factory=lambda: list(codes.HOLDERS), max_length=10
    )


class RedeemIn(BaseModel):
    code: Text = Field(max_length=32, description="As printed, e.g. 'ABCD-EFGH'")
    name: FreeText = Field("", max_length=NAME_LENGTH, description="The official's name")
    label: FreeText = Field("HP liaison", max_length=NAME_LENGTH)
    session: bool = Field(False, description="Log this browser in (cookie) instead of a token")


def _secret(request: Request) -> bytes:
    return bytes(request.app.state.settings.secret_key.get_secret_value().encode())


async def _write(
    request: Request, user: User, key: str | None, payload: Any,
    apply: Callable[[Session, datetime], Written],
) -> JSONResponse:
    """Apply a write once under the caller's key; publish its events; answer it."""
    key = check_key(key)
    digest = request_hash("POST", request.url.path, payload)
    now = datetime.now(UTC)
    database = request.app.state.database
    written = await run_in_threadpool(
        write_once, database, f"user:{user.id}", key, digest, now,
        lambda session: apply(session, now),
    )
    broker = field_runtime_of(request.app).broker
    for event in written.events:
        broker.publish(event)
    headers = {"Idempotent-Replayed": "true"} if written.replayed else {}
    return JSONResponse(written.body, written.status, headers=headers)


# Liaison codes.


def _visible_code(session: Session, scope: Scope, code_id: Id) -> LiaisonCodeRow:
    row = session.get(LiaisonCodeRow, code_id)
    if row is None or not scope.can_see_tps(row.tps_code):
        raise ServiceError(404, "liaison.code_not_found", id=code_id)
    return row


def _scoped_tps(session: Session, scope: Scope, tps: list[str], desa: str | None) -> list[str]:
    wanted = codes.tps_codes_of(session, tps, desa)
    if not wanted:
        raise ServiceError(422, "liaison.tps_required")
    hidden = [code for code in wanted if not scope.can_see_tps(code)]
    if hidden:
        raise ServiceError(403, "liaison.tps_not_yours", tps=", ".join(hidden))
    return wanted


@router.post(f"{API_PREFIX}/liaison/codes", status_code=201, tags=["liaison"],
             openapi_extra=_body_doc(CodesIn))
async def issue_codes(
    request: Request, user: Issuer, scope: CurrentScope, key: IdempotencyKey = None
) -> JSONResponse:
    """New invite codes (KPPS chair, Pengawas TPS) for TPS or a desa; the old ones are revoked."""
    payload = await _payload(request)
    body = _validated(CodesIn, payload)
    secret = _secret(request)

    def apply(session: Session, now: datetime) -> Written:
        wanted = _scoped_tps(session, scope, body.tps, body.desa)
        rows = codes.issue_codes(session, wanted, body.holders, secret, user.username, now)
        return Written(201, {"codes": [codes.code_json(row) for row in rows]})

    return await _write(request, user, key, payload, apply)


@router.post(f"{API_PREFIX}/liaison/codes/{{code_id}}/revoke", tags=["liaison"])
async def revoke_code(
    code_id: Id, request: Request, user: Issuer, scope: CurrentScope, key: IdempotencyKey = None
) -> JSONResponse:
    """Revoke a code; the account opened with it is disabled."""

    def apply(session: Session, now: datetime) -> Written:
        row = _visible_code(session, scope, code_id)
        codes.revoke_code(session, row, user.username, now)
        return Written(200, codes.code_json(row))

    return await _write(request, user, key, {"code_id": code_id}, apply)


@router.get(f"{API_PREFIX}/liaison/codes", tags=["liaison"])
def list_codes(
    request: Request, user: Issuer, scope: CurrentScope, session: DbSession,
    tps: str | None = None, desa: str | None = None,
) -> Any:
    """The codes of the TPS the caller oversees (optionally one TPS or desa); active ones with
    their text."""
    wanted = codes.tps_codes_of(session, [tps] if tps else [], desa) if tps or desa else None
    secret = _secret(request)
    rows = [
        row for row in stored.listed_codes(session, wanted) if scope.can_see_tps(row.tps_code)
    ]
    listed = [codes.code_json(row, secret) for row in rows]
    people = people_names(session, {code["issued_by"] for code in listed if code.get("issued_by")})
    return {"codes": listed, "people": people}


@router.get(f"{API_PREFIX}/liaison/sheet", tags=["liaison"], response_class=Response)
def code_sheet(
    request: Request, user: Issuer, scope: CurrentScope, session: DbSession,
    tps: Annotated[list[str], Query()] = [],  # noqa: B006  (FastAPI copies the default)
    desa: str | None = None,
) -> Response:
    """The printable PDF of the active, unused codes of TPS or a desa (with QR codes)."""
    wanted = _scoped_tps(session, scope, tps, desa)
    secret = _secret(request)
    found: dict[str, dict[str, str]] = {}
    for row in stored.printable_codes(session, wanted):
        found.setdefault(row.tps_code, {})[row.holder] = codes.code_of(row, secret)
    names = stored.area_names(session)
    entries = [
        SheetTps(tps_row.code, f"TPS {tps_row.number:03d} {names.get(tps_row.desa_code, '')}"
                 f" ({tps_row.code})", found[tps_row.code])
        for tps_row in stored.tps_rows(session, sorted(found))
    ]
    base = str(request.base_url).rstrip("/")
    content = sheet_pdf(entries, base, "Kode akses KPPS dan Pengawas TPS - PamTPS")
    headers = {"Content-Disposition": 'attachment; filename="kode-liaison.pdf"'}
    return Response(content, media_type="application/pdf", headers=headers)


def _open_liaison(
    session: Session, row: LiaisonCodeRow, body: RedeemIn, settings: Settings,
    address: str | None,
    now: datetime,
) -> tuple[dict[str, Any], str | None]:
    """Redeem the code's row: the answer, and the session cookie if ``body.session``."""
    user = codes.redeem_code(session, row, body.name, now)
    answer: dict[str, Any] = {
        "username": user.username, "tps_code": row.tps_code, "holder": row.holder,
        "display_name": user.display_name,
    }
    if body.session:
        hours = settings.liaison_session_hours  # through the night of the handover
        cookie, csrf = open_session(session, user, settings, hours)
        return answer | {"csrf_token": csrf}, cookie
    token, token_row = issue_token(session, user, settings, label=body.label, ip=address)
    return answer | {"access_token": token, "token_type": "bearer",
                     "expires_at": token_row.expires_at.isoformat()}, None


@router.post(f"{API_PREFIX}/liaison/redeem", status_code=201, tags=["liaison"])
def redeem(body: RedeemIn, request: Request, response: Response) -> Any:
    """Redeem an invite code: a liaison account limited to its TPS, with a device token (or, with
    ``session``, this browser logged in). No login needed; wrong codes are throttled per code,
    per address and in all (``pamtps.ops.liaison.throttle``)."""
    address = client_ip(request)
    now = datetime.now(UTC)
    settings = request.app.state.settings
    # A wrong code is counted and committed, then refused: the refusal is raised after the block.
    with request.app.state.database.session() as session:
        refused = throttle.refusal(session, body.code, address, settings.incident, now)
        row = None if refused else codes.find_code(session, body.code, _secret(request))
        if refused is None and (row is None or row.revoked_at is not None):
            throttle.fail(session, body.code, address, settings.incident, now)
            key = "liaison.code_invalid" if row is None else "liaison.code_revoked"
            refused = ServiceError(404 if row is None else 410, key)
        if refused is None and row is not None:
            answer, cookie = _open_liaison(session, row, body, settings, address, now)
    if refused is not None:
        raise refused
    if cookie is not None:
        response.set_cookie(
            SESSION_COOKIE, cookie, max_age=int(settings.liaison_session_hours * 3600),
            httponly=True, samesite="lax",
            secure=settings.environment is Environment.PRODUCTION, path="/",
        )
    return answer


@router.get("/liaison", response_class=HTMLResponse, include_in_schema=False)
async def liaison_page(request: Request, code: str = "") -> HTMLResponse:
    """The liaison's phone page: redeem a code, then report and follow problems at his TPS."""
    try:
        user: User | None = (await current_credentials(request)).user
    except ServiceError:
        user = None
    liaison = user if user is not None and user.role is Role.LIAISON else None
    shown_tps, zone = "", None
    if liaison is not None and liaison.scope_code:
        with get_database(request).session() as session:
            shown_tps = tps_name(session, liaison.scope_code)
            zone = zone_config(page_zone(session))
    config = {"tps_code": liaison.scope_code if liaison else None, "zone": zone,
              "messages": messages(request, "liaison.", "incident.", "page.", "name.")}
    context = {"liaison": liaison, "tps_name": shown_tps, "code": code,
               "categories": list(workflow.CATEGORIES),
               "severities": list(workflow.SEVERITIES), "boxes": BOXES, "page_script": "liaison.js",
               "config": config}
    return render(request, "liaison.html", context)


# Incidents.


@router.post(f"{API_PREFIX}/incidents", status_code=201, tags=["incidents"],
             openapi_extra=_body_doc(IncidentIn))
async def report(
    request: Request, user: WriteUser, scope: FieldScope, key: IdempotencyKey = None
) -> JSONResponse:
    """Report a problem at a TPS the caller covers (an officer's post, a liaison's TPS); the same
    problem reported again while open joins the first report (200, ``merged``)."""
    payload = await _payload(request)
    body = _validated(IncidentIn, payload)
    channel = client_channel(request.headers.get(HEADER))

    def apply(session: Session, now: datetime) -> Written:
        reported = report_incident(session, user, scope, body, now, channel)
        row, change = reported.incident, "merged" if reported.merged else "reported"
        answer = queries.incident_json(row) | {"merged": reported.merged}
        audit.record(session, user.username, f"incident.{change}", f"incident:{row.id}",
                     body.model_dump(mode="json") | {"merged": reported.merged,
                                                     "channel": channel})
        return Written(200 if reported.merged else 201, answer,
                       [queries.incident_event(row, change)])

    return await _write(request, user, key, payload, apply)


@router.get(f"{API_PREFIX}/incidents", tags=["incidents"])
def incidents(
    scope: FieldScope, session: DbSession, status: str | None = None,
    category: str | None = None, severity: str | None = None, tps: str | None = None,
    level: str | None = None, sector: str | None = None, open: bool = False,
) -> Any:
    """The incidents the caller sees, newest first; filters combine."""
    rows = queries.list_incidents(
        session, scope, open_only=open, status=status, category=category, severity=severity,
        tps_code=tps, level=level, sector=sector,
    )
    return {"count": len(rows), "incidents": [queries.incident_json(row) for row in rows]}


@router.get(f"{API_PREFIX}/incidents/{{incident_id}}", tags=["incidents"])
def incident(incident_id: Id, scope: FieldScope, session: DbSession) -> Any:
    """One incident with its trail: reports, workflow steps, photos; ``people`` names each
    reporter and actor (username -> name as a page shows it)."""
    detail = queries.incident_detail(session, queries.visible_incident(session, scope, incident_id))
    who = [detail["reported_by"], *(r["reported_by"] for r in detail["trail"]),
           *(s["actor"] for s in detail["steps"])]
    return detail | {"people": people_names(session, who)}


@router.post(f"{API_PREFIX}/incidents/{{incident_id}}/transition", tags=["incidents"],
             openapi_extra=_body_doc(StepIn))
async def transition(
    incident_id: Id, request: Request, user: Handler, scope: CurrentScope,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """The next step: verified, handled (with its owner), resolved, referred_bawaslu or
    referred_kpu; any other is refused (409) with the steps allowed."""
    payload = await _payload(request)
    body = _validated(StepIn, payload)

    def apply(session: Session, now: datetime) -> Written:
        row = queries.visible_incident(session, scope, incident_id)
        step = take_step(session, row, body, user.username, now)
        audit.record(session, user.username, f"incident.{step.to_status}",
                     f"incident:{row.id}", body.model_dump() | {"from": step.from_status})
        return Written(200, queries.incident_json(row), [queries.incident_event(row, body.to)])

    return await _write(request, user, key, payload, apply)


@router.post(
    f"{API_PREFIX}/incidents/{{incident_id}}/photos", status_code=201, tags=["incidents"],
    openapi_extra={"requestBody": {"required": True, "content": {
        media: {"schema": {"type": "string", "format": "binary"}} for media in photos.EXTENSIONS
    }}},
)
async def add_photo(
    incident_id: Id, request: Request, user: WriteUser, scope: FieldScope,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Attach a photo (the raw JPEG, PNG or WebP as the body, at most 5 MB)."""
    check_key(key)
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > photos.MAX_PHOTO_BYTES:
            break
    data_dir = request.app.state.settings.data_dir
    with request.app.state.database.session() as session:
        queries.visible_incident(session, scope, incident_id)  # 404 before storing anything
    sha256, kind = await run_in_threadpool(photos.save_photo, data_dir, bytes(data))

    def apply(session: Session, now: datetime) -> Written:
        row = queries.visible_incident(session, scope, incident_id)
        photo = photos.add_photo(session, row, sha256, kind, len(data), user.username, now)
        answer = {"incident_id": row.id, "n": photo.n, "media_type": kind, "size": photo.size,
                  "sha256": sha256, "url": f"{API_PREFIX}/incidents/{row.id}/photos/{photo.n}"}
        audit.record(session, user.username, "incident.photo", f"incident:{row.id}", answer)
        return Written(201, answer, [queries.incident_event(row, "photo")])

    return await _write(request, user, key, {"sha256": sha256}, apply)


@router.get(f"{API_PREFIX}/incidents/{{incident_id}}/photos/{{n}}", tags=["incidents"],
            response_class=FileResponse)
def photo(incident_id: Id, n: Id, request: Request, scope: FieldScope,
          session: DbSession) -> FileResponse:
    """A photo of an incident the caller sees."""
    queries.visible_incident(session, scope, incident_id)
    row = photos.find_photo(session, incident_id, n)
    path = photos.photo_path(request.app.state.settings.data_dir, row.sha256, row.media_type)
    if not path.exists():
        raise ServiceError(404, "incidents.photo_not_found", id=incident_id, n=n)
    return FileResponse(path, media_type=row.media_type,
                        headers={"Cache-Control": "private, max-age=3600"})

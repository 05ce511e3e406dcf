"""The response API (``/api/v1``): reserve and dispatch, ballot-box escort, situation reports.

Escort writes carry an ``Idempotency-Key`` (400 without), as every write from the field does; a
dispatch may. A refused handover (seals that differ, PPK before PPS) answers 409 and still raises
its alert to the command, in a transaction of its own; the command (or the Polsek, the Padal of
the area) closes that flag with a note, audited as ``alert.closed``. Changes are published as live
events (``dispatch``, ``escort``, ``alert``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from pamtps.ops import audit
from pamtps.ops import idempotency as once
from pamtps.ops.dispatch import orders
from pamtps.ops.dispatch.places import incident_site, reserve_map
from pamtps.ops.errors import ServiceError
from pamtps.ops.escort import records
from pamtps.ops.escort.alerts import close_flag, flag
from pamtps.ops.escort.chain import Refusal
from pamtps.ops.event_filter import escort_view
from pamtps.ops.events import Event
from pamtps.ops.field import live_state as state
from pamtps.ops.field.runtime import alert_event, runtime_of
from pamtps.ops.idempotency import check_key, request_hash, write_transaction
from pamtps.ops.inputs import CODE_LENGTH, KIND_LENGTH, NAME_LENGTH, NOTE_LENGTH, Id, Moment, Text
from pamtps.ops.people import people_names
from pamtps.ops.scope import Scope, kecamatan_of_tps
from pamtps.ops.sitrep.runtime import ops_settings
from pamtps.ops.sitrep.store import make_sitrep, sitrep_json
from pamtps.ops.textguard import FreeText
from pamtps.ops.times import reported_time
from pamtps.ops.users import Role, User
from pamtps.store import response as store
from pamtps.store.errors import DuplicateRecord
from pamtps.store.tables.response import SitrepRow
from pamtps.web.auth import CurrentScope, CurrentUser, DbSession, require_roles
from pamtps.web.core import API_PREFIX

router = APIRouter(prefix=API_PREFIX, tags=["operations"])

Commander = Annotated[User, Depends(require_roles(Role.COMMAND))]
Reporter = Annotated[User, Depends(require_roles(Role.ADMIN, Role.COMMAND))]
Supervisor = Annotated[
    User, Depends(require_roles(Role.ADMIN, Role.COMMAND, Role.POLSEK, Role.PADAL, Role.VIEWER))
]
Overseer = Annotated[User, Depends(require_roles(Role.ADMIN, Role.COMMAND, Role.VIEWER))]
EscortWriter = Annotated[User, Depends(require_roles(Role.OFFICER, Role.LIAISON))]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key")]
FlagCloser = Annotated[User, Depends(require_roles(Role.COMMAND, Role.POLSEK, Role.PADAL))]


NOTE_LIMIT = 500
"""The alerts a person closes: a refused handover. The others resolve themselves."""


SealKey = Annotated[Text, Field(max_length=KIND_LENGTH)]
SealValue = Annotated[FreeText, Field(max_length=CODE_LENGTH)]


class DispatchIn(BaseModel):
    unit: Id | Annotated[Text, Field(max_length=CODE_LENGTH)] = Field(
        description="The reserve unit's id or code"
    )
    incident: Id
    override_reason: FreeText | None = Field(
        None, max_length=NOTE_LENGTH, description="Needed to go below the floor"
    )


class DispatchStatusIn(BaseModel):
    status: Text = Field(
        max_length=KIND_LENGTH, description="on_scene, returning, then available (back at base)"
    )


class SealsIn(BaseModel):
    seals: dict[SealKey, SealValue] = Field(
        max_length=10, description="ppwp, dpr, dpd, dprd_prov, dprd_kab -> seal"
    )
    at: Moment | None = None


class HandoverIn(SealsIn):
    leg: Text = Field(max_length=KIND_LENGTH, description="pps (TPS -> PPS) or ppk (PPS -> PPK)")
    side: Text = Field(max_length=KIND_LENGTH, description="officer or receiver")
    receiver_name: FreeText | None = Field(None, max_length=NAME_LENGTH)


class CloseFlagIn(BaseModel):
    # The route says when a note is too long (NOTE_LIMIT); this bound only keeps a huge one out.
    note: FreeText = Field(
        "", max_length=NOTE_LENGTH,
        description=f"Why the flag is closed (1..{NOTE_LIMIT} characters)",
    )


def _now() -> datetime:
    return datetime.now(UTC)


# Reserve and dispatch.


@router.get("/reserve")
def reserve(request: Request, user: Supervisor, session: DbSession) -> Any:
    """The reserve units of the plan in force with their status and the floor."""
    found = reserve_map(session)
    rows = orders.units(session, found, _now(), ops_settings(request.app).squad_size)
    return orders.reserve_json(rows, found.stored.operation.reserve.floor)


@router.get("/incidents/{incident_id}/recommendation")
def recommendation(
    incident_id: Id, request: Request, user: Supervisor, scope: CurrentScope, session: DbSession
) -> Any:
    """The nearest available reserve units by ETA; the first that keeps the floor recommended."""
    site = incident_site(session, incident_id)
    if not scope.can_see_tps(site.tps_code):
        raise ServiceError(404, "dispatch.incident_not_found", id=incident_id)
    squad = ops_settings(request.app).squad_size
    return orders.recommendation(session, reserve_map(session), site, _now(), squad)


@router.get("/incidents/{incident_id}/dispatches")
def incident_dispatches(
    incident_id: Id, user: Supervisor, scope: CurrentScope, session: DbSession
) -> Any:
    """The units sent to an incident, newest first, with their ETA and status."""
    site = incident_site(session, incident_id)
    if not scope.can_see_tps(site.tps_code):
        raise ServiceError(404, "dispatch.incident_not_found", id=incident_id)
    rows = store.incident_dispatches(session, site.id)
    code_of = store.unit_codes(session)
    listed = [orders.dispatch_json(row, code_of.get(row.unit_id, "?"), site) for row in rows]
    return {"count": len(listed), "dispatches": listed}


def _publish_dispatch(request: Request, body: dict[str, Any]) -> None:
    event = Event("dispatch", body, (body["tps_code"],), body["sector"], body["kecamatan"])
    runtime_of(request.app).broker.publish(event)


@router.post("/dispatches", status_code=201)
def create_dispatch(
    body: DispatchIn,
    request: Request,
    user: Commander,
    session: DbSession,
    key: IdempotencyKey = None,
) -> Any:
    """Send a unit; below the floor only with ``override_reason`` (audited)."""
    actor, now = f"ops:{user.id}", _now()
    if key is not None:
        digest = request_hash("POST", request.url.path, body.model_dump(mode="json"))
        replay = once.claim(session, actor, check_key(key), digest, now)
        if replay:
            return JSONResponse(replay[1], replay[0], headers={"Idempotent-Replayed": "true"})
    _, answer = orders.dispatch(
        session,
        reserve_map(session),
        unit=body.unit,
        incident_id=body.incident,
        actor=user.username,
        now=now,
        override_reason=body.override_reason,
        squad_size=ops_settings(request.app).squad_size,
    )
    if key is not None:
        once.remember(session, actor, key, 201, answer)
    session.commit()
    _publish_dispatch(request, answer)
    return answer


@router.post("/dispatches/{dispatch_id}/status")
def dispatch_status(
    dispatch_id: Id,
    body: DispatchStatusIn,
    request: Request,
    user: Commander,
    session: DbSession,
) -> Any:
    """The unit's next status: on_scene, returning, available (back; the dispatch closes)."""
    _, answer = orders.set_status(session, dispatch_id, body.status, user.username, _now())
    session.commit()
    _publish_dispatch(request, answer)
    return answer


# Escort.


def _escort_scope(request: Request, user: User, scope: Scope) -> Scope:
    return (
        state.officer_scope(request.app.state.database, user)
        if user.role is Role.OFFICER
        else scope
    )


def _may_escort(request: Request, user: User, tps_code: str, side: str = "officer") -> None:
    """An officer on the TPS's post (either side), or the TPS's liaison (receiver side)."""
    if user.role is Role.LIAISON:
        allowed = user.scope_code == tps_code and side == "receiver"
    else:
        allowed = state.officer_scope(request.app.state.database, user).can_see_tps(tps_code)
    if not allowed:
        raise ServiceError(403, "escort.not_yours", tps=tps_code)


def _escort_write(
    request: Request, user: User, key: str | None, body: BaseModel, apply: Any
) -> JSONResponse:
    """Apply an escort write once under its key; publish it; flag a refused handover."""
    key, now = check_key(key), _now()
    actor = f"ops:{user.id}"
    digest = request_hash("POST", request.url.path, body.model_dump(mode="json"))
    database = request.app.state.database
    try:
        for attempt in (1, 2):  # a twin committed meanwhile trips a unique constraint: decide again
            try:
                with store.duplicates_refused(), write_transaction(database) as session:
                    replay = once.claim(session, actor, key, digest, now)
                    if replay:
                        headers = {"Idempotent-Replayed": "true"}
                        return JSONResponse(replay[1], replay[0], headers=headers)
                    answer, alerts = apply(session, now)
                    once.remember(session, actor, key, 201, answer)
                break
            except DuplicateRecord:
                if attempt == 2:
                    raise
    except Refusal as refusal:
        with write_transaction(database) as session:
            tps, leg = refusal.params["tps"], refusal.params["leg"]
            alert = flag(session, refusal, tps, leg, user.username, now)
            if alert:
                audit.record(
                    session, user.username, "escort.flagged", f"alert:{alert.id}", alert.to_json()
                )
        if alert:
            runtime_of(request.app).broker.publish(alert_event(alert))
        raise
    broker = runtime_of(request.app).broker
    tps = answer["tps_code"]
    broker.publish(Event("escort", answer, (tps,), None, kecamatan_of_tps(tps)))
    for alert in alerts:
        broker.publish(alert_event(alert))
    return JSONResponse(answer, 201)


@router.post("/escorts/{tps_code}/seals", status_code=201)
async def record_seals(
    tps_code: str,
    body: SealsIn,
    request: Request,
    user: Annotated[User, Depends(require_roles(Role.OFFICER))],
    key: IdempotencyKey = None,
) -> JSONResponse:
    """The seal number of each of the five boxes, recorded at the TPS after counting."""
    await run_in_threadpool(_may_escort, request, user, tps_code)

    def apply(session: Any, now: datetime) -> tuple[dict[str, Any], list[Any]]:
        at = reported_time(body.at, now)
        answer = records.record_seals(session, tps_code, body.seals, user.username, at)
        audit.record(session, user.username, "escort.seals", f"tps:{tps_code}", answer)
        return answer, []

    return await run_in_threadpool(_escort_write, request, user, key, body, apply)


@router.post("/escorts/{tps_code}/handovers", status_code=201)
async def record_handover(
    tps_code: str,
    body: HandoverIn,
    request: Request,
    user: EscortWriter,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """One side's confirmation of a leg with the seals it sees; refused and flagged if wrong."""
    await run_in_threadpool(_may_escort, request, user, tps_code, body.side)
    receiver = (body.receiver_name or "").strip() or None
    if user.role is Role.OFFICER and body.side == "receiver" and not receiver:
        raise ServiceError(422, "escort.receiver_name_required")

    def apply(session: Any, now: datetime) -> tuple[dict[str, Any], list[Any]]:
        at = reported_time(body.at, now)
        answer, resolved = records.record_handover(
            session,
            tps_code,
            leg=body.leg,
            side=body.side,
            seals=body.seals,
            actor=user.username,
            receiver_name=receiver or user.display_name,
            at=at,
            now=now,
        )
        audit.record(session, user.username, "escort.handover", f"tps:{tps_code}", answer)
        return answer, resolved

    return await run_in_threadpool(_escort_write, request, user, key, body, apply)


@router.get("/escorts")
def list_escorts(
    request: Request,
    user: CurrentUser,
    scope: CurrentScope,
    session: DbSession,
    pending: bool | None = None,
) -> Any:
    """The escorts of the TPS the caller sees; ``pending=true``: boxes not yet at the PPK.
    ``sealed``: the five seals are recorded. A liaison is not told the seal numbers: as the
    receiver, he confirms the numbers he reads on the boxes."""
    visible = _escort_scope(request, user, scope)
    listed = [
        escort | {"sealed": bool(escort["seals"])}
        for escort in records.escorts(session, visible.can_see_tps, pending)
    ]
    listed = [escort_view(user.role, escort) for escort in listed]  # as the live stream
    who = {side["confirmed_by"] for escort in listed for leg in escort["legs"].values()
           for side in leg.values() if isinstance(side, dict)}
    return {"count": len(listed), "escorts": listed, "people": people_names(session, who)}


# Escort flags: a refused handover stays open until a person closes it with a note.


def _note_of(body: CloseFlagIn) -> str:
    note = body.note.strip()
    if not note:
        raise ServiceError(422, "escort.note_required")
    if len(note) > NOTE_LIMIT:
        raise ServiceError(422, "escort.note_too_long", limit=NOTE_LIMIT)
    return note


@router.post("/alerts/{alert_id}/resolve")
def resolve_flag(
    alert_id: Id,
    body: CloseFlagIn,
    request: Request,
    user: FlagCloser,
    scope: CurrentScope,
    session: DbSession,
) -> Any:
    """Close a refused-handover flag (seal mismatch, out of order) with a note; audited, and
    published as the alert resolved."""
    note = _note_of(body)
    alert = close_flag(session, alert_id, partial(state.sees_alert, scope), _now())
    payload = alert.to_json() | {"note": note}
    audit.record(session, user.username, "alert.closed", f"alert:{alert_id}", payload)
    session.commit()
    runtime_of(request.app).broker.publish(alert_event(alert))
    return alert.to_json() | {"note": note, "closed_by": user.username}


# Situation reports.


@router.post("/sitreps", status_code=201)
def create_sitrep(request: Request, user: Reporter, session: DbSession) -> Any:
    """A situation report now: PDF and XLSX written, stored, linked."""
    row = make_sitrep(session, _now(), request.app.state.settings.data_dir, actor=user.username)
    assert row is not None  # an on-demand report has no slot to collide on
    return sitrep_json(row)


@router.get("/sitreps/latest")
def latest_sitrep(user: Overseer, session: DbSession) -> Any:
    """The newest situation report (404 before the first)."""
    row = store.latest_sitrep(session)
    if row is None:
        raise ServiceError(404, "sitrep.none")
    return sitrep_json(row)


def _download(session: Any, sitrep_id: int, kind: str) -> FileResponse:
    row = session.get(SitrepRow, sitrep_id)
    path = Path(getattr(row, f"{kind}_path")) if row else None
    if path is None or not path.is_file():
        raise ServiceError(404, "sitrep.not_found", id=sitrep_id)
    media = (
        "application/pdf"
        if kind == "pdf"
        else ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    )
    return FileResponse(path, media_type=media, filename=path.name)


@router.get("/sitreps/{sitrep_id}/pdf", response_class=FileResponse)
def sitrep_pdf(sitrep_id: Id, user: Overseer, session: DbSession) -> FileResponse:
    """The report's PDF."""
    return _download(session, sitrep_id, "pdf")


@router.get("/sitreps/{sitrep_id}/xlsx", response_class=FileResponse)
def sitrep_xlsx(sitrep_id: Id, user: Overseer, session: DbSession) -> FileResponse:
    """The report's workbook."""
    return _download(session, sitrep_id, "xlsx")

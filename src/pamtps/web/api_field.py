"""The field API (``/api/v1``): orders, check-in, movement, TPS status, map state, live events.

Every write from the field carries an ``Idempotency-Key`` header made by the phone (400
without): a repeated key with the same body gets the stored response (``Idempotent-Replayed:
true``) and is not applied twice; with another body, 409. A body that carries vote counts, at any
depth, is refused (422) before anything else: police must not record tallies. When the write
process is full, a write is refused with 429 and Retry-After before its body is even read
(``pamtps.web.admission``; a queue found full later, at ``Writer.submit``, answers the same
through ``overloaded_handler``); nothing of it is applied, and the phone sends it again later.
A write sent late by the phone's offline queue says so (``X-PamTPS-Channel: queue``, or
``channel`` on a batch item), so that the command post sees how it came and how late.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from functools import partial
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, ValidationError

from pamtps.i18n import t
from pamtps.ops import audit
from pamtps.ops.channels import HEADER, client_channel
from pamtps.ops.errors import ServiceError
from pamtps.ops.event_filter import view_of
from pamtps.ops.events import Event
from pamtps.ops.field import live_state as state
from pamtps.ops.field.checkin import heartbeat
from pamtps.ops.field.errors import not_found
from pamtps.ops.field.ingest import BODIES, Ingested, Outcome, Report, Reporter, Unit, route
from pamtps.ops.field.orders import order_json, order_of, publish
from pamtps.ops.field.runtime import runtime_of
from pamtps.ops.field.schemas import (
    AckIn,
    BatchIn,
    BatchItem,
    CheckinIn,
    HeartbeatIn,
    MovementIn,
    StatusIn,
)
from pamtps.ops.field.tally import find_tallies
from pamtps.ops.field.tps_steps import timeline
from pamtps.ops.field.writer import Overloaded, writer_of
from pamtps.ops.idempotency import check_key, request_hash
from pamtps.ops.inputs import MAX_ID, Id
from pamtps.ops.scope import Scope
from pamtps.ops.users import Role, User
from pamtps.store import load_dataset
from pamtps.store.field import count_orders_in_force, orders_in_force_by_nrp
from pamtps.store.plans import get_plan
from pamtps.store.tables.field import OrderRow
from pamtps.web.auth import (
    CurrentScope,
    CurrentUser,
    DbSession,
    current_credentials,
    require_roles,
)
from pamtps.web.core import API_PREFIX, service_error_handler

router = APIRouter(prefix=API_PREFIX, tags=["field"])

Officer = Annotated[User, Depends(require_roles(Role.OFFICER))]


async def _field_officer(request: Request) -> User:
    """``Officer`` as one dependency instead of three: FastAPI's work per dependency counts on
    the field writes, the service's hot path."""
    user = (await current_credentials(request)).user
    if user.role is not Role.OFFICER:
        raise ServiceError(403, "auth.forbidden")
    return user


FieldOfficer = Annotated[User, Depends(_field_officer)]
Commander = Annotated[User, Depends(require_roles(Role.COMMAND))]
Supervisor = Annotated[
    User, Depends(require_roles(Role.ADMIN, Role.COMMAND, Role.POLSEK, Role.PADAL, Role.VIEWER))
]
IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", description="Made by the phone, one per write; required"),
]
KEEPALIVE_S = 15.0
M = TypeVar("M", bound=BaseModel)
logger = logging.getLogger(__name__)


def _nrp(user: User) -> str:
    nrp = user.nrp or user.scope_code
    if not nrp:
        raise ServiceError(403, "field.no_nrp")
    return nrp


def _body_doc(schema: type[BaseModel]) -> dict[str, Any]:
    """The OpenAPI request body of a route that reads its JSON itself (see ``_payload``)."""
    content = {"application/json": {"schema": schema.model_json_schema()}}
    return {"requestBody": {"required": True, "content": content}}


async def _payload(request: Request) -> Any:
    """The JSON body, refused (422) if it carries vote counts anywhere."""
    raw = await request.body()
    try:
        payload = json.loads(raw) if raw.strip() else {}
    except ValueError:
        raise ServiceError(422, "field.body_not_json") from None
    tallies = find_tallies(payload)
    if tallies:
        raise ServiceError(422, "field.vote_counts_refused", paths=", ".join(tallies))
    return payload


def _validated(schema: type[M], payload: Any) -> M:
    try:
        return schema.model_validate(payload)
    except ValidationError as error:
        raise RequestValidationError(error.errors(include_url=False)) from None


async def _ingest(request: Request, user: User, reports: list[Report], action: str) -> Ingested:
    """Apply the reports with the next group commit, then publish their events."""
    secret = request.app.state.settings.secret_key.get_secret_value().encode()
    reporter = Reporter(user.id, user.username, _nrp(user), secret)
    unit = Unit(reporter, reports, datetime.now(UTC), action)
    result = await writer_of(request.app).submit(unit)
    broker = runtime_of(request.app).broker
    for event in result.events:
        broker.publish(event)
    return result


async def _field_write(
    request: Request, user: User, key: str | None, kind: str, target: str | None = None
) -> JSONResponse:
    """One field write: tallies refused, key checked, body validated, applied once."""
    payload = await _payload(request)
    key = check_key(key)
    channel = client_channel(request.headers.get(HEADER))
    body = _validated(BODIES[kind], payload)
    digest = request_hash("POST", request.url.path, payload)
    report = Report(key, digest, kind, body, target, channel)
    (outcome,) = (await _ingest(request, user, [report], f"field.{kind}")).outcomes
    if outcome.error is not None:
        raise outcome.error
    headers = {"Idempotent-Replayed": "true"} if outcome.replayed else {}
    return JSONResponse(outcome.body, outcome.status, headers=headers)


# Orders.


@router.post("/plans/{plan_id}/publish", status_code=201)
def publish_plan(plan_id: Id, request: Request, user: Commander, session: DbSession) -> Any:
    """Put a stored plan version in force: each officer on a post gets (or keeps) his order."""
    stored = get_plan(session, plan_id)
    if stored is None:
        raise not_found("plan", plan_id)
    result = publish(session, stored, load_dataset(session), user.username, datetime.now(UTC))
    body = {
        "publication_id": result.publication_id,
        "plan_id": plan_id,
        "plan_version": result.plan_version,
        "counts": result.counts(),
        "must_acknowledge": sorted(result.issued + result.changed + result.withdrawn),
    }
    audit.record(session, user.username, "plan.published", f"plan:{plan_id}", body)
    session.commit()
    runtime_of(request.app).broker.publish(Event("publish", body))
    return body


@router.get("/orders/me")
def my_order(user: Officer, session: DbSession) -> Any:
    """The officer's order in force, with what changed since the one before."""
    return order_json(order_of(session, _nrp(user)))


@router.post("/orders/{order_id}/ack", openapi_extra=_body_doc(AckIn))
async def acknowledge_order(
    order_id: Id, request: Request, user: FieldOfficer, key: IdempotencyKey = None
) -> JSONResponse:
    """The officer's read receipt of his order (again after a change)."""
    return await _field_write(request, user, key, "ack", str(order_id))


@router.get("/orders")
def list_orders(
    user: Supervisor, scope: CurrentScope, session: DbSession, acknowledged: bool | None = None,
    limit: Annotated[int | None, Query(ge=0)] = None,
) -> Any:
    """The orders in force that the caller oversees; ``acknowledged=false``: who has not read.
    ``limit``: at most so many orders listed (``count`` still counts them all; 0: the count
    alone, as the map reads it)."""
    if limit == 0 and scope.everything:  # the count alone, of all 20,000 at province scale
        return {"count": count_orders_in_force(session, acknowledged=acknowledged), "orders": []}
    in_force = orders_in_force_by_nrp(session, acknowledged=acknowledged)
    rows = [row for row in in_force if _sees_order(scope, row)]
    return {"count": len(rows), "orders": [order_json(row) for row in rows[:limit]]}


def _sees_order(scope: Scope, row: OrderRow) -> bool:
    codes = [t["code"] for t in row.details.get("tps", [])]
    if row.kecamatan and scope.can_see_kecamatan(row.kecamatan):
        return True
    return scope.can_see_officer(row.nrp, codes)


# Movement, check-in, TPS status.


@router.post("/checkin", status_code=201, openapi_extra=_body_doc(CheckinIn))
async def check_in(
    request: Request, user: FieldOfficer, key: IdempotencyKey = None
) -> JSONResponse:
    """Arrival at the post, by GPS (within the tolerance of a TPS of the post) or QR token."""
    return await _field_write(request, user, key, "checkin")


@router.post("/movements", status_code=201, openapi_extra=_body_doc(MovementIn))
async def report_movement(
    request: Request, user: FieldOfficer, key: IdempotencyKey = None
) -> JSONResponse:
    """Another phase of the day: apel, berangkat, bertugas, selesai (forward only)."""
    return await _field_write(request, user, key, "movement")


@router.post("/tps/{tps_code}/status", status_code=201, openapi_extra=_body_doc(StatusIn))
async def report_tps_status(
    tps_code: str, request: Request, user: FieldOfficer, key: IdempotencyKey = None
) -> JSONResponse:
    """The next step of a TPS on the officer's post (dibuka ... kotak_diserahkan)."""
    return await _field_write(request, user, key, "status", tps_code)


@router.post("/field/batch", openapi_extra=_body_doc(BatchIn))
async def field_batch(
    request: Request, user: FieldOfficer, key: IdempotencyKey = None
) -> JSONResponse:
    """A phone's queued reports in one request (after a stretch without signal): each is the
    single write it would have been (path, body, its own Idempotency-Key), applied once, in
    order, and answered on its own. Reports without a key get '<batch key>:<position>'.

    A bad report never blocks the queue: it is refused with its reason and the others are
    applied. Most refusals are decided before anything is written (the schema, the path, an
    order id no table can hold); should one still fail its whole transaction (a database error),
    the reports are applied again one by one, so that only the bad one fails."""
    payload = await _payload(request)
    key = check_key(key)
    channel = client_channel(request.headers.get(HEADER))
    batch = _validated(BatchIn, payload)
    answers: dict[int, Outcome] = {}
    reports: list[tuple[int, Report]] = []
    for i, item in enumerate(batch.reports):
        try:
            reports.append((i, _batch_report(item, f"{key}:{i}", channel)))
        except ServiceError as error:
            answers[i] = Outcome(error.status, error=error)
    answers.update(await _ingest_each(request, user, reports))
    results = [_batch_answer(item, answers[i]) for i, item in enumerate(batch.reports)]
    return JSONResponse({"results": results})


async def _ingest_each(
    request: Request, user: User, reports: list[tuple[int, Report]]
) -> dict[int, Outcome]:
    """The outcome of each report by position: all in one unit, or one by one if it fails."""
    if not reports:
        return {}
    try:
        result = await _ingest(request, user, [r for _, r in reports], "field.batch")
    except ServiceError:
        raise  # the sender's own refusal (no NRP): no report of his can pass
    except Exception:
        if len(reports) == 1:
            logger.exception("field batch: a report failed on its own")
            return {reports[0][0]: Outcome(500, error=ServiceError(500, "request.report_failed"))}
        answers: dict[int, Outcome] = {}
        for report in reports:
            answers |= await _ingest_each(request, user, [report])
        return answers
    return {i: outcome for (i, _), outcome in zip(reports, result.outcomes)}


async def overloaded_handler(request: Request, error: Exception) -> Response:
    """The 429 of a full write queue, in the service's error format, with Retry-After."""
    assert isinstance(error, Overloaded)
    response = await service_error_handler(request, error)
    response.headers["Retry-After"] = str(error.retry_after_s)
    return response


def _batch_report(item: BatchItem, default_key: str, channel: str) -> Report:
    key = check_key(item.idempotency_key or default_key)
    kind, target = route(item.path)
    if item.channel is not None:
        channel = client_channel(item.channel)
    if kind == "ack" and not 1 <= int(target or 0) <= MAX_ID:
        raise not_found("order", target)  # no order has it: refused before the database sees it
    try:
        body = BODIES[kind].model_validate(item.body)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise ServiceError(422, "field.batch_report_invalid", problems=problems) from None
    return Report(key, request_hash("POST", item.path, item.body), kind, body, target, channel)


def _batch_answer(item: BatchItem, outcome: Outcome) -> dict[str, Any]:
    answer: dict[str, Any] = {"path": item.path, "status": outcome.status}
    if item.idempotency_key:
        answer["idempotency_key"] = item.idempotency_key
    if outcome.error is not None:
        error = outcome.error
        answer["detail"] = {"code": error.key, "message": t(error.key, **error.params)}
    else:
        answer |= {"body": outcome.body, "replayed": outcome.replayed}
    return answer


@router.post("/heartbeat", status_code=204)
def device_heartbeat(body: HeartbeatIn, user: Officer, session: DbSession) -> None:
    """The phone is alive. Not audited and needs no key: it states no fact, a replay is harmless."""
    heartbeat(session, _nrp(user), datetime.now(UTC), body.lat, body.lng)


# What the dashboard reads.


def field_scope(request: Request, user: CurrentUser, scope: CurrentScope) -> Scope:
    """The caller's scope; an officer's includes the TPS of his post in force."""
    if user.role is Role.OFFICER:
        return state.officer_scope(request.app.state.database, user)
    return scope


FieldScope = Annotated[Scope, Depends(field_scope)]


@router.get("/tps/{tps_code}/timeline")
def tps_timeline(tps_code: str, scope: FieldScope, session: DbSession) -> Any:
    """Every status step of one TPS, oldest first."""
    if not scope.can_see_tps(tps_code):
        raise not_found("tps", tps_code)
    return {"tps_code": tps_code, "timeline": timeline(session, tps_code)}


@router.get("/tps/state")
def tps_state(
    scope: FieldScope, session: DbSession, format: Literal["full", "compact"] = "full"
) -> JSONResponse:
    """Per TPS the caller sees: guarded / not yet / alert / no post, officers in, last status.
    ``format=compact``: a row per TPS (``columns``: code, state, last status), as the map
    reads it."""
    read = state.compact_state if format == "compact" else state.tps_state
    # JSON values already: sent as they are (the encoder's walk is slow at 26,000 TPS).
    return JSONResponse(read(session, scope.can_see_tps))


@router.get("/alerts")
def open_alerts(user: Supervisor, scope: CurrentScope, session: DbSession) -> Any:
    """The open alerts the caller oversees, newest first."""
    return {"alerts": state.open_alerts(session, scope)}


@router.get("/events", response_class=StreamingResponse)
async def events(request: Request, scope: FieldScope) -> StreamingResponse:
    """Live events (text/event-stream): checkin, movement, status, alert, ack, publish ...; each
    as the caller's API view would show it (``pamtps.ops.event_filter``)."""
    broker = runtime_of(request.app).broker
    subscription = broker.subscribe(view=partial(view_of, scope))

    async def stream() -> AsyncIterator[str]:
        try:
            yield ": connected\n\n"
            while not await request.is_disconnected():
                event = await subscription.get(KEEPALIVE_S)
                yield event.sse() if event else ": keep-alive\n\n"
        except asyncio.CancelledError:
            pass
        finally:
            broker.unsubscribe(subscription)

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)

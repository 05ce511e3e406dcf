"""The SMS API (``/api/v1/sms``): the gateways' inbound endpoints and the registered numbers.

``POST /sms/android`` takes the signed webhook of "SMS Gateway for Android" and ``POST
/sms/inbound`` a plain form from any other gateway (see ``pamtps.ops.sms.gateway`` and
docs/sms.md). Neither needs a login: the gateway's signature or shared secret is its credential
(401 if wrong, before anything is read). The answer carries the Indonesian reply for the sender
(``reply``, ``to``); the message and its reply are also kept in the SMS log, which the command
post reads at ``GET /sms/messages``, and the reply is queued for the gateway's send API
(``pamtps.ops.sms.outbound``): ``GET /sms/replies`` lists those pending or failed, and ``POST
/sms/replies/{id}/retry`` queues a failed one again. The command registers numbers at
``/sms/senders``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from pamtps.ops import audit
from pamtps.ops.errors import ServiceError
from pamtps.ops.field.runtime import runtime_of
from pamtps.ops.sms import senders
from pamtps.ops.sms.gateway import (
    Inbound,
    android_message,
    check_secret,
    check_signature,
    gateway_key,
)
from pamtps.ops.sms.inbound import Answer, receive
from pamtps.ops.sms.outbound import STATES, reply_json
from pamtps.ops.users import Role, User
from pamtps.store import sms as stored
from pamtps.web.auth import DbSession, require_roles
from pamtps.web.core import API_PREFIX

router = APIRouter(prefix=f"{API_PREFIX}/sms", tags=["sms"])

Registrar = Annotated[User, Depends(require_roles(Role.ADMIN, Role.COMMAND))]
Reader = Annotated[User, Depends(require_roles(Role.ADMIN, Role.COMMAND, Role.VIEWER))]
FormText = Annotated[str, Form()]


class SenderIn(BaseModel):
    target: str = Field(max_length=64, description="An officer's NRP, or '<TPS code>-kpps' / "
                        "'<TPS code>-pengawas'")
    phone: str = Field(max_length=30, examples=["0812 3456 7890"])


def _secret(request: Request) -> bytes:
    return bytes(request.app.state.settings.secret_key.get_secret_value().encode())


async def _answer(request: Request, inbound: Inbound) -> JSONResponse:
    now = datetime.now(UTC)
    database = request.app.state.database
    answer: Answer = await run_in_threadpool(
        receive, database, runtime_of(request.app), _secret(request), inbound, now
    )
    broker = runtime_of(request.app).broker
    for event in answer.events:
        broker.publish(event)
    # 200 whatever the SMS said: the gateway delivered it; its fate is in the body.
    return JSONResponse(answer.json())


@router.post("/android")
async def android_webhook(request: Request) -> JSONResponse:
    """The webhook of "SMS Gateway for Android" (event ``sms:received``), signed with
    ``X-Signature`` = hex HMAC-SHA256(body + ``X-Timestamp``); other events are acknowledged."""
    body = await request.body()
    check_signature(gateway_key(_secret(request)), body, request.headers.get("X-Timestamp"),
                    request.headers.get("X-Signature"), datetime.now(UTC))
    inbound = android_message(body)
    if inbound is None:
        return JSONResponse({"status": 200, "outcome": "ignored"})
    return await _answer(request, inbound)


@router.post("/inbound")
async def plain_inbound(
    request: Request, sender: FormText, text: FormText, secret: FormText,
    message_id: Annotated[str, Form()] = "", sent_at: Annotated[datetime | None, Form()] = None,
) -> JSONResponse:
    """One SMS from any gateway, as a form with the shared ``secret``."""
    check_secret(gateway_key(_secret(request)), secret)
    stamp = sent_at.astimezone(UTC) if sent_at and sent_at.tzinfo else sent_at
    return await _answer(request, Inbound("form", sender, text, message_id or None, stamp))


@router.get("/senders")
def list_senders(user: Registrar, session: DbSession) -> Any:
    """The numbers registered for SMS reports, with whose they are."""
    rows = stored.senders(session)
    return {"count": len(rows),
            "senders": [senders.sender_json(sender.phone, person) for sender, person in rows]}


@router.post("/senders", status_code=201)
def register_sender(body: SenderIn, user: Registrar, session: DbSession) -> Any:
    """Register a number to an officer (NRP) or a TPS's liaison; a number registered before
    moves to the new holder."""
    person = senders.register(session, body.target, body.phone, user.username, datetime.now(UTC))
    rows = {sender.phone: p for sender, p in stored.senders(session) if p.id == person.id}
    phone = next(iter(sorted(rows)))
    return senders.sender_json(phone, rows[phone])


@router.get("/messages")
def list_messages(user: Reader, session: DbSession, limit: int = 200) -> Any:
    """The latest inbound SMS with what each did and the reply it got (and where that reply
    is: pending, sent or failed; none for a number not registered), newest first."""
    rows = stored.recent_messages(session, max(1, min(limit, 1000)))
    replies = stored.replies_of(session, [row.id for row in rows])
    return {"count": len(rows), "replies": _reply_counts(session), "messages": [
        {"id": row.id, "phone": row.phone, "text": row.text, "command": row.command,
         "tps_code": row.subject, "outcome": row.outcome, "status": row.status_code,
         "reply": row.reply, "deliveries": row.deliveries, "gateway": row.gateway,
         "sent_at": row.sent_at.isoformat() if row.sent_at else None,
         "received_at": row.received_at.isoformat(),
         "reply_state": replies[row.id].state if row.id in replies else None,
         "reply_attempts": replies[row.id].attempts if row.id in replies else 0,
         "reply_error": replies[row.id].last_error if row.id in replies else None}
        for row in rows
    ]}


def _reply_counts(session: Any) -> dict[str, int]:
    found = stored.reply_counts(session)
    return {state: found.get(state, 0) for state in STATES}


@router.get("/replies")
def list_replies(
    user: Reader, session: DbSession, state: str = "pending,failed", limit: int = 200
) -> Any:
    """The replies in the states asked (default: those not sent yet, pending or failed),
    newest first, with how many there are in each state."""
    states = tuple(part.strip() for part in state.split(",") if part.strip())
    unknown = sorted(set(states) - set(STATES))
    if unknown or not states:
        raise ServiceError(422, "sms.reply_state_unknown", state=(unknown or [state])[0][:20],
                           states=", ".join(STATES))
    rows = stored.replies(session, states, max(1, min(limit, 1000)))
    return {"count": len(rows), "replies": _reply_counts(session),
            "items": [reply_json(row) for row in rows]}


@router.post("/replies/{reply_id}/retry")
def retry_reply(reply_id: int, user: Registrar, session: DbSession) -> Any:
    """Queue a failed reply again, due now, its attempts counted afresh."""
    row = stored.retry_reply(session, reply_id, datetime.now(UTC))
    if row is None:
        raise ServiceError(404, "sms.reply_not_failed", id=reply_id)
    audit.record(session, user.username, "sms.reply_retried", f"sms_reply:{reply_id}",
                 {"to": row.phone})
    return reply_json(row)

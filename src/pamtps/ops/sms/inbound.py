"""An inbound SMS applied: sender, tally refusal, syntax, then the same ops the API calls.

Field writes (check-in, phases, TPS status) go through ``pamtps.ops.field.ingest``; incidents
through ``report_incident`` under ``write_once``; seals and handovers through the escort records
under the escort's once-only keys. Each write's key is derived from the SMS's delivery key, so a
gateway resending the SMS replays the first answer: nothing is applied twice. Every message is
logged once (``sms_messages``) with its reply; an unregistered sender is also audited.

The log row and the reply queued for the gateway's send API (``sms_replies``, sent by
``pamtps.ops.sms.outbound``) are written in the transaction of the write itself: an SMS whose
command is applied always has its reply queued, and one that is not has neither. A number that
is not registered gets no reply at all (it is logged and audited; the command post sees it):
the gateway's credit and the command post's number are not spent on strangers.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pamtps.i18n import t
from pamtps.ops import audit
from pamtps.ops.channels import SMS
from pamtps.ops.errors import ServiceError
from pamtps.ops.events import Event
from pamtps.ops.field.ingest import BODIES, Ingested, Report, Reporter, ingest
from pamtps.ops.field.runtime import FieldRuntime
from pamtps.ops.idempotency import request_hash, write_transaction
from pamtps.ops.incidents.once import Written
from pamtps.ops.sms import actions
from pamtps.ops.sms.gateway import Inbound
from pamtps.ops.sms.phone import normalized
from pamtps.ops.sms.syntax import Command, SyntaxProblem, parse, states_tally
from pamtps.ops.users import User
from pamtps.store import Database, Session
from pamtps.store import sms as stored

LANG = "id"  # replies go to feature phones in the field: Indonesian
MAX_REPLY = 320


@dataclass
class Answer:
    """What the SMS did: a status, an outcome word, the reply to send back, events to publish."""

    status: int
    outcome: str  # applied | refused | unregistered | info
    reply: str
    phone: str
    replayed: bool = False
    events: list[Event] = field(default_factory=list)

    def json(self) -> dict[str, Any]:
        return {"status": self.status, "outcome": self.outcome, "reply": self.reply,
                "to": self.phone, "replayed": self.replayed}


def receive(
    database: Database, runtime: FieldRuntime, secret: bytes, inbound: Inbound, now: datetime
) -> Answer:
    """Apply one received SMS once; its answer (the first one's, for a resent SMS)."""
    try:
        phone = normalized(inbound.phone)
    except ServiceError as error:
        return Answer(error.status, "refused", _text(error.key, error.params), inbound.phone[:20])
    inbound = Inbound(inbound.gateway, phone, inbound.text, inbound.message_id, inbound.sent_at)
    key = inbound.key()
    with database.session() as session:
        first = stored.message_by_key(session, key)
        if first is not None:
            stored.count_delivery(session, key)
            return Answer(first.status_code, first.outcome, first.reply, phone, replayed=True)
        row = stored.sender_user(session, phone)
        user = User.from_row(row) if row is not None else None
    delivery = Delivery(inbound, key, user, now)
    if user is None:
        answer = Answer(403, "unregistered", t("sms.unregistered", LANG), phone)
    else:
        try:
            delivery.command = _command(inbound.text)
            answer = _apply(database, runtime, secret, delivery)
        except ServiceError as error:
            delivery.kept = None  # what the write kept rolled back with it
            answer = Answer(error.status, "refused", _text(error.key, error.params), phone)
        except SyntaxProblem as problem:
            text = _text(problem.key, problem.params) + " " + t("sms.see_info", LANG)
            answer = Answer(422, "refused", text, phone)
    if delivery.kept is None:
        with write_transaction(database) as session:
            delivery.keep(session, answer)
    return delivery.kept or answer


@dataclass
class Delivery:
    """One received SMS while it is applied: who sent it, what it says, the answer kept."""

    inbound: Inbound
    key: str
    user: User | None
    now: datetime
    command: Command | None = None
    kept: Answer | None = None

    def keep(self, session: Session, answer: Answer) -> None:
        """Log the message with its answer and queue its reply, in ``session``'s transaction
        (the write's own, when it applies one); a twin delivery that kept it first only counts
        one more delivery."""
        inbound, command = self.inbound, self.command
        answer.reply = answer.reply[:MAX_REPLY]
        values = {
            "key": self.key, "gateway": inbound.gateway, "phone": inbound.phone,
            "user_id": self.user.id if self.user else None, "text": inbound.text[:2000],
            "command": command.name if command else None, "outcome": answer.outcome,
            "status_code": answer.status, "reply": answer.reply, "sent_at": inbound.sent_at,
            "received_at": self.now, "deliveries": 1, "subject": command.tps if command else None,
        }
        self.kept = answer
        message_id = stored.log_message(session, values)
        if message_id is None:
            stored.count_delivery(session, self.key)
        elif self.user is None:
            audit.record(session, "sms", "sms.unregistered", f"phone:{inbound.phone}",
                         {"gateway": inbound.gateway, "text": inbound.text[:200]})
        else:
            stored.queue_reply(session, {
                "message_id": message_id, "phone": inbound.phone, "text": answer.reply,
                "gateway_id": reply_id(self.key), "next_at": self.now, "created_at": self.now,
            })


def reply_id(key: str) -> str:
    """The id the reply is sent under: the gateway refuses a second message with the same id,
    so a reply posted again after a lost answer is not sent twice."""
    return "pamtps-" + hashlib.sha256(key.encode()).hexdigest()[:24]


def _command(text: str) -> Command:
    if states_tally(text):
        raise ServiceError(422, "sms.tally_refused")
    return parse(text)


def _apply(
    database: Database, runtime: FieldRuntime, secret: bytes, delivery: Delivery
) -> Answer:
    user, command, inbound, now = delivery.user, delivery.command, delivery.inbound, delivery.now
    assert user is not None and command is not None
    phone = inbound.phone
    if command.name == "info":
        return Answer(200, "info", t("sms.info", LANG), phone)
    allowed = actions.ALLOWED.get(user.role, ())
    if command.name not in allowed:
        raise ServiceError(403, "sms.not_for_role", role=user.role.value)
    at = inbound.sent_at
    if command.name in actions.FIELD:
        kind, body, target = actions.field_write(database, secret, user, command, at, now)
        reporter = Reporter(user.id, user.username, actions.nrp_of(user), secret)
        digest = request_hash("SMS", f"{kind}/{target}", body)
        report = Report(delivery.key, digest, kind, BODIES[kind].model_validate(body), target,
                        SMS)

        def keep_field(session: Session, result: Ingested) -> None:
            delivery.keep(session, _field_answer(command, result, phone))

        ingest(database, runtime, reporter, [report], now, f"sms.{kind}", keep_field)
        assert delivery.kept is not None
        return delivery.kept

    def keep_write(session: Session, written: Written) -> None:
        delivery.keep(session, _written_answer(command, written, phone))

    written = actions.other_write(database, user, command, delivery.key, at, now, keep_write)
    return delivery.kept or _written_answer(command, written, phone)  # kept: applied now


def _field_answer(command: Command, result: Ingested, phone: str) -> Answer:
    (outcome,) = result.outcomes
    if outcome.error is not None:
        error = outcome.error
        return Answer(error.status, "refused", _text(error.key, error.params), phone)
    reply = actions.confirmation(command, outcome.body, replayed=outcome.replayed)
    return Answer(outcome.status, "applied", reply, phone, outcome.replayed, result.events)


def _written_answer(command: Command, written: Written, phone: str) -> Answer:
    reply = actions.confirmation(command, written.body, replayed=written.replayed)
    return Answer(written.status, "applied", reply, phone, written.replayed, written.events)


def _text(key: str, params: dict[str, Any]) -> str:
    return t(key, LANG, **params)

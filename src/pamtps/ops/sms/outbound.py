"""The replies to SMS reports, sent through the gateway's send API by a background round.

``pamtps.ops.sms.inbound`` queues each reply (``sms_replies``) in the transaction of the SMS's
write; the ``sms`` round (``pamtps.ops.rounds``) posts the due ones to the send API of "SMS
Gateway for Android" (``POST /message`` on the phone's local server, ``/3rdparty/v1/message`` in
its cloud mode; HTTP basic authentication):

    {"id": "pamtps-<24 hex>", "textMessage": {"text": "..."}, "phoneNumbers": ["+62..."]}

The gateway answers 202 when it has queued the SMS, and 409 when it already holds a message
with that id: a reply posted again after its answer was lost (a timeout, a restart) is then not
sent twice, and counts as sent. Any other answer, or none, is retried after ``send_retry_s``,
doubled at each attempt (at most ``MAX_WAIT``), until ``send_attempts``; a 400 or 422 (the
gateway refuses the message itself, e.g. the number) fails at once. A failed reply stays in the
log for the command post, who may queue it again (``retry``).

A sender takes a reply by moving its ``next_at`` past the attempt (a compare-and-set), so two
senders never post the same reply at once, and a sender that dies mid-attempt leaves it to be
tried again when that time has passed.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pamtps.domain.clock import utc
from pamtps.ops.idempotency import write_transaction
from pamtps.settings import SmsSettings
from pamtps.store import Database
from pamtps.store import sms as stored

BATCH = 50  # replies tried in one round at most
MAX_WAIT = timedelta(minutes=30)
ACCEPTED = (200, 201, 202, 409)  # 409: the gateway holds this id already
REFUSED = (400, 422)  # the message itself is refused: trying again cannot help
STATES = ("pending", "sent", "failed")

Clock = Callable[[], datetime]


class SendFailed(Exception):
    """A post the gateway did not take: why, and whether trying again may help."""

    def __init__(self, reason: str, *, final: bool = False) -> None:
        super().__init__(reason)
        self.reason, self.final = reason[:200], final


@dataclass(frozen=True)
class SendApi:
    """Where and as whom replies are posted."""

    url: str
    username: str
    password: str
    timeout_s: float

    @classmethod
    def of(cls, settings: SmsSettings) -> SendApi:
        return cls(settings.send_url, settings.send_username,
                   settings.send_password.get_secret_value(), settings.send_timeout_s)

    def post(self, gateway_id: str, phone: str, text: str) -> None:
        """Hand one SMS to the gateway; SendFailed if it did not take it."""
        body = {"id": gateway_id, "textMessage": {"text": text}, "phoneNumbers": [phone]}
        request = urllib.request.Request(
            self.url, data=json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/json", **self._auth()},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as answer:
                status = answer.status
        except urllib.error.HTTPError as error:
            status = error.code
            detail = error.read(200).decode(errors="replace")
            error.close()
            if status not in ACCEPTED:
                raise SendFailed(f"HTTP {status} {detail}".strip(), final=status in REFUSED) \
                    from None
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise SendFailed(str(getattr(error, "reason", error))) from None
        if status not in ACCEPTED:
            raise SendFailed(f"HTTP {status}")

    def _auth(self) -> dict[str, str]:
        if not self.username and not self.password:
            return {}
        pair = f"{self.username}:{self.password}".encode()
        return {"Authorization": "Basic " + base64.b64encode(pair).decode()}


def wait_after(settings: SmsSettings, attempts: int) -> timedelta:
    """The wait before the next attempt, after ``attempts`` failed ones."""
    return min(timedelta(seconds=settings.send_retry_s * 2 ** (attempts - 1)), MAX_WAIT)


def send_once(
    database: Database, settings: SmsSettings, clock: Clock = lambda: datetime.now(UTC)
) -> dict[str, int]:
    """Post every due reply once; how many ended sent, failed or waiting for a retry."""
    api = SendApi.of(settings)
    lease = timedelta(seconds=settings.send_timeout_s + 30)
    done = {"sent": 0, "failed": 0, "retry": 0}
    with database.session() as session:
        due = stored.due_replies(session, clock(), BATCH)
    for reply_id in due:
        now = clock()
        with write_transaction(database) as session:
            row = stored.take_reply(session, reply_id, now, now + lease)
            if row is None:
                continue  # another sender took it
            attempt = (row.gateway_id, row.phone, row.text, row.attempts)
        values = _attempt(api, settings, attempt, clock)
        with write_transaction(database) as session:
            stored.settle_reply(session, reply_id, values)
        done["retry" if values["state"] == "pending" else values["state"]] += 1
    return done


def _attempt(
    api: SendApi, settings: SmsSettings, attempt: tuple[str, str, str, int], clock: Clock
) -> dict[str, Any]:
    gateway_id, phone, text, attempts = attempt
    try:
        api.post(gateway_id, phone, text)
    except SendFailed as failure:
        now = clock()
        if failure.final or attempts >= settings.send_attempts:
            return {"state": "failed", "next_at": now, "last_error": failure.reason}
        return {"state": "pending", "next_at": now + wait_after(settings, attempts),
                "last_error": failure.reason}
    return {"state": "sent", "sent_at": clock(), "last_error": None}


def _moment(value: datetime | None) -> str | None:
    return utc(value).isoformat() if value is not None else None


def reply_json(row: Any) -> dict[str, Any]:
    """A queued reply as the command post reads it."""
    return {"id": row.id, "message_id": row.message_id, "to": row.phone, "text": row.text,
            "state": row.state, "attempts": row.attempts, "last_error": row.last_error,
            "next_at": _moment(row.next_at) if row.state == "pending" else None,
            "created_at": _moment(row.created_at), "sent_at": _moment(row.sent_at)}

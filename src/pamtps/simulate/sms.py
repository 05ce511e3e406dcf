"""The simulated officers' SMS: the message text of a report and the signed webhook that the
Android gateway app ("SMS Gateway for Android") would post for it (docs/sms.md)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from datetime import datetime
from urllib.parse import urlencode

from pamtps.ops.escort.chain import BOXES
from pamtps.ops.sms.syntax import KINDS, STEPS
from pamtps.simulate.day import Action

# The first keyword of each step and category in the syntax's tables.
STEP_WORDS = {step: word for word, step in reversed(STEPS.items())}
KIND_WORDS = {kind: word for word, kind in reversed(KINDS.items())}


def phone_of(nrp: str) -> str:
    """The simulated number of an officer's phone: +6281 and his NRP."""
    return f"+6281{nrp}"


def text_of(action: Action, checkin_code: str) -> str:
    """The SMS an officer types for the report (``by_sms`` reports only)."""
    d = action.data
    if action.kind == "movement":
        return str(d["phase"]).upper()
    if action.kind == "checkin":
        return f"HADIR {checkin_code}"
    if action.kind == "status":
        return f"STATUS {d['tps']} {STEP_WORDS[d['status']]}"
    if action.kind == "incident":
        kind, level = KIND_WORDS[d["category"]], str(d["severity"]).upper()
        return f"LAPOR {d['tps']} {kind} {level} Simulasi via SMS"
    seals = " ".join(d["seals"][box] for box in BOXES)
    if action.kind == "seals":
        return f"SEGEL {d['tps']} {seals}"
    return f"SERAH {d['tps']} {str(d['leg']).upper()} {seals} {d.get('receiver_name', '')}".strip()


def android_webhook(
    key: str, phone: str, text: str, received: datetime
) -> tuple[bytes, dict[str, str]]:
    """The body and signature headers the gateway app posts for one received SMS."""
    body = json.dumps({
        "deviceId": "simulasi", "event": "sms:received", "id": uuid.uuid4().hex,
        "webhookId": "pamtps-simulasi",
        "payload": {"messageId": uuid.uuid4().hex[:8], "message": text, "phoneNumber": phone,
                    "simNumber": 1, "receivedAt": received.isoformat()},
    }).encode()
    stamp = str(int(time.time()))
    signature = hmac.new(key.encode(), body + stamp.encode(), hashlib.sha256).hexdigest()
    return body, {"X-Timestamp": stamp, "X-Signature": signature}


def plain_form(key: str, phone: str, text: str, sent: datetime) -> tuple[bytes, dict[str, str]]:
    """The body and headers of the plain form any other gateway posts for one SMS."""
    body = urlencode({"sender": phone, "text": text, "secret": key,
                      "message_id": uuid.uuid4().hex[:12], "sent_at": sent.isoformat()})
    return body.encode(), {"Content-Type": "application/x-www-form-urlencoded"}


GATEWAYS = {"android": ("/api/v1/sms/android", android_webhook),
            "form": ("/api/v1/sms/inbound", plain_form)}

"""What SMS gateways send: the signed webhook of "SMS Gateway for Android" and a plain form.

"SMS Gateway for Android" (github.com/capcom6/android-sms-gateway) posts JSON on each received
SMS: ``{"event": "sms:received", "id": ..., "deviceId": ..., "webhookId": ..., "payload":
{"messageId", "message", "phoneNumber", "simNumber", "receivedAt"}}``, signed in two headers:
``X-Timestamp`` (Unix seconds) and ``X-Signature``, the hex HMAC-SHA256 of the raw body followed
by that timestamp, under the signing key set in the app. A request older or newer than
``MAX_SKEW`` is refused, so a captured request cannot be replayed later.

Any other gateway posts a plain form: ``sender``, ``text``, ``message_id`` (optional),
``sent_at`` (optional, ISO 8601) and ``secret``. Both use the same key, derived from the
service's secret key (``gateway_key``; ``pamtps sms secret`` prints it).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from pamtps.ops.errors import ServiceError

MAX_SKEW = timedelta(minutes=10)
RECEIVED = "sms:received"


def gateway_key(secret_key: bytes) -> str:
    """The key a gateway signs with (or sends as ``secret``): 32 hex digits."""
    return hmac.new(secret_key, b"pamtps-sms-gateway", hashlib.sha256).hexdigest()[:32]


@dataclass(frozen=True)
class Inbound:
    """One received SMS as a gateway hands it over."""

    gateway: str
    phone: str
    text: str
    message_id: str | None = None
    sent_at: datetime | None = None

    def key(self) -> str:
        """The delivery key: a gateway resends the same SMS under the same key.

        The Android app's ``messageId`` is derived from the content, so two identical messages
        on one day could share it: its key also holds the sender and the receive time."""
        sent = self.sent_at.isoformat() if self.sent_at else "-"
        if self.message_id:
            raw = f"{self.gateway}|{self.phone}|{self.message_id}|{sent}"
        else:
            raw = f"{self.gateway}|{self.phone}|{self.text}|{sent}"
        return f"{self.gateway}:{hashlib.sha256(raw.encode()).hexdigest()}"


def check_signature(
    key: str, body: bytes, timestamp: str | None, signature: str | None, now: datetime
) -> None:
    """The Android app's signature holds and is recent; else 401."""
    if not timestamp or not signature:
        raise ServiceError(401, "sms.signature_missing")
    try:
        sent = datetime.fromtimestamp(int(timestamp), now.tzinfo)
    except (ValueError, OverflowError, OSError):
        raise ServiceError(401, "sms.signature_invalid") from None
    expected = hmac.new(key.encode(), body + timestamp.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature.strip().lower()):
        raise ServiceError(401, "sms.signature_invalid")
    if abs(now - sent) > MAX_SKEW:
        raise ServiceError(401, "sms.signature_stale")


def check_secret(key: str, given: str | None) -> None:
    """The plain form's shared secret matches; else 401."""
    if not given or not hmac.compare_digest(key.encode(), given.strip().encode()):
        raise ServiceError(401, "sms.signature_invalid")


def android_message(body: bytes) -> Inbound | None:
    """The SMS of an Android webhook body; None for another event (a ping, a sent report)."""
    try:
        data = json.loads(body)
        if data.get("event") != RECEIVED:
            return None
        payload = data["payload"]
        received = payload.get("receivedAt")
        return Inbound(
            "android", str(payload["phoneNumber"]), str(payload["message"]),
            str(payload.get("messageId") or "") or None,
            datetime.fromisoformat(received) if received else None,
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ServiceError(422, "sms.webhook_invalid", reason=str(error)[:120]) from None

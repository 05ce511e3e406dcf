"""The short check-in code an officer types after HADIR, printed on his SMS card.

A QR token (``pamtps.tokens``) is too long to type on a keypad. The short code is six digits
drawn from an HMAC of the same claims (NRP, post, plan version) under the service's secret, so it
proves the same thing as the token printed beside it, and the server checks it without storing
anything. A matching code is turned into that token and checked by the same check-in path as a
scanned QR code (``pamtps.ops.field.checkin.by_qr``).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from pamtps.tokens import sign_token

DIGITS = 6
TOKEN_LIFETIME = timedelta(hours=1)  # the minted token is checked at once


def checkin_code(secret: bytes, nrp: str, post_id: str, plan_version: int) -> str:
    """The six digits of one officer's post in one plan version."""
    message = f"pamtps-sms-hadir|{nrp}|{post_id}|{plan_version}".encode()
    number = int.from_bytes(hmac.new(secret, message, hashlib.sha256).digest()[:8], "big")
    return f"{number % 10**DIGITS:0{DIGITS}d}"


def shown(code: str) -> str:
    """As printed: '482 177'."""
    return f"{code[:3]} {code[3:]}"


def token_for_code(
    secret: bytes, code: str, nrp: str, post_id: str, versions: range, now: datetime
) -> str | None:
    """The check-in token the code stands for (the newest plan version it matches), or None."""
    for version in reversed(versions):
        if hmac.compare_digest(code, checkin_code(secret, nrp, post_id, version)):
            return sign_token(secret, nrp, post_id, version, now + TOKEN_LIFETIME)
    return None

"""Printed codes: signed check-in tokens, and the printed form of a liaison code.

A check-in token is what an officer's QR code carries to prove his post on arrival.

A token is ``<claims>.<signature>``, both base64url without padding: the claims are compact JSON
(NRP, post, plan version, expiry in Unix seconds) and the signature is their HMAC-SHA256 under
the operation's secret. It is short enough for a QR code that a cheap phone camera reads, and
checking it needs only the secret: no network, so it works at a TPS without signal.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime

MIN_SECRET_BYTES = 16


class TokenError(ValueError):
    """A token that must not be accepted; ``reason`` is 'malformed', 'signature' or 'expired'."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class TokenClaims:
    nrp: str
    post_id: str
    plan_version: int
    expires: datetime


def sign_token(secret: bytes, nrp: str, post_id: str, plan_version: int, expires: datetime) -> str:
    """A URL-safe token for one officer on one post of one plan version, valid until ``expires``."""
    _check_secret(secret)
    claims = {"n": nrp, "p": post_id, "v": plan_version, "e": int(_aware(expires).timestamp())}
    body = _encode(json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode())
    return f"{body}.{_encode(_mac(secret, body))}"


def verify_token(secret: bytes, token: str, now: datetime) -> TokenClaims:
    """The token's claims if its signature holds and it has not expired; else TokenError."""
    _check_secret(secret)
    now = _aware(now)
    body, dot, signature = token.strip().partition(".")
    if not dot or not body or not signature:
        raise TokenError("malformed", "token is not of the form <claims>.<signature>")
    # Compare the text, not decoded bytes: base64 has spare bits and skips stray characters,
    # so two different strings could decode to one valid signature.
    if not signature.isascii() or not hmac.compare_digest(signature, _encode(_mac(secret, body))):
        raise TokenError("signature", "token signature does not match: altered or another key")
    try:
        claims = json.loads(_decode(body))
        result = TokenClaims(
            str(claims["n"]),
            str(claims["p"]),
            int(claims["v"]),
            datetime.fromtimestamp(int(claims["e"]), UTC),
        )
    except (ValueError, KeyError, TypeError, OverflowError):  # binascii.Error: a ValueError
        raise TokenError("malformed", "token claims are not readable") from None
    if now >= result.expires:
        raise TokenError("expired", f"token expired at {result.expires.isoformat()}")
    return result


def _mac(secret: bytes, body: str) -> bytes:
    return hmac.new(secret, body.encode(), hashlib.sha256).digest()


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _aware(moment: datetime) -> datetime:
    # A naive time would be read in the machine's zone: refuse it rather than guess.
    if moment.tzinfo is None:
        raise ValueError("token times must carry a time zone (e.g. WIB, UTC+7)")
    return moment


def _check_secret(secret: bytes) -> None:
    if len(secret) < MIN_SECRET_BYTES:
        raise ValueError(f"token secret must be at least {MIN_SECRET_BYTES} bytes")


def shown(code: str) -> str:
    """A liaison code as printed: two groups of four (``ABCD-EFGH``)."""
    return f"{code[:4]}-{code[4:]}"

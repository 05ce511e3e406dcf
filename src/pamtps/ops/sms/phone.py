"""Phone numbers as the gateway and the command post write them, in one form: '+62812...'."""

from __future__ import annotations

import re

from pamtps.ops.errors import ServiceError

_NOISE = re.compile(r"[\s\-().]")
_NUMBER = re.compile(r"\+\d{8,15}")


def normalized(number: str) -> str:
    """'0812-3456-789', '62812...', '+62 812...' -> '+62812...'; 422 if it is not a number."""
    text = _NOISE.sub("", number or "")
    if text.startswith("00"):
        text = "+" + text[2:]
    elif text.startswith("0"):
        text = "+62" + text[1:]
    elif text.startswith("62"):
        text = "+" + text
    if not _NUMBER.fullmatch(text):
        raise ServiceError(422, "sms.phone_invalid", phone=(number or "")[:30])
    return text

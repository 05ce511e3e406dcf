"""Wrong invite codes, throttled so that guessing gets nowhere and no honest phone is blocked.

Failures (an unknown or revoked code) are counted in the database, so every server process sees
the same counts, over the window ``redeem_window_min``, three ways:

- **Per code** (``redeem_code_attempts``): wrong codes with the same first half (``ABCD`` of
  ``ABCD-EFGH``), from all addresses together. One who saw half a sheet still has 31^4 (about
  920,000) second halves to try, and gets 20 per window however many addresses he uses. A
  phone's typos in its own code's second half stay far below the limit.
- **Per address** (``redeem_address_attempts``): generous, because on election morning
  thousands of KPPS phones share one carrier address (CGNAT); it stops one machine's guessing
  without letting one phone's typos block its neighbours.
- **In all** (``redeem_global_attempts``): the guard against guessing from many addresses. With
  N active codes among 31^8 (about 8.5e11), a guess finds one with odds N / 8.5e11: with the
  2,450 codes of OKU and 3,000 guesses per 15 minutes, under 1 in 1,000 over a whole day.

When a limit is reached the attempt is refused (429, with ``Retry-After``) before the code is
looked up, a right one too, or the limit would not stop a guesser. A used code (409) counts as
no failure: it is a real code, retried.
"""

from __future__ import annotations

import hashlib
import math
from datetime import datetime, timedelta

from pamtps.domain.clock import utc
from pamtps.ops.errors import ServiceError
from pamtps.ops.liaison.codes import typed
from pamtps.settings import IncidentSettings
from pamtps.store import Session
from pamtps.store import throttle as stored

KIND = "code"
HALF = 4


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def code_key(text: str) -> str:
    """The key of the code as typed: its first half (a typo in the second half stays on it)."""
    return _digest(f"code:{typed(text)[:HALF]}")


def source_key(ip: str | None) -> str:
    return _digest(f"address:{ip or '-'}")


def refusal(
    session: Session, text: str, ip: str | None, settings: IncidentSettings, now: datetime
) -> ServiceError | None:
    """The 429 if this code or this address (or everyone) has used up its failures, else None."""
    window = timedelta(minutes=settings.redeem_window_min)
    since = now - window
    limits: tuple[tuple[int, str | None, str | None], ...] = (
        (settings.redeem_code_attempts, code_key(text), None),
        (settings.redeem_address_attempts, None, source_key(ip)),
        (settings.redeem_global_attempts, None, None),
    )
    for limit, account, source in limits:
        nth = stored.nth_newest_failure(
            session, KIND, since, limit, account=account, source=source
        )
        if nth is not None:
            wait = max(1, math.ceil((utc(nth) + window - now).total_seconds()))
            minutes = max(1, math.ceil(wait / 60))
            return ServiceError(429, "liaison.too_many_attempts", minutes=minutes,
                                retry_after=wait)
    return None


def fail(
    session: Session, text: str, ip: str | None, settings: IncidentSettings, now: datetime
) -> None:
    """Count a wrong code from this address (and drop failures older than the window)."""
    stored.purge_failures(session, KIND, now - timedelta(minutes=settings.redeem_window_min))
    stored.record_failure(session, KIND, code_key(text), source_key(ip), now)

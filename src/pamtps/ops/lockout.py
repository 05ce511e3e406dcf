"""Throttling logins so that it tells an attacker nothing and locks no honest user out.

Failed logins are counted in the database (``auth_failures``), so that every server process
sees the same counts and a restart forgets none. Two limits read them, over the window of
``lockout_minutes``:

- **Per client address and account, a hard lock.** After ``lockout_attempts`` failures on an
  account from one address, that address may not try that account again until the oldest of
  them leaves the window (429 ``auth.locked``, with ``Retry-After``), even with the right
  password. A guesser at one address gets five tries per quarter hour at each account.
- **Per account from all addresses, only a short wait.** Past ``login_slow_after`` failures on
  an account, every try on it waits ``login_delay_s`` before it is checked, and is never
  refused for it. So while one address (or many) hammers the Kabag Ops' account, he still logs
  in with the right password from his own phone at another address, a few seconds slower; a
  guesser spread over many addresses is held to five tries per address and slowed besides.

A lock per account alone would let anyone lock the commander out on election day by typing his
name; a lock per address alone would block every phone behind one carrier address (CGNAT). The
pair keys neither: an address locks itself out of one account only.

Unknown usernames are counted exactly like known ones: the key is the name as typed, not a user
id, and an unknown name's password is checked against a dummy hash (``check_password``). So
the answer (status, body, headers) and the work done are the same for both, and the lockout
does not reveal which names exist. Names and addresses are stored as SHA-256 digests only.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from pamtps.domain.clock import utc
from pamtps.settings import Settings
from pamtps.store import Database, Session
from pamtps.store import throttle as stored

KIND = "login"

pause: Callable[[float], None] = time.sleep
"""How a try waits; a module attribute, so that tests record the wait instead of sleeping."""


def clock() -> datetime:
    """Now, as the throttle reads it (tests fix it to compare answers to the second)."""
    return datetime.now(UTC)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def account_key(username: str) -> str:
    return _digest(f"account:{username}")


def source_key(ip: str | None) -> str:
    return _digest(f"address:{ip or '-'}")


def _window(settings: Settings) -> timedelta:
    return timedelta(minutes=settings.lockout_minutes)


def delay(session: Session, username: str, settings: Settings, now: datetime) -> float:
    """How long a try on ``username`` waits: ``login_delay_s`` while the account has had more
    than ``login_slow_after`` failures in the window (from any address), otherwise 0."""
    failures = stored.failures_since(
        session, KIND, now - _window(settings), account=account_key(username)
    )
    return settings.login_delay_s if failures.count >= settings.login_slow_after else 0.0


def hold_back(database: Database, username: str, settings: Settings) -> float:
    """Wait as ``delay`` says (outside any transaction, so a wait holds no connection);
    the seconds waited."""
    with database.session() as session:
        seconds = delay(session, username, settings, clock())
    if seconds > 0:
        pause(seconds)
    return seconds


def locked_for(
    session: Session, username: str, ip: str | None, settings: Settings, now: datetime
) -> int | None:
    """Whole seconds until this address may try this account again, or None if it may now."""
    window = _window(settings)
    nth = stored.nth_newest_failure(
        session, KIND, now - window, settings.lockout_attempts,
        account=account_key(username), source=source_key(ip),
    )
    if nth is None:
        return None
    return max(1, math.ceil((utc(nth) + window - now).total_seconds()))


def count_failure(
    session: Session, username: str, ip: str | None, settings: Settings, now: datetime
) -> bool:
    """Count a failed login; whether it locks this address out of the account."""
    window = _window(settings)
    stored.purge_failures(session, KIND, now - window)
    account, source = account_key(username), source_key(ip)
    stored.record_failure(session, KIND, account, source, now)
    tally = stored.failures_since(session, KIND, now - window, account=account, source=source)
    return tally.count == settings.lockout_attempts


def forget(session: Session, username: str, ip: str | None = None) -> None:
    """Forget the account's failures: from this address after a success there, or from every
    address when an admin resets the account."""
    source = None if ip is None else source_key(ip)
    stored.forget_failures(session, KIND, account=account_key(username), source=source)


def minutes(seconds: int) -> int:
    """The wait as the message tells it: whole minutes, at least one."""
    return max(1, math.ceil(seconds / 60))

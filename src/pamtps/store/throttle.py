"""Failed attempts in the store, as the throttles count them: per account, per source, per
account from one source, or in all, within a window. The rules (limits, windows, what a key
is) live in ``pamtps.ops.lockout`` and ``pamtps.ops.liaison.throttle``.

Counting in the database, not in a process's memory, makes every server process see the same
counts and keeps them through a restart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import Session

from pamtps.store.tables.security import FailureRow


@dataclass(frozen=True, slots=True)
class Tally:
    """How many failures matched, and the oldest and newest of them (None if none)."""

    count: int
    oldest: datetime | None
    newest: datetime | None


def _matching(
    kind: str, since: datetime, account: str | None, source: str | None
) -> list[ColumnElement[bool]]:
    where = [FailureRow.kind == kind, FailureRow.at > since]
    if account is not None:
        where.append(FailureRow.account == account)
    if source is not None:
        where.append(FailureRow.source == source)
    return where


def failures_since(
    session: Session, kind: str, since: datetime, *, account: str | None = None,
    source: str | None = None,
) -> Tally:
    """The failures of ``kind`` after ``since``, of this account and/or source if given."""
    query = select(func.count(), func.min(FailureRow.at), func.max(FailureRow.at)).where(
        *_matching(kind, since, account, source)
    )
    count, oldest, newest = session.execute(query).one()
    return Tally(int(count), oldest, newest)


def nth_newest_failure(
    session: Session, kind: str, since: datetime, n: int, *, account: str | None = None,
    source: str | None = None,
) -> datetime | None:
    """The time of the ``n``-th newest failure (1: the newest) after ``since``, or None."""
    query = (
        select(FailureRow.at).where(*_matching(kind, since, account, source))
        .order_by(FailureRow.at.desc()).offset(n - 1).limit(1)
    )
    return session.scalars(query).first()


def record_failure(session: Session, kind: str, account: str, source: str, at: datetime) -> None:
    """Count one failure."""
    session.add(FailureRow(kind=kind, account=account, source=source, at=at))
    session.flush()


def forget_failures(
    session: Session, kind: str, *, account: str, source: str | None = None
) -> None:
    """Drop the failures of an account (from one source only, if given): a success, a reset."""
    where = [FailureRow.kind == kind, FailureRow.account == account]
    if source is not None:
        where.append(FailureRow.source == source)
    session.execute(delete(FailureRow).where(*where))


def purge_failures(session: Session, kind: str, before: datetime) -> None:
    """Drop the failures of ``kind`` no throttle counts any more (at or before ``before``)."""
    session.execute(delete(FailureRow).where(FailureRow.kind == kind, FailureRow.at <= before))

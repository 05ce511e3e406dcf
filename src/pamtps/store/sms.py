"""The SMS channel in the store: registered numbers, the people they belong to, the message log
and the replies waiting for the gateway.

The rules (who may be registered, what a message does) live in ``pamtps.ops.sms``; these
functions only answer the questions those rules ask and write the rows they decide on.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from pamtps.store.on_conflict import upsert
from pamtps.store.tables.security import UserRow
from pamtps.store.tables.sms import SmsMessageRow, SmsReplyRow, SmsSenderRow


def sender_user(session: Session, phone: str) -> UserRow | None:
    """The active user the number is registered to, if any."""
    query = (
        select(UserRow)
        .join(SmsSenderRow, SmsSenderRow.user_id == UserRow.id)
        .where(SmsSenderRow.phone == phone, UserRow.active.is_(True))
    )
    return session.scalars(query).first()


def officer_by_nrp(session: Session, nrp: str) -> UserRow | None:
    """The officer account holding this NRP."""
    query = select(UserRow).where(UserRow.nrp == nrp, UserRow.role == "officer")
    return session.scalars(query.order_by(UserRow.id)).first()


def liaison_of(session: Session, tps_code: str, holder: str) -> UserRow | None:
    """The newest active liaison account of a TPS for one holder (kpps, pengawas)."""
    query = select(UserRow).where(
        UserRow.role == "liaison", UserRow.scope_code == tps_code, UserRow.active.is_(True),
        UserRow.username.startswith(f"{holder}."),
    )
    return session.scalars(query.order_by(UserRow.id.desc())).first()


def save_sender(session: Session, values: Mapping[str, Any]) -> None:
    """Register the number (``phone``, ``user_id``, ...), replacing who it was registered to."""
    row = session.get(SmsSenderRow, values["phone"])
    if row is None:
        session.add(SmsSenderRow(**values))
    else:
        for name, value in values.items():
            setattr(row, name, value)
    session.flush()


def senders(session: Session) -> list[tuple[SmsSenderRow, UserRow]]:
    """Every registered number with its user, by number."""
    query = select(SmsSenderRow, UserRow).join(UserRow, SmsSenderRow.user_id == UserRow.id)
    return [(sender, user) for sender, user in session.execute(query.order_by(SmsSenderRow.phone))]


def delete_sender(session: Session, phone: str) -> bool:
    """Unregister a number; False if it was not registered."""
    row = session.get(SmsSenderRow, phone)
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def message_by_key(session: Session, key: str) -> SmsMessageRow | None:
    return session.scalars(select(SmsMessageRow).where(SmsMessageRow.key == key)).first()


def _message_insert(insert: Any) -> Any:
    return (
        insert(SmsMessageRow).on_conflict_do_nothing(index_elements=["key"])
        .returning(SmsMessageRow.id)
    )


def log_message(session: Session, values: Mapping[str, Any]) -> int | None:
    """Keep an inbound message under its key: its id; None if a twin delivery kept it first."""
    found = session.execute(upsert(session, _message_insert), dict(values)).scalar()
    return int(found) if found is not None else None


def count_delivery(session: Session, key: str) -> None:
    """One more delivery of a message already kept."""
    session.execute(
        update(SmsMessageRow).where(SmsMessageRow.key == key)
        .values(deliveries=SmsMessageRow.deliveries + 1)
    )


def recent_messages(session: Session, limit: int = 200) -> list[SmsMessageRow]:
    """The latest inbound messages, newest first."""
    query = select(SmsMessageRow).order_by(SmsMessageRow.id.desc()).limit(limit)
    return list(session.scalars(query))


def queue_reply(session: Session, values: Mapping[str, Any]) -> None:
    """Queue a reply (``message_id``, ``phone``, ``text``, ``gateway_id``, ``next_at``, ...)."""
    session.add(SmsReplyRow(state="pending", attempts=0, **values))
    session.flush()


def due_replies(session: Session, now: datetime, limit: int) -> list[int]:
    """The ids of pending replies a sender may try now, oldest first."""
    query = (
        select(SmsReplyRow.id)
        .where(SmsReplyRow.state == "pending", SmsReplyRow.next_at <= now)
        .order_by(SmsReplyRow.next_at, SmsReplyRow.id).limit(limit)
    )
    return list(session.scalars(query))


def take_reply(
    session: Session, reply_id: int, now: datetime, until: datetime
) -> SmsReplyRow | None:
    """Take a due reply for one attempt: count it and hold it until ``until``; None if another
    sender took it first (the update is a compare-and-set on its state and time)."""
    taken = session.execute(
        update(SmsReplyRow)
        .where(SmsReplyRow.id == reply_id, SmsReplyRow.state == "pending",
               SmsReplyRow.next_at <= now)
        .values(attempts=SmsReplyRow.attempts + 1, next_at=until)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return session.get(SmsReplyRow, reply_id)


def settle_reply(session: Session, reply_id: int, values: Mapping[str, Any]) -> None:
    """Write an attempt's result: ``state``, ``next_at``, ``sent_at``, ``last_error``."""
    session.execute(update(SmsReplyRow).where(SmsReplyRow.id == reply_id).values(**values))


def retry_reply(session: Session, reply_id: int, now: datetime) -> SmsReplyRow | None:
    """A failed reply back in the queue, due now; None if there is no such failed reply."""
    row = session.get(SmsReplyRow, reply_id)
    if row is None or row.state != "failed":
        return None
    row.state, row.next_at, row.attempts = "pending", now, 0
    session.flush()
    return row


def replies(session: Session, states: tuple[str, ...], limit: int = 200) -> list[SmsReplyRow]:
    """The replies in these states, newest first."""
    query = (
        select(SmsReplyRow).where(SmsReplyRow.state.in_(states))
        .order_by(SmsReplyRow.id.desc()).limit(limit)
    )
    return list(session.scalars(query))


def reply_counts(session: Session) -> dict[str, int]:
    """How many replies are in each state."""
    query = select(SmsReplyRow.state, func.count()).group_by(SmsReplyRow.state)
    return {state: int(n) for state, n in session.execute(query)}


def replies_of(session: Session, message_ids: list[int]) -> dict[int, SmsReplyRow]:
    """The replies of these messages, by message id."""
    if not message_ids:
        return {}
    query = select(SmsReplyRow).where(SmsReplyRow.message_id.in_(message_ids))
    return {row.message_id: row for row in session.scalars(query)}

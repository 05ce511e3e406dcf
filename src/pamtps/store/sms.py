"""The SMS channel in the store: registered numbers, the people they belong to, the message log.

The rules (who may be registered, what a message does) live in ``pamtps.ops.sms``; these
functions only answer the questions those rules ask and write the rows they decide on.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pamtps.store.on_conflict import upsert
from pamtps.store.tables.security import UserRow
from pamtps.store.tables.sms import SmsMessageRow, SmsSenderRow


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


def log_message(session: Session, values: Mapping[str, Any]) -> bool:
    """Keep an inbound message under its key; False if a twin delivery kept it first."""
    return session.execute(upsert(session, _message_insert), dict(values)).scalar() is not None


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

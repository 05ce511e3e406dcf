"""The SMS channel: the phone numbers registered to people, every inbound message, its reply.

A number is registered to one user (an officer by his NRP, or a liaison of a TPS); messages from
any other number apply nothing. Every message received is kept once under its delivery key (the
gateway's message id, else sender, text and sent time), with the reply it got, so that a gateway
delivering it again gets the same reply and nothing is applied twice. The reply to send back
is queued in ``sms_replies`` in the same transaction, until the gateway's send API takes it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pamtps.store.tables.reference import CODE, KIND, NAME, Base

PHONE = String(20)
"""A number in international form: '+62' and up to 15 digits."""


class SmsSenderRow(Base):
    """A phone number and the user whose reports it sends."""

    __tablename__ = "sms_senders"

    phone: Mapped[str] = mapped_column(PHONE, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    registered_by: Mapped[str] = mapped_column(CODE)
    registered_at: Mapped[datetime]


class SmsMessageRow(Base):
    """One inbound SMS, once per delivery key: who sent it, what it did, the reply it got."""

    __tablename__ = "sms_messages"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    gateway: Mapped[str] = mapped_column(KIND)
    phone: Mapped[str] = mapped_column(PHONE, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    command: Mapped[str | None] = mapped_column(KIND, nullable=True)
    outcome: Mapped[str] = mapped_column(KIND)
    status_code: Mapped[int]
    reply: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    received_at: Mapped[datetime]
    deliveries: Mapped[int]
    subject: Mapped[str | None] = mapped_column(NAME, nullable=True)


class SmsReplyRow(Base):
    """The reply to one inbound SMS, waiting for (or taken by) the gateway's send API.

    ``state`` is ``pending`` until the gateway accepts it (``sent``) or the attempts run out
    (``failed``). ``next_at`` is when a sender may try it next; a sender taking it moves
    ``next_at`` past its own attempt first, so a sender that dies mid-attempt leaves it to be
    tried again, and two senders never try it at once.
    """

    __tablename__ = "sms_replies"
    __table_args__ = (Index("ix_sms_replies_state_next_at", "state", "next_at"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("sms_messages.id"), unique=True)
    phone: Mapped[str] = mapped_column(PHONE)
    text: Mapped[str] = mapped_column(Text)
    gateway_id: Mapped[str] = mapped_column(String(36), unique=True)
    state: Mapped[str] = mapped_column(KIND)
    attempts: Mapped[int]
    next_at: Mapped[datetime]
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(NAME, nullable=True)

"""The tables of election day: published plans, orders, movements, TPS status, alerts.

Field records are append-only where the trail matters (Sirekap's lesson: a wrong first report
must stay visible, never be overwritten): an order that changes gets a new row and the old one is
marked superseded; a status or a check-in is one row each. Uniqueness constraints, not reads,
decide races between two officers or two retries (see ``pamtps.ops.idempotency``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from pamtps.store.tables.reference import CODE, KIND, Base

# Partial unique indexes ("one current row per ...") use the same WHERE on both databases.
_CURRENT = text("superseded_at IS NULL")
_OPEN = text("resolved_at IS NULL")
APP = "app"  # how a report came in: 'app' (sent at once), 'queue' (sent later) or 'sms'


class PublicationRow(Base):
    """A plan version handed out as orders; the newest publication is the one in force."""

    __tablename__ = "plan_publications"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    plan_version: Mapped[int]  # Plan.version, as signed into the QR tokens
    published_at: Mapped[datetime]
    published_by: Mapped[str] = mapped_column(CODE)


class OrderRow(Base):
    """One officer's order. ``details`` is a snapshot of the post, team and times at publishing.

    ``changes`` lists what differs from the order it replaced (``previous_id``); ``kind`` is
    'post' or 'withdrawn' (taken off posts by a re-plan). ``first_plan_version`` is the plan
    version in which this content was first issued: QR sheets printed since then stay valid.
    """

    __tablename__ = "orders"
    __table_args__ = (
        Index(
            "uq_orders_current_nrp",
            "nrp",
            unique=True,
            sqlite_where=_CURRENT,
            postgresql_where=_CURRENT,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("plan_publications.id"), index=True)
    nrp: Mapped[str] = mapped_column(CODE)
    kind: Mapped[str] = mapped_column(KIND)
    post_id: Mapped[str | None] = mapped_column(CODE, index=True)
    sector: Mapped[str | None] = mapped_column(CODE)
    kecamatan: Mapped[str | None] = mapped_column(CODE)
    fingerprint: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict[str, Any]]
    changes: Mapped[Any] = mapped_column(JSON, nullable=True)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    first_plan_version: Mapped[int]
    issued_at: Mapped[datetime]
    acknowledged_at: Mapped[datetime | None]
    superseded_at: Mapped[datetime | None]


class MovementRow(Base):
    """One phase reported by an officer on his order; arrival at the TPS is the check-in."""

    __tablename__ = "movements"
    __table_args__ = (UniqueConstraint("order_id", "phase"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    nrp: Mapped[str] = mapped_column(CODE, index=True)
    post_id: Mapped[str | None] = mapped_column(CODE)
    phase: Mapped[str] = mapped_column(KIND)
    at: Mapped[datetime]  # when it happened, by the phone (a queued report arrives later)
    received_at: Mapped[datetime]
    channel: Mapped[str] = mapped_column(KIND, server_default=APP)  # 'app', 'queue' or 'sms'
    late: Mapped[bool]
    method: Mapped[str] = mapped_column(KIND)  # 'report', 'gps' or 'qr'
    tps_code: Mapped[str | None] = mapped_column(CODE)
    lat: Mapped[float | None]
    lng: Mapped[float | None]
    distance_m: Mapped[float | None]


class TpsStatusRow(Base):
    """One step of a TPS's day (dibuka ... kotak_diserahkan), reported once per TPS."""

    __tablename__ = "tps_status_events"
    __table_args__ = (UniqueConstraint("tps_code", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    tps_code: Mapped[str] = mapped_column(CODE, index=True)
    status: Mapped[str] = mapped_column(KIND)
    at: Mapped[datetime]
    received_at: Mapped[datetime]
    channel: Mapped[str] = mapped_column(KIND, server_default=APP)
    nrp: Mapped[str] = mapped_column(CODE)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    note: Mapped[str] = mapped_column(Text)


class HeartbeatRow(Base):
    """When an officer's device was last heard from, and where."""

    __tablename__ = "device_heartbeats"

    nrp: Mapped[str] = mapped_column(CODE, primary_key=True)
    last_seen: Mapped[datetime]
    lat: Mapped[float | None]
    lng: Mapped[float | None]


class AlertRow(Base):
    """A watch alert: an unguarded post (subject = post id) or a silent device (subject = NRP).

    ``level`` is 'polsek' then 'command' once escalated; at most one open alert per subject.
    """

    __tablename__ = "alerts"
    __table_args__ = (
        Index(
            "uq_alerts_open_subject",
            "kind",
            "subject",
            unique=True,
            sqlite_where=_OPEN,
            postgresql_where=_OPEN,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(KIND)
    subject: Mapped[str] = mapped_column(CODE)
    level: Mapped[str] = mapped_column(KIND)
    sector: Mapped[str | None] = mapped_column(CODE, index=True)
    kecamatan: Mapped[str | None] = mapped_column(CODE)
    tps_codes: Mapped[list[str]]
    message: Mapped[str] = mapped_column(Text)
    raised_at: Mapped[datetime]
    escalated_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]


class IdempotencyRow(Base):
    """A field write by its client key: the request's hash and the response it got."""

    __tablename__ = "idempotency_keys"

    actor: Mapped[str] = mapped_column(CODE, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    response: Mapped[Any] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime]

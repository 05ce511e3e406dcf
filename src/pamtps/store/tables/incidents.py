"""The tables of liaison access and incidents.

A liaison code is stored as a nonce (the code is derived from it and the service's secret, so a
sheet can be printed again) and a keyed digest to find it by; a copy of the database alone opens
nothing. An incident keeps its trail append-only: each report (the first and every merged one),
each step of its workflow and each photo is a row of its own. Photos themselves lie outside the
database (``data_dir/photos``), named by their SHA-256.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from pamtps.store.tables.field import APP
from pamtps.store.tables.reference import CODE, KIND, NAME, Base
from pamtps.store.tables.security import DIGEST

_ACTIVE = text("revoked_at IS NULL")
_OPEN = text("closed_at IS NULL")


class LiaisonCodeRow(Base):
    """An invite code for one TPS's KPPS chair or Pengawas TPS (``holder``); one active each."""

    __tablename__ = "liaison_codes"
    __table_args__ = (
        Index(
            "uq_liaison_codes_active",
            "tps_code",
            "holder",
            unique=True,
            sqlite_where=_ACTIVE,
            postgresql_where=_ACTIVE,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    tps_code: Mapped[str] = mapped_column(CODE, index=True)
    holder: Mapped[str] = mapped_column(KIND)  # 'kpps' or 'pengawas'
    nonce: Mapped[str] = mapped_column(String(32))
    lookup: Mapped[str] = mapped_column(DIGEST, unique=True)
    issued_by: Mapped[str] = mapped_column(CODE)
    issued_at: Mapped[datetime]
    redeemed_at: Mapped[datetime | None]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None]


class IncidentRow(Base):
    """One problem at one TPS; reports of the same category there merge into it while open."""

    __tablename__ = "incidents"
    __table_args__ = (
        Index(
            "uq_incidents_open_problem",
            "tps_code",
            "category",
            unique=True,
            sqlite_where=_OPEN,
            postgresql_where=_OPEN,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    tps_code: Mapped[str] = mapped_column(CODE, index=True)
    kecamatan: Mapped[str | None] = mapped_column(CODE)
    sector: Mapped[str | None] = mapped_column(CODE)  # the Polsek unit code
    category: Mapped[str] = mapped_column(KIND)
    severity: Mapped[str] = mapped_column(KIND)
    status: Mapped[str] = mapped_column(KIND, index=True)
    description: Mapped[str] = mapped_column(Text)
    lat: Mapped[float | None]
    lng: Mapped[float | None]
    reports: Mapped[int]
    reported_by: Mapped[str] = mapped_column(CODE)
    reported_at: Mapped[datetime]
    level: Mapped[str] = mapped_column(KIND)  # 'polsek', then 'command' once escalated
    escalated_at: Mapped[datetime | None]
    owner: Mapped[str | None] = mapped_column(NAME)
    updated_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class IncidentReportRow(Base):
    """One report of an incident, by whom and when (the first one and each merged later)."""

    __tablename__ = "incident_reports"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    reported_by: Mapped[str] = mapped_column(CODE)
    role: Mapped[str] = mapped_column(KIND)
    severity: Mapped[str] = mapped_column(KIND)
    description: Mapped[str] = mapped_column(Text)
    lat: Mapped[float | None]
    lng: Mapped[float | None]
    at: Mapped[datetime]  # when it was seen, by the phone (a queued report arrives later)
    received_at: Mapped[datetime | None]  # None on reports stored before 0008
    channel: Mapped[str] = mapped_column(KIND, server_default=APP)  # 'app', 'queue' or 'sms'


class IncidentStepRow(Base):
    """One step of an incident's workflow: from, to, by whom, with the owner or a note."""

    __tablename__ = "incident_steps"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    from_status: Mapped[str] = mapped_column(KIND)
    to_status: Mapped[str] = mapped_column(KIND)
    actor: Mapped[str] = mapped_column(CODE)
    owner: Mapped[str | None] = mapped_column(NAME)
    note: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]


class IncidentPhotoRow(Base):
    """A photo of an incident (number ``n`` from 1); the file is ``data_dir/photos/<sha256>``."""

    __tablename__ = "incident_photos"
    __table_args__ = (UniqueConstraint("incident_id", "n"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"))
    n: Mapped[int]
    sha256: Mapped[str] = mapped_column(DIGEST)
    media_type: Mapped[str] = mapped_column(KIND)
    size: Mapped[int]
    uploaded_by: Mapped[str] = mapped_column(CODE)
    at: Mapped[datetime]

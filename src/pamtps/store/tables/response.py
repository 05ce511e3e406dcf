"""The tables of the response: reserve units and their dispatches, ballot-box escorts, sitreps.

A reserve unit's status changes through conditional updates (``... WHERE status = old``), so
that two commanders dispatching the same unit at once cannot both succeed. Escort records are
append-only: a seal or a handover is one row each, and uniqueness decides twins.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pamtps.store.tables.reference import CODE, KIND, NAME, Base


class ReserveUnitRow(Base):
    """A reserve unit on standby (from the plan in force): a platoon, a detachment, a squad.

    ``code`` is '<station>/<unit>' (or '<station>/cadangan-<n>' for a squad of the Polres
    reserve); ``status`` is available, dispatched, on_scene or returning.
    """

    __tablename__ = "reserve_units"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(140), unique=True)
    name: Mapped[str] = mapped_column(NAME)
    unit_code: Mapped[str | None] = mapped_column(CODE)
    station: Mapped[str] = mapped_column(CODE, index=True)
    officers: Mapped[int]
    plan_id: Mapped[int]
    status: Mapped[str] = mapped_column(KIND)
    dispatch_id: Mapped[int | None]
    updated_at: Mapped[datetime]


class DispatchRow(Base):
    """One unit sent to one incident; ``status`` follows the unit's until it is back."""

    __tablename__ = "dispatches"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("reserve_units.id"), index=True)
    incident_id: Mapped[int] = mapped_column(index=True)
    station: Mapped[str] = mapped_column(CODE)
    officers: Mapped[int]
    eta_min: Mapped[float]
    status: Mapped[str] = mapped_column(KIND)
    override_reason: Mapped[str | None] = mapped_column(Text)
    left_at_station: Mapped[int]  # officers still available at the station after it left
    created_by: Mapped[str] = mapped_column(CODE)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class EscortSealRow(Base):
    """The seal number of one ballot box of a TPS, recorded at the TPS after counting."""

    __tablename__ = "escort_seals"
    __table_args__ = (UniqueConstraint("tps_code", "box"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    tps_code: Mapped[str] = mapped_column(CODE, index=True)
    box: Mapped[str] = mapped_column(KIND)
    seal: Mapped[str] = mapped_column(CODE)
    recorded_by: Mapped[str] = mapped_column(CODE)
    recorded_at: Mapped[datetime]


class EscortHandoverRow(Base):
    """One side's confirmation of a leg (TPS -> PPS, PPS -> PPK) with the seals it saw."""

    __tablename__ = "escort_handovers"
    __table_args__ = (UniqueConstraint("tps_code", "leg", "side"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    tps_code: Mapped[str] = mapped_column(CODE, index=True)
    leg: Mapped[str] = mapped_column(KIND)
    side: Mapped[str] = mapped_column(KIND)
    confirmed_by: Mapped[str] = mapped_column(CODE)
    receiver_name: Mapped[str | None] = mapped_column(NAME)
    seals: Mapped[dict[str, Any]]
    at: Mapped[datetime]
    received_at: Mapped[datetime]


class SitrepRow(Base):
    """A situation report written to files; ``slot`` (the hour) makes the hourly one unique."""

    __tablename__ = "sitreps"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(KIND)
    slot: Mapped[str | None] = mapped_column(String(32), unique=True)
    created_by: Mapped[str] = mapped_column(CODE)
    pdf_path: Mapped[str] = mapped_column(Text)
    xlsx_path: Mapped[str] = mapped_column(Text)
    summary: Mapped[dict[str, Any]]

"""The database tables, as typed SQLAlchemy models.

Only portable types, so that one schema serves SQLite and PostgreSQL: enums are stored as their
string values, lists and dicts as JSON, and a GeoJSON geometry or a plan payload as JSON text.
Rows are plain records; ``pamtps.store.repository`` turns them into domain objects and back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, DateTime, ForeignKey, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

CODE = String(64)
"""Area, TPS and unit codes, and NRP: short identifiers."""

NAME = String(200)

KIND = String(32)
"""The value of a domain enum, e.g. ``kurang_rawan``."""

# Named constraints, so that later migrations (batch mode on SQLite) can find them by name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: DateTime(timezone=True),
        dict[str, Any]: JSON,
        list[str]: JSON,
    }


class AreaRow(Base):
    __tablename__ = "areas"

    code: Mapped[str] = mapped_column(CODE, primary_key=True)
    name: Mapped[str] = mapped_column(NAME)
    level: Mapped[str] = mapped_column(KIND, index=True)
    kind: Mapped[str | None] = mapped_column(KIND)
    lat: Mapped[float | None]
    lng: Mapped[float | None]
    area_km2: Mapped[float | None]
    geometry: Mapped[str | None] = mapped_column(Text)


class TpsRow(Base):
    __tablename__ = "tps"

    code: Mapped[str] = mapped_column(CODE, primary_key=True)
    number: Mapped[int]
    desa_code: Mapped[str] = mapped_column(ForeignKey("areas.code"), index=True)
    kind: Mapped[str] = mapped_column(KIND)
    voters: Mapped[int | None]
    voters_precision: Mapped[str] = mapped_column(KIND)
    lat: Mapped[float]
    lng: Mapped[float]
    location_precision: Mapped[str] = mapped_column(KIND)
    indicators: Mapped[list[str]]
    vulnerability: Mapped[str] = mapped_column(KIND)
    class_reasons: Mapped[list[str]]


class UnitRow(Base):
    __tablename__ = "units"

    code: Mapped[str] = mapped_column(CODE, primary_key=True)
    name: Mapped[str] = mapped_column(NAME)
    type: Mapped[str] = mapped_column(KIND)
    parent_code: Mapped[str | None] = mapped_column(CODE)
    kecamatan_codes: Mapped[list[str]]
    base_desa_code: Mapped[str | None] = mapped_column(CODE)
    base_lat: Mapped[float]
    base_lng: Mapped[float]
    base_precision: Mapped[str] = mapped_column(KIND)
    note: Mapped[str] = mapped_column(Text)


class PersonnelRow(Base):
    __tablename__ = "personnel"

    nrp: Mapped[str] = mapped_column(CODE, primary_key=True)
    name: Mapped[str] = mapped_column(NAME)
    rank: Mapped[str] = mapped_column(KIND)
    unit_code: Mapped[str] = mapped_column(ForeignKey("units.code"), index=True)
    origin: Mapped[str] = mapped_column(KIND)
    function: Mapped[str] = mapped_column(NAME)
    base_lat: Mapped[float]
    base_lng: Mapped[float]
    availability: Mapped[str] = mapped_column(KIND)
    barred_desa: Mapped[list[str]]
    synthetic: Mapped[bool]


class GuardedObjectRow(Base):
    __tablename__ = "guarded_objects"

    code: Mapped[str] = mapped_column(CODE, primary_key=True)
    name: Mapped[str] = mapped_column(NAME)
    kind: Mapped[str] = mapped_column(KIND)
    kecamatan_code: Mapped[str] = mapped_column(CODE)
    lat: Mapped[float]
    lng: Mapped[float]
    guard_size: Mapped[int]


class DesaIndicatorRow(Base):
    """The numeric indicators of one desa (e.g. from PODES), by indicator name."""

    __tablename__ = "desa_indicators"

    kode_desa: Mapped[str] = mapped_column(CODE, primary_key=True)
    values: Mapped[dict[str, Any]]


class DatasetLoadedRow(Base):
    """Which dataset was saved last when, and the regencies it covers."""

    __tablename__ = "datasets_loaded"

    name: Mapped[str] = mapped_column(NAME, primary_key=True)
    loaded_at: Mapped[datetime]
    regency_codes: Mapped[list[str]]


class PlanRow(Base):
    """A stored plan; ``payload`` is its JSON text, ``parent_id`` the plan it was revised from."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    created_at: Mapped[datetime]
    name: Mapped[str] = mapped_column(NAME)
    seed: Mapped[int]
    regency_code: Mapped[str] = mapped_column(CODE, index=True)
    status: Mapped[str] = mapped_column(KIND)
    payload: Mapped[str] = mapped_column(Text)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"))

"""The imported Bawaslu rawan list: one row a listed TPS, and one row an import of a list."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pamtps.store.tables.reference import KIND, NAME, Base

SHA256 = String(64)


class RawanListingRow(Base):
    """A TPS on the Bawaslu rawan list: its class, indicators ([[name, value], ...]), alasan,
    and the file it came from."""

    __tablename__ = "bawaslu_rawan"

    tps_code: Mapped[str] = mapped_column(ForeignKey("tps.code"), primary_key=True)
    kelas: Mapped[str] = mapped_column(KIND)
    indicators: Mapped[list[Any]] = mapped_column(JSON)
    alasan: Mapped[str] = mapped_column(Text)
    source_file: Mapped[str] = mapped_column(NAME)
    source_sha256: Mapped[str] = mapped_column(SHA256)
    imported_at: Mapped[datetime]


class RawanImportRow(Base):
    """One import that changed the list: the file (name, sha256), when, and what it changed."""

    __tablename__ = "bawaslu_rawan_imports"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    file: Mapped[str] = mapped_column(NAME)
    sha256: Mapped[str] = mapped_column(SHA256, index=True)
    imported_at: Mapped[datetime]
    regency_codes: Mapped[list[str]]
    listed: Mapped[int]
    added: Mapped[int]
    changed: Mapped[int]
    removed: Mapped[int]

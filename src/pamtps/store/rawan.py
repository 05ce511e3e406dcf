"""The Bawaslu rawan list in the store: replace a regency's list with an imported one, load it.

A list is issued whole, per regency: importing one replaces the listed TPS of every regency the
file covers (a TPS dropped from the new list is no longer listed), and leaves other regencies'
lists alone. An import that would change nothing writes nothing, so importing the same file
again says so instead of recording a second import.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from pamtps.domain import VulnerabilityClass
from pamtps.domain.rawan import RawanListing
from pamtps.store.tables.rawan import RawanImportRow, RawanListingRow


@dataclass(frozen=True, slots=True)
class RawanSource:
    """Where a list came from: the file's name and the sha256 of its bytes."""

    file: str
    sha256: str


@dataclass(frozen=True, slots=True)
class RawanChanges:
    """What an import did to the stored list; ``previous`` is the last import of this content
    (file, sha256, when) when nothing changed."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    previous: tuple[str, str, datetime] | None = None

    @property
    def nothing(self) -> bool:
        return not (self.added or self.changed or self.removed)


def _regency_of(tps_code: str) -> str:
    return f"{tps_code[:2]}.{tps_code[2:4]}"


def _content(listing: RawanListing) -> tuple[str, list[list[str]], str]:
    return listing.kelas.value, [list(pair) for pair in listing.indicators], listing.alasan


def _row_content(row: RawanListingRow) -> tuple[str, list[list[str]], str]:
    return row.kelas, [list(pair) for pair in row.indicators], row.alasan


def replace_rawan_list(
    session: Session, listings: Sequence[RawanListing], source: RawanSource
) -> RawanChanges:
    """Make the stored list of every regency in ``listings`` exactly ``listings``.

    The TPS must be stored. Returns the counts; writes nothing when nothing would change.
    """
    regencies = sorted({_regency_of(listing.tps) for listing in listings})
    prefixes = [regency.replace(".", "") for regency in regencies]
    stored = {
        row.tps_code: row
        for row in session.scalars(select(RawanListingRow).where(
            or_(*(RawanListingRow.tps_code.startswith(prefix) for prefix in prefixes))))
    }
    given = {listing.tps: listing for listing in listings}
    added = [code for code in given if code not in stored]
    removed = [code for code in stored if code not in given]
    changed = [code for code in given
               if code in stored and _row_content(stored[code]) != _content(given[code])]
    unchanged = len(given) - len(added) - len(changed)
    if not (added or changed or removed):
        last = session.scalars(select(RawanImportRow).where(RawanImportRow.sha256 == source.sha256)
                               .order_by(RawanImportRow.imported_at.desc())).first()
        previous = (last.file, last.sha256, last.imported_at) if last else None
        return RawanChanges(unchanged=unchanged, previous=previous)
    now = datetime.now(UTC)
    if removed:
        session.execute(delete(RawanListingRow).where(RawanListingRow.tps_code.in_(removed)))
    for listing in listings:
        kelas, indicators, alasan = _content(listing)
        session.merge(RawanListingRow(
            tps_code=listing.tps, kelas=kelas, indicators=indicators, alasan=alasan,
            source_file=source.file, source_sha256=source.sha256, imported_at=now))
    session.add(RawanImportRow(
        file=source.file, sha256=source.sha256, imported_at=now, regency_codes=regencies,
        listed=len(given), added=len(added), changed=len(changed), removed=len(removed)))
    return RawanChanges(len(added), len(changed), len(removed), unchanged)


def load_rawan_list(session: Session) -> dict[str, RawanListing]:
    """The stored list, by TPS code, in code order."""
    rows = sorted(session.scalars(select(RawanListingRow)), key=lambda row: row.tps_code)
    return {row.tps_code: _listing(row) for row in rows}


def _listing(row: RawanListingRow) -> RawanListing:
    pairs: list[Any] = row.indicators
    return RawanListing(
        tps=row.tps_code,
        kelas=VulnerabilityClass(row.kelas),
        indicators=tuple((str(name), str(value)) for name, value in pairs),
        alasan=row.alasan,
        source=row.source_file,
    )


def rawan_imports(session: Session) -> list[RawanImportRow]:
    """Every import that changed the list, oldest first."""
    return list(session.scalars(select(RawanImportRow).order_by(RawanImportRow.id)))

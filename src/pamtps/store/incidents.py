"""Incidents in the store: opening and joining them, their trail, photos and escalation; the
once-only keys of the incident and liaison writes; the names the incident page labels codes with.

The rules (which step is legal, who sees what, when an incident is overdue) stay in
``pamtps.ops.incidents``; these functions only run the statements those rules decide on.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.orm import Session

from pamtps.store.on_conflict import upsert
from pamtps.store.security import note_written
from pamtps.store.tables.incidents import (
    IncidentPhotoRow,
    IncidentReportRow,
    IncidentRow,
    IncidentStepRow,
)
from pamtps.store.tables.reference import AreaRow, GuardedObjectRow, UnitRow

# Reporting.


def _incident_insert(insert: Any) -> Any:
    return (
        insert(IncidentRow)
        .on_conflict_do_nothing(
            index_elements=["tps_code", "category"], index_where=IncidentRow.closed_at.is_(None)
        )
        .returning(IncidentRow.id)
    )


def open_incident(session: Session, values: Mapping[str, Any]) -> int | None:
    """The id of the incident opened with ``values``; None if one of the same TPS and category
    is already open (the partial unique index turns the insert into nothing)."""
    new_id: int | None = session.execute(upsert(session, _incident_insert), values).scalar()
    if new_id is not None:
        note_written(session, "incidents", [new_id])
    return new_id


def join_open_incident(
    session: Session, tps_code: str, category: str, now: datetime
) -> IncidentRow:
    """The open incident of this TPS and category, locked, with one more report counted."""
    incident = session.scalars(
        select(IncidentRow)
        .where(
            IncidentRow.tps_code == tps_code,
            IncidentRow.category == category,
            IncidentRow.closed_at.is_(None),
        )
        .with_for_update()
    ).one()
    # Counted in SQL, so that two reports merging at once both count.
    session.execute(
        update(IncidentRow)
        .where(IncidentRow.id == incident.id)
        .values(reports=IncidentRow.reports + 1, updated_at=now),
        execution_options={"synchronize_session": False},
    )
    note_written(session, "incidents", [incident.id])
    session.refresh(incident)
    return incident


# Escalation.


def escalate_overdue(
    session: Session, *, severity: str, deadline: datetime, waiting: Iterable[str], level: str,
    to_level: str, now: datetime,
) -> Sequence[IncidentRow]:
    """Move the incidents of ``severity`` still at ``level`` in a ``waiting`` status, reported by
    ``deadline``, to ``to_level``; those this statement changed."""
    escalated = session.scalars(
        update(IncidentRow)
        .where(
            IncidentRow.level == level,
            IncidentRow.status.in_(waiting),
            IncidentRow.severity == severity,
            IncidentRow.reported_at <= deadline,
        )
        .values(level=to_level, escalated_at=now)
        .returning(IncidentRow),
        execution_options={"synchronize_session": False, "populate_existing": True},
    ).all()
    note_written(session, "incidents", [row.id for row in escalated])
    return escalated


# Reading.


def incident_trail(
    session: Session, incident_id: int
) -> tuple[list[IncidentReportRow], list[IncidentStepRow], list[IncidentPhotoRow]]:
    """The incident's reports, steps (both in order of arrival) and photos (by number)."""
    reports = session.scalars(
        select(IncidentReportRow).filter_by(incident_id=incident_id).order_by("id")
    )
    steps = session.scalars(
        select(IncidentStepRow).filter_by(incident_id=incident_id).order_by("id")
    )
    photos = session.scalars(
        select(IncidentPhotoRow).filter_by(incident_id=incident_id).order_by("n")
    )
    return list(reports), list(steps), list(photos)


def _seen_by(
    kecamatan_codes: Collection[str], tps_codes: Collection[str]
) -> ColumnElement[bool]:
    return or_(
        IncidentRow.kecamatan.in_(sorted(kecamatan_codes)),
        IncidentRow.tps_code.in_(sorted(tps_codes)),
    )


def find_incidents(
    session: Session, *, everything: bool, kecamatan_codes: Collection[str],
    tps_codes: Collection[str], equal: Mapping[str, str], open_only: bool,
) -> list[IncidentRow]:
    """The incidents in these kecamatan or at these TPS (all of them with ``everything``),
    newest first, whose columns named in ``equal`` hold those values; only open ones if asked."""
    query = select(IncidentRow).order_by(IncidentRow.id.desc())
    if not everything:
        query = query.where(_seen_by(kecamatan_codes, tps_codes))
    for name, value in equal.items():
        query = query.where(getattr(IncidentRow, name) == value)
    if open_only:
        query = query.where(IncidentRow.closed_at.is_(None))
    return list(session.scalars(query))


def incident_states(session: Session) -> Sequence[tuple[str, str, str | None, bool]]:
    """Status, category, sector and whether it is open, of every incident."""
    return session.execute(
        select(IncidentRow.status, IncidentRow.category, IncidentRow.sector,
               IncidentRow.closed_at.is_(None))
    ).all()


# Photos.


def photo_count(session: Session, incident_id: int) -> int:
    """How many photos the incident has."""
    return session.scalar(
        select(func.count()).where(IncidentPhotoRow.incident_id == incident_id)
    ) or 0


def incident_photo(session: Session, incident_id: int, n: int) -> IncidentPhotoRow | None:
    """The incident's photo number ``n``, if there is one."""
    return session.scalars(
        select(IncidentPhotoRow).where(
            IncidentPhotoRow.incident_id == incident_id, IncidentPhotoRow.n == n
        )
    ).one_or_none()


# The incident page.


def code_names(session: Session) -> dict[str, str]:
    """Code -> name of every area, unit and guarded object."""
    found: dict[str, str] = {}
    for row in (AreaRow, UnitRow, GuardedObjectRow):
        found.update((code, name) for code, name in session.execute(select(row.code, row.name)))
    return found

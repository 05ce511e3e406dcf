"""Queries of the response: reserve units and dispatches, ballot-box escorts, situation reports.

The rules (the floor, the chain of custody, when a report is due) live in ``pamtps.ops``; here
are the statements they run. Races are decided by the database, as the callers expect: a unit
is claimed by ``UPDATE ... WHERE status = 'available'``, an alert or a report slot by ``INSERT
... ON CONFLICT DO NOTHING``, a flag closed by ``UPDATE ... WHERE resolved_at IS NULL``, and a
twin escort record trips a unique constraint (``DuplicateRecord``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pamtps.store.errors import DuplicateRecord
from pamtps.store.field import alert_insert
from pamtps.store.on_conflict import upsert
from pamtps.store.tables.field import AlertRow, TpsStatusRow
from pamtps.store.tables.incidents import IncidentRow
from pamtps.store.tables.reference import AreaRow, TpsRow, UnitRow
from pamtps.store.tables.response import (
    DispatchRow,
    EscortHandoverRow,
    EscortSealRow,
    ReserveUnitRow,
    SitrepRow,
)

# Reserve units and dispatches.


def stored_units(session: Session) -> Sequence[ReserveUnitRow]:
    """Every stored reserve unit, in no particular order."""
    return session.scalars(select(ReserveUnitRow)).all()


def _unit_insert(insert: object) -> object:
    return insert(ReserveUnitRow).on_conflict_do_nothing()  # type: ignore[operator]


def add_units(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert these reserve units, skipping codes already stored (a concurrent sync)."""
    session.execute(upsert(session, _unit_insert), rows)


def units_by_station(session: Session) -> list[ReserveUnitRow]:
    """Every stored reserve unit, by station then code."""
    query = select(ReserveUnitRow).order_by(ReserveUnitRow.station, ReserveUnitRow.code)
    return list(session.scalars(query))


def units_by_code(session: Session) -> Sequence[ReserveUnitRow]:
    """Every stored reserve unit, by code."""
    return session.scalars(select(ReserveUnitRow).order_by(ReserveUnitRow.code)).all()


def unit_codes(session: Session) -> dict[int, str]:
    """The code of each stored reserve unit, by id."""
    units = session.execute(select(ReserveUnitRow.id, ReserveUnitRow.code))
    return {unit_id: code for unit_id, code in units}


def lock_station(session: Session, station: str) -> list[ReserveUnitRow]:
    """The station's units, freshly read and locked until the transaction ends.

    PostgreSQL locks the rows (``FOR UPDATE``); SQLite ignores that, so a no-op write takes its
    database write lock first.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("UPDATE reserve_units SET id = id WHERE 1 = 0"))
    query = select(ReserveUnitRow).where(ReserveUnitRow.station == station).with_for_update()
    return list(session.scalars(query.execution_options(populate_existing=True)))


def claim_unit(
    session: Session,
    unit_id: int,
    *,
    available: str,
    dispatched: str,
    dispatch_id: int,
    now: datetime,
) -> bool:
    """Whether this call moved the unit from ``available`` to ``dispatched`` (one claim wins)."""
    claimed = session.execute(
        update(ReserveUnitRow)
        .where(ReserveUnitRow.id == unit_id, ReserveUnitRow.status == available)
        .values(status=dispatched, dispatch_id=dispatch_id, updated_at=now)
    )
    return claimed.rowcount == 1  # type: ignore[attr-defined]


def locked_dispatch(session: Session, dispatch_id: int) -> DispatchRow | None:
    """The dispatch, locked until the transaction ends; None if there is none."""
    return session.get(DispatchRow, dispatch_id, with_for_update=True)


def move_unit(
    session: Session,
    unit_id: int,
    dispatch_id: int,
    *,
    status: str,
    released: bool,
    now: datetime,
) -> bool:
    """Whether the unit, still on this dispatch, took ``status`` (``released``: off it now)."""
    changed = session.execute(
        update(ReserveUnitRow)
        .where(ReserveUnitRow.id == unit_id, ReserveUnitRow.dispatch_id == dispatch_id)
        .values(status=status, updated_at=now, dispatch_id=None if released else dispatch_id)
    )
    return changed.rowcount == 1  # type: ignore[attr-defined]


def incident_dispatches(session: Session, incident_id: int) -> Sequence[DispatchRow]:
    """The dispatches to an incident, newest first."""
    query = select(DispatchRow).where(DispatchRow.incident_id == incident_id)
    return session.scalars(query.order_by(DispatchRow.id.desc())).all()


# Escorts.


def status_times(session: Session, *, status: str) -> dict[str, datetime]:
    """When each TPS that reached ``status`` reached it, by TPS code."""
    return dict(
        session.execute(
            select(TpsStatusRow.tps_code, TpsStatusRow.at).where(TpsStatusRow.status == status)
        ).all()
    )


def recorded_seals(session: Session, tps_code: str) -> dict[str, str]:
    """The seal recorded for each box of the TPS (empty before its seals are recorded)."""
    rows = session.scalars(select(EscortSealRow).where(EscortSealRow.tps_code == tps_code))
    return {row.box: row.seal for row in rows}


def confirmed_sides(session: Session, tps_code: str) -> set[tuple[str, str]]:
    """The (leg, side) pairs the TPS has confirmed."""
    query = select(EscortHandoverRow.leg, EscortHandoverRow.side).where(
        EscortHandoverRow.tps_code == tps_code
    )
    return {(leg, side) for leg, side in session.execute(query)}


def handover_sides(session: Session) -> Iterable[tuple[str, str, str]]:
    """(TPS code, leg, side) of every handover confirmed."""
    return session.execute(
        select(EscortHandoverRow.tps_code, EscortHandoverRow.leg, EscortHandoverRow.side)
    )


def all_seals(session: Session) -> Iterable[EscortSealRow]:
    """Every seal recorded."""
    return session.scalars(select(EscortSealRow))


def all_handovers(session: Session) -> Iterable[EscortHandoverRow]:
    """Every handover confirmed."""
    return session.scalars(select(EscortHandoverRow))


@contextmanager
def duplicates_refused() -> Iterator[None]:
    """Raise ``DuplicateRecord`` for a unique constraint tripped in the block: a twin won."""
    try:
        yield
    except IntegrityError as error:
        raise DuplicateRecord(str(error.orig)) from error


# Alerts of the escort.


def raise_open_alert(session: Session, values: dict[str, Any]) -> AlertRow | None:
    """The alert inserted, or None if one of its kind and subject is open already."""
    alert_id = session.execute(upsert(session, alert_insert), values).scalar()
    return None if alert_id is None else session.get_one(AlertRow, alert_id)


def resolve_open_alerts(
    session: Session, *, kind: str, subjects: list[str], now: datetime
) -> Sequence[AlertRow]:
    """Resolve the open alerts of this kind about these subjects; those this call resolved."""
    return session.scalars(
        update(AlertRow)
        .where(
            AlertRow.kind == kind, AlertRow.subject.in_(subjects), AlertRow.resolved_at.is_(None)
        )
        .values(resolved_at=now)
        .returning(AlertRow),
        execution_options={"synchronize_session": False, "populate_existing": True},
    ).all()


def open_alert_subjects(session: Session, *, kind: str) -> set[str]:
    """The subjects of the open alerts of this kind."""
    return set(
        session.scalars(
            select(AlertRow.subject).where(AlertRow.kind == kind, AlertRow.resolved_at.is_(None))
        )
    )


def close_open_alert(session: Session, alert_id: int, now: datetime) -> AlertRow | None:
    """Resolve the alert if still open; None if someone resolved it first."""
    return session.scalars(
        update(AlertRow)
        .where(AlertRow.id == alert_id, AlertRow.resolved_at.is_(None))
        .values(resolved_at=now)
        .returning(AlertRow),
        execution_options={"synchronize_session": False, "populate_existing": True},
    ).one_or_none()


def open_alert_count(session: Session, *, kind: str) -> int | None:
    """How many alerts of this kind are open."""
    return session.scalar(
        select(func.count()).where(AlertRow.kind == kind, AlertRow.resolved_at.is_(None))
    )


# Situation reports.


def incident_counts(session: Session) -> Iterable[tuple[str, str | None, bool, int]]:
    """(category, sector, open, count) of the incidents, grouped by the first three."""
    state = (IncidentRow.closed_at.is_(None)).label("open")
    query = select(IncidentRow.category, IncidentRow.sector, state, func.count()).group_by(
        IncidentRow.category, IncidentRow.sector, state
    )
    return session.execute(query)


def open_incidents(session: Session, limit: int) -> Sequence[IncidentRow]:
    """The first ``limit`` open incidents, oldest report first."""
    query = (
        select(IncidentRow)
        .where(IncidentRow.closed_at.is_(None))
        .order_by(IncidentRow.reported_at, IncidentRow.id)
        .limit(limit)
    )
    return session.scalars(query).all()


def closed_incidents(session: Session, limit: int) -> Sequence[IncidentRow]:
    """The ``limit`` incidents closed last, newest first."""
    query = (
        select(IncidentRow)
        .where(IncidentRow.closed_at.is_not(None))
        .order_by(IncidentRow.closed_at.desc(), IncidentRow.id.desc())
        .limit(limit)
    )
    return session.scalars(query).all()


def unit_names(session: Session) -> dict[str, str]:
    """The name of every unit (Polres, Polsek, formed unit), by code."""
    return dict(session.execute(select(UnitRow.code, UnitRow.name)).all())


def tps_desa(session: Session, tps_codes: set[str]) -> Iterable[tuple[str, int, str]]:
    """(TPS code, number, desa name) of these TPS."""
    query = (
        select(TpsRow.code, TpsRow.number, AreaRow.name)
        .join(AreaRow, AreaRow.code == TpsRow.desa_code)
        .where(TpsRow.code.in_(sorted(tps_codes)))
    )
    return session.execute(query)


def _sitrep_insert(insert: Any) -> Any:
    return insert(SitrepRow).on_conflict_do_nothing().returning(SitrepRow.id)


def add_sitrep(session: Session, values: dict[str, Any]) -> int | None:
    """The id of the report stored, or None if its ``slot`` was taken already."""
    return session.execute(upsert(session, _sitrep_insert), values).scalar()


def latest_sitrep(session: Session) -> SitrepRow | None:
    """The newest situation report, or None before the first."""
    return session.scalars(select(SitrepRow).order_by(SitrepRow.id.desc()).limit(1)).first()


# Areas.


def kecamatan_and_desa(session: Session) -> Sequence[tuple[str, str, str]]:
    """(code, name, level) of every kecamatan and desa."""
    return session.execute(
        select(AreaRow.code, AreaRow.name, AreaRow.level).where(
            AreaRow.level.in_(("kecamatan", "desa"))
        )
    ).all()

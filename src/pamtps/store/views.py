"""What the dashboard's pages read: the map's boundaries, one TPS's orders, movements and alerts,
the recent plan versions and an officer's movements. Reads only; the pages shape the rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import Row, func, or_, select
from sqlalchemy.orm import Session

from pamtps.store.tables.field import AlertRow, MovementRow, OrderRow, PublicationRow
from pamtps.store.tables.reference import AreaRow, DatasetLoadedRow, PlanRow, TpsRow, UnitRow


def area_boundaries(
    session: Session, levels: Iterable[str]
) -> Iterable[Row[str, str, str, str | None]]:
    """(code, name, level, GeoJSON text or None) of the areas at these levels, by level and
    code."""
    return session.execute(
        select(AreaRow.code, AreaRow.name, AreaRow.level, AreaRow.geometry)
        .where(AreaRow.level.in_(levels))
        .order_by(AreaRow.level, AreaRow.code)
    )


def area_names(session: Session, codes: Iterable[str]) -> dict[str, str]:
    """The names of the stored areas among ``codes``, by code."""
    rows = session.execute(select(AreaRow.code, AreaRow.name).where(AreaRow.code.in_(codes)))
    return {code: name for code, name in rows}


def current_orders_of_post(session: Session, post_id: str) -> list[OrderRow]:
    """The orders of a post that no newer plan version has superseded."""
    return list(session.scalars(
        select(OrderRow).where(OrderRow.post_id == post_id, OrderRow.superseded_at.is_(None))
    ))


def movements_of_orders(session: Session, order_ids: list[int]) -> list[MovementRow]:
    """The movements reported under these orders."""
    return list(session.scalars(
        select(MovementRow).where(MovementRow.order_id.in_(order_ids))
    ))


def alerts_of_post(
    session: Session, *, unguarded: str, post_id: str, silent: str, nrps: list[str]
) -> list[AlertRow]:
    """The alerts about a post: of kind ``unguarded`` on the post, of kind ``silent`` on one of
    its officers (``nrps``)."""
    return list(session.scalars(select(AlertRow).where(or_(
        (AlertRow.kind == unguarded) & (AlertRow.subject == post_id),
        (AlertRow.kind == silent) & AlertRow.subject.in_(nrps),
    ))))


def recent_plans(
    session: Session, limit: int
) -> Sequence[Row[int, datetime, str, str, int | None]]:
    """(id, created_at, name, status, parent_id) of the ``limit`` newest plan versions, newest
    first."""
    return session.execute(
        select(PlanRow.id, PlanRow.created_at, PlanRow.name, PlanRow.status, PlanRow.parent_id)
        .order_by(PlanRow.id.desc())
        .limit(limit)
    ).all()


def phases_reported(session: Session, nrp: str | None) -> Sequence[str]:
    """The phases an officer has reported under his current orders."""
    return session.scalars(
        select(MovementRow.phase)
        .join(OrderRow, MovementRow.order_id == OrderRow.id)
        .where(OrderRow.nrp == nrp, OrderRow.superseded_at.is_(None))
    ).all()


def any_area_code(session: Session) -> str | None:
    """One stored area's code (its province gives the regency's time zone), or None."""
    return session.scalar(select(AreaRow.code).order_by(AreaRow.code).limit(1))


def desa_names_and_kinds(session: Session) -> Sequence[Row[str, str, str | None]]:
    """(code, name, kind: 'desa' or 'kelurahan') of every stored desa."""
    return session.execute(
        select(AreaRow.code, AreaRow.name, AreaRow.kind).where(AreaRow.level == "desa")
    ).all()


def map_sources_version(session: Session) -> tuple[object, ...]:
    """A fingerprint of what the map's layers are drawn from (the datasets loaded, the TPS and
    their places, the areas and units): equal fingerprints, equal layers, so a process may
    keep a layer it made until the fingerprint changes."""
    loaded = session.execute(
        select(DatasetLoadedRow.name, DatasetLoadedRow.loaded_at).order_by(DatasetLoadedRow.name)
    ).all()
    tps = session.execute(
        select(func.count(), func.sum(TpsRow.lat), func.sum(TpsRow.lng), func.sum(TpsRow.number))
    ).one()
    areas = session.scalar(select(func.count()).select_from(AreaRow))
    units = session.scalar(select(func.count()).select_from(UnitRow))
    return (*(tuple(row) for row in loaded), tuple(tps), areas, units)


def publication_version(session: Session) -> tuple[object, ...] | None:
    """A fingerprint of the publication in force (its id, plan, version, time and the size of
    the plan stored), or None before the first one."""
    row = session.execute(
        select(PublicationRow.id, PublicationRow.plan_id, PublicationRow.plan_version,
               PublicationRow.published_at, func.length(PlanRow.payload))
        .join(PlanRow, PlanRow.id == PublicationRow.plan_id)
        .order_by(PublicationRow.id.desc()).limit(1)
    ).first()
    return None if row is None else tuple(row)

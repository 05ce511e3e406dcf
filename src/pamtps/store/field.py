"""The queries of election day's field records, besides the write path's own (``field_rows``):
orders in force, what the dashboard reads of the TPS, the watch's alerts, and the races a field
write may lose to another transaction.

The alert statements are conditional (insert unless an open alert exists, ``UPDATE ... WHERE
resolved_at IS NULL``), so that two processes running the watch at once change each alert once;
the caller learns from the rows returned which changes were its own.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any, TypeAlias, cast

from sqlalchemy import Row, Table, Text, and_, bindparam, func, or_, select, update
from sqlalchemy import cast as sql_cast
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from pamtps.store.errors import Raced
from pamtps.store.on_conflict import listed, upsert
from pamtps.store.security import note_written
from pamtps.store.tables.field import AlertRow, HeartbeatRow, MovementRow, OrderRow, TpsStatusRow
from pamtps.store.tables.reference import TpsRow

AlertRecord: TypeAlias = AlertRow | Row[Any]
"""An alert as the ORM loads it, or as a statement on the table returns it (same attributes)."""

RACE_STATES = frozenset({"40P01", "40001"})  # deadlock, serialization failure


# Orders.


def order_in_force(session: Session, nrp: str | None) -> OrderRow | None:
    """The officer's order in force, or None if he has none (or no NRP)."""
    return session.scalars(
        select(OrderRow).where(OrderRow.nrp == nrp, OrderRow.superseded_at.is_(None))
    ).first()


def orders_in_force(session: Session) -> dict[str, OrderRow]:
    """The order in force of each officer, by NRP."""
    rows = session.scalars(select(OrderRow).where(OrderRow.superseded_at.is_(None)))
    return {row.nrp: row for row in rows}


def orders_in_force_by_nrp(
    session: Session, *, acknowledged: bool | None = None
) -> Sequence[OrderRow]:
    """The orders in force sorted by NRP; only the acknowledged (or the unacknowledged) if asked."""
    query = select(OrderRow).where(OrderRow.superseded_at.is_(None)).order_by(OrderRow.nrp)
    if acknowledged is not None:
        column = OrderRow.acknowledged_at
        query = query.where(column.is_not(None) if acknowledged else column.is_(None))
    return session.scalars(query).all()


def count_orders_in_force(session: Session, *, acknowledged: bool | None = None) -> int:
    """How many orders are in force (acknowledged or not, if asked): ``orders_in_force_by_nrp``
    counted by the database."""
    query = select(func.count(OrderRow.id)).where(OrderRow.superseded_at.is_(None))
    if acknowledged is not None:
        column = OrderRow.acknowledged_at
        query = query.where(column.is_not(None) if acknowledged else column.is_(None))
    return int(session.scalar(query) or 0)


def post_orders_in_force(session: Session) -> Sequence[OrderRow]:
    """The orders in force that put an officer on a post."""
    return session.scalars(
        select(OrderRow).where(OrderRow.superseded_at.is_(None), OrderRow.kind == "post")
    ).all()


_POST_IN_FORCE = (OrderRow.superseded_at.is_(None), OrderRow.kind == "post")


def post_orders_version(session: Session) -> tuple[int, int | None, int | None]:
    """(how many, highest id, length of their details) of the post orders in force: a new
    order, or one superseded, changes it. Lets a process keep what it read of the orders until
    they change."""
    count, highest, length = session.execute(
        select(func.count(OrderRow.id), func.max(OrderRow.id),
               func.sum(func.length(sql_cast(OrderRow.details, Text)))).where(*_POST_IN_FORCE)
    ).one()
    return int(count), highest, None if length is None else int(length)


def post_teams(session: Session) -> dict[str, tuple[int, list[str]]]:
    """Per post with orders in force: (officers ordered there, its TPS codes). The TPS are read
    from one order of the post (all its orders name the same TPS)."""
    sizes = {post: int(n) for post, n in session.execute(
        select(OrderRow.post_id, func.count(OrderRow.id)).where(*_POST_IN_FORCE)
        .group_by(OrderRow.post_id)
    )}
    first = select(func.min(OrderRow.id)).where(*_POST_IN_FORCE).group_by(OrderRow.post_id)
    rows = session.execute(select(OrderRow.post_id, OrderRow.details).where(OrderRow.id.in_(first)))
    return {
        str(post): (sizes[post], [tps["code"] for tps in details.get("tps", [])])
        for post, details in rows
    }


def arrivals_by_post(session: Session, arrival: str) -> dict[str, int]:
    """Per post: how many of its orders in force have their officer's ``arrival`` reported."""
    rows = session.execute(
        select(OrderRow.post_id, func.count(func.distinct(OrderRow.id)))
        .join(MovementRow, MovementRow.order_id == OrderRow.id)
        .where(*_POST_IN_FORCE, MovementRow.phase == arrival)
        .group_by(OrderRow.post_id)
    )
    return {str(post): int(count) for post, count in rows}


def supersede_orders(session: Session, order_ids: list[int], now: datetime) -> None:
    """Mark these orders superseded at ``now``, unless they already are."""
    session.execute(
        update(OrderRow)
        .where(OrderRow.id.in_(order_ids), OrderRow.superseded_at.is_(None))
        .values(superseded_at=now)
    )
    note_written(session, "orders", order_ids)


# Movements, TPS steps, devices.


def orders_with_phase(session: Session, phase: str, order_ids: list[int]) -> set[int]:
    """Those of the orders on which the phase has been reported."""
    return set(
        session.scalars(
            select(MovementRow.order_id).where(
                MovementRow.phase == phase, MovementRow.order_id.in_(order_ids)
            )
        )
    )


def officers_with_phase(session: Session, phase: str) -> set[str]:
    """The NRPs of the officers who have reported the phase, on any order."""
    return set(session.scalars(select(MovementRow.nrp).where(MovementRow.phase == phase)))


def posts_reached(session: Session, arrival: str) -> set[str | None]:
    """The posts of the orders in force on which an officer reported ``arrival``."""
    return set(
        session.scalars(
            select(OrderRow.post_id)
            .join(MovementRow, MovementRow.order_id == OrderRow.id)
            .where(OrderRow.superseded_at.is_(None), MovementRow.phase == arrival)
        )
    )


def tps_codes(session: Session) -> list[str]:
    """The code of every TPS, sorted."""
    return list(session.scalars(select(TpsRow.code).order_by(TpsRow.code)))


def status_steps(session: Session) -> Sequence[tuple[str, str, datetime]]:
    """Every status step of every TPS: (TPS code, step, when), in no set order."""
    return session.execute(
        select(TpsStatusRow.tps_code, TpsStatusRow.status, TpsStatusRow.at)
    ).all()


def status_steps_of(session: Session, tps_code: str) -> list[dict[str, Any]]:
    """Every status step of one TPS (its row's columns), oldest first."""
    table = TpsStatusRow.__table__
    events = session.execute(
        select(table).where(table.c.tps_code == tps_code).order_by(table.c.id)
    ).mappings()
    return [dict(event) for event in events]


def last_heard(session: Session) -> dict[str, datetime]:
    """When each officer's device was last heard from, by NRP."""
    return dict(session.execute(select(HeartbeatRow.nrp, HeartbeatRow.last_seen)).all())


def devices_heard_since(session: Session, since: datetime) -> set[str]:
    """The NRPs of the officers whose device was heard from after ``since``."""
    return set(session.scalars(select(HeartbeatRow.nrp).where(HeartbeatRow.last_seen > since)))


# Alerts.


def open_alerts(session: Session) -> Sequence[AlertRow]:
    """The open alerts, in no set order."""
    return session.scalars(select(AlertRow).where(AlertRow.resolved_at.is_(None))).all()


def open_alerts_newest_first(session: Session) -> Sequence[AlertRow]:
    """The open alerts, newest first."""
    return session.scalars(
        select(AlertRow).where(AlertRow.resolved_at.is_(None)).order_by(AlertRow.id.desc())
    ).all()


def open_alert_subjects(session: Session, kind: str) -> set[str]:
    """The subjects (post or NRP) of the open alerts of one kind."""
    return set(
        session.scalars(
            select(AlertRow.subject).where(AlertRow.kind == kind, AlertRow.resolved_at.is_(None))
        )
    )


def alert_insert(insert: Any) -> Any:
    """Insert an alert unless one of its kind and subject is open (the partial unique index)."""
    return (
        insert(AlertRow)
        .on_conflict_do_nothing(
            index_elements=["kind", "subject"], index_where=AlertRow.resolved_at.is_(None)
        )
        .returning(AlertRow.id)
    )


def raise_alert(session: Session, values: dict[str, Any]) -> AlertRow | None:
    """Insert an open alert unless one is open for its kind and subject; the new alert, or None
    if one was open."""
    alert_id = session.execute(upsert(session, alert_insert), values).scalar()
    if alert_id is None:
        return None
    return session.get_one(AlertRow, alert_id)


def resolve_alerts(session: Session, ids: list[int], now: datetime) -> Sequence[AlertRow]:
    """Resolve those of the alerts still open at ``now``; the ones this call resolved."""
    return session.scalars(
        update(AlertRow)
        .where(AlertRow.id.in_(ids), AlertRow.resolved_at.is_(None))
        .values(resolved_at=now)
        .returning(AlertRow),
        execution_options={"synchronize_session": False, "populate_existing": True},
    ).all()


_ALERTS = cast(Table, AlertRow.__table__)
_RESOLVE_SUBJECTS = (
    update(_ALERTS)
    .where(
        _ALERTS.c.resolved_at.is_(None),
        or_(
            and_(_ALERTS.c.kind == bindparam("b_post_kind"),
                 _ALERTS.c.subject.in_(listed("posts"))),
            and_(_ALERTS.c.kind == bindparam("b_device_kind"),
                 _ALERTS.c.subject.in_(listed("nrps"))),
        ),
    )
    .values(resolved_at=bindparam("b_resolved_at"))
    .returning(*_ALERTS.c)
)  # built once: it runs with every check-in


def resolve_alerts_of(
    session: Session,
    *,
    post_kind: str,
    posts: set[str],
    device_kind: str,
    nrps: set[str],
    now: datetime,
) -> Sequence[Row[Any]]:
    """Resolve at ``now`` the open ``post_kind`` alerts of the posts and ``device_kind`` alerts
    of the officers; the alerts this call resolved."""
    params = {"posts": sorted(posts), "nrps": sorted(nrps), "b_resolved_at": now,
              "b_post_kind": post_kind, "b_device_kind": device_kind}
    return session.execute(_RESOLVE_SUBJECTS, params).all()


def escalate_alerts(
    session: Session, *, kind: str, level: str, to: str, now: datetime, delay: timedelta
) -> Sequence[AlertRow]:
    """Move the open ``kind`` alerts at ``level`` raised ``delay`` or more before ``now`` up to
    level ``to``; the ones this call escalated."""
    return session.scalars(
        update(AlertRow)
        .where(
            AlertRow.kind == kind,
            AlertRow.level == level,
            AlertRow.resolved_at.is_(None),
            AlertRow.raised_at <= now - delay,
        )
        .values(level=to, escalated_at=now)
        .returning(AlertRow),
        execution_options={"synchronize_session": False, "populate_existing": True},
    ).all()


# Races.


@contextmanager
def races_lost() -> Iterator[None]:
    """Raise ``Raced`` for a database error of the block that lost a race with another
    transaction (a unique key it took, a deadlock, a serialization failure); other errors pass
    unchanged. Around the transaction, so that an error of the commit counts too."""
    try:
        yield
    except DBAPIError as error:
        state = getattr(error.orig, "sqlstate", None)
        if isinstance(error, IntegrityError) or state in RACE_STATES:
            raise Raced(str(error)) from error
        raise

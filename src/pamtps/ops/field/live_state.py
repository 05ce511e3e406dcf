"""What the dashboard reads: each TPS's live state, the open alerts, and who sees which event.

A TPS is ``guarded`` once an officer of its post has checked in, ``alert`` while its post has an
open unguarded alert, ``not_yet`` before either, and ``no_post`` if the plan in force covers it
with no post.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

from pamtps.domain.clock import utc
from pamtps.ops.event_filter import view_of
from pamtps.ops.events import Event
from pamtps.ops.field.checkin import ARRIVAL
from pamtps.ops.field.tps_steps import STATUSES
from pamtps.ops.field.watch import UNGUARDED, Alert
from pamtps.ops.scope import Scope
from pamtps.ops.users import User
from pamtps.store import Database, Session
from pamtps.store import field as store
from pamtps.store.tables.field import AlertRow, OrderRow

GUARDED, ALERT, NOT_YET, NO_POST = "guarded", "alert", "not_yet", "no_post"


def officer_scope(database: Database, user: User) -> Scope:
    """An officer's scope: himself and the TPS of his post in force."""
    nrp = user.nrp or user.scope_code
    with database.session() as session:
        order = store.order_in_force(session, nrp)
    codes = [t["code"] for t in order.details.get("tps", [])] if order else []
    return Scope.of(user, {}, codes)


def event_visible(scope: Scope, event: Event) -> bool:
    """Whether a subscriber with this scope receives the event (in some form: see ``view_of``
    for what of it he may read)."""
    return view_of(scope, event) is not None


def tps_state(session: Session, visible: Callable[[str], bool]) -> dict[str, Any]:
    """Every visible TPS with its state, its officers (in / on the post) and its last status."""
    orders = store.post_orders_in_force(session)
    arrived_orders = store.orders_with_phase(session, ARRIVAL, [o.id for o in orders])
    post_of: dict[str, str] = {}
    team: dict[str, list[OrderRow]] = defaultdict(list)
    for order in orders:
        team[str(order.post_id)].append(order)
        for tps in order.details.get("tps", []):
            post_of[tps["code"]] = str(order.post_id)
    alerted = store.open_alert_subjects(session, UNGUARDED)
    last: dict[str, tuple[int, str, Any]] = {}
    for code, status, at in store.status_steps(session):
        rank = STATUSES.index(status)
        if code not in last or rank > last[code][0]:
            last[code] = (rank, status, at)
    rows = []
    for code in store.tps_codes(session):
        if not visible(code):
            continue
        post = post_of.get(code)
        members = team.get(post, []) if post else []
        arrived = sum(1 for o in members if o.id in arrived_orders)
        latest = last.get(code)
        rows.append(
            {
                "tps_code": code,
                "post_id": post,
                "state": _state(post, arrived, post in alerted),
                "officers": len(members),
                "checked_in": arrived,
                "last_status": latest[1] if latest else None,
                "last_status_at": utc(latest[2]).isoformat() if latest else None,
            }
        )
    return {"counts": dict(Counter(row["state"] for row in rows)), "tps": rows}


def _state(post: str | None, arrived: int, alerted: bool) -> str:
    if post is None:
        return NO_POST
    if arrived:
        return GUARDED
    return ALERT if alerted else NOT_YET


def open_alerts(session: Session, scope: Scope) -> list[dict[str, Any]]:
    """The open alerts the scope covers, newest first."""
    rows = store.open_alerts_newest_first(session)
    return [Alert.of("open", row).to_json() for row in rows if sees_alert(scope, row)]


def sees_alert(scope: Scope, row: AlertRow) -> bool:
    """Whether the scope covers an alert: its kecamatan or one of its TPS."""
    return (
        scope.everything
        or (row.kecamatan is not None and scope.can_see_kecamatan(row.kecamatan))
        or any(scope.can_see_tps(code) for code in row.tps_codes)
    )

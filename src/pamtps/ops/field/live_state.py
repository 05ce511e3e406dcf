"""What the dashboard reads: each TPS's live state, the open alerts, and who sees which event.

A TPS is ``guarded`` once an officer of its post has checked in, ``alert`` while its post has an
open unguarded alert, ``not_yet`` before either, and ``no_post`` if the plan in force covers it
with no post.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from pamtps.domain.clock import utc
from pamtps.ops.event_filter import view_of
from pamtps.ops.events import Event
from pamtps.ops.field.checkin import ARRIVAL
from pamtps.ops.field.tps_steps import STATUSES
from pamtps.ops.field.watch import UNGUARDED, Alert
from pamtps.ops.kept import kept
from pamtps.ops.scope import Scope
from pamtps.ops.users import User
from pamtps.store import Database, Session
from pamtps.store import field as store
from pamtps.store.tables.field import AlertRow

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
    rows = [
        {"tps_code": code, "post_id": post, "state": state, "officers": officers,
         "checked_in": arrived, "last_status": status,
         "last_status_at": utc(at).isoformat() if at else None}
        for code, post, state, officers, arrived, status, at in _states(session, visible)
    ]
    return {"counts": dict(Counter(row["state"] for row in rows)), "tps": rows}


STATE_COLUMNS = ("tps_code", "state", "last_status")


def compact_state(session: Session, visible: Callable[[str], bool]) -> dict[str, Any]:
    """``tps_state`` as the map reads it: per TPS a row (code, state, last status), no keys."""
    rows = [[code, state, status] for code, _, state, _, _, status, _ in _states(session, visible)]
    return {"counts": dict(Counter(row[1] for row in rows)), "columns": STATE_COLUMNS,
            "tps": rows}


def _states(
    session: Session, visible: Callable[[str], bool]
) -> Iterator[tuple[str, str | None, str, int, int, str | None, Any]]:
    """(code, post, state, officers, checked in, last status, its time) of each visible TPS.

    The posts' teams change only when orders are published: a process reads them once per
    version of the orders (at 26,000 TPS that read is most of the work)."""
    teams, post_of = kept("post_teams", store.post_orders_version(session),
                          lambda: _teams(session))
    arrivals = store.arrivals_by_post(session, ARRIVAL)
    alerted = store.open_alert_subjects(session, UNGUARDED)
    last: dict[str, tuple[int, str, Any]] = {}
    for code, step, when in store.status_steps(session):
        rank = STATUSES.index(step)
        if code not in last or rank > last[code][0]:
            last[code] = (rank, step, when)
    for code in store.tps_codes(session):
        if not visible(code):
            continue
        post = post_of.get(code)
        officers = teams[post][0] if post else 0
        arrived = arrivals.get(post, 0) if post else 0
        latest = last.get(code)
        status: str | None = latest[1] if latest else None
        at: Any = latest[2] if latest else None
        yield code, post, _state(post, arrived, post in alerted), officers, arrived, status, at


def _teams(session: Session) -> tuple[dict[str, tuple[int, list[str]]], dict[str, str]]:
    """The posts' teams (size, TPS) and each TPS's post."""
    teams = store.post_teams(session)
    return teams, {code: post for post, (_, codes) in teams.items() for code in codes}


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


"""The unguarded-TPS watch: who has not arrived by the deadline, and whose device went silent.

``run_watch(session, now)`` decides from the store alone and writes its alerts there, so that it
can run in the service's background loop, in a test with an explicit ``now``, or from two
processes at once: every change is a conditional statement (insert unless an open alert exists,
``UPDATE ... WHERE level = 'polsek'``, ``... WHERE resolved_at IS NULL``), and only the process
whose statement changed a row reports the change.

- A post with no officer checked in by ``at_tps_by`` raises an alert to its Polsek; still open
  ``escalate_after`` later, it goes to the command. It resolves when a check-in arrives.
- An officer on a post whose device, once heard from, has been silent for ``silent_after`` is
  flagged to his Polsek, from the apel until he reports 'selesai'.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pamtps.domain.clock import utc
from pamtps.ops.field.checkin import ARRIVAL
from pamtps.ops.times import on_voting_day
from pamtps.store import Session
from pamtps.store import field as store
from pamtps.store.plans import current_publication, get_plan
from pamtps.store.tables.field import OrderRow

UNGUARDED, SILENT = "unguarded", "silent_device"
POLSEK, COMMAND = "polsek", "command"
RAISED, ESCALATED, RESOLVED = "raised", "escalated", "resolved"


@dataclass(frozen=True)
class WatchSettings:
    """How long an unguarded post waits before the command hears of it, and a device's silence."""

    escalate_after: timedelta = timedelta(minutes=30)
    silent_after: timedelta = timedelta(minutes=15)


@dataclass(frozen=True)
class Alert:
    """An alert that changed: ``change`` is 'raised', 'escalated' or 'resolved'."""

    change: str
    id: int
    kind: str
    subject: str
    level: str
    sector: str | None
    kecamatan: str | None
    tps_codes: list[str]
    message: str
    raised_at: datetime
    escalated_at: datetime | None

    @classmethod
    def of(cls, change: str, row: store.AlertRecord) -> Alert:
        return cls(
            change,
            row.id,
            row.kind,
            row.subject,
            row.level,
            row.sector,
            row.kecamatan,
            list(row.tps_codes),
            row.message,
            utc(row.raised_at),
            utc(row.escalated_at) if row.escalated_at else None,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "change": self.change,
            "id": self.id,
            "kind": self.kind,
            "subject": self.subject,
            "level": self.level,
            "sector": self.sector,
            "kecamatan": self.kecamatan,
            "tps_codes": self.tps_codes,
            "message": self.message,
            "raised_at": self.raised_at.isoformat(),
            "escalated_at": self.escalated_at.isoformat() if self.escalated_at else None,
        }


def _raise(session: Session, values: dict[str, Any]) -> Alert | None:
    """Insert an open alert unless one is open for the subject; the alert if this call did."""
    row = store.raise_alert(session, values)
    return None if row is None else Alert.of(RAISED, row)


def _resolve(session: Session, ids: list[int], now: datetime) -> list[Alert]:
    if not ids:
        return []
    return [Alert.of(RESOLVED, row) for row in store.resolve_alerts(session, ids, now)]


def resolve(session: Session, posts: set[str], nrps: set[str], now: datetime) -> list[Alert]:
    """Resolve the open alerts of posts just reached and of devices just heard from."""
    if not posts and not nrps:
        return []
    rows = store.resolve_alerts_of(session, post_kind=UNGUARDED, posts=posts,
                                   device_kind=SILENT, nrps=nrps, now=utc(now))
    return [Alert.of(RESOLVED, row) for row in rows]


def _escalate(session: Session, now: datetime, delay: timedelta) -> list[Alert]:
    rows = store.escalate_alerts(session, kind=UNGUARDED, level=POLSEK, to=COMMAND, now=now,
                                 delay=delay)
    return [Alert.of(ESCALATED, row) for row in rows]


def run_watch(
    session: Session, now: datetime, settings: WatchSettings | None = None
) -> list[Alert]:
    """Raise, escalate and resolve alerts as of ``now``; returns those this call changed."""
    settings = settings or WatchSettings()
    now = utc(now)
    publication = current_publication(session)
    stored = get_plan(session, publication.plan_id) if publication else None
    if stored is None:
        return []
    orders = store.post_orders_in_force(session)
    posts: dict[str, list[OrderRow]] = {}
    for order in orders:
        posts.setdefault(str(order.post_id), []).append(order)
    arrived = store.posts_reached(session, ARRIVAL)
    open_alerts = store.open_alerts(session)
    changes: list[Alert] = []

    # Resolve first: a post reached (or gone from the plan), a device heard from again.
    live = store.devices_heard_since(session, now - settings.silent_after)
    finished = store.officers_with_phase(session, "selesai")
    on_posts = {order.nrp for order in orders}
    stale = [
        a.id
        for a in open_alerts
        if (a.kind == UNGUARDED and (a.subject in arrived or a.subject not in posts))
        or (a.kind == SILENT and (a.subject in live or a.subject in finished))
        or (a.kind == SILENT and a.subject not in on_posts)
    ]
    changes += _resolve(session, stale, now)

    operation = stored.operation
    if now >= on_voting_day(operation, operation.schedule.at_tps_by):
        for post_id, team in sorted(posts.items()):
            if post_id not in arrived:
                alert = _raise(session, _unguarded(post_id, team, now))
                changes += [alert] if alert else []
    changes += _escalate(session, now, settings.escalate_after)

    if now >= on_voting_day(operation, operation.schedule.apel):
        heard = store.last_heard(session)
        for order in orders:
            if order.nrp in heard and order.nrp not in live and order.nrp not in finished:
                alert = _raise(session, _silent(order, utc(heard[order.nrp]), now))
                changes += [alert] if alert else []
    return changes


def _unguarded(post_id: str, team: list[OrderRow], now: datetime) -> dict[str, Any]:
    tps = team[0].details.get("tps", [])
    names = ", ".join(f"{t['label']} {t['desa']}" for t in tps)
    return {
        "kind": UNGUARDED,
        "subject": post_id,
        "level": POLSEK,
        "sector": team[0].sector,
        "kecamatan": team[0].kecamatan,
        "tps_codes": [t["code"] for t in tps],
        "message": f"{post_id}: {names}",
        "raised_at": now,
    }


def _silent(order: OrderRow, last_seen: datetime, now: datetime) -> dict[str, Any]:
    officer = order.details.get("officer", {})
    return {
        "kind": SILENT,
        "subject": order.nrp,
        "level": POLSEK,
        "sector": order.sector,
        "kecamatan": order.kecamatan,
        "tps_codes": [t["code"] for t in order.details.get("tps", [])],
        "message": f"{officer.get('rank', '')} {officer.get('name', '')} ({order.nrp}), "
        f"{order.post_id}: {last_seen.isoformat()}",
        "raised_at": now,
    }

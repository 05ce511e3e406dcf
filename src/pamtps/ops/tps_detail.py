"""One TPS as its page shows it: class and reasons, post and team, live state and timeline.

The timeline joins, oldest first, what the store holds about the TPS and its post: orders issued
and acknowledged, the team's movements (the check-in among them), the TPS's status steps and the
watch's alerts (raised, escalated to the command, resolved). Times are shown in the regency's
zone (WIB, WITA, WIT).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from pamtps.documents.labels import UTC_OFFSET_HOURS, time_zone
from pamtps.domain.clock import utc
from pamtps.domain.plan import Post
from pamtps.i18n import current_language, reason_text
from pamtps.ops.channels import APP, delay_minutes, how_it_came
from pamtps.ops.field.live_state import tps_state
from pamtps.ops.field.tps_steps import timeline as status_timeline
from pamtps.ops.field.watch import SILENT, UNGUARDED
from pamtps.ops.mapdata import kecamatan_of_desa, plan_in_force
from pamtps.ops.people import post_name, tps_name, tps_names
from pamtps.ops.times import zone_of
from pamtps.store import Session, views
from pamtps.store.tables.field import AlertRow, MovementRow, OrderRow
from pamtps.store.tables.reference import TpsRow

LABELS = {"phase": "phase.", "status": "status.", "kind": "alert.", "method": "method."}
"""Parameters of a timeline line that are codes, and the message prefix that names them."""


@dataclass(frozen=True)
class Entry:
    """One line of the timeline: when, what (a message key and its parameters)."""

    at: datetime
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    level: str = "info"  # 'info', 'good', 'bad': how the page marks it

    def describe(self, t: Callable[..., str]) -> str:
        """The line in the page's language (``t``: the page's translator)."""
        params = dict(self.params)
        for name, prefix in LABELS.items():
            if params.get(name):
                params[name] = t(prefix + params[name])
        text = t(self.key, **params)
        if params.get("distance") is not None:
            text += " · " + t("tps.timeline.distance", metres=round(params["distance"]))
        if params.get("late"):
            text += " · " + t("tps.timeline.late")
        if params.get("note"):
            text += f" · “{params['note']}”"
        arrival = how_it_came(t, params.get("channel", APP), params.get("delay", 0))
        return f"{text} · {arrival}" if arrival else text


@dataclass
class TpsDetail:
    code: str
    label: str
    name: str  # 'TPS 030 · Desa Air Paoh'
    desa: str
    kecamatan: str
    kecamatan_code: str
    voters: int | None
    lat: float
    lng: float
    location_precision: str
    vulnerability: str
    reasons: list[str]
    reserve_minutes: float | None
    post: Post | None
    team: list[dict[str, Any]]
    state: dict[str, Any]
    entries: list[Entry]
    zone: timezone | None

    def local(self, moment: datetime) -> str:
        """A moment as the page prints it: '14-02-2024 06:31 WIB'."""
        return local_text(moment, self.zone)


def page_zone(session: Session) -> timezone:
    """The one time zone the pages show: the operation in force's, else that of the stored
    regency (its province: WIB, WITA or WIT). A page never mixes it with UTC."""
    stored = plan_in_force(session)
    if stored:
        return zone_of(stored.operation)
    name = time_zone(views.any_area_code(session) or "")
    return timezone(timedelta(hours=UTC_OFFSET_HOURS[name]), name)


def zone_config(zone: timezone) -> dict[str, Any]:
    """The zone as a page's script takes it (``pamtps.when``): its name and UTC offset."""
    offset = zone.utcoffset(None)
    return {"name": zone.tzname(None), "offsetMinutes": int(offset.total_seconds() // 60)}


def local_text(moment: datetime, zone: timezone | None, lang: str | None = None) -> str:
    """'14-02-2024 06.31 WIB' (English: '06:31'): a moment in the page's zone, as the pages'
    script writes it too (``pamtps.when``); UTC only if no zone is known."""
    shown = utc(moment).astimezone(zone) if zone else utc(moment)
    separator = "." if (lang or current_language.get()) == "id" else ":"
    return f"{shown:%d-%m-%Y %H}{separator}{shown:%M} {shown.tzname() if zone else 'UTC'}"


def _person(details: dict[str, Any]) -> str:
    officer = details.get("officer", {})
    return f"{officer.get('rank', '')} {officer.get('name', '')}".strip()


def _team(orders: list[OrderRow], arrived: set[int]) -> list[dict[str, Any]]:
    return [
        {
            "nrp": order.nrp,
            "name": _person(order.details),
            "leader": order.details.get("leader", False),
            "acknowledged_at": utc(order.acknowledged_at) if order.acknowledged_at else None,
            "checked_in": order.id in arrived,
        }
        for order in sorted(orders, key=lambda o: (not o.details.get("leader"), o.nrp))
    ]


def _order_entries(orders: list[OrderRow]) -> list[Entry]:
    entries = []
    for order in orders:
        who = {"who": _person(order.details)}
        entries.append(Entry(utc(order.issued_at), "tps.timeline.issued", who))
        if order.acknowledged_at:
            entries.append(Entry(utc(order.acknowledged_at), "tps.timeline.acknowledged", who))
    return entries


def _movement_entries(movements: list[MovementRow], names: dict[str, str]) -> list[Entry]:
    return [
        Entry(
            utc(m.at),
            "tps.timeline.checkin" if m.phase == "tiba_di_tps" else "tps.timeline.phase",
            {"who": names.get(m.nrp, m.nrp), "phase": m.phase, "method": m.method,
             "distance": m.distance_m, "late": m.late, "channel": m.channel,
             "delay": delay_minutes(m.at, m.received_at)},
            "good" if m.phase == "tiba_di_tps" else "info",
        )
        for m in movements
    ]


def _alert_entries(alerts: list[AlertRow], names: dict[str, str]) -> list[Entry]:
    entries = []
    for alert in alerts:
        what = {"kind": alert.kind, "who": names.get(alert.subject, alert.subject)}
        entries.append(Entry(utc(alert.raised_at), "tps.timeline.alert_raised", what, "bad"))
        if alert.escalated_at:
            at = utc(alert.escalated_at)
            entries.append(Entry(at, "tps.timeline.alert_escalated", what, "bad"))
        if alert.resolved_at:
            at = utc(alert.resolved_at)
            entries.append(Entry(at, "tps.timeline.alert_resolved", what, "good"))
    return entries


def tps_detail(session: Session, code: str) -> TpsDetail | None:
    """The TPS's page, or None if no such TPS is stored."""
    tps = session.get(TpsRow, code)
    if tps is None:
        return None
    kecamatan_code = kecamatan_of_desa(tps.desa_code)
    names = views.area_names(session, (tps.desa_code, kecamatan_code))
    stored = plan_in_force(session)
    plan = stored.plan if stored else None
    post = next((p for p in plan.posts if code in p.tps), None) if plan else None
    orders: list[OrderRow] = []
    movements: list[MovementRow] = []
    alerts: list[AlertRow] = []
    if post is not None:
        orders = views.current_orders_of_post(session, post.id)
        movements = views.movements_of_orders(session, [o.id for o in orders])
        nrps = [o.nrp for o in orders]
        alerts = views.alerts_of_post(session, unguarded=UNGUARDED, post_id=post.id,
                                      silent=SILENT, nrps=nrps)
    people = {o.nrp: _person(o.details) for o in orders}
    if post is not None:  # an alert about the post names it as people do, not by its id
        people[post.id] = post_name(post.tps, tps_names(session, post.tps[:1]))
    entries = _order_entries(orders) + _movement_entries(movements, people)
    entries += _alert_entries(alerts, people)
    entries += [
        Entry(datetime.fromisoformat(step["at"]), "tps.timeline.status",
              {"status": step["status"], "who": people.get(step["nrp"], step["nrp"]),
               "note": step["note"], "channel": step["channel"], "delay": step["delay_min"]})
        for step in status_timeline(session, code)
    ]
    (state,) = tps_state(session, lambda found: found == code)["tps"]
    arrived = {m.order_id for m in movements if m.phase == "tiba_di_tps"}
    return TpsDetail(
        code=code,
        label=f"TPS {tps.number:03d}",
        name=tps_name(session, code),
        desa=names.get(tps.desa_code, tps.desa_code),
        kecamatan=names.get(kecamatan_code, kecamatan_code),
        kecamatan_code=kecamatan_code,
        voters=tps.voters,
        lat=tps.lat,
        lng=tps.lng,
        location_precision=tps.location_precision,
        vulnerability=plan.classes[code].value if plan and code in plan.classes
        else tps.vulnerability,
        # Rendered in the request's language; old plans' plain-text reasons show as they are.
        reasons=[reason_text(reason) for reason in (
            plan.reasons.get(code, []) if plan else tps.class_reasons)],
        reserve_minutes=plan.reserve_minutes.get(code) if plan else None,
        post=post,
        team=_team(orders, arrived),
        state=state,
        entries=sorted(entries, key=lambda e: e.at),
        zone=zone_of(stored.operation) if stored else page_zone(session),
    )

"""Escort alerts to the command: a refused handover (flagged), a leg overdue.

``escort_alerts(session, now)`` raises an ``escort_overdue`` alert for each leg not complete by
its deadline after the TPS's counting ended (the ``penghitungan_selesai`` step), and resolves
those whose leg is complete; like the field watch, every change is a conditional statement, so
that it may run in the service's loop, in a test with an explicit ``now``, or twice at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pamtps.domain.clock import utc
from pamtps.i18n import t
from pamtps.ops.errors import ServiceError
from pamtps.ops.escort.chain import (
    LEGS,
    OUT_OF_ORDER,
    OVERDUE,
    SEAL_MISMATCH,
    Refusal,
    leg_complete,
)
from pamtps.ops.field.watch import COMMAND, RAISED, RESOLVED, Alert
from pamtps.ops.scope import kecamatan_of_tps, load_sectors
from pamtps.ops.times import zone_of
from pamtps.store import Session
from pamtps.store.plans import latest_plan
from pamtps.store.response import (
    close_open_alert,
    handover_sides,
    open_alert_subjects,
    raise_open_alert,
    resolve_open_alerts,
    status_times,
)
from pamtps.store.tables.field import AlertRow

COUNTED = "penghitungan_selesai"


@dataclass(frozen=True)
class Deadlines:
    """How long after counting ends each leg may take."""

    pps: timedelta = timedelta(hours=2)
    ppk: timedelta = timedelta(hours=6)

    def of(self, leg: str) -> timedelta:
        return self.pps if leg == "pps" else self.ppk


def raise_alert(
    session: Session,
    kind: str,
    tps_code: str,
    leg: str,
    message: str,
    now: datetime,
    sectors: dict[str, tuple[str, ...]] | None = None,
) -> Alert | None:
    """An open alert to the command about a leg of a TPS, unless one is open already."""
    kecamatan = kecamatan_of_tps(tps_code)
    sectors = load_sectors(session) if sectors is None else sectors
    sector = next((code for code, kec in sectors.items() if kecamatan in kec), None)
    values = {
        "kind": kind,
        "subject": f"{tps_code}:{leg}",
        "level": COMMAND,
        "sector": sector,
        "kecamatan": kecamatan,
        "tps_codes": [tps_code],
        "message": message,
        "raised_at": now,
    }
    row = raise_open_alert(session, values)
    return None if row is None else Alert.of(RAISED, row)


def resolve_legs(session: Session, subjects: list[str], now: datetime) -> list[Alert]:
    """Resolve the open overdue alerts of these legs ('<tps>:<leg>')."""
    if not subjects:
        return []
    rows = resolve_open_alerts(session, kind=OVERDUE, subjects=subjects, now=utc(now))
    return [Alert.of(RESOLVED, row) for row in rows]


def flag(
    session: Session, refusal: Refusal, tps_code: str, leg: str, actor: str, now: datetime
) -> Alert | None:
    """The alert of a refused handover (in its own transaction: the handover rolled back)."""
    message = f"{actor}: {t(refusal.key, 'id', **refusal.params)}"
    return raise_alert(session, refusal.flag, tps_code, leg, message, now)


def escort_alerts(
    session: Session, now: datetime, deadlines: Deadlines | None = None
) -> list[Alert]:
    """Raise and resolve the overdue-leg alerts as of ``now``; those this call changed."""
    deadlines, now = deadlines or Deadlines(), utc(now)
    counted = status_times(session, status=COUNTED)
    done: dict[str, set[tuple[str, str]]] = {}
    for code, leg, side in handover_sides(session):
        done.setdefault(code, set()).add((leg, side))
    complete = [
        f"{code}:{leg}" for code, legs in done.items() for leg in LEGS if leg_complete(legs, leg)
    ]
    changes = resolve_legs(session, complete, now)
    already = open_alert_subjects(session, kind=OVERDUE)
    sectors = load_sectors(session)
    stored = latest_plan(session, published=True)
    zone = zone_of(stored.operation) if stored else UTC  # the deadline on the regency's clock
    for code, ended in sorted(counted.items()):
        for leg in LEGS:
            due = utc(ended) + deadlines.of(leg)
            if now < due or f"{code}:{leg}" in already or leg_complete(done.get(code, set()), leg):
                continue
            when = f"{due.astimezone(zone):%d-%m %H:%M} {zone.tzname(None)}"
            message = t("escort.overdue", "id", tps=code, leg=leg.upper(), due=when)
            alert = raise_alert(session, OVERDUE, code, leg, message, now, sectors)
            changes += [alert] if alert else []
    return changes


CLOSABLE = (SEAL_MISMATCH, OUT_OF_ORDER)  # raised by a person's handover: a person closes them


def close_flag(
    session: Session, alert_id: int, visible: Callable[[AlertRow], bool], now: datetime
) -> Alert:
    """Resolve an open refused-handover flag the caller sees (404 otherwise; 409 for another
    kind, or if someone closed it meanwhile: of two closers, one wins)."""
    row = session.get(AlertRow, alert_id)
    if row is None or not visible(row):
        raise ServiceError(404, "escort.flag_not_found", id=alert_id)
    if row.kind not in CLOSABLE:
        raise ServiceError(409, "escort.flag_not_closable")
    closed = close_open_alert(session, alert_id, now)
    if closed is None:
        raise ServiceError(409, "escort.flag_already_closed", id=alert_id)
    return Alert.of(RESOLVED, closed)

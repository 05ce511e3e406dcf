"""The unguarded-TPS watch, run by hand with explicit times (never a sleep)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from pamtps.ops.field.checkin import heartbeat
from pamtps.ops.field.orders import PublishResult
from pamtps.ops.field.watch import COMMAND, POLSEK, SILENT, UNGUARDED, Alert, run_watch
from pamtps.store import Database
from pamtps.store.tables.field import AlertRow
from tests.service.field.conftest import at, field_write
from tests.service.field.plans import (
    ANDI,
    EKO,
    FAJAR,
    HILIR_POST,
    HULU_POST,
    PASAR_1,
    SUKAMAJU_1,
)


def _check_in(database: Database, nrp: str, lat: float, lng: float, when: datetime) -> None:
    here = {"method": "gps", "lat": lat, "lng": lng}
    assert field_write(database, nrp, "checkin", here, now=when).status == 201


def _watch(database: Database, when: datetime) -> list[Alert]:
    with database.session() as session:
        return run_watch(session, when)


def _changes(alerts: list[Alert], kind: str = UNGUARDED) -> list[tuple[str, str, str, str]]:
    """The changes to alerts of one kind (Eko's phone, silent after his check-in, is flagged
    too: the unguarded-post tests leave those out)."""
    return [(a.change, a.kind, a.subject, a.level) for a in alerts if a.kind == kind]


def test_no_alert_before_the_deadline(toy_db: Database, published: PublishResult) -> None:
    """At 06:29 nobody has arrived, but nobody is late yet."""
    assert _watch(toy_db, at(6, 29)) == []


def test_a_post_nobody_reached_by_the_deadline_alerts_its_polsek(
    toy_db: Database, published: PublishResult
) -> None:
    """Eko reached Pasar; at 06:30 only the Hulu post alerts, to Polsek Hulu, naming its TPS."""
    _check_in(toy_db, EKO, PASAR_1.lat, PASAR_1.lng, at(6, 20))
    alerts = _watch(toy_db, at(6, 30))
    assert _changes(alerts) == [("raised", UNGUARDED, HULU_POST, POLSEK)]
    assert alerts[0].sector == "polsek_hulu"
    assert SUKAMAJU_1.code in alerts[0].tps_codes
    assert _changes(_watch(toy_db, at(6, 35))) == []  # still open: not raised twice


def test_an_alert_still_open_after_the_delay_goes_to_the_command(
    toy_db: Database, published: PublishResult
) -> None:
    """Raised at 06:30, the alert is with the Polsek at 06:59 and with the command at 07:00."""
    _check_in(toy_db, EKO, PASAR_1.lat, PASAR_1.lng, at(6, 20))
    _watch(toy_db, at(6, 30))
    assert _changes(_watch(toy_db, at(6, 59))) == []
    assert _changes(_watch(toy_db, at(7, 0))) == [("escalated", UNGUARDED, HULU_POST, COMMAND)]
    assert _changes(_watch(toy_db, at(7, 1))) == []  # claimed once


def test_a_check_in_resolves_the_alert_at_once(
    toy_db: Database, published: PublishResult
) -> None:
    """Fajar arrives at 06:50: his check-in resolves the Hulu alert; only Hilir's stays open."""
    _watch(toy_db, at(6, 30))
    _check_in(toy_db, FAJAR, SUKAMAJU_1.lat, SUKAMAJU_1.lng, at(6, 50))
    with toy_db.session() as session:
        still_open = session.scalars(
            select(AlertRow.subject).where(AlertRow.resolved_at.is_(None))
        ).all()
    assert still_open == [HILIR_POST]
    assert _changes(_watch(toy_db, at(6, 51))) == []


def test_a_silent_device_is_flagged_and_cleared_when_heard_again(
    toy_db: Database, published: PublishResult
) -> None:
    """Andi's phone, last heard at 05:10, is flagged at 05:26; a heartbeat clears the flag."""
    with toy_db.session() as session:
        heartbeat(session, ANDI, at(5, 10), None, None)
        heartbeat(session, FAJAR, at(5, 20), None, None)
    assert _changes(_watch(toy_db, at(5, 26)), SILENT) == [("raised", SILENT, ANDI, POLSEK)]
    with toy_db.session() as session:
        heartbeat(session, ANDI, at(5, 30), None, None)
    assert _changes(_watch(toy_db, at(5, 31)), SILENT) == [("resolved", SILENT, ANDI, POLSEK)]

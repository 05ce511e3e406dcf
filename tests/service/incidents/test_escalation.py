"""The response timer: an incident without an owner goes to the command after its time."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from pamtps.ops import audit
from pamtps.ops.events import Broker, Event
from pamtps.ops.incidents.escalation import escalate_incidents
from pamtps.ops.incidents.reports import StepIn, take_step
from pamtps.ops.incidents.runtime import IncidentSettings, escalate_once
from pamtps.store.tables.incidents import IncidentRow
from pamtps.store.tables.security import AuditRow
from tests.service.incidents.conftest import T0, incident, reported, riot

MINUTES = IncidentSettings().response_minutes  # the defaults: 'kritis' waits 5 minutes


def escalate(db, minutes_after, minutes=None):
    with db.session() as session:
        return [row.id for row in escalate_incidents(
            session, T0 + timedelta(minutes=minutes_after), minutes)]


def test_an_unhandled_incident_escalates_after_its_response_time(db, people):
    """A 'tinggi' incident waits 20 minutes at the Polsek, then goes to the command, once."""
    incident_id = reported(db, people["liaison"], riot(severity="tinggi"))
    assert escalate(db, 19) == []
    assert escalate(db, 20) == [incident_id]
    assert incident(db, incident_id).level == "command"
    assert escalate(db, 60) == []


def test_a_critical_incident_escalates_sooner(db, people):
    """'kritis' waits 5 minutes, 'rendah' two hours."""
    critical = reported(db, people["liaison"], riot(severity="kritis"))
    low = reported(db, people["liaison"], riot(category="other", severity="rendah"))
    assert escalate(db, 5) == [critical]
    assert escalate(db, 120) == [low]


def test_a_handled_incident_does_not_escalate(db, people):
    """Once someone owns it, the timer stops."""
    incident_id = reported(db, people["liaison"], riot())
    with db.session() as session:
        row = session.get_one(IncidentRow, incident_id)
        take_step(session, row, StepIn(to="verified"), "sek.hulu", T0)
        take_step(session, row, StepIn(to="handled", owner="Regu 1"), "sek.hulu", T0)
    assert escalate(db, 600) == []


def test_response_times_are_configurable(db, people):
    """With 'tinggi' set to 2 minutes, the incident escalates at 2 minutes."""
    incident_id = reported(db, people["liaison"], riot(severity="tinggi"))
    minutes = {"rendah": 120, "sedang": 60, "tinggi": 2, "kritis": 1}
    assert escalate(db, 2, minutes) == [incident_id]


def test_a_round_of_the_timer_escalates_audits_and_tells_the_dashboards(db, people):
    """``escalate_once``, as the service's loop runs it: the overdue incident goes to the
    command, the change is in the audit log (whose chain still verifies), and the open
    dashboards get an 'incident' event saying 'escalated'; a second round changes nothing."""

    async def scenario() -> tuple[list[int], list[int], Event | None]:
        broker = Broker()
        subscription = broker.subscribe()
        first = await asyncio.to_thread(escalate_once, db, broker, MINUTES)
        second = await asyncio.to_thread(escalate_once, db, broker, MINUTES)
        received = await subscription.get(timeout=2)
        broker.unsubscribe(subscription)
        return first, second, received

    incident_id = reported(db, people["liaison"], riot(severity="kritis"))  # reported at T0
    first, second, received = asyncio.run(scenario())
    assert (first, second) == ([incident_id], [])
    assert incident(db, incident_id).level == "command"
    assert received is not None and received.kind == "incident"
    assert (received.data["id"], received.data["change"]) == (incident_id, "escalated")
    with db.session() as session:
        entries = session.scalars(
            select(AuditRow).where(AuditRow.action == "incident.escalated")
        ).all()
        assert [(e.actor, e.subject) for e in entries] == [("watch", f"incident:{incident_id}")]
        checked = audit.verify(session)
        assert checked.ok, checked.reason

"""The response timer: an incident without an owner goes to the command after its time."""

from __future__ import annotations

from datetime import timedelta

from pamtps.service.incidents.escalation import escalate_incidents
from pamtps.service.incidents.reports import StepIn, take_step
from pamtps.store.incident_models import IncidentRow
from tests.service.incidents.conftest import T0, incident, reported, riot


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

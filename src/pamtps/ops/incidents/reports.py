"""Reporting an incident and moving it through its workflow.

A report at a TPS where an incident of the same category is still open joins that incident
instead of opening a second one: the incident counts its reports and takes the graver severity.
The open incident per (TPS, category) is a partial unique index, so two reports arriving at once
cannot open two incidents: the later insert does nothing and attaches to the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, Field

from pamtps.ops.errors import ServiceError
from pamtps.ops.incidents import workflow
from pamtps.ops.inputs import Latitude, Longitude, Moment, Text
from pamtps.ops.scope import Scope, kecamatan_of_tps, load_sectors
from pamtps.ops.times import reported_time
from pamtps.ops.users import User
from pamtps.store import Session
from pamtps.store.incidents import join_open_incident, open_incident
from pamtps.store.tables.incidents import IncidentReportRow, IncidentRow, IncidentStepRow
from pamtps.store.tables.reference import TpsRow

MAX_DESCRIPTION = 2000
POLSEK, COMMAND = "polsek", "command"


class IncidentIn(BaseModel):
    """A report: where, what, how grave; optionally where exactly (the phone's GPS)."""

    tps_code: Text = Field(max_length=64)
    category: Text = Field(max_length=32, description=", ".join(workflow.CATEGORIES))
    severity: Text = Field(max_length=32, description=", ".join(workflow.SEVERITIES))
    description: Text = Field(max_length=MAX_DESCRIPTION)
    lat: Latitude | None = None
    lng: Longitude | None = None
    at: Moment | None = Field(
        None, description="When it was reported on the phone (a report queued without signal); "
        "never later than its arrival"
    )


class StepIn(BaseModel):
    """The next step: ``to`` a status; 'handled' names its ``owner``."""

    to: Text = Field(max_length=32, description=", ".join(workflow.STATUSES))
    owner: Text | None = Field(None, max_length=200)
    note: Text = Field("", max_length=MAX_DESCRIPTION)


@dataclass(frozen=True)
class Reported:
    incident: IncidentRow
    merged: bool


def report_incident(
    session: Session, user: User, scope: Scope, body: IncidentIn, now: datetime,
    channel: str = "app",
) -> Reported:
    """Open an incident, or attach the report to the open one of the same problem; the report
    keeps the ``channel`` it came by (``pamtps.ops.channels``) and when it arrived."""
    workflow.check_category(body.category)
    workflow.check_severity(body.severity)
    if not scope.can_see_tps(body.tps_code):
        raise ServiceError(403, "incidents.tps_not_yours", tps=body.tps_code)
    if session.get(TpsRow, body.tps_code) is None:
        raise ServiceError(404, "incidents.tps_unknown", tps=body.tps_code)
    kecamatan = kecamatan_of_tps(body.tps_code)
    seen = reported_time(body.at, now)  # the response timer runs from when it was seen
    values = {
        "tps_code": body.tps_code,
        "kecamatan": kecamatan,
        "sector": _sector(session, kecamatan),
        "category": body.category,
        "severity": body.severity,
        "status": workflow.NEW,
        "description": body.description.strip(),
        "lat": body.lat,
        "lng": body.lng,
        "reports": 1,
        "reported_by": user.username,
        "reported_at": seen,
        "level": POLSEK,
        "updated_at": now,
    }
    new_id = open_incident(session, values)
    merged = new_id is None
    incident = _attach(session, body, now) if merged else session.get_one(IncidentRow, new_id)
    session.add(
        IncidentReportRow(
            incident_id=incident.id, reported_by=user.username, role=user.role.value,
            severity=body.severity, description=body.description.strip(), lat=body.lat,
            lng=body.lng, at=seen, received_at=now, channel=channel,
        )
    )
    session.flush()
    return Reported(incident, merged)


def _attach(session: Session, body: IncidentIn, now: datetime) -> IncidentRow:
    incident = join_open_incident(session, body.tps_code, body.category, now)
    incident.severity = workflow.graver(incident.severity, body.severity)
    return incident


def _sector(session: Session, kecamatan: str | None) -> str | None:
    sectors = load_sectors(session)
    return next((unit for unit, codes in sorted(sectors.items()) if kecamatan in codes), None)


def take_step(
    session: Session, incident: IncidentRow, body: StepIn, actor: str, now: datetime
) -> IncidentStepRow:
    """Move the incident one legal step (see ``workflow.check_step``), recorded as a row."""
    current = incident.status
    workflow.check_step(current, body.to, body.owner)
    owner = body.owner.strip() if body.owner and body.to == workflow.HANDLED else None
    incident.status = body.to
    incident.updated_at = now
    if owner:
        incident.owner = owner
    if body.to not in workflow.OPEN_STATUSES:
        incident.closed_at = now
    step = IncidentStepRow(
        incident_id=incident.id, from_status=current, to_status=body.to, actor=actor,
        owner=owner, note=body.note.strip(), at=now,
    )
    session.add(step)
    session.flush()
    return step

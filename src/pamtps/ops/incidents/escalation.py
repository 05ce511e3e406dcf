"""The response timer: an incident left without an owner goes from its Polsek to the command.

``escalate_incidents(session, now)`` decides from the store alone, with one conditional update per
severity (``... WHERE level = 'polsek' AND status IN ('new', 'verified')``), so it runs in the
service's loop, in a test with an explicit ``now``, or in two processes at once: only the call
whose statement changed a row reports it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from pamtps.domain.clock import utc
from pamtps.ops.incidents import workflow
from pamtps.ops.incidents.reports import COMMAND, POLSEK
from pamtps.store import Session
from pamtps.store.incidents import escalate_overdue
from pamtps.store.tables.incidents import IncidentRow

WAITING = (workflow.NEW, workflow.VERIFIED)


def escalate_incidents(
    session: Session, now: datetime, minutes: Mapping[str, float] | None = None
) -> list[IncidentRow]:
    """Escalate every incident still without an owner past its severity's response time
    (``minutes`` by severity, default ``workflow.RESPONSE_MINUTES``); those this call moved."""
    now = utc(now)
    escalated: list[IncidentRow] = []
    for severity in workflow.SEVERITIES:
        deadline = now - workflow.response_time(severity, minutes)
        escalated += escalate_overdue(
            session, severity=severity, deadline=deadline, waiting=WAITING, level=POLSEK,
            to_level=COMMAND, now=now,
        )
    return escalated

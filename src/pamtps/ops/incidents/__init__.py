"""Incidents at the TPS: reports from officers and liaisons, their workflow, photos, escalation.

For other parts of the service: ``queries.open_incidents(session, scope)`` and
``queries.incident_counts(session)`` (the situation report), ``escalation.escalate_incidents``
(the response timer), ``queries.visible_incident`` (an incident the caller may see, or 404).
"""

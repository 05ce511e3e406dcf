"""The database tables, one module per area; importing this package registers them all on Base.

- ``reference``: areas, TPS, units, personnel, guarded objects, indicators, plans (and ``Base``);
- ``security``: users, web sessions, device tokens, the audit log;
- ``field``: publications, orders, movements, TPS status, heartbeats, alerts, idempotency keys;
- ``incidents``: liaison codes, incidents, their reports, steps and photos;
- ``rawan``: the imported Bawaslu rawan list and its imports;
- ``response``: reserve units, dispatches, escort seals and handovers, situation reports;
- ``sms``: the phone numbers registered for SMS reports and the inbound messages.
"""

from pamtps.store.tables import field as field
from pamtps.store.tables import incidents as incidents
from pamtps.store.tables import rawan as rawan
from pamtps.store.tables import reference as reference
from pamtps.store.tables import response as response
from pamtps.store.tables import security as security
from pamtps.store.tables import sms as sms

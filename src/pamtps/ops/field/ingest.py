"""Field reports in: the one write path of check-ins, movements, TPS status and acknowledgements,
whether each request carries a single write or a phone's queued batch.

``ingest`` applies one request in one transaction; ``ingest_group`` applies several in one
transaction (the service's group commit, ``writer``): one commit and one fsync for all, each
request still answered, audited and published on its own, as if applied alone. The work is
set-based (``group``, ``pamtps.store.field_rows``): a group costs about a dozen statements, not
a dozen per report, so that the store keeps up with election morning (``bench/ingest.py``).

A unique constraint that trips (a twin report committed by another transaction meanwhile) or a
deadlock rolls the whole transaction back; it is then decided again against the new state.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from pydantic import BaseModel

from pamtps.ops.errors import ServiceError
from pamtps.ops.field.group import Group
from pamtps.ops.field.reports import Ingested, Outcome, Report, Reporter, Unit
from pamtps.ops.field.runtime import FieldRuntime
from pamtps.ops.field.schemas import AckIn, CheckinIn, MovementIn, StatusIn
from pamtps.ops.idempotency import write_transaction
from pamtps.store import Database, Session
from pamtps.store.errors import Raced
from pamtps.store.field import races_lost

__all__ = ["BODIES", "Ingested", "Outcome", "Report", "Reporter", "Unit", "ingest",
           "ingest_group", "route"]

RETRIES = 3
# The single-write routes a batch may carry: path -> kind (the target is the path's parameter).
ROUTES = [
    (re.compile(r"/api/v1/checkin"), "checkin"),
    (re.compile(r"/api/v1/movements"), "movement"),
    (re.compile(r"/api/v1/tps/(\d{13})/status"), "status"),
    (re.compile(r"/api/v1/orders/(\d{1,18})/ack"), "ack"),
]
BODIES: dict[str, type[BaseModel]] = {
    "checkin": CheckinIn,
    "movement": MovementIn,
    "status": StatusIn,
    "ack": AckIn,
}


def route(path: str) -> tuple[str, str | None]:
    """The kind and target (TPS code, order id) of a single-write path; 422 if it is none."""
    for pattern, kind in ROUTES:
        found = pattern.fullmatch(path)
        if found:
            return kind, found.group(1) if found.groups() else None
    raise ServiceError(422, "field.batch_path_unknown", path=path)


def ingest(
    database: Database,
    runtime: FieldRuntime,
    reporter: Reporter,
    reports: list[Report],
    now: datetime,
    action: str,
    after: Callable[[Session, Ingested], object] | None = None,
) -> Ingested:
    """Apply one request's reports once each, in one transaction; ``action`` names the audit
    entry, ``after`` writes what goes with the answers in that transaction."""
    (result,) = ingest_group(database, runtime, [Unit(reporter, reports, now, action, after)])
    if isinstance(result, Exception):
        raise result
    return result


def ingest_group(
    database: Database, runtime: FieldRuntime, units: list[Unit]
) -> list[Ingested | Exception]:
    """Apply several requests in one transaction, each answered as if applied alone; a group
    that fails as a whole is applied again request by request, so that one bad request fails
    alone (its exception in its place)."""
    try:
        return list(_transaction(database, runtime, units))
    except Exception as error:
        if len(units) == 1:
            return [error]
    return [ingest_group(database, runtime, [unit])[0] for unit in units]


def _transaction(database: Database, runtime: FieldRuntime, units: list[Unit]) -> list[Ingested]:
    for attempt in range(RETRIES):
        try:
            # Outside the transaction, so that a race lost at the commit is retried too.
            with races_lost(), write_transaction(database) as session:
                return Group(session, runtime).apply(units)
        except Raced:
            if attempt == RETRIES - 1:
                raise
    raise AssertionError("unreachable")

"""The day of a TPS, step by step, as the officers on its post report it.

dibuka (opened), pemungutan (voting), ditutup (closed), penghitungan (counting),
penghitungan_selesai (counting finished), kotak_diserahkan (boxes handed over). Each step is
reported once, in this order, by an officer whose order covers the TPS; the record is append-only.
No step carries a vote count: that is the KPPS's business (see ``tally``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pamtps.domain.clock import utc
from pamtps.ops.channels import APP, arrival_json
from pamtps.ops.errors import ServiceError
from pamtps.store import Session
from pamtps.store.field import status_steps_of
from pamtps.store.tables.field import OrderRow

STATUSES = (
    "dibuka",
    "pemungutan",
    "ditutup",
    "penghitungan",
    "penghitungan_selesai",
    "kotak_diserahkan",
)
MAX_NOTE = 1000


def expected_next(last: str | None) -> str | None:
    """The step that must follow ``last`` (None: the day is over)."""
    if last is None:
        return STATUSES[0]
    position = STATUSES.index(last) + 1
    return STATUSES[position] if position < len(STATUSES) else None


def status_row(
    row: OrderRow,
    tps_code: str,
    status: str,
    note: str,
    reported: set[str],
    at: datetime,
    received: datetime,
) -> dict[str, Any]:
    """The row (``tps_status_events``) of the next step of a TPS on the officer's post
    (``reported``: the steps the TPS already has); out of order, twice, or on another post:
    refused."""
    if status not in STATUSES:
        raise ServiceError(422, "field.unknown_status", step=status, steps=", ".join(STATUSES))
    if tps_code not in {tps["code"] for tps in row.details.get("tps", [])}:
        raise ServiceError(403, "field.tps_not_on_post", tps=tps_code)
    if len(note) > MAX_NOTE:
        raise ServiceError(422, "field.note_too_long", limit=MAX_NOTE)
    last = next((s for s in reversed(STATUSES) if s in reported), None)
    expected = expected_next(last)
    if status != expected:
        raise ServiceError(
            409,
            "field.status_out_of_order",
            step=status,
            last=last or "-",
            expected=expected or "-",
        )
    return {
        "tps_code": tps_code,
        "status": status,
        "at": at,
        "received_at": received,
        "nrp": row.nrp,
        "order_id": row.id,
        "note": note,
    }


def status_json(event: Mapping[str, Any]) -> dict[str, Any]:
    """A status step (its row's columns) as the API shows it."""
    return {
        "id": event["id"],
        "tps_code": event["tps_code"],
        "status": event["status"],
        "at": utc(event["at"]).isoformat(),
        "nrp": event["nrp"],
        "note": event["note"],
        **arrival_json(event.get("channel", APP), event["at"], event.get("received_at")),
    }


def timeline(session: Session, tps_code: str) -> list[dict[str, Any]]:
    """Every step reported for a TPS, oldest first."""
    return [status_json(event) for event in status_steps_of(session, tps_code)]

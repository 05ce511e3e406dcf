"""A phone's queue with a poison item: the good reports are applied, the bad one refused alone."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from pamtps.store import Database
from pamtps.store.tables.field import MovementRow
from tests.service.field.api import send
from tests.service.field.plans import SUKAMAJU_1

Headers = dict[str, str]
AT_SUKAMAJU = {"method": "gps", "lat": SUKAMAJU_1.lat, "lng": SUKAMAJU_1.lng}
UNKNOWN_ORDERS = ["99999999999", "999999999999999999", "2147483647", "0"]


def _movements(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(MovementRow)) or 0


def _batch(unknown_order: str) -> dict[str, object]:
    return {"reports": [
        {"path": "/api/v1/movements", "body": {"phase": "apel"}, "idempotency_key": "p-1"},
        {"path": f"/api/v1/orders/{unknown_order}/ack", "body": {}, "idempotency_key": "p-2"},
        {"path": "/api/v1/checkin", "body": AT_SUKAMAJU, "idempotency_key": "p-3"},
    ]}


def test_an_unknown_order_in_a_batch_is_refused_alone_on_every_retry(
    db: Database, client: TestClient, heads: dict[str, Headers], in_force: int
) -> None:
    """Apel, an ack of an order that does not exist (ids past any column's range too), a
    check-in: the two good reports are applied once, the ack is answered 404 with its reason,
    each time the phone retries."""
    for attempt, unknown in enumerate(UNKNOWN_ORDERS):
        response = send(client, "/api/v1/field/batch", heads["andi"], _batch(unknown),
                        key=f"queue-{attempt}")
        assert response.status_code == 200, response.text
        results = response.json()["results"]
        assert [r["status"] for r in results] == [201, 404, 201], results
        assert results[1]["detail"]["code"] == "field.not_found"
        assert unknown in results[1]["detail"]["message"]
        assert [r.get("replayed") for r in results] == [attempt > 0, None, attempt > 0]
    assert _movements(db) == 2

"""The field routes in the authorization matrix (``tests/service/test_authz_matrix.py``).

Each case publishes version 1 of the toy plan first (``_publish``). The persona 'officer' is
Bripka Andi, on the Hulu post (Sukamaju TPS 001 and 002): the field writes are his alone.
Sukamaju TPS 001 lies in Hulu, so Polsek Hilir does not see it (404).
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx2

from pamtps.ops.field.orders import order_of, publish
from pamtps.store import load_dataset
from pamtps.store.plans import get_plan
from tests.service.authz import Case, Ctx, expect
from tests.service.field.api import save_plan_version
from tests.service.field.plans import SUKAMAJU_1
from tests.service.field.test_api import AT_SUKAMAJU
from tests.service.personas import OFFICER_NRP, PERSONAS

SUPERVISORS = ("admin", "command", "polsek", "polsek_other", "padal", "viewer")
OFFICER = ("officer",)
SEE_SUKAMAJU = tuple(p for p in PERSONAS if p != "polsek_other")
PUBLISHED_AT = datetime(2024, 2, 11, 12, tzinfo=UTC)


def _publish(ctx: Ctx) -> None:
    plan_id = save_plan_version(ctx.db, 1)
    with ctx.db.session() as session:
        stored = get_plan(session, plan_id)
        assert stored is not None
        publish(session, stored, load_dataset(session), "test", PUBLISHED_AT)


def _andis_order(ctx: Ctx) -> str:
    _publish(ctx)
    with ctx.db.session() as session:
        return f"/api/v1/orders/{order_of(session, OFFICER_NRP).id}/ack"


def _saved_plan(ctx: Ctx) -> str:
    return f"/api/v1/plans/{save_plan_version(ctx.db, 1)}/publish"


def _field_write(path: Any, body: dict[str, Any]) -> Any:
    """A field write as the session calls it: CSRF token and a fresh Idempotency-Key."""

    def send(ctx: Ctx) -> httpx2.Response:
        url = path(ctx) if callable(path) else path
        if not callable(path):
            _publish(ctx)
        headers = {"X-CSRF-Token": ctx.csrf, "Idempotency-Key": str(uuid.uuid4())}
        return ctx.client.post(url, json=body, headers=headers)

    return send


def _events(ctx: Ctx) -> httpx2.Response:
    """Open the event stream and hang up at once; the status is what the matrix checks.

    The test client waits for a response to end, and this one never ends by itself, so the
    call is made on the ASGI app directly with a client that disconnects after asking.
    """
    cookies = "; ".join(f"{name}={value}" for name, value in ctx.client.cookies.items())
    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/api/v1/events",
        "raw_path": b"/api/v1/events",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"cookie", cookies.encode())],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
    }
    asked = False
    status = 0
    body = b""

    async def receive() -> dict[str, Any]:
        nonlocal asked
        if not asked:
            asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status, body
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            body += message.get("body", b"")

    asyncio.run(ctx.client.app(scope, receive, send))  # type: ignore[arg-type]
    return httpx2.Response(status, content=body)


TPS_STATUS = f"/api/v1/tps/{SUKAMAJU_1.code}/status"

CASES = [
    Case("POST", "/api/v1/plans/{plan_id}/publish", expect(201, ["command"]), url=_saved_plan),
    Case("GET", "/api/v1/orders/me", expect(200, OFFICER), setup=_publish),
    Case(
        "POST",
        "/api/v1/orders/{order_id}/ack",
        expect(200, OFFICER),
        send=_field_write(_andis_order, {}),
    ),
    Case("GET", "/api/v1/orders", expect(200, SUPERVISORS), setup=_publish),
    Case(
        "POST",
        "/api/v1/checkin",
        expect(201, OFFICER),
        send=_field_write("/api/v1/checkin", AT_SUKAMAJU),
    ),
    Case(
        "POST",
        "/api/v1/movements",
        expect(201, OFFICER),
        send=_field_write("/api/v1/movements", {"phase": "apel"}),
    ),
    Case("POST", "/api/v1/heartbeat", expect(204, OFFICER), json={}, setup=_publish),
    Case(
        "POST",
        "/api/v1/tps/{tps_code}/status",
        expect(201, OFFICER),
        send=_field_write(TPS_STATUS, {"status": "dibuka"}),
    ),
    Case(
        "POST",
        "/api/v1/field/batch",
        expect(200, OFFICER),
        send=_field_write(
            "/api/v1/field/batch",
            {"reports": [{"path": "/api/v1/movements", "body": {"phase": "apel"}}]},
        ),
    ),
    Case(
        "GET",
        "/api/v1/tps/{tps_code}/timeline",
        expect(200, SEE_SUKAMAJU, denied=404),
        url=f"/api/v1/tps/{SUKAMAJU_1.code}/timeline",
        setup=_publish,
    ),
    Case("GET", "/api/v1/tps/state", expect(200), setup=_publish),
    Case("GET", "/api/v1/alerts", expect(200, SUPERVISORS), setup=_publish),
    Case("GET", "/api/v1/events", expect(200), send=_events),
]

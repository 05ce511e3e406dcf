"""The liaison and incident routes in the authorization matrix (``test_authz_matrix.py``).

Incidents are at Sukamaju TPS 001, the liaison persona's TPS, in Hulu: Polsek Hilir does not see
them (404) and may not issue codes there (403). Version 1 of the toy plan is published first, so
that Bripka Andi's post covers that TPS. The command post's incident page is for those who
oversee TPS, as the map is.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx2

from pamtps.ops.incidents.photos import add_photo, save_photo
from pamtps.ops.liaison.codes import issue_codes
from pamtps.store.tables.incidents import IncidentRow
from pamtps.tokens import shown
from tests.service.authz import PAGE, Case, Ctx, expect
from tests.service.field.authz_cases import _publish
from tests.service.incidents.conftest import JPEG, S1, reported, riot
from tests.service.personas import PERSONAS

ISSUERS = ("command", "polsek")
HANDLERS = ("command", "polsek", "padal")
WRITERS = tuple(p for p in PERSONAS if p != "viewer")
NOW = datetime(2024, 2, 14, 1, tzinfo=UTC)


def _code(ctx: Ctx) -> tuple[int, str]:
    secret = ctx.settings.secret_key.get_secret_value().encode()
    with ctx.db.session() as session:
        row = issue_codes(session, [S1], ["kpps"], secret, "test", NOW)[0]
        return row.id, row.nonce


def _incident(ctx: Ctx) -> int:
    _publish(ctx)
    return reported(ctx.db, ctx.people["liaison"], riot())


def _photo(ctx: Ctx) -> str:
    incident_id = _incident(ctx)
    sha, kind = save_photo(ctx.settings.data_dir, JPEG)
    with ctx.db.session() as session:
        row = session.get_one(IncidentRow, incident_id)
        add_photo(session, row, sha, kind, len(JPEG), "test", NOW)
    return f"/api/v1/incidents/{incident_id}/photos/1"


def _write(path: Any, body: Any = None, content: bytes | None = None) -> Any:
    """A write as a session calls it: CSRF token and a fresh Idempotency-Key."""

    def send(ctx: Ctx) -> httpx2.Response:
        headers = {"X-CSRF-Token": ctx.csrf, "Idempotency-Key": str(uuid.uuid4())}
        url = path(ctx)
        if content is not None:
            return ctx.client.post(url, content=content, headers=headers)
        return ctx.client.post(url, json=body, headers=headers)

    return send


def _redeem(ctx: Ctx) -> httpx2.Response:
    from pamtps.ops.liaison.codes import derive_code

    _, nonce = _code(ctx)
    secret = ctx.settings.secret_key.get_secret_value().encode()
    return ctx.client.post("/api/v1/liaison/redeem", json={"code": shown(derive_code(secret,
                                                                                      nonce))})


def _get(path: Any) -> Any:
    return lambda ctx: ctx.client.get(path(ctx))


def _incident_url(suffix: str = "") -> Any:
    return lambda ctx: f"/api/v1/incidents/{_incident(ctx)}{suffix}"


EVERYONE_IN = {p: 200 for p in PERSONAS}
SUPERVISORS = ("admin", "command", "polsek", "polsek_other", "padal", "viewer")
SEE_S1 = expect(200, tuple(PERSONAS), polsek_other=404)

CASES = [
    Case("POST", "/api/v1/liaison/codes", expect(201, ISSUERS, polsek_other=403),
         send=_write(lambda ctx: "/api/v1/liaison/codes", {"tps": [S1]})),
    Case("POST", "/api/v1/liaison/codes/{code_id}/revoke", expect(200, ISSUERS, polsek_other=404),
         send=_write(lambda ctx: f"/api/v1/liaison/codes/{_code(ctx)[0]}/revoke", {})),
    Case("POST", "/api/v1/liaison/redeem", expect(201, anonymous=201, **{p: 201 for p in PERSONAS}),
         send=_redeem),
    Case("GET", "/api/v1/liaison/codes", expect(200, ISSUERS, polsek_other=200)),
    Case("GET", "/api/v1/liaison/sheet", expect(200, ISSUERS, polsek_other=403),
         url=f"/api/v1/liaison/sheet?tps={S1}"),
    Case("GET", "/liaison", expect(200, anonymous=200)),
    Case("POST", "/api/v1/incidents", expect(201, WRITERS, polsek_other=403),
         send=_write(lambda ctx: _publish(ctx) or "/api/v1/incidents", riot())),
    Case("GET", "/api/v1/incidents", expect(200)),
    Case("GET", "/api/v1/incidents/{incident_id}", SEE_S1, send=_get(_incident_url())),
    Case("POST", "/api/v1/incidents/{incident_id}/transition",
         expect(200, HANDLERS, polsek_other=404),
         send=_write(_incident_url("/transition"), {"to": "verified"})),
    Case("POST", "/api/v1/incidents/{incident_id}/photos", expect(201, WRITERS, polsek_other=404),
         send=_write(_incident_url("/photos"), content=JPEG)),
    Case("GET", "/api/v1/incidents/{incident_id}/photos/{n}", SEE_S1, send=_get(_photo)),
    Case("GET", "/kejadian", expect(200, SUPERVISORS, **PAGE)),
    Case("GET", "/api/v1/incidents/{incident_id}/dispatches",
         expect(200, SUPERVISORS, polsek_other=404), send=_get(_incident_url("/dispatches"))),
]

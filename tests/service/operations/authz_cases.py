"""The response routes in the authorization matrix (``tests/service/test_authz_matrix.py``).

Each case publishes the reserve plan of ``world.py`` first (Bripka Andi on the Hulu post). The
riot lies at Sukamaju TPS 001, in Hulu: Polsek Hilir does not see it (404). Escort writes are
Andi's (either side) and the Sukamaju liaison's (the receiver side); the escort page
``/pengawalan`` is for those who oversee TPS. A seal-mismatch flag on that TPS is closed by the
command, Polsek Hulu and the Padal of Hulu; Polsek Hilir does not see it (404).
"""

from __future__ import annotations

from datetime import UTC, datetime

import httpx2

from pamtps.ops.dispatch import orders
from pamtps.ops.dispatch.places import reserve_map
from pamtps.ops.escort.alerts import raise_alert
from pamtps.ops.escort.chain import SEAL_MISMATCH
from pamtps.ops.escort.records import record_seals
from pamtps.ops.sitrep.store import make_sitrep
from tests.service.authz import PAGE, Case, Ctx, expect
from tests.service.field.plans import SUKAMAJU_1
from tests.service.operations.world import BRIMOB, add_incident, publish_reserve_plan

SUPERVISORS = ("admin", "command", "polsek", "polsek_other", "padal", "viewer")
OVERSEERS = ("admin", "command", "viewer")
SEALS = {"ppwp": "1", "dpr": "2", "dpd": "3", "dprd_prov": "4", "dprd_kab": "5"}
NOW = datetime(2024, 2, 14, 8, tzinfo=UTC)
TPS = SUKAMAJU_1.code


def _riot(ctx: Ctx) -> None:
    publish_reserve_plan(ctx.db)
    with ctx.db.session() as session:
        ctx.values["incident"] = add_incident(session, TPS, sector="polsek_hulu")


def _dispatched(ctx: Ctx) -> None:
    _riot(ctx)
    with ctx.db.session() as session:
        row, _ = orders.dispatch(
            session,
            reserve_map(session),
            unit=BRIMOB,
            incident_id=ctx.values["incident"],
            actor="test",
            now=NOW,
        )
        ctx.values["dispatch"] = row.id


def _sealed(ctx: Ctx) -> None:
    publish_reserve_plan(ctx.db)
    with ctx.db.session() as session:
        record_seals(session, TPS, SEALS, "andi", NOW)


def _flagged(ctx: Ctx) -> None:
    """A seal-mismatch flag on the PPS leg of Sukamaju TPS 001 (Hulu)."""
    _sealed(ctx)
    with ctx.db.session() as session:
        alert = raise_alert(session, SEAL_MISMATCH, TPS, "pps", "andi: segel DPD", NOW)
    assert alert is not None
    ctx.values["alert"] = alert.id


def _sitrep(ctx: Ctx) -> None:
    publish_reserve_plan(ctx.db)
    with ctx.db.session() as session:
        row = make_sitrep(session, NOW, ctx.settings.data_dir, actor="test")
        assert row is not None
        ctx.values["sitrep"] = row.id


def _escort_write(path: str, body: dict) -> object:
    def send(ctx: Ctx) -> httpx2.Response:
        headers = {"Idempotency-Key": f"{ctx.persona}-{path}"}
        if ctx.csrf:
            headers["X-CSRF-Token"] = ctx.csrf
        return ctx.client.post(f"/api/v1/escorts/{TPS}/{path}", json=body, headers=headers)

    return send


HANDOVER = {"leg": "pps", "side": "receiver", "seals": SEALS, "receiver_name": "Ketua PPS"}

CASES = [
    Case("GET", "/api/v1/reserve", expect(200, SUPERVISORS), setup=_riot),
    Case(
        "GET",
        "/api/v1/incidents/{incident_id}/recommendation",
        expect(200, SUPERVISORS, polsek_other=404),
        setup=_riot,
        url=lambda ctx: f"/api/v1/incidents/{ctx.values['incident']}/recommendation",
    ),
    Case(
        "POST",
        "/api/v1/dispatches",
        expect(201, ["command"]),
        setup=_riot,
        json=lambda ctx: {"unit": BRIMOB, "incident": ctx.values["incident"]},
    ),
    Case(
        "POST",
        "/api/v1/dispatches/{dispatch_id}/status",
        expect(200, ["command"]),
        setup=_dispatched,
        json={"status": "on_scene"},
        url=lambda ctx: f"/api/v1/dispatches/{ctx.values['dispatch']}/status",
    ),
    Case(
        "POST",
        "/api/v1/escorts/{tps_code}/seals",
        expect(201, ["officer"]),
        setup=lambda ctx: publish_reserve_plan(ctx.db),
        send=_escort_write("seals", {"seals": SEALS}),
    ),
    Case(
        "POST",
        "/api/v1/escorts/{tps_code}/handovers",
        expect(201, ["officer", "liaison"]),
        setup=_sealed,
        send=_escort_write("handovers", HANDOVER),
    ),
    Case("GET", "/api/v1/escorts", expect(200), setup=_sealed),
    Case("GET", "/pengawalan", expect(200, SUPERVISORS, **PAGE), setup=_sealed),
    Case(
        "POST",
        "/api/v1/alerts/{alert_id}/resolve",
        expect(200, ["command", "polsek", "padal"], polsek_other=404),
        setup=_flagged,
        json={"note": "Diperiksa ulang: salah baca."},
        url=lambda ctx: f"/api/v1/alerts/{ctx.values['alert']}/resolve",
    ),
    Case(
        "POST",
        "/api/v1/sitreps",
        expect(201, ["admin", "command"]),
        setup=lambda ctx: publish_reserve_plan(ctx.db),
    ),
    Case("GET", "/api/v1/sitreps/latest", expect(200, OVERSEERS), setup=_sitrep),
    *[
        Case(
            "GET",
            f"/api/v1/sitreps/{{sitrep_id}}/{kind}",
            expect(200, OVERSEERS),
            setup=_sitrep,
            url=lambda ctx, kind=kind: f"/api/v1/sitreps/{ctx.values['sitrep']}/{kind}",
        )
        for kind in ("pdf", "xlsx")
    ],
]

"""Ballot-box escort: seals at the TPS, both sides of each leg, refusals flagged, overdue legs.

Bripka Andi escorts the boxes of Sukamaju TPS 001 (his post); the receiving official confirms
through the liaison account of that TPS ('kpps.sukamaju') or on Andi's phone with his name.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import select

from pamtps.ops.escort.alerts import Deadlines, escort_alerts
from pamtps.settings import Settings
from pamtps.store import Database
from pamtps.store.tables.field import AlertRow
from tests.service.field.api import bearer
from tests.service.field.conftest import at, field_write
from tests.service.field.plans import ANDI, SUKAMAJU_1, SUKAMAJU_2

SEALS = {"ppwp": "A-001", "dpr": "B-002", "dpd": "C-003", "dprd_prov": "D-004", "dprd_kab": "E-005"}
TPS = SUKAMAJU_1.code
Heads = dict[str, dict[str, str]]


@pytest.fixture
def heads(field_plan: Database, settings: Settings) -> Heads:
    return {name: bearer(field_plan, settings, name) for name in ("andi", "kpps.sukamaju")}


def _post(
    client: TestClient, head: dict[str, str], path: str, body: Any, key: str | None = None
) -> Response:
    headers = head | {"Idempotency-Key": key or str(uuid.uuid4())}
    return client.post(f"/api/v1/escorts/{TPS}/{path}", json=body, headers=headers)


def _handover(leg: str, side: str, seals: dict[str, str] = SEALS, **extra: str) -> dict[str, Any]:
    return {"leg": leg, "side": side, "seals": seals, **extra}


def _open_alerts(db: Database, kind: str) -> list[str]:
    with db.session() as session:
        query = select(AlertRow.subject).where(
            AlertRow.kind == kind, AlertRow.resolved_at.is_(None)
        )
        return list(session.scalars(query))


def test_a_full_escort_chain_is_confirmed_on_both_sides(client: TestClient, heads: Heads):
    """Seals, then the PPS and PPK legs confirmed by Andi and by the receiver: not pending."""
    andi, liaison = heads["andi"], heads["kpps.sukamaju"]
    assert _post(client, andi, "seals", {"seals": SEALS}).status_code == 201
    assert _post(client, andi, "handovers", _handover("pps", "officer")).status_code == 201
    done = _post(client, liaison, "handovers", _handover("pps", "receiver"))
    assert done.status_code == 201 and done.json()["leg_complete"] is True
    assert _post(client, andi, "handovers", _handover("ppk", "officer")).status_code == 201
    typed = _handover("ppk", "receiver", receiver_name="Sekretaris PPK Hulu")
    assert _post(client, andi, "handovers", typed).json()["receiver_name"] == "Sekretaris PPK Hulu"
    listed = client.get("/api/v1/escorts", headers=andi).json()["escorts"]
    assert [(e["tps_code"], e["pending"]) for e in listed] == [(TPS, False)]
    assert client.get("/api/v1/escorts?pending=true", headers=andi).json()["count"] == 0


def test_a_repeated_key_is_applied_once(client: TestClient, heads: Heads):
    """The same handover sent twice under one key answers the stored response, replayed."""
    _post(client, heads["andi"], "seals", {"seals": SEALS})
    first = _post(client, heads["andi"], "handovers", _handover("pps", "officer"), key="k1")
    again = _post(client, heads["andi"], "handovers", _handover("pps", "officer"), key="k1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"


def test_a_wrong_seal_is_refused_and_flagged(
    client: TestClient, heads: Heads, field_plan: Database
):
    """A DPD box with another seal at the PPS: 409, and the command gets an alert."""
    _post(client, heads["andi"], "seals", {"seals": SEALS})
    wrong = _handover("pps", "receiver", seals=SEALS | {"dpd": "C-999"})
    answer = _post(client, heads["kpps.sukamaju"], "handovers", wrong)
    assert answer.status_code == 409
    assert answer.json()["detail"]["code"] == "escort.seal_mismatch"
    assert "kotak DPD tidak cocok" in answer.json()["detail"]["message"]
    assert _open_alerts(field_plan, "escort_seal_mismatch") == [f"{TPS}:pps"]


def test_a_handover_to_the_ppk_before_the_pps_is_refused_and_flagged(
    client: TestClient, heads: Heads, field_plan: Database
):
    """PPK confirmed while the PPS leg lacks its receiver: 409 and an out-of-order alert."""
    _post(client, heads["andi"], "seals", {"seals": SEALS})
    _post(client, heads["andi"], "handovers", _handover("pps", "officer"))
    answer = _post(client, heads["andi"], "handovers", _handover("ppk", "officer"))
    assert answer.json()["detail"]["code"] == "escort.out_of_order"
    assert _open_alerts(field_plan, "escort_out_of_order") == [f"{TPS}:ppk"]


def test_a_liaison_confirms_only_the_receiver_side_of_his_own_tps(client: TestClient, heads: Heads):
    """The KPPS liaison cannot sign for the escort, nor for another TPS."""
    liaison = heads["kpps.sukamaju"]
    assert _post(client, liaison, "handovers", _handover("pps", "officer")).status_code == 403
    other = client.post(
        f"/api/v1/escorts/{SUKAMAJU_2.code}/handovers",
        json=_handover("pps", "receiver"),
        headers=liaison | {"Idempotency-Key": "x"},
    )
    assert other.status_code == 403


def _count_finished(db: Database, minute: int) -> None:
    steps = ["dibuka", "pemungutan", "ditutup", "penghitungan", "penghitungan_selesai"]
    for i, step in enumerate(steps):
        when = at(20, minute) if step == steps[-1] else at(7 + i)
        outcome = field_write(
            db, ANDI, "status", {"status": step, "at": when.isoformat()}, TPS, now=when
        )
        assert outcome.error is None, outcome.error


def test_an_overdue_leg_raises_an_alert_that_resolves_on_handover(
    client: TestClient, heads: Heads, field_plan: Database
):
    """Counting ends 20:00; 2 h later the PPS leg is not done: overdue, until it is."""
    _count_finished(field_plan, 0)
    deadlines = Deadlines(pps=timedelta(hours=2), ppk=timedelta(hours=6))
    with field_plan.session() as session:
        assert escort_alerts(session, at(21, 59), deadlines) == []
        raised = escort_alerts(session, at(22, 0), deadlines)
        assert [(a.change, a.subject) for a in raised] == [("raised", f"{TPS}:pps")]
        assert escort_alerts(session, at(22, 5), deadlines) == []  # raised once
    _post(client, heads["andi"], "seals", {"seals": SEALS})
    _post(client, heads["andi"], "handovers", _handover("pps", "officer"))
    _post(client, heads["kpps.sukamaju"], "handovers", _handover("pps", "receiver"))
    assert _open_alerts(field_plan, "escort_overdue") == []

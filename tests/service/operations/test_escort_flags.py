"""Closing an escort flag: a person closes a refused handover's alert with a note, audited.

The Sukamaju liaison reads another DPD seal at the PPS: a seal-mismatch flag on Sukamaju TPS 001
(Hulu). The commander, Polsek Hulu or the Padal of Hulu close it; Polsek Hilir does not see it.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import select

from pamtps.ops import audit
from pamtps.ops.escort.alerts import raise_alert
from pamtps.ops.escort.chain import OVERDUE
from pamtps.settings import Settings
from pamtps.store import Database
from pamtps.store.tables.security import AuditRow
from tests.service.field.api import bearer
from tests.service.field.conftest import at
from tests.service.field.plans import SUKAMAJU_1

SEALS = {"ppwp": "A-001", "dpr": "B-002", "dpd": "C-003", "dprd_prov": "D-004", "dprd_kab": "E-005"}
TPS = SUKAMAJU_1.code
USERS = ("andi", "kpps.sukamaju", "komandan", "sek.hulu", "sek.hilir", "padal.hulu", "polda")
Heads = dict[str, dict[str, str]]


@pytest.fixture
def heads(field_plan: Database, settings: Settings) -> Heads:
    return {name: bearer(field_plan, settings, name) for name in USERS}


@pytest.fixture
def seal_flag(client: TestClient, heads: Heads) -> int:
    """The id of the open seal-mismatch flag of Sukamaju TPS 001's PPS leg."""
    for head, path, body in [
        (heads["andi"], "seals", {"seals": SEALS}),
        (heads["kpps.sukamaju"], "handovers", _wrong_seal()),
    ]:
        client.post(
            f"/api/v1/escorts/{TPS}/{path}",
            json=body,
            headers=head | {"Idempotency-Key": str(uuid.uuid4())},
        )
    (flag,) = _open(client, heads["komandan"])
    assert flag["kind"] == "escort_seal_mismatch"
    return int(flag["id"])


def _wrong_seal() -> dict[str, Any]:
    return {"leg": "pps", "side": "receiver", "seals": SEALS | {"dpd": "C-999"}}


def _open(client: TestClient, head: dict[str, str]) -> list[dict[str, Any]]:
    return list(client.get("/api/v1/alerts", headers=head).json()["alerts"])


def _close(client: TestClient, head: dict[str, str], alert_id: int, body: Any) -> Response:
    return client.post(f"/api/v1/alerts/{alert_id}/resolve", json=body, headers=head)


NOTE = "Segel DPD diperiksa ulang di PPS bersama Panwascam: salah baca, nomor asli C-003."


def test_the_command_closes_a_seal_mismatch_flag_with_a_note(
    client: TestClient, heads: Heads, seal_flag: int, field_plan: Database
):
    """200 with the alert resolved and the note; gone from the alerts; audited in the chain."""
    answer = _close(client, heads["komandan"], seal_flag, {"note": f"  {NOTE} "})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["id"], body["change"], body["note"]) == (seal_flag, "resolved", NOTE)
    assert body["closed_by"] == "komandan"
    assert _open(client, heads["komandan"]) == []
    with field_plan.session() as session:
        entry = session.scalars(select(AuditRow).where(AuditRow.action == "alert.closed")).one()
        assert (entry.actor, entry.subject) == ("komandan", f"alert:{seal_flag}")
        assert entry.payload["note"] == NOTE
        assert entry.payload["kind"] == "escort_seal_mismatch"
        assert audit.verify(session).ok


def test_a_flag_is_not_closed_without_a_note(client: TestClient, heads: Heads, seal_flag: int):
    """No note, or only spaces, or over 500 characters: 422, and the flag stays open."""
    for body in [{}, {"note": "   "}, {"note": "x" * 501}]:
        answer = _close(client, heads["komandan"], seal_flag, body)
        assert answer.status_code == 422, body
    codes = [
        _close(client, heads["komandan"], seal_flag, body).json()["detail"]["code"]
        for body in ({"note": ""}, {"note": "x" * 501})
    ]
    assert codes == ["escort.note_required", "escort.note_too_long"]
    assert [a["id"] for a in _open(client, heads["komandan"])] == [seal_flag]


def test_a_flag_is_closed_once(client: TestClient, heads: Heads, seal_flag: int):
    """The Polsek of the area closes it; the commander's second close answers 409."""
    assert _close(client, heads["sek.hulu"], seal_flag, {"note": NOTE}).status_code == 200
    again = _close(client, heads["komandan"], seal_flag, {"note": NOTE})
    assert again.status_code == 409
    assert again.json()["detail"]["code"] == "escort.flag_already_closed"


def test_an_overdue_alert_is_not_closed_by_hand(
    client: TestClient, heads: Heads, field_plan: Database
):
    """An overdue leg resolves itself when the boxes arrive: 409, and it stays open."""
    with field_plan.session() as session:
        alert = raise_alert(session, OVERDUE, TPS, "pps", "Kotak suara terlambat", at(22))
    assert alert is not None
    answer = _close(client, heads["komandan"], alert.id, {"note": NOTE})
    assert answer.status_code == 409
    assert answer.json()["detail"]["code"] == "escort.flag_not_closable"
    assert [a["id"] for a in _open(client, heads["komandan"])] == [alert.id]


def test_a_polsek_out_of_scope_does_not_see_the_flag(
    client: TestClient, heads: Heads, seal_flag: int
):
    """Polsek Hilir gets 404 for a Hulu flag, as for one that does not exist; the Padal of
    Hulu closes it."""
    assert _close(client, heads["sek.hilir"], seal_flag, {"note": NOTE}).status_code == 404
    assert _close(client, heads["komandan"], seal_flag + 99, {"note": NOTE}).status_code == 404
    assert _close(client, heads["padal.hulu"], seal_flag, {"note": NOTE}).status_code == 200


@pytest.mark.parametrize("username", ["kpps.sukamaju", "andi", "polda"])
def test_liaison_officer_and_viewer_may_not_close_a_flag(
    client: TestClient, heads: Heads, seal_flag: int, username: str
):
    """403 for the liaison, the officer and the viewer; the flag stays open."""
    assert _close(client, heads[username], seal_flag, {"note": NOTE}).status_code == 403
    assert [a["id"] for a in _open(client, heads["komandan"])] == [seal_flag]

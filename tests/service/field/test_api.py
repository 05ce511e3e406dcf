"""The field API over HTTP: publish, orders, check-in, status, tallies refused, idempotency keys."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from pamtps.settings import Settings
from pamtps.store import Database
from pamtps.store.tables.field import MovementRow
from pamtps.store.tables.security import AuditRow
from pamtps.tokens import sign_token
from tests.service.field.api import save_plan_version, send
from tests.service.field.conftest import EXPIRES_AFTER_VOTING
from tests.service.field.plans import ANDI, EKO, FAJAR, GUNAWAN, HULU_POST, SUKAMAJU_1

Headers = dict[str, str]
AT_SUKAMAJU = {"method": "gps", "lat": SUKAMAJU_1.lat, "lng": SUKAMAJU_1.lng}


def _movements(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(MovementRow)) or 0


def test_the_command_publishes_and_each_officer_reads_his_order(
    db: Database, client: TestClient, heads: dict[str, Headers]
) -> None:
    """Publishing issues four orders; Andi's names his post and his partner Fajar."""
    plan_id = save_plan_version(db, 1)
    response = client.post(f"/api/v1/plans/{plan_id}/publish", headers=heads["komandan"])
    assert response.json()["counts"] == {"issued": 4, "changed": 0, "unchanged": 0, "withdrawn": 0}
    order = client.get("/api/v1/orders/me", headers=heads["andi"]).json()
    assert order["post_id"] == HULU_POST and order["must_acknowledge"]
    assert [p["nrp"] for p in order["details"]["partners"]] == [FAJAR]


def test_only_the_command_publishes(
    db: Database, client: TestClient, heads: dict[str, Headers]
) -> None:
    """A Polsek or an officer publishing a plan: 403."""
    plan_id = save_plan_version(db, 1)
    for name in ("sek.hulu", "andi"):
        response = client.post(f"/api/v1/plans/{plan_id}/publish", headers=heads[name])
        assert response.status_code == 403


def test_polsek_sees_who_in_its_sector_has_not_acknowledged(
    client: TestClient, heads: dict[str, Headers], in_force: int
) -> None:
    """Andi acknowledges; Polsek Hulu then sees only Fajar pending, Polsek Hilir Eko and Gunawan."""
    order = client.get("/api/v1/orders/me", headers=heads["andi"]).json()
    ack = send(client, f"/api/v1/orders/{order['id']}/ack", heads["andi"], {})
    assert ack.status_code == 200 and ack.json()["acknowledged_at"]
    pending = {
        name: [
            o["nrp"]
            for o in client.get("/api/v1/orders?acknowledged=false", headers=heads[name]).json()[
                "orders"
            ]
        ]
        for name in ("sek.hulu", "sek.hilir", "komandan")
    }
    assert pending == {
        "sek.hulu": [FAJAR],
        "sek.hilir": sorted([GUNAWAN, EKO]),
        "komandan": sorted([GUNAWAN, FAJAR, EKO]),
    }


def test_republishing_asks_again_only_the_changed_orders(
    db: Database, client: TestClient, heads: dict[str, Headers], in_force: int
) -> None:
    """After version 2 Andi's acknowledged order stands; Eko must read what changed."""
    for name in ("andi", "eko"):
        order = client.get("/api/v1/orders/me", headers=heads[name]).json()
        send(client, f"/api/v1/orders/{order['id']}/ack", heads[name], {})
    plan_id = save_plan_version(db, 2)
    client.post(f"/api/v1/plans/{plan_id}/publish", headers=heads["komandan"])
    andi = client.get("/api/v1/orders/me", headers=heads["andi"]).json()
    eko = client.get("/api/v1/orders/me", headers=heads["eko"]).json()
    assert not andi["must_acknowledge"]
    assert eko["must_acknowledge"] and [c["field"] for c in eko["changes"]] == ["partners"]


def test_gps_check_in_turns_the_tps_guarded(
    client: TestClient, heads: dict[str, Headers], in_force: int
) -> None:
    """Andi at Sukamaju TPS 001: 201 with distance 0, and the map state says guarded."""
    response = send(client, "/api/v1/checkin", heads["andi"], AT_SUKAMAJU)
    assert response.status_code == 201, response.text
    assert response.json()["distance_m"] == 0
    state = client.get("/api/v1/tps/state", headers=heads["sek.hulu"]).json()
    row = next(r for r in state["tps"] if r["tps_code"] == SUKAMAJU_1.code)
    assert (row["state"], row["checked_in"], row["officers"]) == ("guarded", 1, 2)


def test_gps_check_in_far_away_is_refused_with_the_distance(
    client: TestClient, heads: dict[str, Headers], in_force: int
) -> None:
    """Two kilometres north of the post: 422, and the Indonesian message says how far from
    which TPS, and the limit."""
    far = AT_SUKAMAJU | {"lat": SUKAMAJU_1.lat + 0.018}
    response = send(client, "/api/v1/checkin", heads["andi"], far)
    assert response.status_code == 422
    message = response.json()["detail"]["message"]
    distance = re.search(r"posisi Anda (\d+) m dari TPS 001 Sukamaju, batasnya 300 m", message)
    assert distance and abs(int(distance.group(1)) - 2000) < 5


def test_qr_check_in_with_a_tampered_token_is_refused(
    client: TestClient, settings: Settings, heads: dict[str, Headers], in_force: int
) -> None:
    """Andi's token with Fajar's claims under Andi's signature is refused (422); his own
    token checks him in."""
    secret = settings.secret_key.get_secret_value().encode()
    token = sign_token(secret, ANDI, HULU_POST, 1, EXPIRES_AFTER_VOTING)
    signature = token.split(".")[1]
    forged = sign_token(secret, FAJAR, HULU_POST, 1, EXPIRES_AFTER_VOTING).split(".")[0]
    response = send(
        client, "/api/v1/checkin", heads["andi"], {"method": "qr", "token": f"{forged}.{signature}"}
    )
    assert (response.status_code, response.json()["detail"]["code"]) == (
        422,
        "field.token_signature",
    )
    good = send(client, "/api/v1/checkin", heads["andi"], {"method": "qr", "token": token})
    assert good.status_code == 201 and good.json()["method"] == "qr"


def test_a_status_out_of_order_is_refused(
    client: TestClient, heads: dict[str, Headers], in_force: int
) -> None:
    """'ditutup' right after 'dibuka' is refused with 409 naming 'pemungutan'."""
    path = f"/api/v1/tps/{SUKAMAJU_1.code}/status"
    assert send(client, path, heads["andi"], {"status": "dibuka"}).status_code == 201
    response = send(client, path, heads["andi"], {"status": "ditutup"})
    assert response.status_code == 409
    assert "pemungutan" in response.json()["detail"]["message"]


def test_a_payload_with_vote_counts_is_refused_in_both_languages(
    client: TestClient, heads: dict[str, Headers], in_force: int
) -> None:
    """A status carrying a nested tally: 422, 'Polri tidak boleh mencatat perolehan suara';
    in English, 'police must not record vote counts'. Nothing is stored."""
    path = f"/api/v1/tps/{SUKAMAJU_1.code}/status"
    body = {"status": "dibuka", "detail": {"saksi": [{"paslon": "01", "suara_sah": 120}]}}
    response = send(client, path, heads["andi"], body)
    assert response.status_code == 422
    assert "Polri tidak boleh mencatat perolehan suara" in response.json()["detail"]["message"]
    english = send(client, path + "?lang=en", heads["andi"], body)
    assert "police must not record vote counts" in english.json()["detail"]["message"]
    timeline = client.get(f"/api/v1/tps/{SUKAMAJU_1.code}/timeline", headers=heads["andi"])
    assert timeline.json()["timeline"] == []


def test_a_replayed_key_is_not_applied_twice(
    db: Database, client: TestClient, heads: dict[str, Headers], in_force: int
) -> None:
    """The same check-in sent three times under one key: one movement row, one audit entry,
    the same answer each time, the repeats marked as replayed."""
    answers = [
        send(client, "/api/v1/checkin", heads["andi"], AT_SUKAMAJU, key="hp-andi-0001")
        for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert answers[1].json() == answers[0].json()
    assert [a.headers.get("Idempotent-Replayed") for a in answers] == [None, "true", "true"]
    assert _movements(db) == 1
    with db.session() as session:
        audited = session.scalar(
            select(func.count()).select_from(AuditRow).where(AuditRow.action == "field.checkin")
        )
    assert audited == 1


def test_the_same_key_with_another_body_is_a_conflict(
    db: Database, client: TestClient, heads: dict[str, Headers], in_force: int
) -> None:
    """Reusing a key for another report: 409."""
    path = f"/api/v1/tps/{SUKAMAJU_1.code}/status"
    assert send(client, path, heads["andi"], {"status": "dibuka"}, key="k-1").status_code == 201
    response = send(client, path, heads["andi"], {"status": "pemungutan"}, key="k-1")
    assert (response.status_code, response.json()["detail"]["code"]) == (
        409,
        "field.idempotency_key_reused",
    )


def test_a_field_write_without_a_key_is_a_bad_request(
    db: Database, client: TestClient, heads: dict[str, Headers], in_force: int
) -> None:
    """No Idempotency-Key header: 400, nothing applied."""
    response = send(client, "/api/v1/checkin", heads["andi"], AT_SUKAMAJU, key=None)
    assert response.status_code == 400
    assert _movements(db) == 0


def test_field_writes_are_for_officers(
    client: TestClient, heads: dict[str, Headers], in_force: int
) -> None:
    """The viewer and a Polsek cannot check in (403)."""
    for name in ("polda", "sek.hulu"):
        assert send(client, "/api/v1/checkin", heads[name], AT_SUKAMAJU).status_code == 403


def test_a_queued_batch_is_applied_once_in_order_and_answered_report_by_report(
    db: Database, client: TestClient, heads: dict[str, Headers], in_force: int
) -> None:
    """Andi's phone, back in signal, sends apel, check-in, a bad step and 'dibuka'; then sends
    the whole batch again. Each report is answered on its own; the repeat applies nothing."""
    status = f"/api/v1/tps/{SUKAMAJU_1.code}/status"
    batch = {
        "reports": [
            {"path": "/api/v1/movements", "body": {"phase": "apel"}, "idempotency_key": "q-1"},
            {"path": "/api/v1/checkin", "body": AT_SUKAMAJU, "idempotency_key": "q-2"},
            {"path": status, "body": {"status": "ditutup"}, "idempotency_key": "q-3"},
            {"path": status, "body": {"status": "dibuka"}, "idempotency_key": "q-4"},
        ]
    }
    first = send(client, "/api/v1/field/batch", heads["andi"], batch, key="batch-1").json()
    assert [r["status"] for r in first["results"]] == [201, 201, 409, 201]
    assert "'dibuka'" in first["results"][2]["detail"]["message"]
    assert first["results"][2]["detail"]["code"] == "field.status_out_of_order"
    again = send(client, "/api/v1/field/batch", heads["andi"], batch, key="batch-2").json()
    assert [r.get("replayed") for r in again["results"]] == [True, True, None, True]
    assert _movements(db) == 2


def test_a_batch_with_a_tally_anywhere_is_refused_whole(
    db: Database, client: TestClient, heads: dict[str, Headers], in_force: int
) -> None:
    """One report carrying vote counts refuses the whole batch (422): nothing is stored."""
    batch = {
        "reports": [
            {"path": "/api/v1/movements", "body": {"phase": "apel"}},
            {
                "path": f"/api/v1/tps/{SUKAMAJU_1.code}/status",
                "body": {"status": "dibuka", "perolehan": {"01": 3}},
            },
        ]
    }
    response = send(client, "/api/v1/field/batch", heads["andi"], batch)
    assert response.status_code == 422
    assert _movements(db) == 0

"""How each report came to the command post: app, offline queue or SMS, and how late."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from tests.service.field.plans import SUKAMAJU_1

Headers = dict[str, str]


def _ago(minutes: int) -> str:
    return (datetime.now(UTC) - timedelta(minutes=minutes)).isoformat()


def _status(client: TestClient, head: Headers, step: str, key: str, **extra: object) -> object:
    headers = head | {"Idempotency-Key": key} | dict(extra.pop("headers", {}))  # type: ignore[arg-type]
    return client.post(f"/api/v1/tps/{SUKAMAJU_1.code}/status", json={"status": step, **extra},
                       headers=headers)


def test_a_queued_status_shows_its_channel_and_delay_on_the_tps_page(
    client: TestClient, heads: dict[str, Headers], in_force: int
):
    """'dibuka' sent at once, then 'pemungutan' from the offline queue 42 minutes after the
    phone's time: the timeline API and the TPS page say so, in Indonesian by default."""
    assert _status(client, heads["andi"], "dibuka", "k1").status_code == 201
    queued = _status(client, heads["andi"], "pemungutan", "k2", at=_ago(42),
                     headers={"X-PamTPS-Channel": "queue"})
    assert queued.status_code == 201, queued.text
    assert (queued.json()["channel"], queued.json()["delay_min"]) == ("queue", 42)
    timeline = client.get(f"/api/v1/tps/{SUKAMAJU_1.code}/timeline", headers=heads["komandan"])
    steps = [(s["status"], s["channel"], s["delay_min"]) for s in timeline.json()["timeline"]]
    assert steps == [("dibuka", "app", 0), ("pemungutan", "queue", 42)]
    page = client.get(f"/tps/{SUKAMAJU_1.code}", headers=heads["komandan"])
    assert page.status_code == 200
    assert "via antrean offline, 42 menit terlambat" in page.text
    english = client.get(f"/tps/{SUKAMAJU_1.code}?lang=en", headers=heads["komandan"])
    assert "via offline queue, 42 min late" in english.text


def test_a_phone_cannot_claim_the_sms_channel(
    client: TestClient, heads: dict[str, Headers], in_force: int
):
    """Only the SMS endpoint sets 'sms': a phone naming it is refused (422) and nothing is
    stored."""
    refused = _status(client, heads["andi"], "dibuka", "k1", headers={"X-PamTPS-Channel": "sms"})
    assert refused.status_code == 422
    assert "sms" in refused.json()["detail"]["message"]
    timeline = client.get(f"/api/v1/tps/{SUKAMAJU_1.code}/timeline", headers=heads["komandan"])
    assert timeline.json()["timeline"] == []


def test_a_batch_item_names_its_channel(
    client: TestClient, heads: dict[str, Headers], in_force: int
):
    """A queued batch: the item marked 'queue' is stored so, the unmarked one as 'app', and an
    item with an unknown channel is refused alone."""
    path = f"/api/v1/tps/{SUKAMAJU_1.code}/status"
    batch = {"reports": [
        {"path": path, "body": {"status": "dibuka", "at": _ago(50)}, "channel": "queue"},
        {"path": path, "body": {"status": "pemungutan"}},
        {"path": path, "body": {"status": "ditutup"}, "channel": "pigeon"},
    ]}
    answer = client.post("/api/v1/field/batch", json=batch,
                         headers=heads["andi"] | {"Idempotency-Key": "b1"})
    results = answer.json()["results"]
    assert [r["status"] for r in results] == [201, 201, 422]
    assert "pigeon" in results[2]["detail"]["message"]
    timeline = client.get(f"/api/v1/tps/{SUKAMAJU_1.code}/timeline", headers=heads["komandan"])
    steps = [(s["status"], s["channel"], s["delay_min"]) for s in timeline.json()["timeline"]]
    assert steps == [("dibuka", "queue", 50), ("pemungutan", "app", 0)]


def test_a_queued_incident_report_keeps_its_channel_and_delay(
    client: TestClient, heads: dict[str, Headers], in_force: int
):
    """An incident from the offline queue, seen 30 minutes before it arrived: its trail says
    'queue', 30 minutes late."""
    body = {"tps_code": SUKAMAJU_1.code, "category": "late_opening", "severity": "sedang",
            "description": "TPS belum dibuka", "at": _ago(30)}
    headers = heads["andi"] | {"Idempotency-Key": "i1", "X-PamTPS-Channel": "queue"}
    made = client.post("/api/v1/incidents", json=body, headers=headers)
    assert made.status_code == 201, made.text
    detail = client.get(f"/api/v1/incidents/{made.json()['id']}", headers=heads["komandan"])
    (report,) = detail.json()["trail"]
    assert (report["channel"], report["delay_min"]) == ("queue", 30)
    assert report["received_at"] is not None

"""Incidents: who reports where, merging, the workflow, idempotency, events, the counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from pamtps.ops.field.runtime import runtime_of
from pamtps.ops.incidents.queries import incident_counts, open_incidents
from pamtps.ops.scope import Scope
from pamtps.store.tables.security import AuditRow
from tests.service.incidents.conftest import PASAR_1, S1, S2, incident, post, reported, riot

INCIDENTS = "/api/v1/incidents"


def step(client, heads, incident_id, to, user="sek.hulu", **extra):
    return post(client, f"{INCIDENTS}/{incident_id}/transition", heads[user], {"to": to} | extra)


def test_a_liaison_reports_at_his_tps_and_sees_only_it(client, heads, db, people):
    """A liaison reports at his TPS, not elsewhere, and sees no incident of another TPS."""
    mine = post(client, INCIDENTS, heads["kpps.sukamaju"], riot())
    assert mine.status_code == 201, mine.text
    assert post(client, INCIDENTS, heads["kpps.sukamaju"], riot(tps_code=PASAR_1)
                ).status_code == 403
    elsewhere = reported(db, people["command"], riot(tps_code=PASAR_1))
    listed = client.get(INCIDENTS, headers=heads["kpps.sukamaju"]).json()["incidents"]
    assert [i["tps_code"] for i in listed] == [S1]
    assert client.get(f"{INCIDENTS}/{elsewhere}", headers=heads["kpps.sukamaju"]
                      ).status_code == 404


def test_an_officer_reports_at_a_tps_of_his_post(client, heads, posted):
    """Bripka Andi reports at Sukamaju TPS 002, on his post, but not at Pasar TPS 001."""
    answer = post(client, INCIDENTS, heads["andi"], riot(tps_code=S2, category="late_opening"))
    assert answer.status_code == 201, answer.text
    assert (answer.json()["sector"], answer.json()["level"]) == ("polsek_hulu", "polsek")
    assert post(client, INCIDENTS, heads["andi"], riot(tps_code=PASAR_1)).status_code == 403


def test_the_same_problem_at_the_same_tps_merges(client, heads, posted):
    """A second report of the same category at the same TPS joins the open incident."""
    first = post(client, INCIDENTS, heads["kpps.sukamaju"], riot(severity="sedang")).json()
    again = post(client, INCIDENTS, heads["andi"], riot(severity="kritis"))
    assert again.status_code == 200
    assert (again.json()["id"], again.json()["merged"]) == (first["id"], True)
    assert (again.json()["reports"], again.json()["severity"]) == (2, "kritis")
    other = post(client, INCIDENTS, heads["andi"], riot(category="money_politics")).json()
    assert other["id"] != first["id"]
    trail = client.get(f"{INCIDENTS}/{first['id']}", headers=heads["komandan"]).json()["trail"]
    assert [r["reported_by"] for r in trail] == ["kpps.sukamaju", "andi"]


def test_a_closed_incident_takes_no_more_reports(client, heads, db, people):
    """Once resolved, the same problem reported again opens a new incident."""
    first = reported(db, people["liaison"], riot())
    step(client, heads, first, "verified")
    step(client, heads, first, "handled", owner="Iptu Sari, Kapolsek Hulu")
    step(client, heads, first, "resolved")
    again = post(client, INCIDENTS, heads["kpps.sukamaju"], riot())
    assert again.status_code == 201 and again.json()["id"] != first


def test_an_incident_goes_from_new_to_resolved(client, heads, db, people):
    """Verified, handled by a named owner, resolved: each step recorded and audited."""
    incident_id = reported(db, people["liaison"], riot())
    assert step(client, heads, incident_id, "verified").json()["next"] == [
        "handled", "referred_bawaslu", "referred_kpu"]
    handled = step(client, heads, incident_id, "handled", "komandan", owner="Regu Samapta 1")
    assert handled.json()["owner"] == "Regu Samapta 1"
    done = step(client, heads, incident_id, "resolved", "padal.hulu", note="Massa bubar")
    assert (done.json()["status"], done.json()["open"]) == ("resolved", False)
    detail = client.get(f"{INCIDENTS}/{incident_id}", headers=heads["kpps.sukamaju"]).json()
    assert [s["to"] for s in detail["steps"]] == ["verified", "handled", "resolved"]
    with db.session() as session:
        actions = set(session.scalars(select(AuditRow.action)))
    assert {"incident.verified", "incident.handled", "incident.resolved"} <= actions


def test_a_money_politics_case_is_referred_to_bawaslu(client, heads, db, people):
    """An election crime goes to Bawaslu (Sentra Gakkumdu) and the incident closes."""
    incident_id = reported(db, people["liaison"], riot(category="money_politics"))
    step(client, heads, incident_id, "verified")
    referred = step(client, heads, incident_id, "referred_bawaslu", note="Ke Sentra Gakkumdu")
    assert referred.json()["refer_to"] == "bawaslu"
    assert (referred.json()["status"], referred.json()["open"]) == ("referred_bawaslu", False)


def test_an_illegal_transition_is_refused_with_the_steps_allowed(client, heads, db, people):
    """new -> resolved is refused (409) naming 'verified'; handled needs an owner; a closed
    incident moves no more; a liaison moves none."""
    incident_id = reported(db, people["liaison"], riot())
    refused = client.post(f"{INCIDENTS}/{incident_id}/transition?lang=en", json={"to": "resolved"},
                          headers=heads["sek.hulu"] | {"Idempotency-Key": "k1"})
    assert refused.status_code == 409
    assert "'new' to 'resolved'" in refused.json()["detail"]["message"]
    assert "verified" in refused.json()["detail"]["message"]
    assert step(client, heads, incident_id, "verified", "kpps.sukamaju").status_code == 403
    step(client, heads, incident_id, "verified")
    assert step(client, heads, incident_id, "handled").status_code == 422
    step(client, heads, incident_id, "referred_kpu")
    assert step(client, heads, incident_id, "handled", owner="x").status_code == 409
    assert incident(db, incident_id).status == "referred_kpu"


def test_a_repeated_key_is_applied_once(client, heads):
    """The same key and body replay the answer; another body under the key is refused."""
    first = post(client, INCIDENTS, heads["kpps.sukamaju"], riot(), key="hp-1")
    replay = post(client, INCIDENTS, heads["kpps.sukamaju"], riot(), key="hp-1")
    assert replay.json() == first.json() and replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json()["reports"] == 1
    other = post(client, INCIDENTS, heads["kpps.sukamaju"], riot(severity="kritis"), key="hp-1")
    assert other.status_code == 409
    missing = client.post(INCIDENTS, json=riot(), headers=heads["kpps.sukamaju"])
    assert missing.status_code == 400


def test_vote_counts_in_a_report_are_refused(client, heads):
    """Police do not record tallies: a count in the text or a tally field is refused."""
    text = post(client, INCIDENTS, heads["kpps.sukamaju"],
                riot(description="Ribut soal paslon 01: 120 suara"))
    assert text.status_code == 422
    assert text.json()["detail"]["code"] == "field.vote_counts_refused"
    field = post(client, INCIDENTS, heads["kpps.sukamaju"], riot(suara_sah=120))
    assert field.status_code == 422


def test_reports_and_steps_are_published_as_incident_events(app, client, heads, monkeypatch):
    """The dashboard hears of a report and each step (kind 'incident')."""
    published = []
    monkeypatch.setattr(runtime_of(app).broker, "publish", published.append)
    incident_id = post(client, INCIDENTS, heads["kpps.sukamaju"], riot()).json()["id"]
    step(client, heads, incident_id, "verified")
    assert [(e.kind, e.data["change"], e.tps_codes) for e in published] == [
        ("incident", "reported", (S1,)), ("incident", "verified", (S1,))]


def test_open_incidents_and_counts_for_the_situation_report(db, people):
    """Open incidents within a scope, and counts by status, category and sector."""
    reported(db, people["liaison"], riot())
    reported(db, people["command"], riot(tps_code=PASAR_1, category="flood_disaster"))
    with db.session() as session:
        hulu = Scope.of(people["polsek"], {"polsek_hulu": ("16.99.01",)})
        assert [i["tps_code"] for i in open_incidents(session, hulu)] == [S1]
        counts = incident_counts(session)
    assert counts["by_status"] == {"new": 2}
    assert counts["by_category"]["flood_disaster"] == {"open": 1}
    assert counts["by_sector"] == {"polsek_hilir": {"open": 1}, "polsek_hulu": {"open": 1}}


def test_a_report_queued_without_signal_keeps_the_time_it_was_made(client, heads, posted, db):
    """Andi's report written 45 minutes ago without signal arrives now: it is dated then (its
    response timer runs from then). A phone clock hours ahead is refused, as for any field
    report, and opens nothing."""
    seen = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=45)
    body = riot(tps_code=S2, category="late_opening", at=seen.isoformat())
    answer = post(client, INCIDENTS, heads["andi"], body)
    assert answer.status_code == 201, answer.text
    assert datetime.fromisoformat(answer.json()["reported_at"]) == seen
    ahead = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    refused = post(client, INCIDENTS, heads["andi"], riot(tps_code=S2, at=ahead))
    assert refused.json()["detail"]["code"] == "field.client_time_out_of_range"
    listed = client.get(INCIDENTS, headers=heads["komandan"]).json()["incidents"]
    assert [i["category"] for i in listed] == ["late_opening"]

"""The audit chain vouches for the operational tables: orders, incidents and their trail, escort
seals and handovers (movements and TPS steps: ``tests/service/test_audit.py``).

A morning at Sukamaju TPS 001 through the API: Bripka Andi reports a crowd, the KPPS chair
reports it too (merged into the same incident), the Polsek verifies it; after counting, Andi
records the seals and both sides confirm the handover to the PPS. Every row those writes left
must match the latest digest the chain recorded for it; a row changed, added or removed in SQL
behind the service's back fails ``pamtps audit verify``, naming its table and row.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from pamtps.ops import audit
from pamtps.settings import Settings
from pamtps.store import Database
from pamtps.store.security import AUDITED_TABLES
from pamtps.store.tables.security import AuditRow
from tests.service.audit_tools import insert_copy, sql, verify
from tests.service.field.api import bearer
from tests.service.field.plans import SUKAMAJU_1
from tests.service.operations.world import BRIMOB

TPS = SUKAMAJU_1.code
SEALS = {"ppwp": "A-001", "dpr": "B-002", "dpd": "C-003", "dprd_prov": "D-004", "dprd_kab": "E-005"}


def _post(client: TestClient, head: dict[str, str], path: str, body: Any) -> Any:
    answer = client.post(path, json=body, headers=head | {"Idempotency-Key": str(uuid.uuid4())})
    assert answer.status_code in (200, 201), answer.text
    return answer.json()


@pytest.fixture
def morning(field_plan: Database, settings: Settings, client: TestClient) -> int:
    """The morning of the module docstring; the incident's id."""
    heads = {name: bearer(field_plan, settings, name)
             for name in ("andi", "kpps.sukamaju", "sek.hulu")}
    riot = {"tps_code": TPS, "category": "crowd_riot", "severity": "sedang",
            "description": "Massa berkumpul di depan TPS"}
    incident = _post(client, heads["andi"], "/api/v1/incidents", riot)["id"]
    merged = _post(client, heads["kpps.sukamaju"], "/api/v1/incidents",
                   riot | {"severity": "tinggi"})
    assert merged["id"] == incident and merged["merged"] is True
    _post(client, heads["sek.hulu"], f"/api/v1/incidents/{incident}/transition", {"to": "verified"})
    escort = f"/api/v1/escorts/{TPS}"
    _post(client, heads["andi"], f"{escort}/seals", {"seals": SEALS})
    _post(client, heads["andi"], f"{escort}/handovers",
          {"leg": "pps", "side": "officer", "seals": SEALS})
    _post(client, heads["kpps.sukamaju"], f"{escort}/handovers",
          {"leg": "pps", "side": "receiver", "seals": SEALS})
    return int(incident)


def _one_id(db: Database, table: str) -> int:
    """The newest row of an audited table."""
    source = AUDITED_TABLES[table]
    with db.session() as session:
        newest = session.scalar(select(source.c.id).order_by(source.c.id.desc()).limit(1))
    assert newest is not None, f"the morning wrote no row in {table}"
    return int(newest)


def test_an_untouched_morning_verifies_with_every_row_recorded(db: Database, morning: int):
    """Each audited table the morning wrote is recorded in the chain, the incident at its
    latest state (two reports, verified); the whole chain and every table verify."""
    result = verify(db)
    assert result.ok, result.reason
    with db.session() as session:
        payloads = [row.payload for row in session.scalars(select(AuditRow).order_by(AuditRow.id))]
    recorded: dict[str, dict[str, str | None]] = {}
    for payload in payloads:
        for table, digests in (payload or {}).get("rows", {}).items():
            recorded.setdefault(table, {}).update(digests)
    for table in ("orders", "incidents", "incident_reports", "incident_steps", "escort_seals",
                  "escort_handovers"):
        assert recorded.get(table), f"no digest of {table} in the chain"
    assert len(recorded["incident_reports"]) == 2 and len(recorded["escort_seals"]) == 5
    with db.session() as session:
        row = session.execute(select(AUDITED_TABLES["incidents"]).where(
            AUDITED_TABLES["incidents"].c.id == morning)).mappings().one()
    assert (row["reports"], row["status"]) == (2, "verified")
    assert recorded["incidents"][str(morning)] == audit.table_row_digest("incidents", dict(row))


TAMPERINGS = [
    pytest.param("incidents", "UPDATE incidents SET severity = 'rendah' WHERE id = :id",
                 "differs", id="incident-downgraded"),
    pytest.param("incidents", "UPDATE incidents SET status = 'resolved' WHERE id = :id",
                 "differs", id="incident-closed"),
    pytest.param("incident_reports", "UPDATE incident_reports SET description = 'Aman' "
                 "WHERE id = :id", "differs", id="report-rewritten"),
    pytest.param("incident_steps", "DELETE FROM incident_steps WHERE id = :id", "missing",
                 id="step-removed"),
    pytest.param("escort_handovers", "UPDATE escort_handovers SET receiver_name = 'Orang Lain' "
                 "WHERE id = :id", "differs", id="handover-receiver-renamed"),
    pytest.param("escort_handovers", "UPDATE escort_handovers SET seals = "
                 "'{\"ppwp\": \"Z-999\"}' WHERE id = :id", "differs", id="handover-seals"),
    pytest.param("escort_seals", "UPDATE escort_seals SET seal = 'Z-999' WHERE id = :id",
                 "differs", id="seal-swapped"),
    pytest.param("orders", "UPDATE orders SET post_id = 'elsewhere' WHERE id = :id", "differs",
                 id="order-moved"),
]


@pytest.mark.parametrize(("table", "statement", "found"), TAMPERINGS)
def test_an_operational_row_changed_in_sql_fails_naming_table_and_row(
    db: Database, morning: int, table: str, statement: str, found: str
):
    """A row edited or removed in SQL no longer matches the latest digest the chain holds."""
    assert verify(db).ok
    target = _one_id(db, table)
    sql(db, statement, id=target)
    result = verify(db)
    assert not result.ok
    assert f"table {table} row {target} " in (result.reason or ""), result.reason
    assert found in (result.reason or "")


def test_an_incident_inserted_in_sql_fails_as_not_recorded(db: Database, morning: int):
    """A copy of the incident inserted behind the chain's back is named as added."""
    insert_copy(db, "incidents", morning, id=morning + 50, category="other")
    result = verify(db)
    assert not result.ok
    assert f"table incidents row {morning + 50} is not recorded" in (result.reason or "")


def test_a_later_legitimate_step_is_recorded_again(
    db: Database, morning: int, settings: Settings, client: TestClient
):
    """The next step on the incident records its new state in a ``rows.written`` entry by its
    actor, and the chain verifies: verify compares each row with the latest entry of it."""
    head = bearer(db, settings, "sek.hulu")
    _post(client, head, f"/api/v1/incidents/{morning}/transition",
          {"to": "handled", "owner": "Iptu Sari, Kapolsek Hulu"})
    result = verify(db)
    assert result.ok, result.reason
    with db.session() as session:
        last = session.scalars(select(AuditRow).order_by(AuditRow.id.desc())).first()
    assert last is not None and last.action == "rows.written" and last.actor == "sek.hulu"
    assert str(morning) in last.payload["rows"]["incidents"]


def test_a_dispatch_changed_in_sql_fails_naming_table_and_row(
    db: Database, reserve_db: Database, settings: Settings, client: TestClient, riot: int
):
    """The Brimob platoon sent to the riot and on scene: the chain verifies; its dispatch row
    then marked back at the station in SQL (the unit's trip erased) fails, naming the row."""
    head = bearer(reserve_db, settings, "komandan")
    sent = _post(client, head, "/api/v1/dispatches", {"unit": BRIMOB, "incident": riot})
    _post(client, head, f"/api/v1/dispatches/{sent['id']}/status", {"status": "on_scene"})
    assert verify(db).ok, verify(db).reason
    sql(db, "UPDATE dispatches SET status = 'returning', eta_min = 1 WHERE id = :id",
        id=sent["id"])
    result = verify(db)
    assert not result.ok
    assert f"table dispatches row {sent['id']} differs" in (result.reason or ""), result.reason

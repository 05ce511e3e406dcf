"""The service on a database filled by `pamtps init --regency 16.08` (OKU Timur), not OKU.

The regency is stored as init stores it, with a synthetic roster in place of an imported one,
planned from the database under default.toml, and published through the API as the commander.
Then the map, the orders and a Polsek's scope must be OKU Timur's: its 2,180 TPS, its 20
sectors, nothing of OKU.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from pamtps.datasets.regency import load_regency
from pamtps.datasets.roster import RosterFigures, generate_roster
from pamtps.domain.plan import Duty, Plan
from pamtps.io.operation_file import load_operation
from pamtps.ops import users
from pamtps.ops.users import Role
from pamtps.planner import plan as make_plan
from pamtps.scenarios import ScenarioSource, build_scenario, operation_path
from pamtps.settings import Settings
from pamtps.store import Database, load_dataset, save_dataset
from pamtps.store.plans import save_plan
from pamtps.web.app import create_app
from tests.service.personas import PASSWORD

OKU_TIMUR = "16.08"
MARTAPURA = "16.08.01"
SECTOR = f"polsek.{MARTAPURA}"


@pytest.fixture
def served(db: Database, settings: Settings) -> Iterator[tuple[TestClient, Plan]]:
    """OKU Timur stored, planned from the database, published; a commander and Polsek Martapura."""
    dataset = load_regency(OKU_TIMUR)
    officers, units = generate_roster(dataset, RosterFigures(polres=491, bko_polri=120), seed=7)
    with db.session() as session:
        save_dataset(session, dataset.with_personnel(officers, units))
        for name, role, scope in (("komandan", Role.COMMAND, None),
                                  ("sek.martapura", Role.POLSEK, SECTOR)):
            users.create_user(session, username=name, password=PASSWORD, role=role,
                              actor="test", scope_code=scope, display_name=name)
    operation = load_operation(operation_path(OKU_TIMUR)).replace(regency=OKU_TIMUR)
    scenario = build_scenario(ScenarioSource("database", OKU_TIMUR), operation, db)
    plan = make_plan(scenario, time_limit=20)
    with db.session() as session:
        plan_id = save_plan(session, plan, operation)
    with TestClient(create_app(db, settings), follow_redirects=False) as client:
        form = {"username": "komandan", "password": PASSWORD}
        token = client.post("/api/v1/auth/token", json=form).json()["access_token"]
        client.headers["Authorization"] = f"Bearer {token}"
        answer = client.post(f"/api/v1/plans/{plan_id}/publish")
        assert answer.status_code == 201, answer.text
        yield client, plan


def tps_of(layer: dict) -> set[str]:
    return {f["properties"]["code"] for f in layer["features"] if f["properties"]["kind"] == "tps"}


def test_the_commander_map_holds_oku_timur_tps_and_its_sectors(served, db: Database):
    """The plan layer holds exactly the 2,180 TPS of 16.08 and its 20 Polsek to filter by;
    the boundaries are 16.08's kecamatan and desa."""
    client, _ = served
    with db.session() as session:
        stored = load_dataset(session)
    layer = client.get("/api/v1/map/plan").json()
    assert tps_of(layer) == {t.code for t in stored.tps}
    assert len(tps_of(layer)) == 2180
    assert {p["code"] for p in layer["filters"]["polsek"]} == {u.code for u in stored.polsek}
    assert len(layer["filters"]["polsek"]) == 20
    codes = {f["properties"]["code"] for f in client.get("/api/v1/map/boundaries").json()[
        "features"]}
    assert codes and all(code.startswith(OKU_TIMUR + ".") for code in codes)


def test_orders_are_published_for_every_officer_on_duty_and_a_polsek_sees_his_sector(served):
    """Every officer on a TPS post has his order in force, in a 16.08 sector; Polsek Martapura's map
    holds the TPS of Kecamatan Martapura and nothing else."""
    client, plan = served
    on_duty = {a.nrp for a in plan.assignments if a.duty is Duty.POST}
    orders = client.get("/api/v1/orders").json()
    assert {o["nrp"] for o in orders["orders"]} == on_duty and orders["count"] == len(on_duty)
    assert all(o["sector"].startswith("polsek.16.08.") for o in orders["orders"])
    client.headers.pop("Authorization")
    form = {"username": "sek.martapura", "password": PASSWORD}
    token = client.post("/api/v1/auth/token", json=form).json()["access_token"]
    mine = client.get("/api/v1/map/plan", headers={"Authorization": f"Bearer {token}"}).json()
    assert tps_of(mine) and all(code.startswith("160801") for code in tps_of(mine))

"""Dispatch of reserve units: nearest first, the floor, the commander's override, the move-up."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from pamtps.ops.dispatch.recommend import move_up, recommend
from pamtps.settings import Settings
from pamtps.store import Database
from pamtps.store.tables.response import ReserveUnitRow
from pamtps.store.tables.security import AuditRow
from tests.service.field.api import bearer
from tests.service.field.plans import SUKAMAJU_1
from tests.service.operations.world import (
    BRIMOB,
    HULU_BASE,
    KODIM,
    POLRES,
    SQUAD_1,
    SQUAD_2,
    add_incident,
)


def _unit(code: str, station: str, officers: int, status: str = "available") -> ReserveUnitRow:
    return ReserveUnitRow(
        id=hash(code) % 1000,
        code=code,
        name=code,
        station=station,
        officers=officers,
        status=status,
    )


PLACES = {"a": (0.0, 0.0), "b": (0.0, 1.0), "c": (0.0, 3.0)}


def _minutes(origin: tuple[float, float], target: tuple[float, float]) -> float:
    return round(abs(origin[1] - target[1]) * 10, 1)


def test_recommendation_lists_available_units_by_eta():
    """Units come nearest first, ties by code; one out on a dispatch is not offered."""
    units = [
        _unit("c/1", "c", 5),
        _unit("a/2", "a", 5),
        _unit("a/1", "a", 5),
        _unit("b/1", "b", 5, status="dispatched"),
    ]
    ranked = recommend(units, (0.0, 2.9), 0, PLACES.__getitem__, _minutes)
    assert [(c.unit.code, c.eta_min) for c in ranked] == [
        ("c/1", 1.0),
        ("a/1", 29.0),
        ("a/2", 29.0),
    ]


def test_move_up_picks_the_nearest_unit_a_base_can_spare():
    """Base b left empty: a's unit is nearer than c's, but a cannot spare it below the floor."""
    units = [_unit("a/1", "a", 5), _unit("c/1", "c", 5), _unit("c/2", "c", 5)]
    suggestion = move_up(units, "b", 5, PLACES.__getitem__, _minutes)
    assert suggestion is not None
    assert (suggestion["code"], suggestion["to_station"], suggestion["eta_min"]) == (
        "c/1",
        "b",
        20.0,
    )


def test_recommendation_for_a_riot_puts_the_nearest_base_first(
    client: TestClient, reserve_db: Database, settings: Settings, riot: int
):
    """A riot at Pasar: the two units at Polres Contoh (next door) before the Hulu squads."""
    head = bearer(reserve_db, settings, "komandan")
    answer = client.get(f"/api/v1/incidents/{riot}/recommendation", headers=head).json()
    codes = [c["code"] for c in answer["candidates"]]
    assert codes == [BRIMOB, KODIM, SQUAD_1, SQUAD_2]
    etas = [c["eta_min"] for c in answer["candidates"]]
    assert etas == sorted(etas) and etas[0] < 5 < etas[2]
    assert answer["candidates"][0]["recommended"] is True


def test_the_floor_blocks_a_second_dispatch_that_would_drain_the_base(
    client: TestClient, reserve_db: Database, settings: Settings, riot: int
):
    """Brimob leaves Polres Contoh with Kodim's one officer; sending Kodim too is refused."""
    head = bearer(reserve_db, settings, "komandan")
    first = client.post("/api/v1/dispatches", json={"unit": BRIMOB, "incident": riot}, headers=head)
    assert first.status_code == 201, first.text
    assert first.json()["left_at_station"] == 1
    second = client.post("/api/v1/dispatches", json={"unit": KODIM, "incident": riot}, headers=head)
    assert second.status_code == 409
    assert second.json()["detail"]["code"] == "dispatch.below_floor"
    recommended = client.get(f"/api/v1/incidents/{riot}/recommendation", headers=head).json()
    assert recommended["candidates"][0]["code"] == KODIM
    assert recommended["candidates"][0]["below_floor"] is True
    assert recommended["recommended_unit_id"] != recommended["candidates"][0]["unit_id"]


def test_an_override_with_a_reason_passes_is_audited_and_suggests_a_move_up(
    client: TestClient, reserve_db: Database, settings: Settings, riot: int
):
    """The commander sends Kodim anyway, with a reason: dispatched, audited, and the squad of
    Polsek Hulu that it can spare (cadangan-1, keeping Fajar) moves up to the empty Polres."""
    head = bearer(reserve_db, settings, "komandan")
    client.post("/api/v1/dispatches", json={"unit": BRIMOB, "incident": riot}, headers=head)
    body = {"unit": KODIM, "incident": riot, "override_reason": "Kerusuhan meluas"}
    answer = client.post("/api/v1/dispatches", json=body, headers=head)
    assert answer.status_code == 201, answer.text
    assert answer.json()["override_reason"] == "Kerusuhan meluas"
    move = answer.json()["move_up"]
    assert (move["code"], move["from_station"], move["to_station"]) == (SQUAD_1, HULU_BASE, POLRES)
    with reserve_db.session() as session:
        audit = session.scalars(
            select(AuditRow).where(AuditRow.action == "dispatch.override")
        ).one()
    assert audit.actor == "komandan"
    assert audit.payload["override_reason"] == "Kerusuhan meluas"


def test_a_unit_goes_on_scene_returns_and_stands_by_again(
    client: TestClient, reserve_db: Database, settings: Settings, riot: int
):
    """dispatched -> on_scene -> returning -> available; a step out of order is refused."""
    head = bearer(reserve_db, settings, "komandan")
    sent = client.post("/api/v1/dispatches", json={"unit": BRIMOB, "incident": riot}, headers=head)
    path = f"/api/v1/dispatches/{sent.json()['id']}/status"
    assert client.post(path, json={"status": "available"}, headers=head).status_code == 409
    for status in ("on_scene", "returning", "available"):
        assert client.post(path, json={"status": status}, headers=head).json()["status"] == status
    units = client.get("/api/v1/reserve", headers=head).json()["units"]
    assert {u["code"]: u["status"] for u in units}[BRIMOB] == "available"


def test_a_closed_incident_gets_no_dispatch(
    client: TestClient, reserve_db: Database, settings: Settings
):
    """Nobody is sent to an incident already resolved."""
    with reserve_db.session() as session:
        closed = add_incident(session, SUKAMAJU_1.code, closed=True)
    head = bearer(reserve_db, settings, "komandan")
    answer = client.post(
        "/api/v1/dispatches", json={"unit": SQUAD_1, "incident": closed}, headers=head
    )
    assert answer.json()["detail"]["code"] == "dispatch.incident_closed"

"""The dashboard's pages and map layers on the toy regency (no browser: see test_browser.py).

Version 1 of the toy plan is published: Hulu post (Sukamaju TPS 001, 002; Bripka Andi and
Briptu Fajar), Hilir post (Pasar TPS 001; Bripda Eko and Serka Gunawan).
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from shapely.geometry import shape

from pamtps.ops.field.orders import PublishResult
from pamtps.ops.mapdata import light_geometry
from pamtps.settings import Settings
from pamtps.store import Database
from tests.fixtures import HILIR, HULU, SUKAMAJU, TPS
from tests.service.conftest import Login
from tests.service.field.conftest import at, field_write, save_and_publish
from tests.service.field.plans import ANDI, HULU_POST, PASAR_1, SUKAMAJU_1

LEAFLET_LICENCE_LINE = "Leaflet"


@pytest.fixture
def published(db: Database, people: dict) -> PublishResult:
    return save_and_publish(db, 1)


def test_the_map_page_loads_leaflet_from_the_package_not_a_cdn(client: TestClient, login: Login):
    """/peta refers to /vendor/leaflet only, and that path serves the packaged Leaflet."""
    login(client, "command")
    page = client.get("/peta").text
    assert '<script src="/vendor/leaflet/leaflet.js">' in page
    assert not re.search(r'(src|href)="(https?:)?//', page), "no script or style from elsewhere"
    leaflet = client.get("/vendor/leaflet/leaflet.js")
    assert leaflet.status_code == 200
    assert LEAFLET_LICENCE_LINE in leaflet.text[:200]
    assert client.get("/vendor/leaflet/leaflet.css").status_code == 200


def test_the_map_page_is_indonesian_by_default_and_english_on_request(
    client: TestClient, login: Login
):
    """Counters and filters speak Indonesian, or English with ?lang=en."""
    login(client, "command")
    assert "Belum dijaga" in client.get("/peta").text
    english = client.get("/peta?lang=en").text
    assert "Not yet guarded" in english and "Command map" in english


def test_boundaries_are_the_stored_area_shapes_as_geojson(client: TestClient, login: Login):
    """Anyone logged in gets the boundaries known: the toy regency has one, Sukamaju's."""
    login(client, "officer")
    (feature,) = client.get("/api/v1/map/boundaries").json()["features"]
    assert feature["properties"] | {"code": SUKAMAJU, "level": "desa", "name": "Sukamaju"} == (
        feature["properties"]
    )
    assert feature["geometry"]["type"] == "Polygon"


def test_a_boundary_is_simplified_and_rounded_to_about_a_metre():
    """Points closer than the tolerance to a straight edge go; coordinates keep 5 decimals."""
    edge = [[104.0 + i * 0.001, -4.0 + (i % 2) * 0.0000001] for i in range(11)]
    ring = [*edge, [104.01, -4.01], [104.0, -4.01], [104.0, -4.0]]
    light = light_geometry(shape({"type": "Polygon", "coordinates": [ring]}))
    (points,) = light["coordinates"]
    assert len(points) == 5
    assert all(round(x, 5) == x and round(y, 5) == y for x, y in points)


def test_the_plan_layer_holds_every_tps_with_its_post_and_class(
    client: TestClient, login: Login, published: PublishResult
):
    """The command sees all 6 toy TPS, each with its class, post, kecamatan and Polsek."""
    login(client, "command")
    layer = client.get("/api/v1/map/plan").json()
    tps = {f["properties"]["code"]: f["properties"] for f in layer["features"]
           if f["properties"]["kind"] == "tps"}
    assert set(tps) == {t.code for t in TPS}
    assert tps[SUKAMAJU_1.code] | {"post": HULU_POST, "kecamatan_code": HULU,
                                   "sector": "polsek_hulu"} == tps[SUKAMAJU_1.code]
    assert layer["plan"]["version"] == 1
    assert {p["code"] for p in layer["filters"]["polsek"]} == {"polsek_hulu", "polsek_hilir"}


def test_a_polsek_gets_only_the_tps_and_filters_of_his_sector(
    client: TestClient, login: Login, published: PublishResult
):
    """Polsek Hilir's layer holds Hilir's TPS and posts only, and only his Polsek to filter."""
    login(client, "polsek_other")
    layer = client.get("/api/v1/map/plan").json()
    codes = {f["properties"].get("code") for f in layer["features"]
             if f["properties"]["kind"] == "tps"}
    assert codes == {t.code for t in TPS if t.desa_code.startswith(HILIR)}
    posts = [f for f in layer["features"] if f["properties"]["kind"] == "post"]
    assert [p["properties"]["kecamatan_code"] for p in posts] == [HILIR]
    assert [p["code"] for p in layer["filters"]["polsek"]] == ["polsek_hilir"]


def test_without_a_published_plan_the_layer_is_empty(client: TestClient, login: Login):
    login(client, "command")
    layer = client.get("/api/v1/map/plan").json()
    assert layer["plan"] is None and layer["features"] == []


def test_the_compact_layer_holds_what_the_geojson_layer_holds(
    client: TestClient, login: Login, published: PublishResult
):
    """format=compact gives every TPS of the GeoJSON layer as a row (place, desa, kecamatan,
    class, post), every post, every reserve base, and the same plan and filters."""
    login(client, "polsek_other")
    geojson = client.get("/api/v1/map/plan").json()
    compact = client.get("/api/v1/map/plan?format=compact").json()
    assert compact["plan"] == geojson["plan"] and compact["filters"] == geojson["filters"]
    rows = {row[0]: dict(zip(compact["tps"]["columns"], row)) for row in compact["tps"]["rows"]}
    features = [f for f in geojson["features"] if f["properties"]["kind"] == "tps"]
    assert set(rows) == {f["properties"]["code"] for f in features}
    assert rows  # Hilir's TPS
    for feature in features:
        p, row = feature["properties"], rows[feature["properties"]["code"]]
        assert [row["lng"], row["lat"]] == feature["geometry"]["coordinates"]
        assert (row["number"], row["desa_code"], row["class"], row["post"]) == (
            p["number"], p["desa_code"], p["class"], p["post"])
        assert compact["areas"][p["desa_code"]] == p["desa"]
        assert compact["areas"][p["kecamatan_code"]] == p["kecamatan"]
    posts = [f["properties"]["id"] for f in geojson["features"]
             if f["properties"]["kind"] == "post"]
    assert [row[0] for row in compact["posts"]["rows"]] == posts
    reserve = [f for f in geojson["features"] if f["properties"]["kind"] == "reserve"]
    assert len(compact["reserve"]) == len(reserve)


def test_the_compact_state_is_the_state_in_rows(
    client: TestClient, login: Login, published: PublishResult, db: Database
):
    """format=compact gives each TPS's code, state and last status as the full state does,
    after a check-in too."""
    login(client, "command")
    outcome = field_write(db, ANDI, "checkin", {"method": "gps", "lat": SUKAMAJU_1.lat,
                                                 "lng": SUKAMAJU_1.lng}, now=at(7, 0))
    assert outcome.status == 201
    full = client.get("/api/v1/tps/state").json()
    compact = client.get("/api/v1/tps/state?format=compact").json()
    assert compact["columns"] == ["tps_code", "state", "last_status"]
    assert compact["tps"] == [[r["tps_code"], r["state"], r["last_status"]] for r in full["tps"]]
    assert compact["counts"] == full["counts"]
    states = {row[0]: row[1] for row in compact["tps"]}
    assert states[SUKAMAJU_1.code] == "guarded" and states[PASAR_1.code] == "not_yet"


def test_the_layer_and_the_state_follow_a_new_publication(
    client: TestClient, login: Login, published: PublishResult, db: Database
):
    """What the service keeps of the layer and of the posts' teams is read again once another
    plan version is published: version 2 takes Serka Gunawan off the Hilir post."""
    login(client, "command")
    before = client.get("/api/v1/tps/state").json()["tps"]
    assert client.get("/api/v1/map/plan?format=compact").json()["plan"]["version"] == 1
    assert {r["tps_code"]: r["officers"] for r in before}[PASAR_1.code] == 2
    save_and_publish(db, 2)
    assert client.get("/api/v1/map/plan?format=compact").json()["plan"]["version"] == 2
    assert client.get("/api/v1/map/plan").json()["plan"]["version"] == 2
    after = client.get("/api/v1/tps/state").json()["tps"]
    assert {r["tps_code"]: r["officers"] for r in after}[PASAR_1.code] == 1


def test_the_unacknowledged_count_alone(
    client: TestClient, login: Login, published: PublishResult
):
    """limit=0 gives the count of the orders nobody has read, and no order; a Polsek's count
    is his own orders'."""
    login(client, "command")
    listed = client.get("/api/v1/orders?acknowledged=false").json()
    counted = client.get("/api/v1/orders?acknowledged=false&limit=0").json()
    assert counted == {"count": listed["count"], "orders": []} and listed["count"] > 0
    assert len(client.get("/api/v1/orders?limit=1").json()["orders"]) == 1
    login(client, "polsek_other")
    mine = client.get("/api/v1/orders?acknowledged=false").json()["count"]
    assert client.get("/api/v1/orders?acknowledged=false&limit=0").json()["count"] == mine < (
        listed["count"])


def test_tps_page_shows_class_post_team_and_the_check_in(
    client: TestClient, login: Login, db: Database, published: PublishResult
):
    """After Bripka Andi's GPS check-in, Sukamaju TPS 001's page says guarded and shows it."""
    outcome = field_write(db, ANDI, "checkin", {"method": "gps", "lat": SUKAMAJU_1.lat,
                                                "lng": SUKAMAJU_1.lng}, now=at(6, 10))
    assert outcome.error is None
    login(client, "padal")
    page = client.get(f"/tps/{SUKAMAJU_1.code}").text
    assert HULU_POST in page and "Bripka Andi" in page
    assert "Dijaga" in page
    assert "Bripka Andi lapor hadir di TPS (GPS)" in page
    assert "06.10 WIB" in page  # the Indonesian clock, in the operation's zone


def test_tps_page_of_another_sector_is_not_found(
    client: TestClient, login: Login, published: PublishResult
):
    """Polsek Hulu does not see Pasar TPS 001 (Hilir): 404, in Indonesian."""
    login(client, "polsek")
    answer = client.get(f"/tps/{PASAR_1.code}")
    assert answer.status_code == 404
    assert "di luar wilayah Anda" in answer.text


def test_a_tile_url_needs_its_placeholders(db_url: str):
    """PAMTPS_TILE_URL is checked at start: a URL without {z}/{x}/{y} is refused."""
    assert Settings(database_url=db_url, tile_url="https://t.example/{z}/{x}/{y}.png").tile_url
    with pytest.raises(ValidationError, match="tile URL"):
        Settings(database_url=db_url, tile_url="https://t.example/tiles.png")


def test_the_tile_layer_reaches_the_map_only_when_set(
    client: TestClient, login: Login, monkeypatch: pytest.MonkeyPatch
):
    """No tile URL by default (closed network); a configured one is handed to the map."""
    login(client, "command")
    assert '"tileUrl": ""' in client.get("/peta").text
    settings = client.app.state.settings.model_copy(update={"tile_url": "/tiles/{z}/{x}/{y}.png"})
    monkeypatch.setattr(client.app.state, "settings", settings)
    assert '"tileUrl": "/tiles/{z}/{x}/{y}.png"' in client.get("/peta").text

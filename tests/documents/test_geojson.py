"""The plan as GeoJSON: a point per TPS, a point per post with its team, reserve stations."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from pamtps.documents.geojson import write_plan_geojson
from pamtps.domain.plan import Plan, Scenario


@pytest.fixture(scope="module")
def features(
    oku: Scenario, toy: Plan, tmp_path_factory: pytest.TempPathFactory
) -> list[dict[str, Any]]:
    path = write_plan_geojson(toy, oku, tmp_path_factory.mktemp("geo") / "plan.geojson")
    collection = json.loads(path.read_text("utf-8"))
    assert collection["type"] == "FeatureCollection"
    return collection["features"]


def of_kind(features: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [f for f in features if f["properties"]["kind"] == kind]


def test_one_point_per_tps_with_its_class_post_and_precision(
    features: list[dict[str, Any]], oku: Scenario, toy: Plan
) -> None:
    """All 1,225 TPS once each, as [lng, lat] points carrying class, post and precision."""
    tps = of_kind(features, "tps")
    assert Counter(f["properties"]["code"] for f in tps) == Counter(t.code for t in oku.dataset.tps)
    post_of = {code: p.id for p in toy.posts for code in p.tps}
    first = oku.dataset.tps[0]
    feature = next(f for f in tps if f["properties"]["code"] == first.code)
    assert feature["geometry"] == {"type": "Point", "coordinates": [first.lng, first.lat]}
    assert feature["properties"]["post"] == post_of[first.code]
    assert feature["properties"]["class"] == toy.classes[first.code].value
    assert feature["properties"]["desa"] == "Negeri Sindang"
    assert feature["properties"]["location_precision"] == "estimated"


def test_each_post_carries_its_team_and_size(features: list[dict[str, Any]], toy: Plan) -> None:
    """A post feature lists its team's NRPs, its leader and its size."""
    posts = {f["properties"]["id"]: f["properties"] for f in of_kind(features, "post")}
    assert set(posts) == {p.id for p in toy.posts}
    for post in toy.posts[:20]:
        team = toy.team(post.id)
        assert sorted(posts[post.id]["team"]) == sorted(a.nrp for a in team)
        assert posts[post.id]["size"] == len(team) == 2
        assert posts[post.id]["leader"] == next(a.nrp for a in team if a.leader)


def test_reserve_stations_are_points_with_their_strength(features: list[dict[str, Any]]) -> None:
    """Three stations: KPU office (27), Mapolres (57 Brimob and TNI), Polsek Peninjauan (26)."""
    reserve = {f["properties"]["name"]: f["properties"] for f in of_kind(features, "reserve")}
    assert {name: r["size"] for name, r in reserve.items()} == {
        "Kantor KPU Kabupaten OKU": 27,
        "Polres OKU": 57,
        "Polsek Peninjauan": 26,
    }
    assert reserve["Polres OKU"]["units"] == {"brimob.16.01.ton2": 27, "tni.16.01": 30}


def test_file_is_utf8_json_with_lng_lat_order(oku: Scenario, toy: Plan, tmp_path: Path) -> None:
    """Coordinates are longitude first (GeoJSON), inside OKU's bounding box."""
    path = write_plan_geojson(toy, oku, tmp_path / "plan.geojson")
    for feature in json.loads(path.read_bytes().decode("utf-8"))["features"]:
        lng, lat = feature["geometry"]["coordinates"]
        assert 103.5 < lng < 104.7 and -4.6 < lat < -3.6

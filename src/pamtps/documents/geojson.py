"""The plan as GeoJSON, for any map tool: TPS, posts and reserve stations as points.

Every feature has a ``kind`` ("tps", "post", "reserve") so that one file styles by layer. TPS
coordinates are mostly estimates inside their desa; ``location_precision`` says which.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from pamtps.documents.view import PlanView
from pamtps.domain.plan import Plan, Scenario


def plan_features(plan: Plan, scenario: Scenario) -> dict[str, Any]:
    """The FeatureCollection as a dict."""
    view = PlanView(plan, scenario)
    post_of = {code: post.id for post in plan.posts for code in post.tps}
    features = [
        _point(
            tps.lat,
            tps.lng,
            {
                "kind": "tps",
                "code": tps.code,
                "number": tps.number,
                "desa": view.area_name(tps.desa_code),
                "desa_code": tps.desa_code,
                "kecamatan": view.area_name(tps.kecamatan_code),
                "class": view.class_of(tps).value,
                "post": post_of.get(tps.code),
                "voters": tps.voters,
                "location_precision": tps.location_precision.value,
                "reserve_minutes": plan.reserve_minutes.get(tps.code),
            },
        )
        for tps in scenario.dataset.tps
    ]
    for post in plan.posts:
        team = view.team(post.id)
        features.append(
            _point(
                post.lat,
                post.lng,
                {
                    "kind": "post",
                    "id": post.id,
                    "sector": post.sector,
                    "kecamatan": view.area_name(post.kecamatan),
                    "class": post.vulnerability.value,
                    "tps": list(post.tps),
                    "team": [m.officer.nrp for m in team],
                    "leader": next((m.officer.nrp for m in team if m.assignment.leader), None),
                    "size": len(team),
                    "required": post.required,
                },
            )
        )
    for station, members in view.reserve().items():
        point = view.station_point(station)
        if point is None:
            continue
        units = Counter(m.officer.unit_code for m in members)
        features.append(
            _point(
                *point,
                {
                    "kind": "reserve",
                    "station": station,
                    "name": view.station_name(station),
                    "size": len(members),
                    "units": dict(sorted(units.items())),
                },
            )
        )
    return {
        "type": "FeatureCollection",
        "name": plan.operation,
        "properties": {"dataset": plan.dataset, "regency": plan.regency, "version": plan.version},
        "features": features,
    }


def write_plan_geojson(plan: Plan, scenario: Scenario, path: str | Path) -> Path:
    """Write the plan's FeatureCollection (UTF-8, coordinates as longitude, latitude)."""
    path = Path(path)
    path.write_text(json.dumps(plan_features(plan, scenario), ensure_ascii=False), "utf-8")
    return path


def _point(lat: float, lng: float, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(lng, 6), round(lat, 6)]},
        "properties": properties,
    }

"""What the dashboard's map draws: the area boundaries and the plan in force, as GeoJSON.

The base layer is the bundled kecamatan and desa boundaries (no tile server needed on a closed
network), simplified to about 50 m and rounded to about 1 m so that the whole regency stays a
light download. The plan layer is the plan in force (``documents.geojson``), cut to what
the caller may see, each TPS tagged with its kecamatan and Polsek for the map's filters.
"""

from __future__ import annotations

import json
from typing import Any

from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from pamtps.documents.geojson import plan_features
from pamtps.domain import AreaLevel, Dataset
from pamtps.domain.plan import Scenario
from pamtps.ops.kept import kept
from pamtps.ops.scope import Scope
from pamtps.store import Session, load_dataset
from pamtps.store.plans import StoredPlan, current_publication, get_plan
from pamtps.store.views import area_boundaries, map_sources_version, publication_version

# What the map's script reads of each kind of feature; the rest stays on the server.
KEEP = {
    "tps": {"kind", "code", "number", "label", "desa", "desa_code", "kecamatan", "kecamatan_code",
            "sector", "class", "post", "reserve_minutes"},
    "post": {"kind", "id", "sector", "kecamatan", "kecamatan_code", "class", "size", "required"},
    "reserve": {"kind", "station", "name", "size"},
}
LEVELS = (AreaLevel.KECAMATAN.value, AreaLevel.DESA.value)
SIMPLIFY_DEGREES = 0.0005  # ~55 m: invisible at the zoom that shows a whole kecamatan
DIGITS = 5  # ~1 m


def _rounded(coordinates: Any) -> Any:
    if isinstance(coordinates, float | int):
        return round(coordinates, DIGITS)
    return [_rounded(c) for c in coordinates]


def light_geometry(geometry: BaseGeometry) -> dict[str, Any]:
    """A geometry as GeoJSON, simplified (topology kept) and rounded for the map."""
    simple = mapping(geometry.simplify(SIMPLIFY_DEGREES, preserve_topology=True))
    return {"type": simple["type"], "coordinates": _rounded(simple["coordinates"])}


def boundaries(session: Session) -> dict[str, Any]:
    """The kecamatan and desa boundaries as one FeatureCollection (``level``, ``code``, ``name``).

    Boundaries are public data (Kemendagri): everyone logged in gets the whole regency. Made
    once per process while the stored data stay the same (simplifying a province's 3,400
    shapes takes seconds).
    """
    return kept("boundaries", boundaries_version(session), lambda: _boundaries(session))


def _boundaries(session: Session) -> dict[str, Any]:
    features = []
    for code, name, level, geometry in area_boundaries(session, LEVELS):
        if geometry is None:  # an area with no known boundary
            continue
        shaped = shape(json.loads(geometry))
        inside = shaped.representative_point()  # where its name goes: inside, even if split
        properties = {"level": level, "code": code, "name": name,
                      "label_at": _rounded([inside.y, inside.x])}
        features.append(
            {"type": "Feature", "geometry": light_geometry(shaped), "properties": properties}
        )
    return {"type": "FeatureCollection", "features": features}


def plan_in_force(session: Session) -> StoredPlan | None:
    """The stored plan of the publication in force, or None before the first publication."""
    publication = current_publication(session)
    return get_plan(session, publication.plan_id) if publication else None


def kecamatan_of_desa(desa_code: str) -> str:
    return desa_code.rsplit(".", 1)[0]


def filters(dataset: Dataset, scope: Scope) -> dict[str, list[dict[str, Any]]]:
    """The Polsek and kecamatan the caller may pick on the map, in code order."""
    return _scoped_filters(_all_filters(dataset), scope)


def _all_filters(dataset: Dataset) -> dict[str, list[dict[str, Any]]]:
    polsek = [
        {"code": unit.code, "name": unit.name, "kecamatan": list(unit.kecamatan_codes)}
        for unit in dataset.polsek
    ]
    kecamatan = [
        {"code": area.code, "name": area.name}
        for area in dataset.areas_at(AreaLevel.KECAMATAN)
        if area.code[:5] in dataset.regency_codes
    ]
    return {"polsek": sorted(polsek, key=lambda p: p["code"]), "kecamatan": kecamatan}


def _scoped_filters(
    every: dict[str, list[dict[str, Any]]], scope: Scope
) -> dict[str, list[dict[str, Any]]]:
    polsek = [unit for unit in every["polsek"]
              if any(scope.can_see_kecamatan(code) for code in unit["kecamatan"])]
    kecamatan = [area for area in every["kecamatan"] if scope.can_see_kecamatan(area["code"])]
    return {"polsek": polsek, "kecamatan": kecamatan}


def plan_layer(session: Session, scope: Scope) -> dict[str, Any]:
    """The plan in force as GeoJSON (TPS, posts, reserve bases) for the caller's scope, with the
    filters of the map; without a published plan, no features and ``plan`` None.

    The whole layer is made once per process and plan in force (loading a province's dataset
    and drawing its plan takes seconds); each request cuts it to the caller's scope."""
    whole = kept("plan", plan_layer_version(session), lambda: _whole_layer(session))
    features = []
    for feature in whole["features"]:
        properties = feature["properties"]
        kind = properties["kind"]
        if kind == "tps" and not scope.can_see_tps(properties["code"]):
            continue
        if kind == "post" and not scope.can_see_kecamatan(properties["kecamatan_code"]):
            continue
        # Reserve bases: the whole regency's, for everyone (the nearest may be next door).
        features.append(feature)
    return {"type": "FeatureCollection", "plan": whole["plan"], "features": features,
            "filters": _scoped_filters(whole["filters"], scope)}


def plan_layer_version(session: Session) -> tuple[object, ...]:
    """A fingerprint of the plan layer: the publication in force and what the map is drawn
    from. Equal fingerprints, equal layers (for the same scope)."""
    return (publication_version(session), *map_sources_version(session))


def boundaries_version(session: Session) -> tuple[object, ...]:
    """A fingerprint of the boundaries: equal fingerprints, equal boundaries."""
    return map_sources_version(session)


def _whole_layer(session: Session) -> dict[str, Any]:
    """The plan layer for a caller who sees everything."""
    dataset = load_dataset(session)
    stored = plan_in_force(session)
    if stored is None:
        return {"plan": None, "features": [], "filters": _all_filters(dataset)}
    collection = plan_features(stored.plan, Scenario(dataset, stored.operation))
    sector_of = {k: u.code for u in dataset.polsek for k in u.kecamatan_codes}
    post_kecamatan = {post.id: post.kecamatan for post in stored.plan.posts}
    features = []
    for feature in collection["features"]:
        properties = feature["properties"]
        kind = properties["kind"]
        if kind == "tps":
            kecamatan = kecamatan_of_desa(properties["desa_code"])
            properties |= {"kecamatan_code": kecamatan, "sector": sector_of.get(kecamatan),
                           "label": f"TPS {properties['number']:03d}"}
        elif kind == "post":
            properties["kecamatan_code"] = post_kecamatan[properties["id"]]
        feature["properties"] = {k: v for k, v in properties.items() if k in KEEP[kind]}
        features.append(feature)
    plan = {"id": stored.id, "version": stored.plan.version, "operation": stored.plan.operation}
    return {"plan": plan, "features": features, "filters": _all_filters(dataset)}


# The columns of the compact layer's rows, in order (``compact_layer``).
TPS_COLUMNS = ("code", "number", "desa_code", "class", "post", "lat", "lng")
POST_COLUMNS = ("id", "size", "required", "lat", "lng")


def compact_layer(layer: dict[str, Any]) -> dict[str, Any]:
    """The plan layer as the map page reads it at province scale: rows of values instead of
    GeoJSON features (a TPS's desa and kecamatan names once per area, not once per TPS), so
    that 26,000 TPS are a few megabytes less to send, parse and walk."""
    tps, posts, reserve = [], [], []
    areas: dict[str, str] = {}
    for feature in layer["features"]:
        p = feature["properties"]
        lng, lat = feature["geometry"]["coordinates"]
        if p["kind"] == "tps":
            areas[p["desa_code"]] = p["desa"]
            areas[p["kecamatan_code"]] = p["kecamatan"]
            tps.append([p["code"], p["number"], p["desa_code"], p["class"], p["post"], lat, lng])
        elif p["kind"] == "post":
            posts.append([p["id"], p["size"], p["required"], lat, lng])
        else:
            reserve.append(p | {"lat": lat, "lng": lng})
    return {
        "plan": layer["plan"], "filters": layer["filters"], "areas": areas,
        "tps": {"columns": TPS_COLUMNS, "rows": tps},
        "posts": {"columns": POST_COLUMNS, "rows": posts}, "reserve": reserve,
    }

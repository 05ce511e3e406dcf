"""Small geometric helpers over GeoJSON polygons (shapely does the geometry)."""

from __future__ import annotations

import math
from typing import Any

from shapely.geometry import Point, shape
from shapely.prepared import prep

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def _halton(index: int, base: int) -> float:
    result, f = 0.0, 1.0
    while index > 0:
        f /= base
        result += f * (index % base)
        index //= base
    return result


def spread_points(geometry: dict[str, Any], count: int) -> list[tuple[float, float]]:
    """``count`` well-spread (lat, lng) points inside a GeoJSON polygon, deterministically.

    A Halton sequence over the bounding box, keeping the points that fall inside: the same
    polygon and count always give the same points, and the points never bunch together. A
    polygon too thin to catch enough points falls back on its representative point.
    """
    polygon = shape(geometry)
    inside = prep(polygon)
    min_x, min_y, max_x, max_y = polygon.bounds
    points: list[tuple[float, float]] = []
    index = 1
    while len(points) < count and index < 200 * count + 1000:
        x = min_x + _halton(index, 2) * (max_x - min_x)
        y = min_y + _halton(index, 3) * (max_y - min_y)
        if inside.contains(Point(x, y)):
            points.append((round(y, 6), round(x, 6)))
        index += 1
    fallback = polygon.representative_point()
    while len(points) < count:
        points.append((round(fallback.y, 6), round(fallback.x, 6)))
    return points


def contains(geometry: dict[str, Any], lat: float, lng: float) -> bool:
    """True when the point lies inside (or on the edge of) the GeoJSON polygon."""
    return bool(shape(geometry).intersects(Point(lng, lat)))

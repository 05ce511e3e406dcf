"""Whether a point lies in its desa and in the regency, using the reference's boundaries.

Boundaries are GeoJSON geometries (Polygon or MultiPolygon, coordinates ``[lng, lat]``) keyed by
area code; shapely (already a dependency) does the point-in-polygon test. The upstream polygons
are simplified (edges off by tens of metres), so a point within TOLERANCE of an area counts as in
it: a TPS on the road that forms the desa border must not be refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any

import shapely
from shapely.geometry import shape

from pamtps.domain import AreaLevel, Dataset

Bounds = tuple[float, float, float, float]  # min lng, min lat, max lng, max lat
TOLERANCE = 0.002
"""Degrees (~220 m) a point may lie outside a simplified boundary and still count as inside."""
POINT_MARGIN = 0.05
"""Degrees (~5 km) around the point of a desa without a polygon, when bounding the regency."""


class Geography:
    """The desa polygons and regency area of a reference Dataset."""

    def __init__(self, reference: Dataset, boundaries: Mapping[str, dict] | None = None) -> None:
        self.reference = reference
        self.boundaries = reference.boundaries if boundaries is None else boundaries
        self._shapes: dict[str, Any] = {}

    def shape_of(self, code: str) -> Any | None:
        """The prepared shapely geometry of an area, or None when no boundary is known."""
        if code not in self._shapes:
            geometry = self.boundaries.get(code)
            if geometry is not None and geometry.get("type") == "Feature":
                geometry = geometry.get("geometry")
            found = shape(geometry) if geometry else None
            if found is not None:
                shapely.prepare(found)
            self._shapes[code] = found
        return self._shapes[code]

    def outside(self, desa_code: str, lat: float, lng: float) -> str | None:
        """Why (lat, lng) cannot be in the desa, or None when it can.

        Tested against the desa polygon when there is one, and always against the regency: its
        polygon if the reference has one, else the bounding box of its desa.
        """
        desa = self.shape_of(desa_code)
        if desa is not None and _near(desa, lat, lng):
            return None
        if not self._in_regency(lat, lng):
            return f"outside the regency ({self._regency_name})"
        if desa is not None:
            return f"outside desa {desa_code} ({self.reference.area_by_code[desa_code].name})"
        return None

    def _in_regency(self, lat: float, lng: float) -> bool:
        regencies = [self.shape_of(code) for code in self.reference.regency_codes]
        if any(r is not None for r in regencies):
            return any(r is not None and _near(r, lat, lng) for r in regencies)
        if self._bounds is None:
            return True
        min_lng, min_lat, max_lng, max_lat = self._bounds
        return (
            min_lat - TOLERANCE <= lat <= max_lat + TOLERANCE
            and min_lng - TOLERANCE <= lng <= max_lng + TOLERANCE
        )

    @cached_property
    def _bounds(self) -> Bounds | None:
        parts = []
        for desa in self.reference.areas_at(AreaLevel.DESA):
            part = self.shape_of(desa.code)
            if part is None and desa.lat is not None and desa.lng is not None:
                part = shapely.Point(desa.lng, desa.lat).buffer(POINT_MARGIN)
            if part is not None:
                parts.append(part)
        if not parts:
            return None
        min_lng, min_lat, max_lng, max_lat = (float(v) for v in shapely.total_bounds(parts))
        return min_lng, min_lat, max_lng, max_lat

    @cached_property
    def _regency_name(self) -> str:
        areas = self.reference.area_by_code
        names = [areas[c].name if c in areas else c for c in self.reference.regency_codes]
        return ", ".join(names)


def _near(geometry: Any, lat: float, lng: float) -> bool:
    if shapely.intersects_xy(geometry, lng, lat):
        return True
    return bool(shapely.dwithin(geometry, shapely.Point(lng, lat), TOLERANCE))

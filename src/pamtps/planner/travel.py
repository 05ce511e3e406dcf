"""Travel times between points: the planner asks a TravelModel and never a map.

No road network is public for OKU, so the default model estimates: straight-line (great-circle)
distance times a detour factor, at a speed set by the terrain. A road-network time matrix, once
someone computes one, replaces it through ``MatrixTravel`` without touching the planner.

Terrain comes from the desa: *urban* when the desa holds ``urban_density`` TPS per km2 or more,
*remote* when the desa lies farther than ``remote_km`` (straight line) from its sector's base,
*rural* otherwise. Urban is checked first: a dense desa is a town however far it lies. A trip runs
at the slower speed of its two ends, so that a road into a remote desa is slow both ways and
every time matrix is symmetric.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Literal, Protocol

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from pamtps.datasets.geo import EARTH_RADIUS_KM
from pamtps.domain import AreaLevel, Dataset
from pamtps.domain.operation import TravelConfig
from pamtps.domain.plan import Scenario
from pamtps.planner.sectors import sectors

Terrain = Literal["urban", "rural", "remote"]
Point = tuple[float, float]  # (lat, lng)
Matrix = NDArray[np.float64]
TerrainSource = Callable[[float, float], Terrain] | Mapping[Point, Terrain]
DEFAULT_SPEED_KMH: dict[str, float] = {k: v for k, v in TravelConfig().speed_kmh.items()}


class TravelModel(Protocol):
    """Minutes of travel between points, one pair or a whole matrix at once."""

    def minutes(self, lat1: float, lng1: float, lat2: float, lng2: float) -> float: ...

    def matrix(self, origins: Sequence[Point], destinations: Sequence[Point]) -> Matrix:
        """Minutes from each origin (rows) to each destination (columns)."""
        ...


def haversine_matrix(origins: Sequence[Point], destinations: Sequence[Point]) -> Matrix:
    """Great-circle km from each origin (rows) to each destination (columns), vectorised."""
    a = np.radians(np.asarray(origins, dtype=float).reshape(-1, 2))
    b = np.radians(np.asarray(destinations, dtype=float).reshape(-1, 2))
    lat1, lng1 = a[:, :1], a[:, 1:]
    lat2, lng2 = b[:, 0], b[:, 1]
    h = np.sin((lat2 - lat1) / 2) ** 2
    h = h + np.cos(lat1) * np.cos(lat2) * np.sin((lng2 - lng1) / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))))


def projected_km(points: Sequence[Point], ref_lat: float | None = None) -> Matrix:
    """(x, y) km on a local equirectangular projection: good for clustering inside a regency.

    ``ref_lat`` is the latitude of true scale (default: the points' mean).
    """
    array = np.asarray(points, dtype=float).reshape(-1, 2)
    if ref_lat is None:
        ref_lat = float(array[:, 0].mean()) if len(array) else 0.0
    km_per_degree = np.pi * EARTH_RADIUS_KM / 180
    return np.column_stack((array[:, 1] * np.cos(np.radians(ref_lat)), array[:, 0])) * km_per_degree


class NearestTerrain:
    """The terrain of a point: that of the nearest point whose terrain is known."""

    def __init__(self, known: Mapping[Point, Terrain], default: Terrain = "rural") -> None:
        points = list(known)
        self._terrain = [known[p] for p in points]
        self._default = default
        self._ref_lat = float(np.mean([p[0] for p in points])) if points else 0.0
        self._tree = cKDTree(projected_km(points, self._ref_lat)) if points else None

    def __call__(self, lat: float, lng: float) -> Terrain:
        return self.many([(lat, lng)])[0]

    def many(self, points: Sequence[Point]) -> list[Terrain]:
        """The terrain of each point, in one query."""
        if self._tree is None or not len(points):
            return [self._default] * len(points)
        _, index = self._tree.query(projected_km(points, self._ref_lat))
        return [self._terrain[i] for i in np.atleast_1d(index)]


class GreatCircleTravel:
    """Great-circle km x detour factor, at the speed of the slower end's terrain.

    ``terrain`` is a function of (lat, lng) or a dict of points; a point missing from the dict
    takes the terrain of the nearest point in it. Without terrain every point is rural.
    """

    def __init__(self, config: TravelConfig, terrain: TerrainSource | None = None) -> None:
        self.config = config
        # A file may name only some speeds: the others keep their defaults.
        self.speed_kmh: dict[str, float] = DEFAULT_SPEED_KMH | dict(config.speed_kmh)
        if terrain is None or isinstance(terrain, Mapping):
            terrain = NearestTerrain(terrain or {})
        self.terrain: Callable[[float, float], Terrain] = terrain

    def speeds(self, points: Sequence[Point]) -> Matrix:
        """km/h at each point by its terrain."""
        if isinstance(self.terrain, NearestTerrain):
            kinds = self.terrain.many(points)
        else:
            kinds = [self.terrain(lat, lng) for lat, lng in points]
        return np.array([self.speed_kmh[kind] for kind in kinds], dtype=float)

    def matrix(self, origins: Sequence[Point], destinations: Sequence[Point]) -> Matrix:
        km = haversine_matrix(origins, destinations) * self.config.detour_factor
        speed = np.minimum.outer(self.speeds(origins), self.speeds(destinations))
        return km / speed * 60.0

    def minutes(self, lat1: float, lng1: float, lat2: float, lng2: float) -> float:
        return float(self.matrix([(lat1, lng1)], [(lat2, lng2)])[0, 0])


class MatrixTravel:
    """Times from a precomputed matrix (e.g. a road network), keyed by point ids.

    ``points`` maps each id to its (lat, lng); ``minutes`` is square, its rows and columns in
    the order of ``points``. A point is found by its coordinates (to 6 decimals); one not in the
    matrix goes to ``fallback``, or raises KeyError without one.
    """

    def __init__(
        self,
        points: Mapping[str, Point],
        minutes: Sequence[Sequence[float]] | Matrix,
        fallback: TravelModel | None = None,
    ) -> None:
        self.ids = list(points)
        self.table = np.asarray(minutes, dtype=float)
        if self.table.shape != (len(self.ids), len(self.ids)):
            raise ValueError(
                f"travel matrix is {self.table.shape}, expected {len(self.ids)} x {len(self.ids)}"
            )
        self._index_of_id = {pid: i for i, pid in enumerate(self.ids)}
        self._index_of_point = {_key(p): i for i, p in enumerate(points.values())}
        self.fallback = fallback

    def between(self, origin_id: str, destination_id: str) -> float:
        """Minutes from one point id to another."""
        return float(self.table[self._index_of_id[origin_id], self._index_of_id[destination_id]])

    def matrix(self, origins: Sequence[Point], destinations: Sequence[Point]) -> Matrix:
        rows = [self._index_of_point.get(_key(p)) for p in origins]
        cols = [self._index_of_point.get(_key(p)) for p in destinations]
        if None not in rows and None not in cols:
            return self.table[np.ix_(np.array(rows, dtype=int), np.array(cols, dtype=int))]
        if self.fallback is None:
            missing = [p for p, i in zip([*origins, *destinations], rows + cols) if i is None]
            raise KeyError(f"point not in the travel matrix: {missing[0]}")
        result = self.fallback.matrix(origins, destinations)
        for r, row in enumerate(rows):
            for c, col in enumerate(cols):
                if row is not None and col is not None:
                    result[r, c] = self.table[row, col]
        return result

    def minutes(self, lat1: float, lng1: float, lat2: float, lng2: float) -> float:
        return float(self.matrix([(lat1, lng1)], [(lat2, lng2)])[0, 0])


def _key(point: Point) -> Point:
    return round(point[0], 6), round(point[1], 6)


def tps_density(dataset: Dataset) -> dict[str, float | None]:
    """TPS per km2 of every desa holding TPS (None where the desa's area is unknown)."""
    counts: dict[str, int] = {}
    for tps in dataset.tps:
        counts[tps.desa_code] = counts.get(tps.desa_code, 0) + 1
    result: dict[str, float | None] = {}
    for desa_code, count in counts.items():
        desa = dataset.area_by_code.get(desa_code)
        result[desa_code] = count / desa.area_km2 if desa and desa.area_km2 else None
    return result


def is_urban(density: float | None, config: TravelConfig) -> bool:
    """A desa is urban when it holds ``urban_density`` TPS per km2 or more (area unknown: no)."""
    return density is not None and density >= config.urban_density


def is_remote(km_from_base: float, config: TravelConfig) -> bool:
    """A desa is remote when it lies farther than ``remote_km`` from its sector's base."""
    return km_from_base > config.remote_km


def desa_terrain(dataset: Dataset, config: TravelConfig) -> dict[str, Terrain]:
    """The terrain of every desa holding TPS (urban first, then remote, else rural)."""
    by_kec = {kec: s for s in sectors(dataset).values() for kec in s.kecamatan_codes}
    result: dict[str, Terrain] = {}
    for desa_code, density in tps_density(dataset).items():
        desa = dataset.area_by_code.get(desa_code)
        sector = by_kec[desa_code.rsplit(".", 1)[0]]
        if desa is not None and desa.lat is not None and desa.lng is not None:
            point = (desa.lat, desa.lng)
        else:  # no point known: the first TPS of the desa stands for it
            point = next((t.lat, t.lng) for t in dataset.tps if t.desa_code == desa_code)
        km = float(haversine_matrix([point], [(sector.base_lat, sector.base_lng)])[0, 0])
        if is_urban(density, config):
            result[desa_code] = "urban"
        elif is_remote(km, config):
            result[desa_code] = "remote"
        else:
            result[desa_code] = "rural"
    return result


def terrain_points(dataset: Dataset, config: TravelConfig) -> dict[Point, Terrain]:
    """Points of known terrain: every TPS and desa point, and every unit base in a known desa."""
    by_desa = desa_terrain(dataset, config)
    known: dict[Point, Terrain] = {}
    for area in dataset.areas_at(AreaLevel.DESA):
        if area.code in by_desa and area.lat is not None and area.lng is not None:
            known[(area.lat, area.lng)] = by_desa[area.code]
    for unit in dataset.units:
        if unit.base_desa_code in by_desa:
            known[(unit.base_lat, unit.base_lng)] = by_desa[unit.base_desa_code]
    for tps in dataset.tps:
        known[(tps.lat, tps.lng)] = by_desa[tps.desa_code]
    return known


def travel_for(scenario: Scenario) -> TravelModel:
    """The default travel model of a scenario: great-circle with terrain from its desa."""
    config = scenario.operation.travel
    return GreatCircleTravel(config, NearestTerrain(terrain_points(scenario.dataset, config)))

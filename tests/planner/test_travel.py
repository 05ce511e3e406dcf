"""The travel models: great-circle with terrain, a precomputed matrix, and terrain from the desa."""

from __future__ import annotations

import numpy as np
import pytest

from pamtps.domain.operation import TravelConfig
from pamtps.planner.travel import (
    GreatCircleTravel,
    MatrixTravel,
    NearestTerrain,
    desa_terrain,
    haversine_matrix,
    travel_for,
)
from tests.planner.toy import KOTA_HULU, PASAR_HILIR, TALANG_JAUH, UJUNG_HILIR, toy_scenario

CONFIG = TravelConfig()  # detour 1.4; urban 30, rural 25, remote 12 km/h
TENTH_DEGREE_KM = 11.119  # 0.1 degree of latitude


def test_a_tenth_of_a_degree_is_11_km() -> None:
    """Great-circle distance: 0.1 degree of latitude is about 11.12 km."""
    km = haversine_matrix([(-4.0, 104.0)], [(-4.1, 104.0)])
    assert km[0, 0] == pytest.approx(TENTH_DEGREE_KM, abs=0.001)


def test_rural_trip_takes_distance_times_detour_over_speed() -> None:
    """Without terrain every point is rural: 11.12 km x 1.4 at 25 km/h is 37.4 minutes."""
    minutes = GreatCircleTravel(CONFIG).minutes(-4.0, 104.0, -4.1, 104.0)
    assert minutes == pytest.approx(TENTH_DEGREE_KM * 1.4 / 25 * 60, abs=0.01)


def test_a_trip_runs_at_the_slower_end_speed() -> None:
    """From a town into a remote desa the trip runs at the remote speed, both ways."""
    terrain = {(-4.0, 104.0): "urban", (-4.1, 104.0): "remote"}
    travel = GreatCircleTravel(CONFIG, terrain)
    there = travel.minutes(-4.0, 104.0, -4.1, 104.0)
    assert there == pytest.approx(TENTH_DEGREE_KM * 1.4 / 12 * 60, abs=0.01)
    assert travel.minutes(-4.1, 104.0, -4.0, 104.0) == pytest.approx(there)


def test_a_point_takes_the_terrain_of_the_nearest_known_point() -> None:
    """A point missing from the terrain dict is as the nearest point in it."""
    terrain = NearestTerrain({(-4.0, 104.0): "urban", (-4.5, 104.0): "remote"})
    assert (terrain(-4.01, 104.0), terrain(-4.4, 104.1)) == ("urban", "remote")


def test_matrix_agrees_with_minutes_pair_by_pair() -> None:
    """The vectorised matrix holds the same minutes as one call per pair."""
    travel = GreatCircleTravel(CONFIG, {(-4.0, 104.0): "urban", (-4.3, 104.2): "remote"})
    origins = [(-4.0, 104.0), (-4.1, 104.1)]
    destinations = [(-4.3, 104.2), (-4.0, 104.0), (-4.2, 103.9)]
    matrix = travel.matrix(origins, destinations)
    expected = [[travel.minutes(*o, *d) for d in destinations] for o in origins]
    assert matrix.shape == (2, 3)
    np.testing.assert_allclose(matrix, expected)


def test_matrix_travel_looks_points_up_by_coordinates() -> None:
    """A road-network matrix answers by point id or by the point's coordinates."""
    points = {"polsek": (-4.0, 104.0), "tps": (-4.1, 104.0)}
    travel = MatrixTravel(points, [[0.0, 42.0], [40.0, 0.0]])
    assert travel.between("polsek", "tps") == 42.0
    assert travel.minutes(-4.1, 104.0, -4.0, 104.0) == 40.0
    np.testing.assert_allclose(travel.matrix([(-4.0, 104.0)], [(-4.1, 104.0), (-4.0, 104.0)]),
                               [[42.0, 0.0]])


def test_matrix_travel_sends_unknown_points_to_its_fallback() -> None:
    """A point not in the matrix is timed by the fallback model, or refused without one."""
    points = {"a": (-4.0, 104.0), "b": (-4.1, 104.0)}
    fallback = GreatCircleTravel(CONFIG)
    travel = MatrixTravel(points, np.array([[0.0, 42.0], [42.0, 0.0]]), fallback)
    matrix = travel.matrix([(-4.0, 104.0)], [(-4.1, 104.0), (-4.2, 104.0)])
    assert matrix[0, 0] == 42.0
    assert matrix[0, 1] == pytest.approx(fallback.minutes(-4.0, 104.0, -4.2, 104.0))
    with pytest.raises(KeyError, match="not in the travel matrix"):
        MatrixTravel(points, np.zeros((2, 2))).minutes(-4.0, 104.0, -4.2, 104.0)


def test_matrix_travel_refuses_a_matrix_of_the_wrong_shape() -> None:
    """The matrix must be square over the points."""
    with pytest.raises(ValueError, match="expected 2 x 2"):
        MatrixTravel({"a": (0.0, 0.0), "b": (1.0, 1.0)}, np.zeros((2, 3)))


def test_desa_terrain_is_urban_by_density_and_remote_by_distance() -> None:
    """Kota Hulu (6 TPS/km2) is urban, Pasar Hilir rural, the far desa remote."""
    scenario = toy_scenario()
    assert desa_terrain(scenario.dataset, scenario.operation.travel) == {
        KOTA_HULU: "urban",
        TALANG_JAUH: "remote",
        PASAR_HILIR: "rural",
        UJUNG_HILIR: "remote",
    }


def test_travel_for_times_the_scenario_by_its_terrain() -> None:
    """In the toy, a trip out to Talang Jauh runs at the remote speed."""
    scenario = toy_scenario()
    travel = travel_for(scenario)
    minutes = travel.minutes(-4.002, 104.002, -4.02, 104.24)
    km = haversine_matrix([(-4.002, 104.002)], [(-4.02, 104.24)])[0, 0]
    assert minutes == pytest.approx(km * 1.4 / 12 * 60)
